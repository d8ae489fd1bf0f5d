// npm run bench:floor — the server's cost per request beside the framework's floor, on one
// production server (built with HASHLEASE_BENCH_ROUTES=1 into its own dist dir, BENCH_DIST_DIR,
// default .next-floor, so the floor routes of app/**/*.bench.ts(x) are in that build and no
// other; next.config.ts) on a fresh PostgreSQL database (DATABASE_URL's server, default the local
// one) holding bench:pages' data (lib/bench/pages-data.ts: 10,000 listings, a customer with
// 100,000 payouts), plus one listing of 1,600 TH/s and a funded buyer for the purchases.
// Each request below is sent one at a time over loopback: BENCH_WARMUP (5) untimed, then until
// BENCH_REQUESTS (200) or BENCH_ENTRY_SECONDS (6 s), whichever comes first; the CPU (user +
// system, /proc) of the web server process alone (lib/cli/web.ts, not the jobs beside it) over
// the timed requests / their count is the figure, p50 the latency beside it. The floors:
//   bare handler   GET /api/bench-floor/ok: a route handler answering {ok:true};
//   bare page      GET /bench-floor: an empty page under the root layout, anonymous and signed in
//                  (the layout looks the viewer up);
//   purchase floor POST /api/bench-floor/purchase: the purchase_contract statement alone via pg;
// each measured before and after the others (the ratio is against the mean of both, so a drift
// of the machine's load shows as the two differing). Targets: API GETs <= 1.5x the bare handler;
// pages <= 2.5x the bare page (signed in or not, as the page is fetched) and their RSC payload
// (the document's self.__next_f scripts) no larger than the rest of the HTML; one purchase by
// API (signed POST /api/v1/orders, committed) <= 2x the purchase floor. Missed targets read
// MISSED (exit 0); a request answering other than its expected status fails the run (exit 1).
// The machine may be shared: the CPU figures move far less with its load than the latencies, and
// the ratios, measured side by side, less still. `--keep` keeps the database.
import { randomUUID } from "node:crypto";
import { cpus } from "node:os";
import { signRequest } from "../api/hmac";
import { createPrismaClient } from "../db/client";
import { migrate } from "../db/migrate";
import { createListing, deposit } from "../testing/fixtures";
import { freshDatabase } from "../testing/scratch-database";
import { buildPagesData, EMAIL, PASSWORD } from "./pages-data";
import {
  createApiKey,
  descendantPid,
  loadText,
  percentile,
  printResult,
  processTreeCpuSeconds,
  runBench,
  serverUrl,
  signIn,
  startApp,
  stopApp,
  type BenchMetric,
} from "./server";

const PORT = Number(process.env.BENCH_PORT ?? 3290);
const DATABASE = process.env.BENCH_DATABASE ?? "hashlease_bench_floor";
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const ENTRY_SECONDS = Number(process.env.BENCH_ENTRY_SECONDS ?? 6);
const KEEP = process.argv.includes("--keep");
const BUYER_EMAIL = "bench-floor-buyer@bench.test";

type Floor = "handler" | "page" | "page-signed-in" | "purchase";
const TARGETS: Record<Floor, number> = { handler: 1.5, page: 2.5, "page-signed-in": 2.5, purchase: 2 };
const FLOOR_NAMES: Record<Floor, string> = {
  handler: "bare handler",
  page: "bare page",
  "page-signed-in": "bare page, signed in",
  purchase: "purchase floor",
};

interface Entry {
  name: string;
  /** The floor it is measured against; absent for a floor itself. */
  floor?: Floor;
  /** Pages: their RSC payload is split from their HTML. */
  page?: boolean;
  expect: number;
  send(): Promise<Response>;
}

interface Figure {
  cpuMs: number;
  p50: number;
  requests: number;
  /** Pages: bytes of the document's RSC payload scripts and of the rest of it. */
  bytes?: { rsc: number; html: number };
}

/** The document split into the RSC payload Next inlines for hydration (self.__next_f.push scripts) and the rest. */
export function splitDocument(document: string): { rsc: number; html: number } {
  const total = Buffer.byteLength(document);
  let rsc = 0;
  for (const match of document.matchAll(/<script[^>]*>self\.__next_f\.push\([\s\S]*?<\/script>/g))
    rsc += Buffer.byteLength(match[0]);
  return { rsc, html: total - rsc };
}

async function main() {
  const server = serverUrl();
  const url = await freshDatabase(server, DATABASE);
  await migrate(url);
  const built = performance.now();
  const data = await buildPagesData(url);
  const prisma = createPrismaClient(url);
  const market = await createListing(prisma, { rigsTh: [400, 400, 400, 400] });
  const buyer = await prisma.user.create({
    data: {
      email: BUYER_EMAIL,
      name: "Bench Buyer",
      passwordHash: "x",
      roles: ["CUSTOMER"],
      emailVerifiedAt: new Date(),
    },
    select: { id: true },
  });
  await deposit(prisma, buyer.id, "USD", 1_000_000_000_000n);
  const contractId = data.contractIds[0]!;
  await prisma.$disconnect();
  console.log(`data built in ${((performance.now() - built) / 1000).toFixed(1)} s; load ${loadText()}`);

  const app = await startApp({
    port: PORT,
    databaseUrl: url,
    dataDir: ".data/bench-floor",
    extraEnv: {
      HASHLEASE_BENCH_ROUTES: "1",
      HASHLEASE_DIST_DIR: process.env.BENCH_DIST_DIR ?? ".next-floor",
      // One key sends a few hundred requests a second; the limiter still runs on each.
      API_RATE_PER_SECOND: "1000000",
      API_RATE_BURST: "1000000",
    },
  });
  let failed = false;
  try {
    const webPid = descendantPid(app.process.pid!, "lib/cli/web.ts");
    if (webPid === null) throw new Error("cannot find the web server process (lib/cli/web.ts) under the app");
    const cookie = await signIn(app.base, EMAIL, PASSWORD);
    const reader = createApiKey(app, EMAIL, "read");
    const trader = createApiKey(app, BUYER_EMAIL, "read,trade");
    const get =
      (path: string, signedIn = false) =>
      () =>
        fetch(`${app.base}${path}`, { redirect: "manual", headers: signedIn ? { cookie } : {} });
    const signed = (path: string) => () =>
      fetch(`${app.base}${path}`, {
        headers: {
          authorization: signRequest({ keyId: reader.keyId, secret: reader.secret, method: "GET", url: path }),
        },
      });
    const order = () => {
      const body = JSON.stringify({
        listingId: market.listingId,
        hashrate: "1000000000000",
        days: 1,
        payWith: "balance:USD",
      });
      return fetch(`${app.base}/api/v1/orders`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "idempotency-key": randomUUID(),
          authorization: signRequest({
            keyId: trader.keyId,
            secret: trader.secret,
            method: "POST",
            url: "/api/v1/orders",
            body,
          }),
        },
      });
    };
    const floorPurchase = () =>
      fetch(`${app.base}/api/bench-floor/purchase`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ customerId: buyer.id, listingId: market.listingId, hashrate: "1", days: 1 }),
      });

    const floors: Record<Floor, Entry> = {
      handler: { name: "GET /api/bench-floor/ok", expect: 200, send: get("/api/bench-floor/ok") },
      page: { name: "GET /bench-floor", page: true, expect: 200, send: get("/bench-floor") },
      "page-signed-in": {
        name: "GET /bench-floor, signed in",
        page: true,
        expect: 200,
        send: get("/bench-floor", true),
      },
      purchase: { name: "POST /api/bench-floor/purchase", expect: 201, send: floorPurchase },
    };
    const entries: Entry[] = [
      { name: "GET /", floor: "page", page: true, expect: 200, send: get("/") },
      { name: "GET /marketplace", floor: "page", page: true, expect: 200, send: get("/marketplace") },
      {
        name: "GET /dashboard",
        floor: "page-signed-in",
        page: true,
        expect: 200,
        send: get("/dashboard", true),
      },
      {
        name: "GET /dashboard/contracts/[id]",
        floor: "page-signed-in",
        page: true,
        expect: 200,
        send: get(`/dashboard/contracts/${contractId}`, true),
      },
      { name: "GET /tax", floor: "page-signed-in", page: true, expect: 200, send: get("/tax", true) },
      { name: "signed GET /api/v1/contracts", floor: "handler", expect: 200, send: signed("/api/v1/contracts") },
      { name: "signed GET /api/v1/payouts", floor: "handler", expect: 200, send: signed("/api/v1/payouts") },
      { name: "signed GET /api/v1/listings", floor: "handler", expect: 200, send: signed("/api/v1/listings") },
      { name: "signed POST /api/v1/orders", floor: "purchase", expect: 201, send: order },
    ];

    const measure = async (entry: Entry): Promise<Figure> => {
      const once = async () => {
        const t0 = performance.now();
        const res = await entry.send();
        const body = await res.text();
        const ms = performance.now() - t0;
        if (res.status !== entry.expect)
          throw new Error(`${entry.name} answered ${res.status}, expected ${entry.expect}: ${body.slice(0, 300)}`);
        return { ms, body };
      };
      let last = "";
      for (let i = 0; i < WARMUP; i++) last = (await once()).body;
      const latencies: number[] = [];
      const cpuBefore = processTreeCpuSeconds(webPid);
      const deadline = performance.now() + ENTRY_SECONDS * 1000;
      while (latencies.length < REQUESTS && (performance.now() < deadline || latencies.length < 10)) {
        const { ms, body } = await once();
        latencies.push(ms);
        last = body;
      }
      const cpuAfter = processTreeCpuSeconds(webPid);
      latencies.sort((a, b) => a - b);
      return {
        cpuMs: cpuBefore === null || cpuAfter === null ? NaN : ((cpuAfter - cpuBefore) * 1000) / latencies.length,
        p50: percentile(latencies, 50),
        requests: latencies.length,
        bytes: entry.page ? splitDocument(last) : undefined,
      };
    };

    console.log(
      `bench:floor — one request at a time, ${WARMUP} untimed then up to ${REQUESTS} or ${ENTRY_SECONDS} s each; ` +
        `CPU of the web server process (pid ${webPid}); ${cpus().length} cores, load ${loadText()}`,
    );
    const loadBefore = loadText();
    const floorOrder = Object.keys(floors) as Floor[];
    const before = new Map<Floor, Figure>();
    for (const floor of floorOrder) before.set(floor, await measure(floors[floor]));
    const figures: Figure[] = [];
    for (const entry of entries) figures.push(await measure(entry));
    const after = new Map<Floor, Figure>();
    for (const floor of floorOrder) after.set(floor, await measure(floors[floor]));
    const loadAfter = loadText();
    const floorCpu = (floor: Floor) => (before.get(floor)!.cpuMs + after.get(floor)!.cpuMs) / 2;

    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const rows: string[][] = [
      ["request", "CPU/req", "p50", "n", "floor", "ratio", "target", "met?", "RSC / HTML (target RSC <= HTML)"],
    ];
    const metrics: BenchMetric[] = [];
    for (const floor of floorOrder) {
      const b = before.get(floor)!;
      const a = after.get(floor)!;
      rows.push([
        `${floors[floor].name} (${FLOOR_NAMES[floor]})`,
        `${floorCpu(floor).toFixed(2)} ms`,
        `${((b.p50 + a.p50) / 2).toFixed(1)} ms`,
        String(b.requests + a.requests),
        `before ${b.cpuMs.toFixed(2)}, after ${a.cpuMs.toFixed(2)} ms`,
        "",
        "",
        "",
        b.bytes ? `${kb(b.bytes.rsc)} / ${kb(b.bytes.html)}` : "",
      ]);
      metrics.push({ name: `floor: ${FLOOR_NAMES[floor]} CPU`, value: floorCpu(floor), unit: "ms" });
    }
    entries.forEach((entry, i) => {
      const f = figures[i]!;
      const floor = entry.floor!;
      const ratio = f.cpuMs / floorCpu(floor);
      const target = TARGETS[floor];
      const met = ratio <= target;
      const bytesMet = f.bytes ? f.bytes.rsc <= f.bytes.html : undefined;
      rows.push([
        entry.name,
        `${f.cpuMs.toFixed(2)} ms`,
        `${f.p50.toFixed(1)} ms`,
        String(f.requests),
        FLOOR_NAMES[floor],
        `${ratio.toFixed(2)}x`,
        `<= ${target}x`,
        met ? "met" : "MISSED",
        f.bytes ? `${kb(f.bytes.rsc)} / ${kb(f.bytes.html)} ${bytesMet ? "met" : "MISSED"}` : "",
      ]);
      metrics.push({
        name: `${entry.name} CPU / ${FLOOR_NAMES[floor]}`,
        value: ratio,
        unit: "x",
        target: `<= ${target}x`,
        met,
        note: `${f.cpuMs.toFixed(2)} ms CPU, p50 ${f.p50.toFixed(1)} ms`,
      });
      if (f.bytes)
        metrics.push({
          name: `${entry.name} RSC / HTML bytes`,
          value: f.bytes.rsc / Math.max(1, f.bytes.html),
          unit: "x",
          target: "<= 1x",
          met: bytesMet,
          note: `${kb(f.bytes.rsc)} RSC, ${kb(f.bytes.html)} HTML`,
        });
    });
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log(
      rows
        .map((r, i) => {
          const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
          return i === 0 ? `${line}\n${"-".repeat(line.length)}` : line;
        })
        .join("\n"),
    );
    console.log(
      `CPU = the web server process's user+system time over the timed requests / their count (PostgreSQL's not included); ` +
        `ratio = CPU / the floor's (mean of before and after); load average ${loadBefore} -> ${loadAfter}`,
    );
    printResult({ bench: "floor", metrics, load: { before: loadBefore, after: loadAfter }, ok: true });
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    await stopApp(app, KEEP ? {} : { server, database: DATABASE });
  }
  if (failed) process.exitCode = 1;
}

runBench(main);
