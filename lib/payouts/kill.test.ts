// A payout run killed mid-run, then retried by another process (DESIGN.md "Daily payout":
// idempotent, catches up missed days; "Scale path": any worker may run it). The real CLI
// (`npm run payouts`, lib/cli/payouts.ts) catches up DAYS days of CONTRACTS contracts; it is
// SIGKILLed while a later day's transaction holds the run lock, after earlier days committed.
// The killed day must leave nothing behind (one transaction per day), and a second process's
// catch-up must settle exactly what is missing: one payout per contract-day, balanced journals,
// cached balances equal to the postings, the mining clearing account equal to what was mined.
// The test proves the kill landed mid-run (days committed and days missing, the lock held, the
// run row left RUNNING), so it cannot pass by killing a process that had already finished.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { DAY_MS } from "../shared/days";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { btcSnapshotData, bulkMarket, unbalancedJournals } from "../testing/fixtures";
import { itOnServer } from "../testing/server-only";
import { PAYOUT_RUN_LOCK } from "./run";

const CLI = path.resolve(__dirname, "../cli/payouts.ts");
const REASON = "payout processes of their own on the test database";
const DAYS = 6;
const CONTRACTS = 4_000;
const FIRST_DAY = Date.UTC(2025, 5, 1); // bulkMarket's start day

let t: TestDatabase;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "hl-payout-kill-"));
  if (!t.real) return;
  const p = t.prisma;
  // 40 rigs of 1,000 TH/s, each carrying 100 contracts of 10 TH/s, terms cut to DAYS days.
  const market = await bulkMarket(p, { rigs: 40, rigTh: 1_000, customers: 800, contracts: CONTRACTS, prefix: "kill" });
  await p.$executeRaw`
    UPDATE contracts SET days = ${DAYS}, end_day = start_day + ${DAYS - 1}::int,
           total_price_micro_usd = daily_price_micro_usd * ${DAYS}::int`;
  // Every rig reports for every day; one in five delivered 87 % (an under-delivery credit too).
  await p.$executeRaw`
    INSERT INTO rig_telemetry (rig_id, day, reported_hashrate_hs, source, updated_at)
    SELECT r.id, d::date,
           CASE WHEN r.n % 5 = 0 THEN 870000000000000 ELSE 1000000000000000 END, 'SIMULATOR'::telemetry_source, now()
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM rigs WHERE listing_id = ${market.listingId}::uuid) r
     CROSS JOIN generate_series('2025-06-01'::date, '2025-06-01'::date + ${DAYS - 1}::int, interval '1 day') d`;
  await p.networkSnapshot.createMany({
    data: Array.from({ length: DAYS }, (_, i) => btcSnapshotData(new Date(FIRST_DAY + i * DAY_MS))),
  });
  await p.$executeRawUnsafe("ANALYZE");
}, 300_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await t?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function payoutRun(): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
  output: () => string;
} {
  const child = spawn(process.execPath, ["--import", "tsx", CLI], {
    env: { ...process.env, DATABASE_URL: t.url, HASHLEASE_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

interface Progress {
  completed: number;
  running: number;
  payouts: number;
  /** Someone (only the child takes it here) holds the run's advisory lock: a day's transaction is open. */
  locked: boolean;
}

async function progress(): Promise<Progress> {
  const [row] = await t.prisma.$queryRaw<{ completed: number; running: number; payouts: number; locked: boolean }[]>`
    SELECT (SELECT count(*)::int FROM payout_runs WHERE status = 'COMPLETED') AS completed,
           (SELECT count(*)::int FROM payout_runs WHERE status = 'RUNNING') AS running,
           (SELECT count(*)::int FROM daily_payouts) AS payouts,
           EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                    WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
                      AND l.classid = 0 AND l.objid = ${PAYOUT_RUN_LOCK}::bigint::oid) AS locked`;
  return row!;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a payout run killed mid-run", () => {
  itOnServer(
    "leaves exactly one payout per contract-day once another process has retried",
    REASON,
    async () => {
      const p = t.prisma;
      const first = payoutRun();
      // Two days committed and a third day's transaction open: kill it there. So that the day cannot
      // commit between the look and the kill, the test first locks that day's run row, which the
      // transaction updates last (SKIP LOCKED: none if it already has, then look again).
      const holder = new pg.Client({ connectionString: t.url });
      await holder.connect();
      let atKill: Progress | undefined;
      try {
        const deadline = Date.now() + 120_000;
        while (!atKill) {
          const seen = await progress();
          if (seen.completed >= 2 && seen.running === 1 && seen.locked) {
            await holder.query("BEGIN");
            const held = await holder.query(
              "SELECT id FROM payout_runs WHERE status = 'RUNNING' FOR UPDATE SKIP LOCKED",
            );
            if (held.rowCount === 1 && (await progress()).locked) atKill = seen;
            else await holder.query("ROLLBACK");
          }
          if (Date.now() > deadline) throw new Error(`no day's transaction to kill (last: ${JSON.stringify(seen)})`);
          if (!atKill) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        first.child.kill("SIGKILL");
        const killed = await first.exited;
        expect(killed.signal, first.output()).toBe("SIGKILL");
        expect(atKill.completed).toBeLessThan(DAYS);
      } finally {
        await holder.query("ROLLBACK").catch(() => {});
        await holder.end();
      }

      // The server rolls the open day back once it notices its client is gone.
      const afterKill = await until("the killed run's transaction to end", progress, (s) => !s.locked);
      expect(afterKill.completed).toBe(atKill.completed);
      expect(afterKill.payouts).toBe(afterKill.completed * CONTRACTS);
      expect(afterKill.payouts).toBeLessThan(DAYS * CONTRACTS);
      expect(afterKill.running).toBe(1); // the killed run's row (failInterruptedRuns ends it after 10 minutes)
      console.log(
        `[payouts] SIGKILL with ${atKill.completed} of ${DAYS} days committed and day ${atKill.completed + 1}'s ` +
          `transaction open (${atKill.payouts} payouts visible); after the rollback ${afterKill.payouts} payouts`,
      );

      // Another process catches up.
      const second = payoutRun();
      const retried = await second.exited;
      expect(retried, second.output()).toEqual({ code: 0, signal: null });

      const [counts] = await p.$queryRaw<{ payouts: number; contract_days: number; contracts_off: number }[]>`
        SELECT count(*)::int AS payouts, count(DISTINCT (contract_id, day))::int AS contract_days,
               (SELECT count(*)::int FROM (SELECT c.id FROM contracts c LEFT JOIN daily_payouts d ON d.contract_id = c.id
                                            GROUP BY c.id HAVING count(d.id) <> ${DAYS}) o) AS contracts_off
          FROM daily_payouts`;
      expect(counts).toEqual({ payouts: DAYS * CONTRACTS, contract_days: DAYS * CONTRACTS, contracts_off: 0 });
      const runs = await p.payoutRun.groupBy({ by: ["status"], _count: true });
      expect(Object.fromEntries(runs.map((r) => [r.status, r._count]))).toEqual({ COMPLETED: DAYS, RUNNING: 1 });
      expect(await p.contract.count({ where: { status: "COMPLETED" } })).toBe(CONTRACTS);

      // The ledger: every journal balances, cached balances are the postings, and the mining
      // clearing account gave exactly the gross the payouts record, credited to customers and fees.
      expect(await unbalancedJournals(p)).toEqual([]);
      const [ledger] = await p.$queryRaw<
        {
          drift: number;
          clearing: string;
          gross: string;
          net: string;
          customers: string;
          journals: number;
          paid: number;
        }[]
      >`
        SELECT (SELECT count(*)::int FROM ledger_accounts a
                 WHERE a.balance <> coalesce((SELECT sum(amount) FROM postings WHERE account_id = a.id), 0)) AS drift,
               (SELECT balance::text FROM ledger_accounts WHERE type = 'MINING_CLEARING' AND asset = 'BTC') AS clearing,
               (SELECT sum(gross_base)::text FROM daily_payouts) AS gross,
               (SELECT sum(net_base)::text FROM daily_payouts) AS net,
               (SELECT sum(balance)::text FROM ledger_accounts WHERE type = 'USER_AVAILABLE' AND asset = 'BTC') AS customers,
               (SELECT count(*)::int FROM journal_transactions WHERE kind = 'PAYOUT') AS journals,
               (SELECT count(*)::int FROM daily_payouts WHERE net_base > 0) AS paid`;
      expect(ledger!.drift).toBe(0);
      expect(BigInt(ledger!.clearing)).toBe(-BigInt(ledger!.gross));
      expect(BigInt(ledger!.customers)).toBe(BigInt(ledger!.net));
      expect(ledger!.journals).toBe(ledger!.paid);
      expect(ledger!.paid).toBeGreaterThan(0);
    },
    240_000,
  );
});
