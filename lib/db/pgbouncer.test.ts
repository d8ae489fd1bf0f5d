// The app through PgBouncer in transaction mode, as production runs it (README "Running more
// than one instance"): each transaction may get another server connection, and a server
// connection serves many clients, so nothing may rely on session state — session-level
// advisory locks, SET without LOCAL, LISTEN/NOTIFY, temp tables that outlive their transaction
// (ON COMMIT DROP is fine), named prepared statements
// (PgBouncer 1.18 on Debian 12 has no max_prepared_statements; @prisma/adapter-pg sends
// unnamed statements unless given a statementNameGenerator). This file proves the pool really
// shares sessions that way, keeps the code free of those features, and runs migrations, racing
// purchases and the daily payout run through it on a database made on the real server, with
// the invariants of purchase.test.ts and run.test.ts.
// Needs the pgbouncer binary and DATABASE_URL; in CI (CI=true) a missing binary fails the file.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { balanceOf } from "../ledger/ledger";
import { settleDay } from "../payouts/run";
import { runScheduledPayouts } from "../payouts/schedule";
import { RATE_LIMITS, takeRateLimit } from "../security/rate-limit";
import { createEmptyDatabase } from "../testing/database";
import {
  btcSnapshotData,
  createListing,
  createUser,
  deposit,
  rigLoads,
  TH,
  unbalancedJournals,
} from "../testing/fixtures";
import { reportTelemetry } from "../testing/payout-fixtures";
import { findPgBouncer, startPgBouncer, type PgBouncer } from "../testing/pgbouncer";
import { testPurchase } from "../testing/purchase";
import { describeOnServer, onServer } from "../testing/server-only";
import { createPrismaClient, type PrismaClient } from "./client";
import { decimalToBigInt } from "./decimal";
import { migrate } from "./migrate";

const binary = findPgBouncer();
const SERVER_POOL = 4;
const CLIENT_POOL = 20;

function describeWithPgBouncer(name: string, fn: () => void): void {
  const reason = "PgBouncer pools connections to a PostgreSQL server";
  if (!onServer || binary) return describeOnServer(name, reason, fn);
  if (process.env.CI === "true") {
    describe(name, () => {
      it("has the pgbouncer binary (CI installs it: .ci/run)", () => {
        throw new Error("pgbouncer not found in CI; .ci/run must apt-get install pgbouncer");
      });
    });
    return;
  }
  const label = `${name} [needs the pgbouncer binary: apt-get install pgbouncer; skipped outside CI]`;
  console.warn(`skipped: ${label}`);
  describe.skip(label, fn);
}

// ---- the code keeps out of session state ----

const ROOT = join(import.meta.dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ["generated", "bench"].includes(name) ? [] : sourceFiles(path);
    return /\.(ts|tsx|sql)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** What breaks under transaction pooling, as it would be written in SQL or in a pg call. */
const SESSION_FEATURES: [RegExp, string][] = [
  [/pg_(try_)?advisory_lock(_shared)?\s*\(/i, "a session-level advisory lock (use pg_advisory_xact_lock)"],
  [
    /\b(LISTEN|UNLISTEN|NOTIFY)\s+["\w*]|pg_notify\s*\(|\.on\(\s*["']notification/,
    "LISTEN/NOTIFY (a pooled connection has no listener)",
  ],
  // PgBouncer's feature map: ON COMMIT DROP temp tables work under transaction pooling (the
  // table ends with the transaction that holds the server connection); any other does not.
  [
    /CREATE\s+(GLOBAL\s+|LOCAL\s+)?TEMP(ORARY)?\s+TABLE(?![^;`]*\bON\s+COMMIT\s+DROP\b)/i,
    "a temp table that outlives its transaction (lives in a server session)",
  ],
  [/statementNameGenerator|\bPREPARE\s+\w+\s+(AS|\()/i, "a named prepared statement"],
  [/set_config\([^)]*,\s*false\s*\)/i, "set_config(..., false): a session setting"],
  // A statement that starts with SET (an UPDATE's SET is fine): only SET LOCAL and SET TRANSACTION end with it.
  [
    /(\(|\$executeRaw(Unsafe)?)\s*["'`]\s*SET\s+(SESSION\s+)?(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)[a-z_.]+\s*(=|TO\b)/i,
    "SET without LOCAL",
  ],
];

describe("the code under transaction pooling", () => {
  it("uses no session-level advisory lock, session SET, LISTEN/NOTIFY, session temp table or named statement (lib/ outside the benchmarks, app/, prisma/)", () => {
    const files = ["lib", "app", "prisma"].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of files) {
      // Comments may name what they avoid; only code counts.
      const text = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\/\/|\*|\/\*|--)/.test(line))
        .join("\n");
      for (const [pattern, what] of SESSION_FEATURES) {
        if (pattern.test(text)) found.push(`${relative(ROOT, file)}: ${what}`);
      }
    }
    expect(found).toEqual([]);
  });

  it("the patterns catch what they are for", () => {
    const samples = [
      "SELECT pg_advisory_lock(1)",
      "SELECT pg_try_advisory_lock(1)",
      "LISTEN payouts",
      "SELECT pg_notify('a', 'b')",
      "CREATE TEMP TABLE t AS SELECT 1",
      "CREATE TEMPORARY TABLE t (id int) ON COMMIT PRESERVE ROWS",
      "CREATE TEMP TABLE t ON COMMIT DELETE ROWS AS SELECT 1; SELECT 'ON COMMIT DROP'",
      "new PrismaPg(pool, { statementNameGenerator })",
      "SELECT set_config('work_mem', '1GB', false)",
      "await client.query(\"SET work_mem = '256MB'\")",
      "await tx.$executeRaw`SET statement_timeout = 0`",
      "client.on('notification', handler)",
    ];
    for (const sample of samples)
      expect(
        SESSION_FEATURES.some(([p]) => p.test(sample)),
        sample,
      ).toBe(true);
    const allowed = [
      "SELECT pg_advisory_xact_lock(1)",
      "CREATE TEMP TABLE payout_run_due ON COMMIT DROP AS SELECT c.id FROM contracts c",
      "SELECT pg_try_advisory_xact_lock(1)",
      "SELECT pg_advisory_xact_lock_shared(1)",
      "await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '5s'`)",
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
      "set_config('work_mem', x, true)",
      "await tx.$executeRaw`UPDATE mail_outbox SET status = 'SENT'`",
      'client.query(`UPDATE "_prisma_migrations" SET finished_at = now()`)',
      'if (n.method === "mining.notify") job = parseNotify(n.params)',
    ];
    for (const sample of allowed)
      expect(
        SESSION_FEATURES.some(([p]) => p.test(sample)),
        sample,
      ).toBe(false);
  });
});

// ---- through a real PgBouncer ----

describeWithPgBouncer("through PgBouncer in transaction mode", () => {
  let bouncer: PgBouncer;
  let database: { url: string; drop(): Promise<void> };
  let prisma: PrismaClient;
  let dbName: string;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    dbName = new URL(database.url).pathname.slice(1);
    bouncer = await startPgBouncer(process.env.DATABASE_URL!, {
      poolMode: "transaction",
      poolSize: SERVER_POOL,
      aliases: { probe: { database: dbName, poolSize: 1 } },
    });
    vi.stubEnv("DATABASE_POOL_MAX", String(CLIENT_POOL));
    prisma = createPrismaClient(bouncer.url(dbName));
  }, 60_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    await bouncer?.stop();
    await database?.drop();
    vi.unstubAllEnvs();
  });

  async function client(name: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: bouncer.url(name) });
    await c.connect();
    return c;
  }

  it("really pools by transaction: one server session serves two clients, so session state leaks and SET LOCAL does not", async () => {
    const admin = await client("pgbouncer");
    try {
      const { rows } = await admin.query<{ key: string; value: string }>("SHOW CONFIG");
      expect(rows.find((r) => r.key === "pool_mode")?.value).toBe("transaction");
    } finally {
      await admin.end();
    }
    // The probe alias has one server connection: a and b take turns on it.
    const [a, b] = [await client("probe"), await client("probe")];
    try {
      await a.query("SET statement_timeout = '4321ms'");
      expect((await b.query("SHOW statement_timeout")).rows[0].statement_timeout).toBe("4321ms");
      await b.query("RESET statement_timeout");
      await a.query("BEGIN");
      await a.query("SET LOCAL statement_timeout = '1111ms'");
      await a.query("COMMIT");
      expect((await b.query("SHOW statement_timeout")).rows[0].statement_timeout).not.toBe("1111ms");
      // A session lock taken by a is b's too (same backend): it excludes nobody.
      expect((await a.query("SELECT pg_try_advisory_lock(7) AS got")).rows[0].got).toBe(true);
      expect((await b.query("SELECT pg_try_advisory_lock(7) AS got")).rows[0].got).toBe(true);
      await b.query("SELECT pg_advisory_unlock_all()");
      // Transaction-scoped locks do exclude, whichever server connection each transaction gets.
    } finally {
      await a.end();
      await b.end();
    }
  });

  it("migrates the fresh database through PgBouncer", async () => {
    const result = await migrate(bouncer.url(dbName));
    expect(result.applied.length).toBeGreaterThan(10);
    expect((await migrate(bouncer.url(dbName))).applied).toEqual([]);
  }, 120_000);

  it("the shared rate limits hold through it: 12 concurrent requests for a limit of 3 in the window, 3 granted", async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => takeRateLimit(prisma, "verify-resend", "bouncer@test.example")),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(RATE_LIMITS["verify-resend"].points);
  });

  // 200 TH/s in three rigs; 40 customers race for 10 TH/s each; 20 fit.
  let market: { listingId: string; operatorId: string; rigIds: string[] };
  let sold: { contractId: string; customerId: string }[] = [];
  const DEPOSIT = 100_000_000n; // $100

  it(`40 concurrent balance purchases for the last capacity over ${CLIENT_POOL} client and ${SERVER_POOL} server connections: exactly the capacity is sold`, async () => {
    market = await createListing(prisma, { rigsTh: [70, 70, 60] });
    const buyers = await Promise.all(Array.from({ length: 40 }, () => createUser(prisma)));
    await Promise.all(buyers.map((b) => deposit(prisma, b.id, "USD", DEPOSIT)));
    const body = { listingId: market.listingId, hashrate: "10", days: 5, paymentMethod: "BALANCE_USD" };
    const buy = (userId: string, idempotencyKey: string) => testPurchase(prisma, userId, body, { idempotencyKey });
    // Each buyer sends its request twice at once with the same key (a double click): one purchase.
    const results = await Promise.all(buyers.flatMap((b, i) => [buy(b.id, `bouncer-${i}`), buy(b.id, `bouncer-${i}`)]));
    const created = results.filter((r) => r.status === 201 || r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(created.length + refused.length).toBe(80);
    for (const r of refused) expect(r.body).toMatchObject({ error: { code: "NOT_ENOUGH_CAPACITY" } });
    const contractIds = new Set(created.map((r) => ("contractId" in r.body ? r.body.contractId : "")));
    expect(contractIds.size).toBe(20);
    const loads = await rigLoads(prisma, market.rigIds);
    for (const load of loads) expect(BigInt(load.used)).toBeLessThanOrEqual(BigInt(load.nominal));
    expect(loads.reduce((s, l) => s + BigInt(l.used), 0n)).toBe(200n * TH);

    const contracts = await prisma.contract.findMany({ where: { listingId: market.listingId } });
    expect(contracts).toHaveLength(20);
    expect(new Set(contracts.map((c) => c.customerId)).size).toBe(20);
    sold = contracts.map((c) => ({ contractId: c.id, customerId: c.customerId }));
    for (const c of contracts) {
      expect(c.status).toBe("ACTIVE");
      expect(await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "USD", userId: c.customerId })).toBe(
        DEPOSIT - c.totalPriceMicroUsd,
      );
    }
    expect(await unbalancedJournals(prisma)).toEqual([]);

    // The race went through the pool: more clients than server connections, and no more server
    // connections than the pool allows (plus the probe alias's one).
    const admin = await client("pgbouncer");
    try {
      const clients = (await admin.query<{ database: string }>("SHOW CLIENTS")).rows.filter(
        (r) => r.database === dbName,
      );
      expect(clients.length).toBeGreaterThan(SERVER_POOL);
      const servers = (await admin.query<{ database: string }>("SHOW SERVERS")).rows.filter(
        (r) => r.database === dbName,
      );
      expect(servers.length).toBeLessThanOrEqual(SERVER_POOL + 1);
    } finally {
      await admin.end();
    }
  }, 120_000);

  const march = (d: number) => new Date(Date.UTC(2025, 2, d));

  it("settles five days through PgBouncer, each day by two runs at once and then by two schedulers at once: one payout per contract-day, balanced ledger", async () => {
    expect(sold).toHaveLength(20);
    // The term moves to 1-5 March 2025 (activated the day before), as run.test.ts does.
    const activatedAt = new Date(march(1).getTime() - 12 * 3_600_000);
    await prisma.contract.updateMany({
      where: { listingId: market.listingId },
      data: { activatedAt, startDay: march(1), endDay: march(5) },
    });
    await prisma.allocation.updateMany({
      where: { contract: { listingId: market.listingId } },
      data: { createdAt: activatedAt },
    });
    for (let d = 1; d <= 5; d++) {
      await prisma.networkSnapshot.create({ data: btcSnapshotData(march(d)) });
      // The 60 TH/s rig delivers half on the 2nd: those contracts are credited for under-delivery.
      for (const [i, rigId] of market.rigIds.entries()) {
        await reportTelemetry(prisma, rigId, march(d), i === 2 && d === 2 ? 30 : [70, 70, 60][i]!);
      }
    }
    for (let d = 1; d <= 3; d++) {
      const pair = await Promise.all([settleDay(prisma, march(d)), settleDay(prisma, march(d))]);
      expect(pair.map((r) => r.contractsSettled).sort((x, y) => x - y)).toEqual([0, 20]);
    }
    // The jobs worker's path: every unsettled day up to yesterday, two workers at once.
    const now = new Date(march(6).getTime() + 3_600_000);
    const workers = await Promise.all([
      runScheduledPayouts(prisma, { now, log: () => {} }),
      runScheduledPayouts(prisma, { now, log: () => {} }),
    ]);
    expect(workers[0] + workers[1]).toBe(40);

    const payouts = await prisma.dailyPayout.findMany({ where: { contract: { listingId: market.listingId } } });
    expect(payouts).toHaveLength(20 * 5);
    const dupes = await prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (SELECT contract_id, day FROM daily_payouts GROUP BY 1, 2 HAVING count(*) > 1) d`;
    expect(Number(dupes[0]!.n)).toBe(0);
    expect(payouts.filter((p) => p.underDeliveryCreditMicroUsd > 0n).length).toBeGreaterThan(0);
    const runs = await prisma.payoutRun.findMany({ include: { totals: true, payouts: true } });
    expect(runs.every((r) => r.status === "COMPLETED")).toBe(true);
    for (const run of runs) {
      expect(run.contractsSettled).toBe(run.payouts.length);
      for (const total of run.totals) {
        const sum = (pick: (p: (typeof run.payouts)[number]) => bigint) =>
          run.payouts.filter((p) => p.coin === total.coin).reduce((s, p) => s + pick(p), 0n);
        const mined = decimalToBigInt(total.minedBase);
        expect(mined).toBe(
          decimalToBigInt(total.customerNetBase) +
            decimalToBigInt(total.poolFeesBase) +
            decimalToBigInt(total.maintenanceFeesBase) +
            decimalToBigInt(total.roundingBase),
        );
        expect(mined).toBe(sum((p) => decimalToBigInt(p.grossBase)));
      }
    }

    expect(await unbalancedJournals(prisma)).toEqual([]);
    const drift = await prisma.$queryRaw<{ id: string }[]>`
      SELECT a.id FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id
       GROUP BY a.id HAVING a.balance <> COALESCE(sum(p.amount), 0)`;
    expect(drift).toEqual([]);
    for (const c of sold) {
      const own = payouts.filter((p) => p.contractId === c.contractId);
      const net = own.reduce((s, p) => s + decimalToBigInt(p.netBase), 0n);
      expect(net).toBeGreaterThan(0n);
      expect(await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "BTC", userId: c.customerId })).toBe(net);
    }
    const mined = payouts.reduce((s, p) => s + decimalToBigInt(p.grossBase), 0n);
    expect(await balanceOf(prisma, { type: "MINING_CLEARING", asset: "BTC", userId: null })).toBe(-mined);
    // The last day completed every contract and freed the capacity.
    const contracts = await prisma.contract.findMany({ where: { listingId: market.listingId } });
    expect(contracts.every((c) => c.status === "COMPLETED")).toBe(true);
    expect((await rigLoads(prisma, market.rigIds)).every((l) => l.used === "0")).toBe(true);
  }, 180_000);
});
