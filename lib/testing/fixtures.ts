// Small, explicit market fixtures for integration tests: a coin, an operator with a facility,
// rigs and a published listing, customers, and USD/coin deposits through the ledger.
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import type { Algorithm, Asset } from "../generated/prisma/enums";
import { postJournal } from "../ledger/ledger";
import type { SnapshotFields } from "../network/fields";

export const TH = 10n ** 12n;

/** The coins the tests trade, as the coins table holds them (limits in base units). */
const TEST_COINS = {
  BTC: {
    name: "Bitcoin",
    algorithm: "SHA256",
    decimals: 8,
    difficultyBased: true,
    poolFeeBps: 150,
    hashrateUnitHs: TH,
    hashrateUnitLabel: "TH/s",
    withdrawalMinBase: "50000",
    withdrawalFeeBase: "10000",
    reviewThresholdBase: "10000000",
    dailyLimitBase: "200000000",
  },
  // Scrypt, priced per GH/s.
  LTC: {
    name: "Litecoin",
    algorithm: "SCRYPT",
    decimals: 8,
    difficultyBased: true,
    poolFeeBps: 100,
    hashrateUnitHs: 10n ** 9n,
    hashrateUnitLabel: "GH/s",
    withdrawalMinBase: "1000000",
    withdrawalFeeBase: "100000",
    reviewThresholdBase: "1000000000",
    dailyLimitBase: "10000000000",
  },
  // A second SHA-256 coin with limits of one base unit.
  BCH: {
    name: "Bitcoin Cash",
    algorithm: "SHA256",
    decimals: 8,
    difficultyBased: true,
    poolFeeBps: 150,
    hashrateUnitHs: TH,
    hashrateUnitLabel: "TH/s",
    withdrawalMinBase: "1",
    withdrawalFeeBase: "1",
    reviewThresholdBase: "1",
    dailyLimitBase: "1",
  },
  // No difficulty: its network hashrate is reported, not derived.
  KAS: {
    name: "Kaspa",
    algorithm: "KHEAVYHASH",
    decimals: 8,
    difficultyBased: false,
    poolFeeBps: 100,
    hashrateUnitHs: 10n ** 12n,
    hashrateUnitLabel: "TH/s",
    withdrawalMinBase: "100000000",
    withdrawalFeeBase: "10000000",
    reviewThresholdBase: "100000000000",
    dailyLimitBase: "1000000000000",
  },
  // 18 decimals (amounts beyond 64 bits), priced per MH/s.
  ETC: {
    name: "Ethereum Classic",
    algorithm: "ETCHASH",
    decimals: 18,
    difficultyBased: false,
    poolFeeBps: 100,
    hashrateUnitHs: 10n ** 6n,
    hashrateUnitLabel: "MH/s",
    withdrawalMinBase: "10000000000000000",
    withdrawalFeeBase: "1000000000000000",
    reviewThresholdBase: "100000000000000000000",
    dailyLimitBase: "1000000000000000000000",
  },
} as const satisfies Partial<Record<Asset, Omit<Prisma.CoinCreateInput, "asset">>>;

/** The coin `asset` of TEST_COINS, created once (an existing row is left as it is). */
export async function ensureCoin(prisma: PrismaClient, asset: keyof typeof TEST_COINS): Promise<void> {
  await prisma.coin.upsert({ where: { asset }, update: {}, create: { asset, ...TEST_COINS[asset] } });
}

export async function ensureBtc(prisma: PrismaClient): Promise<void> {
  await ensureCoin(prisma, "BTC");
  await prisma.networkSnapshot.upsert({
    where: { coin_day: { coin: "BTC", day: new Date(Date.UTC(2020, 0, 1)) } },
    update: {},
    create: btcSnapshotData(new Date(Date.UTC(2020, 0, 1))),
  });
}

/** The BTC network inputs the tests settle with, for one day (BTC at $95,000 unless told). */
export function btcSnapshotData(day: Date, priceMicroUsd: bigint = 95_000_000_000n) {
  return {
    coin: "BTC" as const,
    day,
    difficulty: "150000000000000",
    blockTimeMs: 600_000,
    blockSubsidyBase: "312500000",
    avgFeesPerBlockBase: "10000000",
    priceMicroUsd,
    source: "test",
  };
}

export async function createUser(prisma: PrismaClient, roles: ("CUSTOMER" | "OPERATOR" | "ADMIN")[] = ["CUSTOMER"]) {
  const tag = randomBytes(5).toString("hex");
  return prisma.user.create({
    data: { email: `${tag}@test.example`, name: `User ${tag}`, passwordHash: "x", roles, emailVerifiedAt: new Date() },
  });
}

export interface MarketFixture {
  operatorId: string;
  listingId: string;
  rigIds: string[];
}

/** A published BTC listing at $0.0195 / TH/s / day backed by rigs of the given nominal TH/s. */
export async function createListing(
  prisma: PrismaClient,
  options: { rigsTh: number[]; minDays?: number; maxDays?: number; priceMicroUsdPerThDay?: bigint },
): Promise<MarketFixture> {
  await ensureBtc(prisma);
  return createFleetListing(prisma, {
    coin: "BTC",
    algorithm: "SHA256",
    facility: { name: "Site", location: "Luleå, Sweden", countryCode: "SE", powerPriceMicroUsdPerKwh: 35_000n },
    priceMicroUsdPerUnitDay: options.priceMicroUsdPerThDay ?? 19_500n,
    maintenanceFeeMicroUsdPerUnitDay: 16_000n,
    minDays: options.minDays ?? 1,
    maxDays: options.maxDays ?? 365,
    minHashrateHs: TH,
    rig: { model: "Antminer S21", powerDrawW: 3500 },
    rigsHs: options.rigsTh.map((th) => BigInt(th) * TH),
  });
}

export interface FleetListingSpec {
  coin: Asset;
  algorithm: Algorithm;
  facility: { name: string; location: string; countryCode: string; powerPriceMicroUsdPerKwh: bigint };
  /** Default "Test fleet <facility id>". */
  title?: string;
  priceMicroUsdPerUnitDay: bigint;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
  minDays: number;
  maxDays: number;
  minHashrateHs: bigint;
  rig: { model: string; powerDrawW: number };
  /** One rig per entry, of this nominal hashrate. */
  rigsHs: bigint[];
}

/** A new operator with one facility and a published listing of the coin (which must exist), backed by new rigs. */
export async function createFleetListing(prisma: PrismaClient, spec: FleetListingSpec): Promise<MarketFixture> {
  const operator = await createUser(prisma, ["OPERATOR"]);
  const facility = await prisma.facility.create({ data: { operatorId: operator.id, ...spec.facility } });
  const listing = await prisma.listing.create({
    data: {
      operatorId: operator.id,
      coin: spec.coin,
      algorithm: spec.algorithm,
      title: spec.title ?? `Test fleet ${facility.id.slice(0, 6)}`,
      priceMicroUsdPerUnitDay: spec.priceMicroUsdPerUnitDay,
      maintenanceFeeMicroUsdPerUnitDay: spec.maintenanceFeeMicroUsdPerUnitDay,
      minDays: spec.minDays,
      maxDays: spec.maxDays,
      minHashrateHs: spec.minHashrateHs,
      status: "PUBLISHED",
    },
  });
  const rigIds: string[] = [];
  for (const [i, hs] of spec.rigsHs.entries()) {
    const rig = await prisma.rig.create({
      data: {
        facilityId: facility.id,
        listingId: listing.id,
        model: spec.rig.model,
        serialNumber: `${listing.id.slice(0, 8)}-${i}`,
        algorithm: spec.algorithm,
        nominalHashrateHs: hs,
        powerDrawW: spec.rig.powerDrawW,
      },
    });
    rigIds.push(rig.id);
  }
  return { operatorId: operator.id, listingId: listing.id, rigIds };
}

export async function deposit(prisma: PrismaClient, userId: string, asset: Asset, amount: bigint): Promise<void> {
  await prisma.$transaction((tx) =>
    postJournal(tx, {
      kind: "DEPOSIT",
      description: "test deposit",
      referenceType: "test-deposit",
      referenceId: randomBytes(8).toString("hex"),
      postings: [
        {
          account: { type: asset === "USD" ? "STRIPE_CLEARING" : "MINING_CLEARING", asset, userId: null },
          amount: -amount,
        },
        { account: { type: "USER_AVAILABLE", asset, userId }, amount },
      ],
    }),
  );
}

/** A BTC address in the user's book, usable at once (its 48 h lock long past); returns its id. */
export async function usableBtcAddress(prisma: PrismaClient, userId: string): Promise<string> {
  const row = await prisma.withdrawalAddress.create({
    data: {
      userId,
      coin: "BTC",
      address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
      label: "Cold wallet",
      validatedAt: new Date(0),
      addressFormat: "P2WPKH (bech32)",
      usableAfter: new Date(0),
    },
  });
  return row.id;
}

/** Sum of RESERVED + LIVE allocations per rig, with the rig's nominal. */
export async function rigLoads(prisma: PrismaClient, rigIds: string[]) {
  return prisma.$queryRaw<{ id: string; nominal: bigint; used: string }[]>`
    SELECT r.id, r.nominal_hashrate_hs AS nominal,
           COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status IN ('RESERVED', 'LIVE')), 0)::text AS used
      FROM rigs r LEFT JOIN allocations a ON a.rig_id = r.id
     WHERE r.id = ANY(${rigIds}::uuid[]) GROUP BY r.id`;
}

/** Journals whose postings do not sum to zero per asset (must always be empty). */
export async function unbalancedJournals(prisma: PrismaClient) {
  return prisma.$queryRaw<{ journal_id: string }[]>`
    SELECT journal_id FROM postings GROUP BY journal_id, asset HAVING sum(amount) <> 0`;
}

/** The audit lines of one action, oldest first. */
export async function auditLines(prisma: PrismaClient, action: string) {
  return prisma.auditLog.findMany({ where: { action }, orderBy: { id: "asc" } });
}

/** Ledger accounts whose cached balance differs from the sum of their postings (must always be empty). */
export async function driftedAccounts(prisma: PrismaClient) {
  return prisma.$queryRaw<{ id: string }[]>`
    SELECT a.id FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id
     GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(sum(p.amount), 0)`;
}

/** The LTC coin (scrypt, 8 decimals, priced per GH/s) without any price: add one with ltcPrice. */
export async function ensureLtc(prisma: PrismaClient): Promise<void> {
  await ensureCoin(prisma, "LTC");
}

/** An LTC network snapshot for `day` at `priceMicroUsd` per whole LTC. */
export async function ltcPrice(prisma: PrismaClient, day: Date, priceMicroUsd: bigint): Promise<void> {
  await ensureLtc(prisma);
  await prisma.networkSnapshot.upsert({
    where: { coin_day: { coin: "LTC", day } },
    update: { priceMicroUsd },
    create: {
      coin: "LTC",
      day,
      difficulty: "30000000",
      blockTimeMs: 150_000,
      blockSubsidyBase: "625000000",
      avgFeesPerBlockBase: "1000000",
      priceMicroUsd,
      source: "test",
    },
  });
}

/**
 * A BTC listing of `rigs` rigs of `rigTh` TH/s and many active contracts on it in a few
 * statements, for scale tests: `customers` new users (`<prefix>-<n>@test.example`) holding
 * `contracts` 30-day contracts of 10 TH/s each from 2025-06-01 (paid from USD balance on
 * 2025-05-31), spread evenly over the rigs.
 */
export async function bulkMarket(
  prisma: PrismaClient,
  options: { rigs: number; rigTh: number; customers: number; contracts: number; prefix: string },
): Promise<MarketFixture> {
  const market = await createListing(prisma, { rigsTh: Array.from({ length: options.rigs }, () => options.rigTh) });
  await bulkActiveContracts(prisma, { ...options, listingId: market.listingId });
  return market;
}

async function bulkActiveContracts(
  prisma: PrismaClient,
  options: { listingId: string; rigs: number; customers: number; contracts: number; prefix: string },
): Promise<void> {
  const { listingId, rigs, customers, contracts, prefix: emailPrefix } = options;
  await prisma.$executeRaw`
    INSERT INTO users (email, name, password_hash)
    SELECT ${emailPrefix} || '-' || g || '@test.example', 'Scale ' || g, 'x' FROM generate_series(1, ${customers}) g`;
  await prisma.$executeRaw`
    WITH customers AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE ${emailPrefix + "-%"}),
         rigs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM rigs WHERE listing_id = ${listingId}::uuid),
         made AS (
           INSERT INTO contracts (id, customer_id, listing_id, coin, hashrate_hs, days, price_micro_usd_per_unit_day,
                                  maintenance_fee_micro_usd_per_unit_day, unit_hs, pool_fee_bps, daily_price_micro_usd,
                                  total_price_micro_usd, payment_method, status, activated_at, start_day, end_day)
           SELECT gen_random_uuid(), c.id, ${listingId}::uuid, 'BTC'::asset, 10 * 1000000000000::bigint, 30, 19500, 16000,
                  1000000000000, 150, 195000, 5850000, 'BALANCE_USD'::payment_method, 'ACTIVE'::contract_status,
                  '2025-05-31 12:00Z'::timestamptz, '2025-06-01'::date, '2025-06-30'::date
             FROM generate_series(1, ${contracts}) g JOIN customers c ON c.n = (g - 1) % ${customers} + 1
           RETURNING id
         )
    INSERT INTO allocations (contract_id, rig_id, hashrate_hs, status, created_at)
    SELECT m.id, r.id, 10 * 1000000000000::bigint, 'LIVE'::allocation_status, '2025-05-31 12:00Z'::timestamptz
      FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM made) m JOIN rigs r ON r.n = m.n % ${rigs}`;
}

/** A BTC day's snapshot form as an admin types it: difficulty and price with thousands separators. */
export function btcSnapshotFields(day: string): SnapshotFields {
  return {
    coin: "BTC",
    day,
    difficulty: "152,271,405,447,908",
    networkHashrate: "",
    hashrateUnit: "",
    blockTime: "600",
    blockSubsidy: "3.125",
    avgFees: "0.025",
    price: "97,250.12",
    source: "mempool.space",
  };
}

/** `count` audit lines "test.line" about test entities numbered from `from`, each in its own transaction. */
export async function testAuditLines(
  prisma: PrismaClient,
  count: number,
  options: { from?: number; actorId?: string | null } = {},
): Promise<void> {
  const from = options.from ?? 1;
  for (let i = from; i < from + count; i++) {
    await recordAudit(prisma, {
      actorId: options.actorId ?? null,
      action: "test.line",
      entityType: "test",
      entityId: String(i),
      details: { i, amount: String(i * 100) },
    });
  }
}
