// The marketplace with 10,000 listings: every filtered and sorted page is checked against an
// independent computation in TypeScript over all rows (the oracle), for order and totals.
// Correctness only; the timings are printed, never asserted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../db/client";
import type { Algorithm, Asset } from "../generated/prisma/enums";
import { estimatedNetMicroUsdPerUnitDay } from "../profitability/estimate";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { btcSnapshotData } from "../testing/fixtures";
import { listMarketplace, type MarketplaceOptions } from "./listings";
import { coinRevenues, latestNetworks } from "./network";

const LISTINGS = 10_000;
const PAGE_SIZE = 24;
const TH = 10n ** 12n;

let database: TestDatabase;
let prisma: PrismaClient;
let revenues: Map<Asset, bigint>;
let all: OracleRow[];

interface OracleRow {
  id: string;
  coin: Asset;
  algorithm: Algorithm;
  status: string;
  price: bigint;
  maintenance: bigint;
  minDays: number;
  maxDays: number;
  /** Locations and country codes of the listing's non-retired rigs' facilities. */
  places: { location: string; countryCode: string }[];
}

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  const started = Date.now();
  const coin = { decimals: 8, withdrawalMinBase: 0, withdrawalFeeBase: 0, reviewThresholdBase: 0, dailyLimitBase: 0 };
  await prisma.coin.createMany({
    data: [
      {
        ...coin,
        asset: "BTC",
        name: "Bitcoin",
        algorithm: "SHA256",
        difficultyBased: true,
        poolFeeBps: 150,
        hashrateUnitHs: TH,
        hashrateUnitLabel: "TH/s",
      },
      {
        ...coin,
        asset: "LTC",
        name: "Litecoin",
        algorithm: "SCRYPT",
        difficultyBased: true,
        poolFeeBps: 200,
        hashrateUnitHs: 10n ** 9n,
        hashrateUnitLabel: "GH/s",
      },
      {
        ...coin,
        asset: "KAS",
        name: "Kaspa",
        algorithm: "KHEAVYHASH",
        difficultyBased: false,
        poolFeeBps: 100,
        hashrateUnitHs: TH,
        hashrateUnitLabel: "TH/s",
      },
    ],
  });
  const day = new Date("2026-11-22T00:00:00Z");
  await prisma.networkSnapshot.createMany({
    data: [
      btcSnapshotData(day),
      {
        coin: "LTC",
        day,
        difficulty: "38000000",
        blockTimeMs: 150_000,
        blockSubsidyBase: "625000000",
        avgFeesPerBlockBase: "300000",
        priceMicroUsd: 90_000_000n,
        source: "test",
      },
      {
        coin: "KAS",
        day,
        networkHashrateHs: "900000000000000000",
        blockTimeMs: 100,
        blockSubsidyBase: "194450000",
        avgFeesPerBlockBase: "200000",
        priceMicroUsd: 90_000n,
        source: "test",
      },
    ],
  });
  const operators = await prisma.user.createManyAndReturn({
    data: [1, 2, 3].map((n) => ({
      email: `op${n}@example.test`,
      name: `Operator ${n}`,
      passwordHash: "x",
      roles: ["OPERATOR" as const],
    })),
    select: { id: true },
  });
  const facilities = await prisma.facility.createManyAndReturn({
    data: [
      {
        operatorId: operators[0]!.id,
        name: "F1",
        location: "Luleå, Norrbotten, Sweden",
        countryCode: "SE",
        powerPriceMicroUsdPerKwh: 38_000n,
      },
      {
        operatorId: operators[1]!.id,
        name: "F2",
        location: "Pecos, Texas, USA",
        countryCode: "US",
        powerPriceMicroUsdPerKwh: 34_000n,
      },
      {
        operatorId: operators[2]!.id,
        name: "F3",
        location: "Hernandarias, Paraguay",
        countryCode: "PY",
        powerPriceMicroUsdPerKwh: 30_000n,
      },
      {
        operatorId: operators[2]!.id,
        name: "F4",
        location: "Reykjanesbær, Iceland",
        countryCode: "IS",
        powerPriceMicroUsdPerKwh: 42_000n,
      },
    ],
    select: { id: true },
  });
  const operatorIds = operators.map((o) => o.id);
  const facilityIds = facilities.map((f) => f.id);

  // 10,000 listings in one statement: coins, prices (with ties), fees, durations and statuses
  // spread deterministically over i.
  await prisma.$executeRaw`
    INSERT INTO listings (operator_id, coin, algorithm, title, price_micro_usd_per_unit_day,
                          maintenance_fee_micro_usd_per_unit_day, min_days, max_days, min_hashrate_hs, status)
    SELECT (${operatorIds}::uuid[])[1 + i % 3],
           (ARRAY['BTC', 'LTC', 'KAS'])[1 + i % 3]::asset,
           (ARRAY['SHA256', 'SCRYPT', 'KHEAVYHASH'])[1 + i % 3]::algorithm,
           'Listing ' || i,
           10000 + ((i * 7919) % 5000) * 5,
           5000 + (i * 104729) % 40000,
           (ARRAY[1, 7, 14, 30, 90])[1 + i % 5],
           (ARRAY[1, 7, 14, 30, 90])[1 + i % 5] + (ARRAY[0, 30, 180, 335])[1 + (i / 5) % 4],
           1000000000000,
           (CASE WHEN i % 10 = 0 THEN 'DRAFT' WHEN i % 37 = 0 THEN 'UNPUBLISHED' ELSE 'PUBLISHED' END)::listing_status
      FROM generate_series(1, ${LISTINGS}::int) AS i`;
  // One rig per listing, a second one elsewhere for every 7th, and a retired third rig (its
  // facility must not count for the location filter) for every 11th.
  await prisma.$executeRaw`
    INSERT INTO rigs (facility_id, listing_id, model, serial_number, algorithm, nominal_hashrate_hs, power_draw_w, status)
    SELECT (${facilityIds}::uuid[])[1 + n % 3], l.id, 'Rig', 'A-' || l.title, l.algorithm, 100000000000000, 3000, 'ACTIVE'::rig_status
      FROM (SELECT l.*, row_number() OVER (ORDER BY l.title) AS n FROM listings l) l
    UNION ALL
    SELECT (${facilityIds}::uuid[])[1 + (n + 1) % 3], l.id, 'Rig', 'B-' || l.title, l.algorithm, 50000000000000, 3000, 'MAINTENANCE'::rig_status
      FROM (SELECT l.*, row_number() OVER (ORDER BY l.title) AS n FROM listings l) l WHERE n % 7 = 0
    UNION ALL
    SELECT (${facilityIds}::uuid[])[4], l.id, 'Rig', 'C-' || l.title, l.algorithm, 50000000000000, 3000, 'RETIRED'::rig_status
      FROM (SELECT l.*, row_number() OVER (ORDER BY l.title) AS n FROM listings l) l WHERE n % 11 = 0`;
  await prisma.$executeRaw`ANALYZE`;

  revenues = coinRevenues(await latestNetworks(prisma));
  const rows = await prisma.$queryRaw<
    {
      id: string;
      coin: Asset;
      algorithm: Algorithm;
      status: string;
      price: bigint;
      maintenance: bigint;
      min_days: number;
      max_days: number;
      places: string[] | null;
    }[]
  >`
    SELECT l.id, l.coin, l.algorithm, l.status::text, l.price_micro_usd_per_unit_day AS price,
           l.maintenance_fee_micro_usd_per_unit_day AS maintenance, l.min_days, l.max_days,
           (SELECT array_agg(f.country_code || '|' || f.location) FROM rigs r JOIN facilities f ON f.id = r.facility_id
             WHERE r.listing_id = l.id AND r.status <> 'RETIRED') AS places
      FROM listings l`;
  all = rows.map((r) => ({
    id: r.id,
    coin: r.coin,
    algorithm: r.algorithm,
    status: r.status,
    price: BigInt(r.price),
    maintenance: BigInt(r.maintenance),
    minDays: r.min_days,
    maxDays: r.max_days,
    places: (r.places ?? []).map((p) => ({ countryCode: p.slice(0, 2), location: p.slice(3) })),
  }));
  console.log(
    `scale test: ${LISTINGS} listings with rigs inserted in ${Date.now() - started} ms (${database.real ? "PostgreSQL" : "PGlite"})`,
  );
});

afterAll(async () => {
  await database?.drop();
});

type Options = Omit<MarketplaceOptions, "pageSize" | "revenues">;

function estimate(row: OracleRow): bigint | null {
  const revenue = revenues.get(row.coin);
  return revenue === undefined
    ? null
    : estimatedNetMicroUsdPerUnitDay(revenue, {
        priceMicroUsdPerUnitDay: row.price,
        maintenanceFeeMicroUsdPerUnitDay: row.maintenance,
      });
}

const cmp = <T extends bigint | string>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

/** The expected page, computed over all rows in TypeScript. */
function oracle(options: Options): { ids: string[]; total: number } {
  const location = options.location?.toLowerCase();
  const matching = all.filter(
    (row) =>
      row.status === "PUBLISHED" &&
      (options.coin === undefined || row.coin === options.coin) &&
      (options.algorithm === undefined || row.algorithm === options.algorithm) &&
      (options.minPriceMicroUsd === undefined || row.price >= options.minPriceMicroUsd) &&
      (options.maxPriceMicroUsd === undefined || row.price <= options.maxPriceMicroUsd) &&
      (options.days === undefined || (row.minDays <= options.days && options.days <= row.maxDays)) &&
      (location === undefined ||
        row.places.some(
          (p) => p.location.toLowerCase().includes(location) || p.countryCode.toLowerCase() === location,
        )),
  );
  const sorted = matching.sort((a, b) => {
    if (options.sort === "price_desc") return cmp(b.price, a.price) || cmp(b.id, a.id);
    if (options.sort === "profit_desc") {
      const ea = estimate(a);
      const eb = estimate(b);
      if (ea !== eb) {
        if (ea === null) return 1;
        if (eb === null) return -1;
        return cmp(eb, ea);
      }
    }
    return cmp(a.price, b.price) || cmp(a.id, b.id);
  });
  const offset = (options.page - 1) * PAGE_SIZE;
  return { ids: sorted.slice(offset, offset + PAGE_SIZE).map((row) => row.id), total: matching.length };
}

async function check(label: string, options: Options) {
  const started = performance.now();
  const page = await listMarketplace(prisma, { ...options, pageSize: PAGE_SIZE, revenues });
  const ms = performance.now() - started;
  console.log(`scale test: ${label}: ${page.total} matching, page ${options.page}: ${ms.toFixed(1)} ms`);
  const expected = oracle(options);
  expect(page.total).toBe(expected.total);
  expect(page.rows.map((row) => row.id)).toEqual(expected.ids);
  for (const row of page.rows) {
    expect(row.estimatedNetMicroUsdPerUnitDay).toBe(estimate(all.find((r) => r.id === row.id)!));
  }
  return page;
}

describe(`marketplace with ${LISTINGS} listings`, () => {
  it("has the published listings the oracle expects", () => {
    expect(all).toHaveLength(LISTINGS);
    // 10 % drafts, every 37th unpublished (minus those that are also drafts)
    expect(all.filter((r) => r.status === "PUBLISHED").length).toBe(LISTINGS - 1000 - (270 - 27));
  });

  it("pages by price, both directions, with ties broken by id", async () => {
    const first = await check("all by price", { sort: "price_asc", page: 1 });
    expect(first.total).toBe(8757);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    await check("all by price, page 2", { sort: "price_asc", page: 2 });
    await check("all by price, last page", { sort: "price_asc", page: Math.ceil(8757 / PAGE_SIZE) });
    await check("all by price, past the end", { sort: "price_asc", page: 1000 });
    await check("all by price desc, page 200", { sort: "price_desc", page: 200 });
  });

  it("sorts by estimated profitability across the whole set", async () => {
    const first = await check("all by profitability", { sort: "profit_desc", page: 1 });
    const estimates = first.rows.map((r) => r.estimatedNetMicroUsdPerUnitDay!);
    expect(estimates).toEqual([...estimates].sort((a, b) => cmp(b, a)));
    await check("all by profitability, page 150", { sort: "profit_desc", page: 150 });
    await check("BTC by profitability, page 3", { coin: "BTC", sort: "profit_desc", page: 3 });
  });

  it("filters by coin, algorithm, price range, duration and location, and combinations", async () => {
    await check("LTC", { coin: "LTC", sort: "price_asc", page: 3 });
    await check("SHA-256", { algorithm: "SHA256", sort: "price_desc", page: 2 });
    await check("price range", { minPriceMicroUsd: 15_000n, maxPriceMicroUsd: 20_000n, sort: "price_asc", page: 4 });
    await check("duration 90 days", { days: 90, sort: "price_asc", page: 1 });
    await check("location texas", { location: "texas", sort: "price_asc", page: 2 });
    await check("country IS (retired rigs only)", { location: "IS", sort: "price_asc", page: 1 });
    await check("location Sweden by profitability", { location: "Sweden", sort: "profit_desc", page: 5 });
    await check("combined", {
      coin: "KAS",
      minPriceMicroUsd: 12_000n,
      maxPriceMicroUsd: 30_000n,
      days: 30,
      location: "PY",
      sort: "profit_desc",
      page: 1,
    });
    await check("nothing matches", { coin: "BTC", algorithm: "SCRYPT", sort: "price_asc", page: 1 });
  });
});
