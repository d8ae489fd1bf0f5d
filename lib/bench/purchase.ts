// npm run bench:purchase — concurrent purchases over HTTP against the production server.
// Builds a fresh database (on DATABASE_URL's server, else the embedded PGlite) with
// BENCH_LISTINGS listings and BENCH_BUYERS funded customers, starts the app as `npm start`
// does, signs every buyer in through next-auth, then BENCH_BUYERS concurrent buyers each
// buy in a loop for BENCH_SECONDS. Prints purchases/s, p50/p99 latency and the oversell
// count (rigs whose live+reserved allocations exceed nominal; must be 0).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import pg from "pg";
import { hashPassword } from "../auth/password";
import { createPrismaClient } from "../db/client";
import { migrate } from "../db/migrate";
import { createListing, deposit, TH } from "../testing/fixtures";

const BUYERS = Number(process.env.BENCH_BUYERS ?? 64);
const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PORT = Number(process.env.BENCH_PORT ?? 3190);
const base = `http://127.0.0.1:${PORT}`;
const dataDir = path.resolve(".data/bench");

async function freshDatabase(): Promise<string> {
  const server = process.env.DATABASE_URL;
  if (!server) return ""; // embedded: the launcher serves it from dataDir
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS hashlease_bench WITH (FORCE)");
  await admin.query("CREATE DATABASE hashlease_bench");
  await admin.end();
  const url = new URL(server);
  url.pathname = "/hashlease_bench";
  return url.toString();
}

async function waitFor(url: string, seconds: number) {
  for (let i = 0; i < seconds; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

async function signIn(email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed for ${email} (${res.status})`);
  return session.split(";")[0]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  const databaseUrl = await freshDatabase();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    HASHLEASE_DATA_DIR: dataDir,
    HASHLEASE_DIST_DIR: ".next-bench",
    HASHLEASE_ALLOW_DEV_SECRETS: "1",
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const app = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/cli/start.ts"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const appExited = new Promise<never>((_, reject) => app.on("exit", (code) => reject(new Error(`the app exited (code ${code}) before answering`))));
  appExited.catch(() => {});
  try {
    await Promise.race([waitFor(`${base}/api/health`, 600), appExited]);
    const url = databaseUrl || (JSON.parse((await import("node:fs")).readFileSync(path.join(dataDir, "embedded-db.json"), "utf8")) as { url: string }).url;
    if (databaseUrl) await migrate(url);
    const prisma = createPrismaClient(url);
    const password = "bench-password-123";
    const passwordHash = await hashPassword(password);
    const listings: Awaited<ReturnType<typeof createListing>>[] = [];
    for (let i = 0; i < LISTINGS; i++) listings.push(await createListing(prisma, { rigsTh: [400, 400, 400, 400] }));
    const buyers: { email: string }[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const user = await prisma.user.create({ data: { email: `bench-${i}-${randomUUID()}@bench.test`, name: `Buyer ${i}`, passwordHash, roles: ["CUSTOMER"] } });
      await deposit(prisma, user.id, "USD", 1_000_000_000_000n);
      buyers.push(user);
    }
    const cookies: string[] = [];
    for (const b of buyers) cookies.push(await signIn(b.email, password));
    console.log(`bench:purchase — ${BUYERS} buyers, ${LISTINGS} listings (${LISTINGS * 1600} TH/s), ${SECONDS} s, ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}`);
    // The figures depend on what else runs on the machine: say so beside them.
    const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
    const loadBefore = load();

    // Warm-up (not timed): one purchase per buyer, so the route's first-hit module loading and
    // JIT are not in the figures; they count in the oversell and hashrate checks below.
    const buy = (cookie: string, listingId: string) =>
      fetch(`${base}/api/contracts`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "idempotency-key": randomUUID() },
        body: JSON.stringify({ listingId, hashrate: "1", days: 30, paymentMethod: "BALANCE_USD" }),
      });
    const warm = await Promise.all(cookies.map(async (cookie, i) => (await buy(cookie, listings[i % listings.length]!.listingId)).status));
    const warmSold = warm.filter((status) => status === 201).length;

    const latencies: number[] = [];
    const statuses = new Map<number, number>();
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
    latencies.sort((a, b) => a - b);
    const sold = statuses.get(201) ?? 0;
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
      ["live hashrate", `${(allocated._sum.hashrateHs ?? 0n) / TH} TH/s`, `must be ${sold + warmSold} TH/s (1 per contract, ${warmSold} from the warm-up)`],
      ["responses", [...statuses].map(([s, c]) => `${s}: ${c}`).join(", "), ""],
      ["load average", `${loadBefore} -> ${load()}`, `${cpus().length} cores, bench client on the same machine`],
    ];
    console.log(rows.map(([k, v, target]) => `${k.padEnd(16)} ${v.padStart(14)}   ${target}`).join("\n"));
    if (Number(oversold[0]?.n ?? 0) !== 0 || (allocated._sum.hashrateHs ?? 0n) !== BigInt(sold + warmSold) * TH) process.exitCode = 1;
  } finally {
    app.kill("SIGTERM");
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
