// Live network data on a real database (PostgreSQL with DATABASE_URL, else the embedded PGlite),
// fetched over real HTTP from a local server serving the recorded answers (./fixtures): each figure
// stored with its source and fetch time, idempotent runs, the open day updated and hand entries
// kept, failed sources reported, a day past the threshold held so the payout run does not settle
// it until an admin approves (audited in the same transaction), and the job off unless configured.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../db/client";
import { decimalToBigInt } from "../../db/decimal";
import { jobs } from "../../jobs/worker";
import { settleDay } from "../../payouts/run";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startFixtureServer, type FixtureServer } from "../../testing/fixture-http";
import { auditLines, createListing, createUser, ensureBtc, ensureLtc } from "../../testing/fixtures";
import { importSnapshotCsv } from "../csv-import";
import { saveSnapshot } from "../snapshots";
import { liveConfig, type LiveConfig } from "./config";
import { fetchLiveDay } from "./fetch";
import { approveHeldSnapshot, heldSnapshots } from "./review";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const BLOCKS = fixture("mempool-blocks-730000.json");
const LTC_BLOCKS = fixture("litecoinspace-blocks-2245000.json");
const PRICES = fixture("coingecko-simple-price-2022-04-01.json");

const NOW = new Date("2022-04-01T16:30:00Z");
const DAY = new Date("2022-04-01T00:00:00Z");
const DAY_BEFORE = new Date("2022-03-31T00:00:00Z");
const LIVE_ENV = ["MEMPOOL", "LITECOINSPACE", "COINGECKO"].map((n) => `HASHLEASE_NETWORK_PROVIDER_URL_${n}`);

let t: TestDatabase;
let prisma: PrismaClient;
let server: FixtureServer;
let config: LiveConfig;
let adminId: string;

function serveDay() {
  server.route("/api/v1/blocks", { body: BLOCKS });
  server.route("/ltc/api/v1/blocks", { body: LTC_BLOCKS });
  server.route("/api/v3/simple/price", { body: PRICES });
}

/** The day before, with figures near the fetched ones (BTC price `btcPriceMicroUsd`). */
async function storeDayBefore(btcPriceMicroUsd = 44_000_000_000n) {
  await prisma.networkSnapshot.deleteMany({ where: { day: { in: [DAY, DAY_BEFORE] } } });
  await prisma.networkSnapshot.createMany({
    data: [
      {
        coin: "BTC",
        day: DAY_BEFORE,
        difficulty: "28587155782195",
        blockTimeMs: 600_000,
        blockSubsidyBase: "625000000",
        avgFeesPerBlockBase: "18000000",
        priceMicroUsd: btcPriceMicroUsd,
        source: "test",
      },
      {
        coin: "LTC",
        day: DAY_BEFORE,
        difficulty: "14000000",
        blockTimeMs: 150_000,
        blockSubsidyBase: "1250000000",
        avgFeesPerBlockBase: "95000",
        priceMicroUsd: 120_000_000n,
        source: "test",
      },
    ],
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  prisma = t.prisma;
  await ensureBtc(prisma);
  await ensureLtc(prisma);
  adminId = (await createUser(prisma, ["ADMIN"])).id;
  server = await startFixtureServer();
  serveDay();
  config = liveConfig({
    HASHLEASE_NETWORK_PROVIDER_URL_MEMPOOL: server.url,
    HASHLEASE_NETWORK_PROVIDER_URL_LITECOINSPACE: `${server.url}/ltc`,
    HASHLEASE_NETWORK_PROVIDER_URL_COINGECKO: server.url,
  })!;
});

afterAll(async () => {
  await server.close();
  await t?.drop();
});

describe("fetching the day's figures", () => {
  it("stores today's snapshot per coin with each value's provider, URL and fetch time", async () => {
    await storeDayBefore();
    const result = await fetchLiveDay(prisma, config, { now: NOW });
    expect(result).toEqual({
      errors: [],
      stored: [
        { coin: "BTC", day: "2022-04-01", outcome: "created", held: false },
        { coin: "LTC", day: "2022-04-01", outcome: "created", held: false },
      ],
    });
    const btc = await prisma.networkSnapshot.findUniqueOrThrow({ where: { coin_day: { coin: "BTC", day: DAY } } });
    expect({
      difficulty: decimalToBigInt(btc.difficulty!),
      networkHashrateHs: btc.networkHashrateHs,
      blockTimeMs: btc.blockTimeMs,
      subsidy: decimalToBigInt(btc.blockSubsidyBase),
      fees: decimalToBigInt(btc.avgFeesPerBlockBase),
      price: btc.priceMicroUsd,
      source: btc.source,
      review: btc.review,
    }).toEqual({
      difficulty: 28_587_155_782_195n,
      networkHashrateHs: null,
      blockTimeMs: 600_000,
      subsidy: 625_000_000n,
      fees: 20_206_096n,
      price: 45_813_294_736n,
      source: "live: mempool.space, coingecko",
      review: "NOT_NEEDED",
    });

    const sources = await prisma.networkValueSource.findMany({
      where: { day: DAY },
      orderBy: [{ coin: "asc" }, { field: "asc" }],
    });
    const blocksUrl = `${server.url}/api/v1/blocks`;
    const priceUrl = `${server.url}/api/v3/simple/price?ids=bitcoin%2Clitecoin&vs_currencies=usd&include_last_updated_at=true`;
    expect(sources.map((s) => [s.coin, s.field, decimalToBigInt(s.value), s.provider, s.url, s.fetchedAt])).toEqual([
      ["BTC", "avg_fees_per_block_base", 20_206_096n, "mempool.space", blocksUrl, NOW],
      ["BTC", "block_subsidy_base", 625_000_000n, "mempool.space", blocksUrl, NOW],
      ["BTC", "difficulty", 28_587_155_782_195n, "mempool.space", blocksUrl, NOW],
      ["BTC", "price_micro_usd", 45_813_294_736n, "coingecko", priceUrl, NOW],
      ["LTC", "avg_fees_per_block_base", 100_000n, "litecoinspace.org", `${server.url}/ltc/api/v1/blocks`, NOW],
      ["LTC", "block_subsidy_base", 1_250_000_000n, "litecoinspace.org", `${server.url}/ltc/api/v1/blocks`, NOW],
      ["LTC", "difficulty", 14_532_241n, "litecoinspace.org", `${server.url}/ltc/api/v1/blocks`, NOW],
      ["LTC", "price_micro_usd", 123_108_709n, "coingecko", priceUrl, NOW],
    ]);

    const [line] = await auditLines(prisma, "network_snapshot.fetched");
    expect(line).toMatchObject({ actorId: null, entityType: "network_snapshot", entityId: "BTC:2022-04-01" });
    expect(line!.details).toMatchObject({
      before: null,
      after: { difficulty: "28587155782195", priceMicroUsd: "45813294736" },
      review: "NOT_NEEDED",
      reason: null,
    });
    expect((line!.details as { sources: unknown[] }).sources).toContainEqual({
      field: "price_micro_usd",
      provider: "coingecko",
      url: priceUrl,
      fetchedAt: NOW.toISOString(),
    });
  });

  it("running again with the same answers stores nothing (one row, one audit line, the first fetch time)", async () => {
    const later = new Date(NOW.getTime() + 20 * 60_000);
    const again = await fetchLiveDay(prisma, config, { now: later });
    expect(again.stored.map((s) => s.outcome)).toEqual(["unchanged", "unchanged"]);
    expect(await prisma.networkSnapshot.count({ where: { day: DAY } })).toBe(2);
    expect(await auditLines(prisma, "network_snapshot.fetched")).toHaveLength(2);
    expect(await auditLines(prisma, "network_snapshot.refetched")).toHaveLength(0);
    const sources = await prisma.networkValueSource.findMany({ where: { day: DAY } });
    expect(sources).toHaveLength(8);
    expect(sources.every((s) => s.fetchedAt.getTime() === NOW.getTime())).toBe(true);
  });

  it("updates the open day when an answer changes, and leaves a row corrected by hand alone", async () => {
    const later = new Date(NOW.getTime() + 25 * 60_000);
    server.route("/api/v3/simple/price", {
      body: PRICES.replace("45813.2947360125", "46002.5").replace(
        '"last_updated_at": 1648829985',
        '"last_updated_at": 1648831400',
      ),
    });
    const updated = await fetchLiveDay(prisma, config, { now: later });
    expect(updated.stored.map((s) => [s.coin, s.outcome])).toEqual([
      ["BTC", "updated"],
      ["LTC", "unchanged"],
    ]);
    const price = await prisma.networkValueSource.findUniqueOrThrow({
      where: { coin_day_field: { coin: "BTC", day: DAY, field: "price_micro_usd" } },
    });
    expect([decimalToBigInt(price.value), price.fetchedAt]).toEqual([46_002_500_000n, later]);
    const [refetched] = await auditLines(prisma, "network_snapshot.refetched");
    expect(refetched!.details).toMatchObject({
      before: { priceMicroUsd: "45813294736" },
      after: { priceMicroUsd: "46002500000" },
    });

    // An admin corrects BTC by hand: the figures are the admin's now, and no fetch overwrites them.
    const row = await prisma.networkSnapshot.findUniqueOrThrow({ where: { coin_day: { coin: "BTC", day: DAY } } });
    const saved = await saveSnapshot(prisma, {
      actorId: adminId,
      snapshot: {
        coin: "BTC",
        day: DAY,
        difficulty: decimalToBigInt(row.difficulty!),
        networkHashrateHs: null,
        blockTimeMs: 600_000,
        blockSubsidyBase: 625_000_000n,
        avgFeesPerBlockBase: 20_000_000n,
        priceMicroUsd: 46_000_000_000n,
        source: "exchange close",
      },
    });
    expect(saved).toMatchObject({ ok: true, outcome: "updated" });
    expect(await prisma.networkValueSource.count({ where: { coin: "BTC", day: DAY } })).toBe(0);
    serveDay();
    const kept = await fetchLiveDay(prisma, config, { now: later });
    expect(kept.stored[0]).toEqual({
      coin: "BTC",
      day: "2022-04-01",
      outcome: "kept",
      held: false,
      why: "entered by hand",
    });
    const after = await prisma.networkSnapshot.findUniqueOrThrow({ where: { coin_day: { coin: "BTC", day: DAY } } });
    expect([after.priceMicroUsd, after.source]).toEqual([46_000_000_000n, "exchange close"]);
  });

  it("reports a failed source and stores the coins whose sources answered", async () => {
    await storeDayBefore();
    server.route("/api/v1/blocks", { status: 500, body: "upstream down", contentType: "text/plain" });
    const partial = await fetchLiveDay(prisma, config, { now: NOW });
    expect(partial.errors).toEqual([`mempool.space (${server.url}/api/v1/blocks): HTTP 500: upstream down`]);
    expect(partial.stored.map((s) => s.coin)).toEqual(["LTC"]);
    expect(await prisma.networkSnapshot.count({ where: { coin: "BTC", day: DAY } })).toBe(0);

    server.route("/api/v3/simple/price", { body: "not json at all" });
    const none = await fetchLiveDay(prisma, config, { now: NOW });
    expect(none.stored).toEqual([]);
    expect(none.errors).toHaveLength(2);
    expect(none.errors[1]).toContain("coingecko");
    expect(none.errors[1]).toContain("the answer is not JSON");
    serveDay();
  });

  it("a CSV import correcting a fetched day removes its sources, and the job keeps the file's figures", async () => {
    expect(await prisma.networkValueSource.count({ where: { coin: "LTC", day: DAY } })).toBe(4);
    const content = [
      "coin,day,difficulty,network_hashrate,hashrate_unit,block_time_s,block_subsidy,avg_fees_per_block,price_usd,source",
      "LTC,2022-04-01,14532241,,,150,12.5,0.001,124.50,exchange close",
    ].join("\n");
    const imported = await importSnapshotCsv(prisma, { actorId: adminId, content, byteLength: content.length });
    expect(imported).toMatchObject({ ok: true, updated: 1 });
    expect(await prisma.networkValueSource.count({ where: { coin: "LTC", day: DAY } })).toBe(0);
    const kept = await fetchLiveDay(prisma, config, { now: NOW });
    expect(kept.stored.find((s) => s.coin === "LTC")).toMatchObject({ outcome: "kept", why: "entered by hand" });
    const ltc = await prisma.networkSnapshot.findUniqueOrThrow({ where: { coin_day: { coin: "LTC", day: DAY } } });
    expect([ltc.priceMicroUsd, ltc.source]).toEqual([124_500_000n, "exchange close"]);
  });
});

describe("a day held for review", () => {
  let contractId: string;

  beforeAll(async () => {
    // One active BTC contract of 10 TH/s through 2022-04-01, allocated on one rig.
    const market = await createListing(prisma, { rigsTh: [100] });
    const customer = await createUser(prisma);
    const [made] = await prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO contracts (id, customer_id, listing_id, coin, hashrate_hs, days, price_micro_usd_per_unit_day,
                             maintenance_fee_micro_usd_per_unit_day, unit_hs, pool_fee_bps, daily_price_micro_usd,
                             total_price_micro_usd, payment_method, status, activated_at, start_day, end_day)
      VALUES (gen_random_uuid(), ${customer.id}::uuid, ${market.listingId}::uuid, 'BTC', 10000000000000, 30, 19500, 16000,
              1000000000000, 150, 195000, 5850000, 'BALANCE_USD', 'ACTIVE', '2022-03-20 12:00Z', '2022-03-21', '2022-04-19')
      RETURNING id::text`;
    contractId = made!.id;
    await prisma.$executeRaw`
      INSERT INTO allocations (contract_id, rig_id, hashrate_hs, status, created_at)
      VALUES (${contractId}::uuid, ${market.rigIds[0]}::uuid, 10000000000000, 'LIVE', '2022-03-20 12:00Z')`;
    await prisma.rigTelemetry.create({
      data: { rigId: market.rigIds[0]!, day: DAY, reportedHashrateHs: 100n * 10n ** 12n, source: "SIMULATOR" },
    });
  });

  it("holds a coin-day whose price moved past the threshold; the payout run does not settle it", async () => {
    await storeDayBefore(30_000_000_000n); // $30,000 the day before: +52.71 %
    const result = await fetchLiveDay(prisma, config, { now: NOW });
    expect(result.stored.map((s) => [s.coin, s.outcome, s.held])).toEqual([
      ["BTC", "created", true],
      ["LTC", "created", false],
    ]);
    const held = await heldSnapshots(prisma);
    expect(held.map((h) => [h.snapshot.coin, h.reason])).toEqual([
      ["BTC", "moved more than 20.00 % from 2022-03-31: price +52.71 % (30000000000 → 45813294736)"],
    ]);
    expect(held[0]!.previous?.priceMicroUsd).toBe(30_000_000_000n);
    expect(held[0]!.sources.map((s) => s.provider)).toEqual([
      "mempool.space",
      "mempool.space",
      "mempool.space",
      "coingecko",
    ]);

    const run = await settleDay(prisma, DAY, { now: new Date("2022-04-02T01:00:00Z") });
    expect(run.contractsSettled).toBe(0);
    expect(run.unsettled).toEqual([{ coin: "BTC", reason: "NETWORK_SNAPSHOT_HELD", contracts: 1 }]);
    expect(await prisma.dailyPayout.count({ where: { contractId } })).toBe(0);
  });

  it("only an admin approves, with an audit line of the figures, sources and reason; then the day settles", async () => {
    const customer = await createUser(prisma);
    expect(await approveHeldSnapshot(prisma, { actorId: customer.id, coin: "BTC", day: DAY })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await approveHeldSnapshot(prisma, { actorId: adminId, coin: "LTC", day: DAY })).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
    expect(await approveHeldSnapshot(prisma, { actorId: adminId, coin: "BTC", day: DAY_BEFORE })).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
    expect(
      await approveHeldSnapshot(prisma, { actorId: adminId, coin: "BTC", day: new Date("2022-01-01T00:00:00Z") }),
    ).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await auditLines(prisma, "network_snapshot.approved")).toHaveLength(0);

    expect(await approveHeldSnapshot(prisma, { actorId: adminId, coin: "BTC", day: DAY, ip: "203.0.113.9" })).toEqual({
      ok: true,
      coin: "BTC",
      day: "2022-04-01",
    });
    const row = await prisma.networkSnapshot.findUniqueOrThrow({ where: { coin_day: { coin: "BTC", day: DAY } } });
    expect([row.review, row.reviewedById, row.reviewedAt !== null]).toEqual(["APPROVED", adminId, true]);
    const [line] = await auditLines(prisma, "network_snapshot.approved");
    expect(line).toMatchObject({ actorId: adminId, entityId: "BTC:2022-04-01", ip: "203.0.113.9" });
    expect(line!.details).toMatchObject({
      snapshot: { priceMicroUsd: "45813294736" },
      reason: expect.stringContaining("price +52.71 %"),
    });
    expect((line!.details as { sources: unknown[] }).sources).toHaveLength(4);
    expect(await approveHeldSnapshot(prisma, { actorId: adminId, coin: "BTC", day: DAY })).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: "The BTC snapshot of 2022-04-01 is already approved.",
    });

    const run = await settleDay(prisma, DAY, { now: new Date("2022-04-02T01:00:00Z") });
    expect(run.contractsSettled).toBe(1);
    expect(run.unsettled).toEqual([]);
    const payout = await prisma.dailyPayout.findFirstOrThrow({ where: { contractId, day: DAY } });
    expect(payout.priceMicroUsd).toBe(45_813_294_736n);
  });

  it("an approved day is no longer updated by the job", async () => {
    server.route("/api/v3/simple/price", {
      body: PRICES.replace("45813.2947360125", "47000").replace(
        '"last_updated_at": 1648829985',
        '"last_updated_at": 1648831400',
      ),
    });
    const result = await fetchLiveDay(prisma, config, { now: new Date(NOW.getTime() + 25 * 60_000) });
    expect(result.stored[0]).toMatchObject({ coin: "BTC", outcome: "kept", why: "approved by an admin" });
    serveDay();
  });
});

describe("the fetch-network-data job", () => {
  const job = jobs.find((j) => j.name === "fetch-network-data")!;
  const sender = { send: async () => null };

  it("is hourly and does nothing unless its sources are configured", async () => {
    expect(job.everyMs).toBe(3_600_000);
    const saved = LIVE_ENV.map((k) => [k, process.env[k]] as const);
    try {
      for (const k of LIVE_ENV) delete process.env[k];
      const before = await prisma.networkSnapshot.count();
      const requests = server.requests.length;
      expect(await job.run(prisma, {}, sender)).toBe(0);
      expect(await prisma.networkSnapshot.count()).toBe(before);
      expect(server.requests.length).toBe(requests); // nothing was asked

      // Configured, it asks the sources; the recorded answers are from 2022, so today it refuses them as stale and fails.
      process.env.HASHLEASE_NETWORK_PROVIDER_URL_MEMPOOL = server.url;
      process.env.HASHLEASE_NETWORK_PROVIDER_URL_COINGECKO = server.url;
      const asked = server.requests.length;
      await expect(job.run(prisma, {}, sender)).rejects.toThrow(/mempool\.space .*stale: the latest block \(730000\)/);
      expect(server.requests.length).toBeGreaterThan(asked);
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
