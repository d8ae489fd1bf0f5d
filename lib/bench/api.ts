// npm run bench:api — the signed API under load, against the production server on real
// PostgreSQL (DATABASE_URL's server, default the local one):
//  1. a fresh database (BENCH_DATABASE, default hashlease_bench_api) with one customer holding
//     BENCH_CONTRACTS (10) active contracts; the app started as `npm start` does; an API key
//     (scope read) made with the real `npm run api-key` command against the app's secrets;
//  2. BENCH_CONCURRENCY (64) clients each send signed GET /api/v1/contracts in a loop (a fresh
//     nonce and timestamp per request, so every request pays the full pipeline: signature,
//     key, scope, rate limit, nonce insert, query) for BENCH_WARMUP_SECONDS (5) untimed, then
//     BENCH_SECONDS (20) timed: requests/s of 200 answers, p50/p99, every other status counted
//     as an error. The per-key rate limit (default 20/s, bursts of 40) would cap one key far
//     below the target, so the bench's app runs with API_RATE_PER_SECOND/API_RATE_BURST raised
//     (printed with the figures); the limiter still runs on every request;
//  3. the HMAC verification in-process: parse the Authorization header, build the canonical
//     string and compare the HMAC-SHA256 in constant time (what lib/api/auth.ts does per request
//     before any database work) over BENCH_HMAC_ITERATIONS (100,000) distinct signed requests.
// Targets: >= 2,000 requests/s; <= 0.2 ms per verification. Exit code 1 when a request fails.
// --instances 2: then the same load again against two instances (the app's own web server and one
// more from the same build, lib/cli/web.ts, on the same database and rate settings), the clients
// alternating between them, and both figures side by side with their ratio.
import { cpus } from "node:os";
import pg from "pg";
import { canonicalString, parseAuthorization, sha256Hex, signatureMatches, signRequest } from "../api/hmac";
import { createPrismaClient } from "../db/client";
import { migrate } from "../db/migrate";
import { createListing } from "../testing/fixtures";
import { freshDatabase } from "../testing/scratch-database";
import type { WebInstance } from "../testing/web-instance";
import {
  createApiKey,
  instancesArg,
  instancesNote,
  instancesText,
  loadText,
  percentile,
  printResult,
  processTreeCpuSeconds,
  runBench,
  serverUrl,
  startApp,
  startMoreInstances,
  stopApp,
  type BenchMetric,
} from "./server";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 10);
const HMAC_ITERATIONS = Number(process.env.BENCH_HMAC_ITERATIONS ?? 100_000);
const PORT = Number(process.env.BENCH_PORT ?? 3192);
const DATABASE = process.env.BENCH_DATABASE ?? "hashlease_bench_api";
const EMAIL = "bench-api-customer@bench.test";
const RATE = "1000000";
const TARGET_RPS = 2000;
const TARGET_VERIFY_MS = 0.2;
const PATH = "/api/v1/contracts";
const INSTANCES = instancesArg(process.argv.slice(2));

interface Timed {
  latencies: number[];
  statuses: Map<number, number>;
  errorBodies: Map<string, number>;
  elapsed: number;
  /** The app processes' CPU seconds over the run (null off Linux). */
  cpu: number | null;
}

async function buildData(url: string): Promise<void> {
  const prisma = createPrismaClient(url);
  try {
    const market = await createListing(prisma, { rigsTh: [400] });
    const customer = await prisma.user.create({
      data: { email: EMAIL, name: "API Customer", passwordHash: "x", roles: ["CUSTOMER"], emailVerifiedAt: new Date() },
      select: { id: true },
    });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(
        `WITH made AS (
           INSERT INTO contracts (customer_id, listing_id, coin, hashrate_hs, days, price_micro_usd_per_unit_day,
                                  maintenance_fee_micro_usd_per_unit_day, unit_hs, pool_fee_bps, daily_price_micro_usd,
                                  total_price_micro_usd, payment_method, status, activated_at, start_day, end_day)
           SELECT $1::uuid, $2::uuid, 'BTC', 1000000000000 * g, 30, 19500, 16000, 1000000000000, 150, 19500 * g, 19500 * g * 30,
                  'BALANCE_USD', 'ACTIVE', now() - interval '1 day', current_date, current_date + 29
             FROM generate_series(1, $4::int) g
           RETURNING id, hashrate_hs, activated_at
         )
         INSERT INTO allocations (contract_id, rig_id, hashrate_hs, status, created_at) SELECT id, $3::uuid, hashrate_hs, 'LIVE', activated_at FROM made`,
        [customer.id, market.listingId, market.rigIds[0], CONTRACTS],
      );
    } finally {
      await client.end();
    }
  } finally {
    await prisma.$disconnect();
  }
}

/** Microseconds per verification, best of three rounds over distinct signed requests. */
function timeVerification(keyId: string, secret: string): { usPerVerify: number; rounds: number[] } {
  const headers = Array.from({ length: HMAC_ITERATIONS }, (_, i) =>
    signRequest({ keyId, secret, method: "GET", url: `${PATH}?limit=${i % 100}` }),
  );
  const key = Buffer.from(secret, "utf8");
  const bodySha256 = sha256Hex("");
  const verifyAll = () => {
    let valid = 0;
    for (let i = 0; i < headers.length; i++) {
      const auth = parseAuthorization(headers[i]!);
      const canonical = canonicalString({
        method: "GET",
        path: PATH,
        query: `?limit=${i % 100}`,
        bodySha256,
        timestamp: auth.timestamp,
        nonce: auth.nonce,
      });
      if (signatureMatches(key, canonical, auth.signature)) valid++;
    }
    if (valid !== headers.length) throw new Error(`only ${valid} of ${headers.length} signatures verified`);
  };
  verifyAll(); // warm-up (JIT)
  const rounds: number[] = [];
  for (let r = 0; r < 3; r++) {
    const started = performance.now();
    verifyAll();
    rounds.push(((performance.now() - started) * 1000) / headers.length);
  }
  return { usPerVerify: Math.min(...rounds), rounds };
}

async function main() {
  const server = serverUrl();
  const url = await freshDatabase(server, DATABASE);
  await migrate(url);
  await buildData(url);
  const extraEnv: Record<string, string> = { API_RATE_PER_SECOND: RATE, API_RATE_BURST: RATE };
  const app = await startApp({ port: PORT, databaseUrl: url, dataDir: ".data/bench-api", extraEnv });
  let failed = false;
  try {
    const { keyId, secret } = createApiKey(app, EMAIL, "read");
    const call = async (base = app.base) => {
      const res = await fetch(`${base}${PATH}`, {
        headers: { authorization: signRequest({ keyId, secret, method: "GET", url: PATH }) },
      });
      return { status: res.status, body: await res.text() };
    };
    const check = await call();
    const listed = check.status === 200 ? (JSON.parse(check.body) as { contracts: unknown[] }).contracts.length : -1;
    if (listed !== CONTRACTS)
      throw new Error(
        `GET ${PATH} answered ${check.status} with ${listed} contracts, expected 200 with ${CONTRACTS}: ${check.body.slice(0, 300)}`,
      );

    /** CONCURRENCY clients for `seconds`, client i against bases[i % bases.length]. */
    const run = async (bases: string[], seconds: number, appPids: number[]): Promise<Timed> => {
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      const errorBodies = new Map<string, number>();
      const appCpu = () => {
        const each = appPids.map((pid) => processTreeCpuSeconds(pid));
        return each.some((c) => c === null) ? null : each.reduce<number>((sum, c) => sum + c!, 0);
      };
      const cpuBefore = appCpu();
      const started = performance.now();
      const deadline = Date.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, i) => {
          while (Date.now() < deadline) {
            const t0 = performance.now();
            let status = 0;
            let body = "";
            try {
              ({ status, body } = await call(bases[i % bases.length]));
            } catch (error) {
              body = String(error);
            }
            latencies.push(performance.now() - t0);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status !== 200) {
              const code = /"code":"([^"]+)"/.exec(body)?.[1] ?? body.slice(0, 80);
              errorBodies.set(`${status} ${code}`, (errorBodies.get(`${status} ${code}`) ?? 0) + 1);
            }
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const cpuAfter = appCpu();
      latencies.sort((a, b) => a - b);
      return {
        latencies,
        statuses,
        errorBodies,
        elapsed,
        cpu: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
      };
    };
    console.log(
      `bench:api — ${CONCURRENCY} concurrent clients, warm-up ${WARMUP_SECONDS} s, timed ${SECONDS} s, one key, bench-only rate limit API_RATE_PER_SECOND=API_RATE_BURST=${RATE}; load ${loadText()}`,
    );
    const appPid = app.process.pid!;
    await run([app.base], WARMUP_SECONDS, [appPid]);
    const loadBefore = loadText();
    const one = await run([app.base], SECONDS, [appPid]);
    const loadAfter = loadText();
    let more: { run: Timed; again: Timed; load: string } | null = null;
    if (INSTANCES > 1) {
      let instances: WebInstance[] = [];
      try {
        instances = await startMoreInstances(app, INSTANCES - 1, PORT + 1);
        const bases = [app.base, ...instances.map((instance) => instance.base)];
        const pids = [appPid, ...instances.map((instance) => instance.process.pid!)];
        await run(bases, WARMUP_SECONDS, pids);
        const timed = await run(bases, SECONDS, pids);
        more = { run: timed, again: timed, load: "" };
      } finally {
        await Promise.all(instances.map((instance) => instance.stop()));
      }
      // One instance once more: the machine's load moves between runs, so the ratio is taken
      // against the mean of a one-instance run before and after.
      more.again = await run([app.base], SECONDS, [appPid]);
      more.load = loadText();
    }
    const { latencies, statuses, errorBodies, elapsed } = one;
    const ok = statuses.get(200) ?? 0;
    const errors = latencies.length - ok;
    const rps = ok / elapsed;
    const errorsOf = (t: Timed) => t.latencies.length - (t.statuses.get(200) ?? 0);
    const moreErrors = more ? errorsOf(more.run) + errorsOf(more.again) : 0;
    failed = errors > 0 || moreErrors > 0;

    const cpuMsOf = (t: Timed) =>
      t.cpu !== null && t.latencies.length > 0 ? (t.cpu * 1000) / t.latencies.length : null;
    const cpuMs = cpuMsOf(one);
    const verify = timeVerification(keyId, secret);
    const verifyMs = verify.usPerVerify / 1000;
    const rows: [string, string, string][] = [
      [
        "requests/s",
        rps.toFixed(0),
        `200 answers of signed GET ${PATH} (${CONTRACTS} contracts each); target >= ${TARGET_RPS}: ${rps >= TARGET_RPS ? "met" : "MISSED"}`,
      ],
      ["p50 latency", `${percentile(latencies, 50).toFixed(1)} ms`, `${CONCURRENCY} in flight`],
      ["p99 latency", `${percentile(latencies, 99).toFixed(1)} ms`, ""],
      [
        "errors",
        String(errors),
        errors ? [...errorBodies].map(([k, c]) => `${k}: ${c}`).join(", ") : `of ${latencies.length} requests`,
      ],
      [
        "HMAC verification",
        `${verify.usPerVerify.toFixed(2)} µs`,
        `parse + canonical string + HMAC-SHA256 + constant-time compare, best of 3 x ${HMAC_ITERATIONS} (${verify.rounds.map((r) => r.toFixed(2)).join(", ")} µs); target <= ${TARGET_VERIFY_MS} ms: ${verifyMs <= TARGET_VERIFY_MS ? "met" : "MISSED"}`,
      ],
      [
        "app CPU/request",
        cpuMs === null ? "n/a" : `${cpuMs.toFixed(2)} ms`,
        `the app's processes, user+system (PostgreSQL's not included): ${cpuMs ? (1000 / cpuMs).toFixed(0) : "?"} requests/s per core would be the app's ceiling`,
      ],
      [
        "rate limit",
        `${RATE}/s`,
        "bench-only per-key limit (default 20/s, bursts of 40): one key, the limiter still checked on every request",
      ],
      [
        "load average",
        `${loadBefore} -> ${loadAfter}`,
        `1/5/15 min, ${cpus().length} cores; app, PostgreSQL and the bench client on the same machine`,
      ],
    ];
    console.log(rows.map(([k, v, note]) => `${k.padEnd(18)} ${v.padStart(12)}   ${note}`).join("\n"));
    const compared: BenchMetric[] = [];
    if (more) {
      const two = more.run;
      const rpsOf = (t: Timed) => (t.statuses.get(200) ?? 0) / t.elapsed;
      const { again } = more;
      const side: [string, (t: Timed) => number | null, string][] = [
        ["requests/s", rpsOf, "/s"],
        ["p50 latency", (t) => percentile(t.latencies, 50), "ms"],
        ["p99 latency", (t) => percentile(t.latencies, 99), "ms"],
        ["app CPU/request", cpuMsOf, "ms"],
      ];
      const many = instancesText(INSTANCES);
      const cell = (v: number | null, unit: string) =>
        v === null ? "n/a" : `${v.toFixed(unit === "ms" ? 2 : 0)} ${unit}`;
      console.log(
        `\n${"".padEnd(18)} ${instancesText(1).padStart(12)} ${many.padStart(12)} ${"1 again".padStart(12)}   ratio (${many} / mean of the 1-instance runs)`,
      );
      for (const [name, figure, unit] of side) {
        const [a, b, c] = [figure(one), figure(two), figure(again)];
        const ratio =
          a !== null && b !== null && c !== null && a + c > 0 ? `${((2 * b) / (a + c)).toFixed(2)}x` : "n/a";
        console.log(
          `${name.padEnd(18)} ${cell(a, unit).padStart(12)} ${cell(b, unit).padStart(12)} ${cell(c, unit).padStart(12)}   ${ratio}`,
        );
      }
      console.log(
        `errors (${many} and after): ${moreErrors}${moreErrors ? ` (${[...two.errorBodies, ...again.errorBodies].map(([k, c]) => `${k}: ${c}`).join(", ")})` : ""} ` +
          `of ${two.latencies.length + again.latencies.length}; load average ${loadAfter} -> ${more.load}\n${instancesNote(INSTANCES)}`,
      );
      compared.push(
        {
          name: `API requests/s, ${instancesText(INSTANCES)}`,
          value: rpsOf(two),
          unit: "/s",
          note: `${((2 * rpsOf(two)) / (rps + rpsOf(again))).toFixed(2)}x the one-instance runs' mean; same cores`,
        },
        { name: `API p99, ${instancesText(INSTANCES)}`, value: percentile(two.latencies, 99), unit: "ms" },
        {
          name: `API errors, ${instancesText(INSTANCES)}`,
          value: moreErrors,
          unit: "",
          target: "0",
          met: moreErrors === 0,
        },
      );
    }
    printResult({
      bench: "api",
      metrics: [
        {
          name: "API requests/s",
          value: rps,
          unit: "/s",
          target: `>= ${TARGET_RPS}/s`,
          met: rps >= TARGET_RPS,
          note: `${CONCURRENCY} clients, bench rate limit ${RATE}/s`,
        },
        { name: "API p50", value: percentile(latencies, 50), unit: "ms" },
        { name: "API p99", value: percentile(latencies, 99), unit: "ms" },
        {
          name: "API app CPU per request",
          value: cpuMs,
          unit: "ms",
          note: "next start + jobs processes; PostgreSQL not included",
        },
        { name: "API errors", value: errors, unit: "", target: "0", met: errors === 0 },
        ...compared,
        {
          name: "HMAC verification",
          value: verifyMs,
          unit: "ms",
          target: `<= ${TARGET_VERIFY_MS} ms`,
          met: verifyMs <= TARGET_VERIFY_MS,
          note: `${verify.usPerVerify.toFixed(2)} µs`,
        },
      ],
      load: { before: loadBefore, after: loadAfter },
      ok: !failed,
    });
  } finally {
    await stopApp(app, { server, database: DATABASE });
  }
  if (failed) process.exitCode = 1;
}

runBench(main);
