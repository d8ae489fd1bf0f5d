// npm run bench:pages — server time of /marketplace and /dashboard under concurrent users,
// against the production server on real PostgreSQL (DATABASE_URL's server, default the local
// one).
//  1. builds a fresh database (BENCH_DATABASE, default hashlease_bench_pages) with set-based
//     SQL: 10,000 listings (BTC and LTC, 9 in 10 published) of 40 operators in 80 facilities
//     with ~12,900 rigs, one customer with 100 contracts and 100,000 payouts (100 contracts x
//     1,000 days, every day up to yesterday paid, so the app's payout job finds nothing to do),
//     and 10 other customers with 100,000 more. The payouts are plain INSERT ... SELECT, so the
//     statement triggers keep customer_payout_days as a payout run would; the bench checks the
//     rollup against the rows before it starts;
//  2. starts the app as `npm start` does and signs the customer in through next-auth;
//  3. BENCH_USERS (50) virtual users, each in a loop: GET /marketplace with a varying filter,
//     sort and page, then GET /dashboard as the customer (varying the payout page and the
//     contract filter); BENCH_WARMUP_SECONDS (10) untimed, then BENCH_SECONDS (30) timed; then
//     one user alone for BENCH_SERIAL_SECONDS (10): the latency without queueing. The app's CPU
//     time per request over the timed run is printed too: on a shared machine it moves far
//     less than the latencies, which mostly measure the wait for a core. BENCH_THINK_MS (0) pauses
//     each user after each response (0: every user always has a request in flight).
// The app sends no Server-Timing header, so "server time" is the time to first byte measured
// by the client over loopback (no Suspense boundary or loading.tsx on either page: the first
// byte leaves once the page's queries are done); the time to the last byte is shown beside it.
// Target: p95 < 100 ms per page. Exit code 1 when a page answers other than 200 or the data
// is not what was built (the targets themselves do not fail the run; the table says met/MISSED).
import { cpus } from "node:os";
import pg from "pg";
import { formatInteger } from "../../components/format";
import { hashPassword } from "../auth/password";
import { payoutRollupDrift } from "../dashboard/rollup";
import { createPrismaClient } from "../db/client";
import { migrate } from "../db/migrate";
import { deposit, ensureBtc, ltcPrice } from "../testing/fixtures";
import {
  dropDatabase,
  freshDatabase,
  loadText,
  percentile,
  printResult,
  processTreeCpuSeconds,
  serverUrl,
  signIn,
  startApp,
} from "./server";

const USERS = Number(process.env.BENCH_USERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const SERIAL_SECONDS = Number(process.env.BENCH_SERIAL_SECONDS ?? 10);
/** Pause of each user after each response; 0 (the default): every user always has a request in flight. */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
const PORT = Number(process.env.BENCH_PORT ?? 3191);
const DATABASE = process.env.BENCH_DATABASE ?? "hashlease_bench_pages";
// --keep: keep the database afterwards; --data-only: build it, keep it and stop (for EXPLAIN).
const DATA_ONLY = process.argv.includes("--data-only");
const KEEP = DATA_ONLY || process.argv.includes("--keep");

const LISTINGS = 10_000;
const OPERATORS = 40;
const CONTRACTS = 100;
const DAYS = 1_000;
const OTHER_CUSTOMERS = 10;
const OTHER_CONTRACTS = 10;
const TARGET_P95_MS = 100;
const EMAIL = "bench-pages-customer@bench.test";
const PASSWORD = "bench-password-123";

const LOCATIONS: [string, string][] = [
  ["Luleå, Norrbotten, Sweden", "SE"],
  ["Pecos, Texas, USA", "US"],
  ["Hernandarias, Paraguay", "PY"],
  ["Reykjanesbær, Iceland", "IS"],
  ["Calgary, Alberta, Canada", "CA"],
  ["Ekibastuz, Kazakhstan", "KZ"],
  ["Tbilisi, Georgia", "GE"],
  ["Rjukan, Norway", "NO"],
];

/** Contracts of `customerId` on the first `count` published BTC listings after `skip`, each with a live 1 TH/s allocation. */
async function bulkContracts(client: pg.Client, customerId: string, count: number, skip: number): Promise<void> {
  await client.query(
    `WITH picked AS (
       SELECT l.id AS listing_id, (SELECT r.id FROM rigs r WHERE r.listing_id = l.id AND r.serial_number LIKE 'A-%') AS rig_id
         FROM listings l WHERE l.status = 'PUBLISHED' AND l.coin = 'BTC' ORDER BY l.title OFFSET $3 LIMIT $2
     ), made AS (
       INSERT INTO contracts (customer_id, listing_id, coin, hashrate_hs, days, price_micro_usd_per_unit_day,
                              maintenance_fee_micro_usd_per_unit_day, unit_hs, pool_fee_bps, daily_price_micro_usd,
                              total_price_micro_usd, payment_method, status, activated_at, start_day, end_day)
       SELECT $1::uuid, p.listing_id, 'BTC', 1000000000000, 1095, 19500, 16000, 1000000000000, 150, 19500, 19500 * 1095,
              'BALANCE_USD', 'ACTIVE', (current_date - 1001)::timestamp AT TIME ZONE 'UTC' + interval '12 hours',
              current_date - 1000, current_date - 1000 + 1094
         FROM picked p
       RETURNING id, listing_id, activated_at
     )
     INSERT INTO allocations (contract_id, rig_id, hashrate_hs, status, created_at)
     SELECT m.id, p.rig_id, 1000000000000, 'LIVE', m.activated_at FROM made m JOIN picked p ON p.listing_id = m.listing_id`,
    [customerId, count, skip],
  );
}

/** One payout per contract of `customerId` per day from its start to yesterday (gross = net + fees). */
async function bulkPayouts(client: pg.Client, customerId: string, runId: string): Promise<void> {
  await client.query(
    `INSERT INTO daily_payouts (run_id, contract_id, day, coin, allocated_hashrate_hs, delivered_hashrate_hs, network_hashrate_hs,
       block_time_ms, block_subsidy_base, avg_fees_per_block_base, price_micro_usd, decimals, pool_fee_bps,
       maintenance_fee_micro_usd_per_unit_day, unit_hs, daily_price_micro_usd, gross_base, pool_fee_base,
       maintenance_fee_base, net_base, computed_gross_base, computed_pool_fee_base, computed_maintenance_fee_base,
      curtailed, hashrate_source, under_delivery_credit_micro_usd, usd_value_at_receipt_micro_usd)
     SELECT $2::uuid, c.id, c.start_day + d::int, 'BTC', 1000000000000, 990000000000 + (d % 7) * 1000000000,
            1088000000000000000000, 600000, 312500000, 2500000, 95000000000, 8, 150, 16000, 1000000000000, 19500,
            420 + d % 13, 7, 170, 243 + d % 13, 420 + d % 13, 7, 170, false, 'TELEMETRY', d % 5, (243 + d % 13) * 950
       FROM contracts c CROSS JOIN generate_series(0::bigint, $3::bigint - 1) AS d
      WHERE c.customer_id = $1::uuid`,
    [customerId, runId, DAYS],
  );
}

async function buildData(url: string): Promise<{ customerId: string; contractIds: string[]; published: number }> {
  const prisma = createPrismaClient(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await ensureBtc(prisma);
    await ltcPrice(prisma, new Date(Date.UTC(2020, 0, 1)), 90_000_000n);
    await client.query(
      `INSERT INTO users (email, name, password_hash, roles)
       SELECT 'bench-op-' || g || '@bench.test', 'Operator ' || g, 'x', ARRAY['OPERATOR']::role[] FROM generate_series(1, $1::int) g`,
      [OPERATORS],
    );
    await client.query(
      `INSERT INTO facilities (operator_id, name, location, country_code, power_price_micro_usd_per_kwh)
       SELECT u.id, 'Site ' || s, ($1::text[])[1 + (u.n * 2 + s) % 8], ($2::text[])[1 + (u.n * 2 + s) % 8], 30000 + s * 1000
         FROM (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE 'bench-op-%') u
        CROSS JOIN generate_series(1, 2) s`,
      [LOCATIONS.map((l) => l[0]), LOCATIONS.map((l) => l[1])],
    );
    // Odd i mine BTC, even i LTC; prices with ties, fees, durations and statuses spread over i.
    await client.query(
      `INSERT INTO listings (operator_id, coin, algorithm, title, price_micro_usd_per_unit_day,
                             maintenance_fee_micro_usd_per_unit_day, min_days, max_days, min_hashrate_hs, status)
       SELECT o.id,
              CASE WHEN i % 2 = 1 THEN 'BTC' ELSE 'LTC' END::asset,
              CASE WHEN i % 2 = 1 THEN 'SHA256' ELSE 'SCRYPT' END::algorithm,
              'Bench listing ' || lpad(i::text, 5, '0'),
              CASE WHEN i % 2 = 1 THEN 15000 + ((i * 7919) % 5000) * 5 ELSE 1500 + ((i * 7919) % 1000) * 2 END,
              CASE WHEN i % 2 = 1 THEN 5000 + (i * 104729) % 20000 ELSE 500 + (i * 104729) % 2000 END,
              (ARRAY[1, 7, 14, 30, 90])[1 + i % 5],
              (ARRAY[1, 7, 14, 30, 90])[1 + i % 5] + (ARRAY[0, 30, 180, 335])[1 + (i / 5) % 4],
              CASE WHEN i % 2 = 1 THEN 1000000000000 ELSE 1000000000 END,
              (CASE WHEN i % 10 = 0 THEN 'DRAFT' WHEN i % 37 = 0 THEN 'UNPUBLISHED' ELSE 'PUBLISHED' END)::listing_status
         FROM generate_series(1, $1::int) AS i
         JOIN (SELECT id, row_number() OVER (ORDER BY email) - 1 AS n FROM users WHERE email LIKE 'bench-op-%') o ON o.n = i % $2::int`,
      [LISTINGS, OPERATORS],
    );
    // A rig of 100 units per listing in one of its operator's two sites, a second one in the
    // other site for every 5th, and a retired third for every 11th.
    await client.query(`
      WITH l AS (SELECT l.*, row_number() OVER (ORDER BY l.title) AS n,
                        CASE WHEN l.coin = 'BTC' THEN 1000000000000 ELSE 1000000000 END AS unit_hs FROM listings l)
      INSERT INTO rigs (facility_id, listing_id, model, serial_number, algorithm, nominal_hashrate_hs, power_draw_w, status)
      SELECT f.id, l.id, CASE WHEN l.coin = 'BTC' THEN 'Antminer S21' ELSE 'Antminer L9' END, 'A-' || l.title, l.algorithm, 100 * l.unit_hs, 3500, 'ACTIVE'::rig_status
        FROM l JOIN facilities f ON f.operator_id = l.operator_id AND f.name = 'Site ' || (1 + l.n % 2)
      UNION ALL
      SELECT f.id, l.id, CASE WHEN l.coin = 'BTC' THEN 'Antminer S21' ELSE 'Antminer L9' END, 'B-' || l.title, l.algorithm, 50 * l.unit_hs, 3500, 'ACTIVE'::rig_status
        FROM l JOIN facilities f ON f.operator_id = l.operator_id AND f.name = 'Site ' || (1 + (l.n + 1) % 2) WHERE l.n % 5 = 0
      UNION ALL
      SELECT f.id, l.id, CASE WHEN l.coin = 'BTC' THEN 'Antminer S21' ELSE 'Antminer L9' END, 'C-' || l.title, l.algorithm, 50 * l.unit_hs, 3500, 'RETIRED'::rig_status
        FROM l JOIN facilities f ON f.operator_id = l.operator_id AND f.name = 'Site 1' WHERE l.n % 11 = 0`);

    const customer = await prisma.user.create({
      data: {
        email: EMAIL,
        name: "Bench Customer",
        passwordHash: await hashPassword(PASSWORD),
        roles: ["CUSTOMER"],
        emailVerifiedAt: new Date(),
      },
      select: { id: true },
    });
    await deposit(prisma, customer.id, "USD", 250_000_000n);
    const run = await prisma.payoutRun.create({
      data: { day: new Date(Date.now() - 86_400_000), status: "COMPLETED", finishedAt: new Date() },
      select: { id: true },
    });
    await bulkContracts(client, customer.id, CONTRACTS, 0);
    await bulkPayouts(client, customer.id, run.id);
    for (let i = 0; i < OTHER_CUSTOMERS; i++) {
      const other = await prisma.user.create({
        data: { email: `bench-other-${i}@bench.test`, name: `Other ${i}`, passwordHash: "x" },
        select: { id: true },
      });
      await bulkContracts(client, other.id, OTHER_CONTRACTS, CONTRACTS + i * OTHER_CONTRACTS);
      await bulkPayouts(client, other.id, run.id);
    }
    await client.query("VACUUM ANALYZE");

    // The data is what the figures claim: 100,000 payouts for the customer, the rollup equal
    // to the rows (the triggers ran), and the listing count.
    const counts = (
      await client.query<{ payouts: string; contracts: string; listings: string; published: string; rigs: string }>(
        `SELECT (SELECT count(*) FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id WHERE c.customer_id = $1)::text AS payouts,
                (SELECT count(*) FROM contracts WHERE customer_id = $1)::text AS contracts,
                (SELECT count(*) FROM listings)::text AS listings,
                (SELECT count(*) FROM listings WHERE status = 'PUBLISHED')::text AS published,
                (SELECT count(*) FROM rigs)::text AS rigs`,
        [customer.id],
      )
    ).rows[0]!;
    if (
      counts.payouts !== String(CONTRACTS * DAYS) ||
      counts.contracts !== String(CONTRACTS) ||
      counts.listings !== String(LISTINGS)
    ) {
      throw new Error(`bench data is off: ${JSON.stringify(counts)}`);
    }
    const drift = await payoutRollupDrift(prisma, customer.id);
    if (drift.length > 0) throw new Error(`customer_payout_days differs from the payouts on ${drift.length} days`);
    console.log(
      `data: ${counts.listings} listings (${counts.published} published), ${counts.rigs} rigs; customer with ${counts.contracts} contracts and ${counts.payouts} payouts (+${OTHER_CUSTOMERS * OTHER_CONTRACTS * DAYS} of others)`,
    );
    const contractIds = (
      await client.query<{ id: string }>("SELECT id FROM contracts WHERE customer_id = $1 ORDER BY id", [customer.id])
    ).rows.map((r) => r.id);
    return { customerId: customer.id, contractIds, published: Number(counts.published) };
  } finally {
    await client.end();
    await prisma.$disconnect();
  }
}

/** The marketplace URLs the users cycle through: default, each sort, coin, duration, location and price filters, deep pages. */
function marketplaceUrls(published: number): string[] {
  const pages = Math.ceil(published / 24);
  const urls = [
    "/marketplace",
    "/marketplace?sort=price_desc",
    "/marketplace?sort=profit_desc",
    "/marketplace?coin=BTC",
    "/marketplace?coin=LTC&sort=profit_desc",
    "/marketplace?days=30",
    "/marketplace?location=SE",
    "/marketplace?location=Texas&sort=price_desc",
    "/marketplace?coin=BTC&price_min=0.02&price_max=0.03",
    "/marketplace?coin=BTC&days=90&location=IS&sort=profit_desc&page=2",
    "/marketplace?algorithm=SCRYPT&days=14",
  ];
  for (const page of [2, 10, Math.floor(pages / 2), pages])
    urls.push(`/marketplace?page=${page}`, `/marketplace?sort=profit_desc&page=${page}`);
  return urls;
}

function dashboardUrls(contractIds: string[]): string[] {
  const pages = (CONTRACTS * DAYS) / 25;
  const urls = [
    "/dashboard",
    "/dashboard",
    "/dashboard",
    "/dashboard?page=2",
    `/dashboard?page=${pages / 2}`,
    `/dashboard?page=${pages}`,
  ];
  for (const id of contractIds.slice(0, 4)) urls.push(`/dashboard?contract=${id}`, `/dashboard?contract=${id}&page=20`);
  return urls;
}

const PAGES = ["marketplace", "dashboard"] as const;
type Page = (typeof PAGES)[number];

interface Sample {
  ttfb: number;
  total: number;
}

async function get(
  base: string,
  url: string,
  cookie: string,
): Promise<{ status: number; body: string; sample: Sample }> {
  const t0 = performance.now();
  const res = await fetch(`${base}${url}`, { headers: { cookie }, redirect: "manual" });
  const ttfb = performance.now() - t0;
  const body = await res.text();
  return { status: res.status, body, sample: { ttfb, total: performance.now() - t0 } };
}

async function main() {
  const server = serverUrl();
  const url = await freshDatabase(server, DATABASE);
  await migrate(url);
  const buildStarted = performance.now();
  const data = await buildData(url);
  console.log(`built in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s; load ${loadText()}`);
  if (DATA_ONLY) {
    console.log(`database kept: ${url} (customer ${EMAIL}, id ${data.customerId})`);
    return;
  }
  const app = await startApp({ port: PORT, databaseUrl: url, dataDir: ".data/bench-pages" });
  let failed = false;
  try {
    const cookie = await signIn(app.base, EMAIL, PASSWORD);
    const pages = { marketplace: marketplaceUrls(data.published), dashboard: dashboardUrls(data.contractIds) };

    // The pages show the data built above (not a redirect to sign-in or an empty state).
    const first = {
      marketplace: await get(app.base, "/marketplace", cookie),
      dashboard: await get(app.base, "/dashboard", cookie),
    };
    if (first.marketplace.status !== 200 || !first.marketplace.body.includes(formatInteger(data.published))) {
      throw new Error(
        `/marketplace does not show the ${data.published} published listings (status ${first.marketplace.status})`,
      );
    }
    if (first.dashboard.status !== 200 || !first.dashboard.body.includes("Bench Customer")) {
      throw new Error(`/dashboard does not answer as the bench customer (status ${first.dashboard.status})`);
    }

    const statuses = new Map<string, number>(); // of the timed 50-user run only
    const run = async (
      seconds: number,
      users: number,
      samples: Record<Page, Sample[]> | null,
      counts: Map<string, number> | null,
    ) => {
      const deadline = Date.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: users }, async (_, user) => {
          let n = user * 7;
          while (Date.now() < deadline) {
            for (const page of PAGES) {
              const list = pages[page];
              const { status, sample } = await get(app.base, list[n % list.length]!, cookie);
              if (THINK_MS > 0) await new Promise((r) => setTimeout(r, THINK_MS));
              if (!samples) continue;
              samples[page].push(sample);
              const key = `${page} ${status}`;
              counts?.set(key, (counts.get(key) ?? 0) + 1);
            }
            n++;
          }
        }),
      );
    };
    console.log(
      `bench:pages — ${USERS} users (think time ${THINK_MS} ms), warm-up ${WARMUP_SECONDS} s, timed ${SECONDS} s (then 1 user for ${SERIAL_SECONDS} s); load ${loadText()}`,
    );
    await run(WARMUP_SECONDS, USERS, null, null);
    const samples: Record<Page, Sample[]> = { marketplace: [], dashboard: [] };
    const loadBefore = loadText();
    const cpuBefore = processTreeCpuSeconds(app.process.pid!);
    const started = performance.now();
    await run(SECONDS, USERS, samples, statuses);
    const elapsed = (performance.now() - started) / 1000;
    const cpuAfter = processTreeCpuSeconds(app.process.pid!);
    const loadAfter = loadText();
    const requests = samples.marketplace.length + samples.dashboard.length;
    const cpuMsPerRequest =
      cpuBefore !== null && cpuAfter !== null && requests > 0 ? ((cpuAfter - cpuBefore) * 1000) / requests : null;
    // One user alone: the latency without queueing behind the other 49 (no target; context).
    const serial: Record<Page, Sample[]> = { marketplace: [], dashboard: [] };
    await run(SERIAL_SECONDS, 1, serial, null);

    const metrics = [];
    const rows: [string, string, string][] = [];
    for (const page of PAGES) {
      const ttfb = samples[page].map((s) => s.ttfb).sort((a, b) => a - b);
      const total = samples[page].map((s) => s.total).sort((a, b) => a - b);
      const p95 = percentile(ttfb, 95);
      const ok = statuses.get(`${page} 200`) ?? 0;
      const errors = samples[page].length - ok;
      if (errors > 0) failed = true;
      const alone = serial[page].map((x) => x.ttfb).sort((a, b) => a - b);
      metrics.push(
        { name: `/${page} p50`, value: percentile(ttfb, 50), unit: "ms", note: "time to first byte" },
        {
          name: `/${page} p95`,
          value: p95,
          unit: "ms",
          target: `< ${TARGET_P95_MS} ms`,
          met: p95 < TARGET_P95_MS,
          note: `time to first byte; last byte p95 ${percentile(total, 95).toFixed(0)} ms`,
        },
        { name: `/${page} req/s`, value: samples[page].length / elapsed, unit: "/s", note: `${errors} non-200` },
        {
          name: `/${page} p50, 1 user`,
          value: percentile(alone, 50),
          unit: "ms",
          note: `time to first byte, ${alone.length} requests one at a time`,
        },
      );
      rows.push(
        [`/${page} p50`, `${percentile(ttfb, 50).toFixed(1)} ms`, `last byte ${percentile(total, 50).toFixed(1)} ms`],
        [
          `/${page} p95`,
          `${p95.toFixed(1)} ms`,
          `last byte ${percentile(total, 95).toFixed(1)} ms; target < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? "met" : "MISSED"}`,
        ],
        [`/${page} p99`, `${percentile(ttfb, 99).toFixed(1)} ms`, `last byte ${percentile(total, 99).toFixed(1)} ms`],
        [
          `/${page} req/s`,
          (samples[page].length / elapsed).toFixed(1),
          `${samples[page].length} requests, ${errors} not 200`,
        ],
        [
          `/${page} 1 user`,
          `${percentile(alone, 50).toFixed(1)} ms`,
          `p50 time to first byte one request at a time (p95 ${percentile(alone, 95).toFixed(1)} ms, ${alone.length} requests)`,
        ],
      );
    }
    metrics.push({
      name: "app CPU per page request",
      value: cpuMsPerRequest,
      unit: "ms",
      note: "the app's processes (next start, jobs), user+system, over the 50-user run; PostgreSQL not included",
    });
    rows.push([
      "app CPU/request",
      cpuMsPerRequest === null ? "n/a" : `${cpuMsPerRequest.toFixed(1)} ms`,
      "CPU of the app's processes over the 50-user run / requests (PostgreSQL's not included): hardly moves with the machine's load",
    ]);
    rows.push(
      ["responses", [...statuses].map(([k, c]) => `${k}: ${c}`).join(", "), ""],
      [
        "load average",
        `${loadBefore} -> ${loadAfter}`,
        `1/5/15 min, ${cpus().length} cores; app, PostgreSQL and the bench client on the same machine`,
      ],
    );
    console.log(
      `server time = time to first byte measured by the client over loopback (the app sends no Server-Timing header)`,
    );
    console.log(rows.map(([k, v, note]) => `${k.padEnd(20)} ${v.padStart(12)}   ${note}`).join("\n"));
    printResult({ bench: "pages", metrics, load: { before: loadBefore, after: loadAfter }, ok: !failed });
  } finally {
    app.stop();
    await new Promise((r) => setTimeout(r, 2000));
    if (!KEEP)
      await dropDatabase(server, DATABASE).catch((error: unknown) =>
        console.error(`could not drop ${DATABASE}: ${String(error)}`),
      );
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
