// npm run bench:purchase — concurrent purchases over HTTP against the production server.
// Builds a fresh database (on DATABASE_URL's server, else the embedded PGlite) with
// BENCH_LISTINGS listings and BENCH_BUYERS funded customers, starts the app as `npm start`
// does, signs every buyer in through next-auth, then BENCH_BUYERS concurrent buyers each
// buy in a loop for BENCH_SECONDS. Prints purchases/s, p50/p99 latency and the oversell
// count (rigs whose live+reserved allocations exceed nominal; must be 0).
import { randomUUID } from "node:crypto";
import { cpus } from "node:os";
import { hashPassword } from "../auth/password";
import { createPrismaClient } from "../db/client";
import { migrate } from "../db/migrate";
import { createListing, deposit, TH } from "../testing/fixtures";
import {
  freshDatabase,
  loadText as load,
  percentile,
  printResult,
  processTreeCpuSeconds,
  signIn,
  startApp,
} from "./server";

const BUYERS = Number(process.env.BENCH_BUYERS ?? 64);
const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PORT = Number(process.env.BENCH_PORT ?? 3190);

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
    const buy = (cookie: string, listingId: string) =>
      fetch(`${base}/api/contracts`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "idempotency-key": randomUUID() },
        body: JSON.stringify({ listingId, hashrate: "1", days: 30, paymentMethod: "BALANCE_USD" }),
      });
    const warm = await Promise.all(
      cookies.map(async (cookie, i) => (await buy(cookie, listings[i % listings.length]!.listingId)).status),
    );
    const warmSold = warm.filter((status) => status === 201).length;

    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    // CPU per purchase, which hardly moves with the machine's load (latency does): the app's
    // processes, the PostgreSQL backends serving this database, and this client.
    const backendPids = async () =>
      (
        await prisma.$queryRaw<
          { pid: number }[]
        >`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`
      ).map((r) => r.pid);
    const pids = await backendPids();
    const cpuBefore = {
      app: processTreeCpuSeconds(app.process.pid!),
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
          const res = await buy(cookie, listing.listingId);
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    const clientCpu = process.cpuUsage(cpuBefore.client);
    const appCpu = (processTreeCpuSeconds(app.process.pid!) ?? NaN) - (cpuBefore.app ?? NaN);
    // Backends present before and after (the pool keeps its connections through the run).
    const dbCpu = pids.reduce((sum, pid, i) => {
      const after = processTreeCpuSeconds(pid);
      const before = cpuBefore.db[i];
      return after === null || before === null || before === undefined ? sum : sum + (after - before);
    }, 0);
    latencies.sort((a, b) => a - b);
    const sold = statuses.get(201) ?? 0;
    const requests = latencies.length;
    const totalCpu = appCpu + dbCpu + (clientCpu.user + clientCpu.system) / 1e6;
    const perRequest = (seconds: number) => (requests > 0 ? `${((seconds * 1000) / requests).toFixed(2)} ms` : "n/a");
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
      ["contracts sold", String(sold), ""],
      [
        "live hashrate",
        `${(allocated._sum.hashrateHs ?? 0n) / TH} TH/s`,
        `must be ${sold + warmSold} TH/s (1 per contract, ${warmSold} from the warm-up)`,
      ],
      ["responses", [...statuses].map(([s, c]) => `${s}: ${c}`).join(", "), ""],
      [
        "CPU/purchase",
        perRequest(totalCpu),
        `all processes' work per request: ${totalCpu > 0 ? ((cpus().length * requests) / totalCpu).toFixed(0) : "?"} purchases/s would fill the ${cpus().length} cores`,
      ],
      ["  app", perRequest(appCpu), "next start + jobs (user+system)"],
      ["  PostgreSQL", perRequest(dbCpu), `${pids.length} backends of this database`],
      ["  bench client", perRequest((clientCpu.user + clientCpu.system) / 1e6), "fetch, on the same machine"],
      ["load average", `${loadBefore} -> ${load()}`, `${cpus().length} cores, bench client on the same machine`],
    ];
    console.log(rows.map(([k, v, target]) => `${k.padEnd(16)} ${v.padStart(14)}   ${target}`).join("\n"));
    const rate = sold / elapsed;
    const p99 = percentile(latencies, 99);
    const oversoldRigs = Number(oversold[0]?.n ?? 0);
    const hashrateOk = (allocated._sum.hashrateHs ?? 0n) === BigInt(sold + warmSold) * TH;
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
          note: `app ${perRequest(appCpu)}, PostgreSQL ${perRequest(dbCpu)}, client ${perRequest((clientCpu.user + clientCpu.system) / 1e6)}`,
        },
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
