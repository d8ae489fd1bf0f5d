// npm run bench:purchase — concurrent purchases over HTTP against the production server.
// Builds a fresh database (on DATABASE_URL's server, else the embedded PGlite) with
// BENCH_LISTINGS listings and BENCH_BUYERS funded customers, starts the app as `npm start`
// does, signs every buyer in through next-auth, then BENCH_BUYERS concurrent buyers each
// buy in a loop for BENCH_SECONDS. Prints purchases/s, p50/p99 latency and the oversell
// count (rigs whose live+reserved allocations exceed nominal; must be 0).
// --instances 2: then the same load again against two instances (the app's own web server and one
// more from the same build, lib/cli/web.ts, on the same database), the buyers alternating between
// them, and both figures side by side with their ratio.
import { randomUUID } from "node:crypto";
import { cpus } from "node:os";
import { hashPassword } from "../auth/password";
import { createPrismaClient } from "../db/client";
import { migrate } from "../db/migrate";
import { createListing, deposit, TH } from "../testing/fixtures";
import { freshDatabase } from "../testing/scratch-database";
import {
  instancesArg,
  instancesNote,
  instancesText,
  loadText as load,
  percentile,
  printResult,
  processTreeCpuSeconds,
  runBench,
  signIn,
  startApp,
  startMoreInstances,
  type BenchMetric,
} from "./server";

const BUYERS = Number(process.env.BENCH_BUYERS ?? 64);
const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PORT = Number(process.env.BENCH_PORT ?? 3190);
const INSTANCES = instancesArg(process.argv.slice(2));

interface Timed {
  sold: number;
  elapsed: number;
  latencies: number[];
  statuses: Map<number, number>;
  cpu: { app: number; db: number; client: number; backends: number };
}

async function main() {
  // DATABASE_URL's server, else the embedded PGlite (served by the launcher from the data dir).
  const databaseUrl = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL, "hashlease_bench") : "";
  const app = await startApp({ port: PORT, databaseUrl, dataDir: ".data/bench" });
  const base = app.base;
  try {
    const url = app.databaseUrl;
    if (databaseUrl) await migrate(url);
    const prisma = createPrismaClient(url);
    const password = "bench-password-123";
    const passwordHash = await hashPassword(password);
    const listings: Awaited<ReturnType<typeof createListing>>[] = [];
    for (let i = 0; i < LISTINGS; i++) listings.push(await createListing(prisma, { rigsTh: [400, 400, 400, 400] }));
    const buyers: { email: string }[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const user = await prisma.user.create({
        data: {
          email: `bench-${i}-${randomUUID()}@bench.test`,
          name: `Buyer ${i}`,
          passwordHash,
          roles: ["CUSTOMER"],
          emailVerifiedAt: new Date(),
        },
      });
      await deposit(prisma, user.id, "USD", 1_000_000_000_000n);
      buyers.push(user);
    }
    const cookies: string[] = [];
    for (const b of buyers) cookies.push(await signIn(base, b.email, password));
    console.log(
      `bench:purchase — ${BUYERS} buyers, ${LISTINGS} listings (${LISTINGS * 1600} TH/s), ${SECONDS} s, ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}`,
    );
    // The figures depend on what else runs on the machine: say so beside them.
    const loadBefore = load();

    // Warm-up (not timed): one purchase per buyer, so the route's first-hit module loading and
    // JIT are not in the figures; they count in the oversell and hashrate checks below.
    const buy = (to: string, cookie: string, listingId: string) =>
      fetch(`${to}/api/contracts`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "idempotency-key": randomUUID() },
        body: JSON.stringify({ listingId, hashrate: "1", days: 30, paymentMethod: "BALANCE_USD" }),
      });
    const warm = await Promise.all(
      cookies.map(async (cookie, i) => (await buy(base, cookie, listings[i % listings.length]!.listingId)).status),
    );
    const warmSold = warm.filter((status) => status === 201).length;

    // CPU per purchase, which hardly moves with the machine's load (latency does): the app's
    // processes, the PostgreSQL backends serving this database, and this client.
    const backendPids = async () =>
      (
        await prisma.$queryRaw<
          { pid: number }[]
        >`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`
      ).map((r) => r.pid);
    /** The buyers buy for SECONDS, buyer i against bases[i % bases.length]. */
    const timed = async (bases: string[], appPids: number[]): Promise<Timed> => {
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      const pids = await backendPids();
      const appCpu = () => appPids.reduce((sum, pid) => sum + (processTreeCpuSeconds(pid) ?? NaN), 0);
      const cpuBefore = {
        app: appCpu(),
        db: pids.map((pid) => processTreeCpuSeconds(pid)),
        client: process.cpuUsage(),
      };
      const deadline = Date.now() + SECONDS * 1000;
      const started = Date.now();
      await Promise.all(
        cookies.map(async (cookie, i) => {
          let n = 0;
          while (Date.now() < deadline) {
            const listing = listings[(i + n++) % listings.length]!;
            const t0 = performance.now();
            const res = await buy(bases[i % bases.length]!, cookie, listing.listingId);
            await res.arrayBuffer();
            latencies.push(performance.now() - t0);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }),
      );
      const elapsed = (Date.now() - started) / 1000;
      const clientCpu = process.cpuUsage(cpuBefore.client);
      // Backends present before and after (the pool keeps its connections through the run).
      const db = pids.reduce((sum, pid, i) => {
        const after = processTreeCpuSeconds(pid);
        const before = cpuBefore.db[i];
        return after === null || before === null || before === undefined ? sum : sum + (after - before);
      }, 0);
      latencies.sort((a, b) => a - b);
      return {
        sold: statuses.get(201) ?? 0,
        elapsed,
        latencies,
        statuses,
        cpu: {
          app: appCpu() - cpuBefore.app,
          db,
          client: (clientCpu.user + clientCpu.system) / 1e6,
          backends: pids.length,
        },
      };
    };

    const one = await timed([base], [app.process.pid!]);
    const loadOne = load();
    let more: { run: Timed; again: Timed; warmSold: number; load: string } | null = null;
    if (INSTANCES > 1) {
      const instances = await startMoreInstances(app, INSTANCES - 1, PORT + 1);
      try {
        // The new instances' first hits (module loading, JIT) are not timed either.
        const bases = [base, ...instances.map((instance) => instance.base)];
        const warmMore = await Promise.all(
          cookies.map(
            async (cookie, i) =>
              (await buy(bases[i % bases.length]!, cookie, listings[i % listings.length]!.listingId)).status,
          ),
        );
        const run = await timed(bases, [app.process.pid!, ...instances.map((instance) => instance.process.pid!)]);
        more = { run, again: run, warmSold: warmMore.filter((status) => status === 201).length, load: "" };
      } finally {
        await Promise.all(instances.map((instance) => instance.stop()));
      }
      // One instance once more: the machine's load moves between runs, so the ratio is taken
      // against the mean of a one-instance run before and after.
      more.again = await timed([base], [app.process.pid!]);
      more.load = load();
    }
    const { sold, elapsed, latencies, statuses } = one;
    const requests = latencies.length;
    const appCpu = one.cpu.app;
    const dbCpu = one.cpu.db;
    const clientCpuS = one.cpu.client;
    const totalCpu = appCpu + dbCpu + clientCpuS;
    const perRequest = (seconds: number) => (requests > 0 ? `${((seconds * 1000) / requests).toFixed(2)} ms` : "n/a");
    const soldAll = sold + warmSold + (more ? more.run.sold + more.warmSold + more.again.sold : 0);
    const oversold = await prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (
        SELECT r.id FROM rigs r JOIN allocations a ON a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')
         GROUP BY r.id, r.nominal_hashrate_hs HAVING sum(a.hashrate_hs) > r.nominal_hashrate_hs) o`;
    const allocated = await prisma.allocation.aggregate({ where: { status: "LIVE" }, _sum: { hashrateHs: true } });
    await prisma.$disconnect();
    const rows: [string, string, string][] = [
      ["purchases/s", (sold / elapsed).toFixed(1), "target >= 300"],
      ["p50 latency", `${percentile(latencies, 50).toFixed(1)} ms`, "no target"],
      ["p99 latency", `${percentile(latencies, 99).toFixed(1)} ms`, "target < 100 ms"],
      ["oversold rigs", String(oversold[0]?.n ?? 0), "target 0"],
      [
        "contracts sold",
        String(sold),
        more ? `(and ${more.run.sold} in the ${instancesText(INSTANCES)} run, ${more.again.sold} in the last)` : "",
      ],
      [
        "live hashrate",
        `${(allocated._sum.hashrateHs ?? 0n) / TH} TH/s`,
        `must be ${soldAll} TH/s (1 per contract, ${warmSold + (more?.warmSold ?? 0)} from the warm-ups)`,
      ],
      ["responses", [...statuses].map(([s, c]) => `${s}: ${c}`).join(", "), ""],
      [
        "CPU/purchase",
        perRequest(totalCpu),
        `all processes' work per request: ${totalCpu > 0 ? ((cpus().length * requests) / totalCpu).toFixed(0) : "?"} purchases/s would fill the ${cpus().length} cores`,
      ],
      ["  app", perRequest(appCpu), "next start + jobs (user+system)"],
      ["  PostgreSQL", perRequest(dbCpu), `${one.cpu.backends} backends of this database`],
      ["  bench client", perRequest(clientCpuS), "fetch, on the same machine"],
      ["load average", `${loadBefore} -> ${loadOne}`, `${cpus().length} cores, bench client on the same machine`],
    ];
    console.log(rows.map(([k, v, target]) => `${k.padEnd(16)} ${v.padStart(14)}   ${target}`).join("\n"));
    const compared: BenchMetric[] = [];
    if (more) {
      const two = more.run;
      const rateOf = (t: Timed) => t.sold / t.elapsed;
      const cpuOf = (t: Timed) => ((t.cpu.app + t.cpu.db + t.cpu.client) * 1000) / Math.max(1, t.latencies.length);
      const { again } = more;
      const side: [string, (t: Timed) => number, string][] = [
        ["purchases/s", rateOf, "/s"],
        ["p50 latency", (t) => percentile(t.latencies, 50), "ms"],
        ["p99 latency", (t) => percentile(t.latencies, 99), "ms"],
        ["CPU/purchase", cpuOf, "ms"],
      ];
      const many = instancesText(INSTANCES);
      console.log(
        `\n${"".padEnd(16)} ${instancesText(1).padStart(14)} ${many.padStart(14)} ${"1 again".padStart(14)}   ratio (${many} / mean of the 1-instance runs)`,
      );
      for (const [name, figure, unit] of side) {
        const cell = (t: Timed) => `${figure(t).toFixed(1)} ${unit}`.padStart(14);
        const ratio = figure(two) / ((figure(one) + figure(again)) / 2);
        console.log(`${name.padEnd(16)} ${cell(one)} ${cell(two)} ${cell(again)}   ${ratio.toFixed(2)}x`);
      }
      console.log(
        `responses (${many}): ${[...two.statuses].map(([s, c]) => `${s}: ${c}`).join(", ")}; ` +
          `load average ${loadOne} -> ${more.load}\n${instancesNote(INSTANCES)}`,
      );
      compared.push(
        {
          name: `purchases/s, ${instancesText(INSTANCES)}`,
          value: rateOf(two),
          unit: "/s",
          note: `${((2 * rateOf(two)) / (rateOf(one) + rateOf(again))).toFixed(2)}x the one-instance runs' mean; same cores`,
        },
        { name: `purchase p99, ${instancesText(INSTANCES)}`, value: percentile(two.latencies, 99), unit: "ms" },
      );
    }
    const rate = sold / elapsed;
    const p99 = percentile(latencies, 99);
    const oversoldRigs = Number(oversold[0]?.n ?? 0);
    const hashrateOk = (allocated._sum.hashrateHs ?? 0n) === BigInt(soldAll) * TH;
    printResult({
      bench: "purchase",
      metrics: [
        {
          name: "purchases/s",
          value: rate,
          unit: "/s",
          target: ">= 300",
          met: rate >= 300,
          note: `${BUYERS} buyers, ${LISTINGS} listings, ${SECONDS} s`,
        },
        { name: "purchase p50", value: percentile(latencies, 50), unit: "ms" },
        { name: "purchase p99", value: p99, unit: "ms", target: "< 100 ms", met: p99 < 100 },
        {
          name: "CPU per purchase",
          value: requests > 0 ? (totalCpu * 1000) / requests : null,
          unit: "ms",
          note: `app ${perRequest(appCpu)}, PostgreSQL ${perRequest(dbCpu)}, client ${perRequest(clientCpuS)}`,
        },
        ...compared,
        { name: "oversold rigs", value: oversoldRigs, unit: "", target: "0", met: oversoldRigs === 0 },
        {
          name: "live hashrate check",
          value: hashrateOk ? 1 : 0,
          unit: "",
          target: "1 TH/s per contract",
          met: hashrateOk,
        },
      ],
      load: { before: loadBefore, after: load() },
      ok: oversoldRigs === 0 && hashrateOk,
    });
    if (oversoldRigs !== 0 || !hashrateOk) process.exitCode = 1;
  } finally {
    app.stop();
  }
}

runBench(main);
