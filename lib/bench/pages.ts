// npm run bench:pages — server time of /marketplace and /dashboard under concurrent users,
// against the production server on real PostgreSQL (DATABASE_URL's server, default the local
// one).
//  1. builds a fresh database (BENCH_DATABASE, default hashlease_bench_pages) with set-based
//     SQL (lib/bench/pages-data.ts): 10,000 listings (BTC and LTC, 9 in 10 published) of 40 operators in 80 facilities
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
import { formatInteger } from "../../components/format";
import { migrate } from "../db/migrate";
import { freshDatabase } from "../testing/scratch-database";
import { buildPagesData, CONTRACTS, DAYS, EMAIL, PASSWORD } from "./pages-data";
import {
  loadText,
  percentile,
  printResult,
  processTreeCpuSeconds,
  runBench,
  serverUrl,
  signIn,
  startApp,
  stopApp,
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

const TARGET_P95_MS = 100;

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
  const data = await buildPagesData(url);
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
    await stopApp(app, KEEP ? {} : { server, database: DATABASE });
  }
  if (failed) process.exitCode = 1;
}

runBench(main);
