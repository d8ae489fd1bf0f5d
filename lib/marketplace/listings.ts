// Read models for listings: the public marketplace page and an operator's own listings.
// Capacity is aggregated in SQL for the listings being shown only (one page), never by
// loading rigs or allocations into JS, so the page stays fast with many listings.
import { customerBalances } from "../dashboard/queries";
import type { PrismaClient } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Algorithm, Asset, ListingStatus } from "../generated/prisma/enums";
import type { MarketplaceFilters, MarketplaceSort } from "./query";

export interface ListingCapacity {
  /** Sum of the nominal hashrate of the listing's ACTIVE rigs, H/s. */
  totalHs: bigint;
  /**
   * Capacity still for sale, H/s: per ACTIVE rig, nominal minus its RESERVED + LIVE
   * allocations, floored at 0 per rig (an over-allocated rig never lends capacity to
   * another), summed over the listing's rigs.
   */
  freeHs: bigint;
  activeRigs: number;
}

export interface MarketplaceListing extends ListingCapacity {
  id: string;
  title: string;
  coin: Asset;
  coinName: string;
  algorithm: Algorithm;
  priceMicroUsdPerUnitDay: bigint;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
  poolFeeBps: number;
  /** The coin's pricing unit in H/s (10^12 for TH/s) and its label. */
  unitHs: bigint;
  unitLabel: string;
  minDays: number;
  maxDays: number;
  minHashrateHs: bigint;
  operatorName: string;
  /** Distinct locations of the facilities hosting the listing's rigs (retired rigs excluded). */
  locations: string[];
  /**
   * Estimated net USD per pricing unit per day at the coin's latest network data, micro-USD:
   * revenue after the pool fee, minus the maintenance fee (never below 0: a curtailed day
   * charges none), minus the price. Null without network data for the coin.
   */
  estimatedNetMicroUsdPerUnitDay: bigint | null;
}

export interface MarketplacePage {
  rows: MarketplaceListing[];
  /** All PUBLISHED listings matching the filter, across pages. */
  total: number;
}

export interface MarketplaceOptions extends MarketplaceFilters {
  sort: MarketplaceSort;
  /** 1-based. */
  page: number;
  pageSize: number;
  /**
   * Revenue of one pricing unit-day after the pool fee, micro-USD, per coin (computed once
   * per coin in TypeScript from the latest snapshot: lib/marketplace/network.ts). Coins
   * missing here have no estimate and sort last by profitability.
   */
  revenues?: ReadonlyMap<Asset, bigint>;
}

/**
 * Capacity per listing for the listing ids the `listingIds` subquery yields. Allocations
 * are summed per rig through the (rig_id, status) index.
 */
function capacitySql(listingIds: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT r.listing_id,
           sum(r.nominal_hashrate_hs)::text AS total_hs,
           sum(GREATEST(r.nominal_hashrate_hs - COALESCE(used.hashrate_hs, 0), 0))::text AS free_hs,
           count(*)::int AS active_rigs
      FROM rigs r
      LEFT JOIN LATERAL (
        SELECT sum(a.hashrate_hs) AS hashrate_hs
          FROM allocations a
         WHERE a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')
      ) used ON true
     WHERE r.listing_id IN (${listingIds}) AND r.status = 'ACTIVE'
     GROUP BY r.listing_id`;
}

function locationsSql(listingIds: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT r.listing_id, array_agg(DISTINCT f.location ORDER BY f.location) AS locations
      FROM rigs r
      JOIN facilities f ON f.id = r.facility_id
     WHERE r.listing_id IN (${listingIds}) AND r.status <> 'RETIRED'
     GROUP BY r.listing_id`;
}

interface ListingRow {
  id: string;
  title: string;
  coin: Asset;
  coin_name: string;
  algorithm: Algorithm;
  price_micro_usd_per_unit_day: bigint;
  maintenance_fee_micro_usd_per_unit_day: bigint;
  pool_fee_bps: number;
  hashrate_unit_hs: bigint;
  hashrate_unit_label: string;
  min_days: number;
  max_days: number;
  min_hashrate_hs: bigint;
  operator_name: string;
  total_hs: string | null;
  free_hs: string | null;
  active_rigs: number | null;
  locations: string[] | null;
  est_net?: bigint | null;
}

function toListing(row: ListingRow): MarketplaceListing {
  return {
    id: row.id,
    title: row.title,
    coin: row.coin,
    coinName: row.coin_name,
    algorithm: row.algorithm,
    priceMicroUsdPerUnitDay: BigInt(row.price_micro_usd_per_unit_day),
    maintenanceFeeMicroUsdPerUnitDay: BigInt(row.maintenance_fee_micro_usd_per_unit_day),
    poolFeeBps: row.pool_fee_bps,
    unitHs: BigInt(row.hashrate_unit_hs),
    unitLabel: row.hashrate_unit_label,
    minDays: row.min_days,
    maxDays: row.max_days,
    minHashrateHs: BigInt(row.min_hashrate_hs),
    operatorName: row.operator_name,
    totalHs: BigInt(row.total_hs ?? 0),
    freeHs: BigInt(row.free_hs ?? 0),
    activeRigs: row.active_rigs ?? 0,
    locations: row.locations ?? [],
    estimatedNetMicroUsdPerUnitDay: row.est_net === null || row.est_net === undefined ? null : BigInt(row.est_net),
  };
}

/** Listing columns, joined with the coin, the operator, capacity and locations. */
const listingColumns = Prisma.sql`
  l.id, l.title, l.coin, c.name AS coin_name, l.algorithm,
  l.price_micro_usd_per_unit_day, l.maintenance_fee_micro_usd_per_unit_day,
  c.pool_fee_bps, c.hashrate_unit_hs, c.hashrate_unit_label,
  l.min_days, l.max_days, l.min_hashrate_hs, u.name AS operator_name,
  cap.total_hs, cap.free_hs, cap.active_rigs, loc.locations`;

/** The (coin, revenue) rows of the profitability sort, as a VALUES list (bound parameters). */
function revenuesSql(revenues: ReadonlyMap<Asset, bigint> | undefined): Prisma.Sql {
  const rows = [...(revenues ?? new Map<Asset, bigint>())].map(
    ([coin, revenue]) => Prisma.sql`(${coin}::asset, ${revenue.toString()}::bigint)`,
  );
  return rows.length > 0
    ? Prisma.sql`VALUES ${Prisma.join(rows)}`
    : Prisma.sql`SELECT NULL::asset, NULL::bigint WHERE false`;
}

/** `%`, `_` and the escape character itself match literally in the LIKE pattern. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filtersSql(filters: MarketplaceFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filters.coin) parts.push(Prisma.sql`AND l.coin = ${filters.coin}::asset`);
  if (filters.algorithm) parts.push(Prisma.sql`AND l.algorithm = ${filters.algorithm}::algorithm`);
  if (filters.minPriceMicroUsd !== undefined) {
    parts.push(Prisma.sql`AND l.price_micro_usd_per_unit_day >= ${filters.minPriceMicroUsd.toString()}::bigint`);
  }
  if (filters.maxPriceMicroUsd !== undefined) {
    parts.push(Prisma.sql`AND l.price_micro_usd_per_unit_day <= ${filters.maxPriceMicroUsd.toString()}::bigint`);
  }
  if (filters.days !== undefined)
    parts.push(Prisma.sql`AND l.min_days <= ${filters.days}::int AND l.max_days >= ${filters.days}::int`);
  if (filters.location) {
    const code = /^[A-Za-z]{2}$/.test(filters.location) ? filters.location.toUpperCase() : null;
    parts.push(Prisma.sql`
      AND EXISTS (
        SELECT 1
          FROM rigs r
          JOIN facilities f ON f.id = r.facility_id
         WHERE r.listing_id = l.id AND r.status <> 'RETIRED'
           AND (f.location ILIKE ${likeContains(filters.location)} OR f.country_code = ${code}::char(2))
      )`);
  }
  return parts.length > 0 ? Prisma.join(parts, " ") : Prisma.empty;
}

/** ORDER BY of a sort over a relation with columns id, price and est_net; id last so pages are stable. */
function orderSql(sort: MarketplaceSort, alias: string): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${alias}.${name}`);
  switch (sort) {
    case "price_desc":
      return Prisma.sql`${column("price")} DESC, ${column("id")} DESC`;
    case "profit_desc":
      return Prisma.sql`${column("est_net")} DESC NULLS LAST, ${column("price")} ASC, ${column("id")} ASC`;
    default:
      return Prisma.sql`${column("price")} ASC, ${column("id")} ASC`;
  }
}

/**
 * One page of PUBLISHED listings matching the filters, with the total count, in a single
 * statement (one round trip, one snapshot). The profitability estimate is an expression over
 * each listing's fees and its coin's revenue (joined from a VALUES list), so SQL sorts and
 * pages by it; capacity and locations are aggregated for the page's listings only.
 */
export async function listMarketplace(prisma: PrismaClient, options: MarketplaceOptions): Promise<MarketplacePage> {
  const pageSize = Math.max(1, Math.trunc(options.pageSize));
  const offset = (Math.max(1, Math.trunc(options.page)) - 1) * pageSize;

  const rows = await prisma.$queryRaw<(Partial<ListingRow> & { total: bigint })[]>`
    WITH revenue (coin, revenue_micro_usd) AS (${revenuesSql(options.revenues)}),
    filtered AS (
      SELECT l.id,
             l.price_micro_usd_per_unit_day AS price,
             -- NULL without network data (GREATEST alone would read NULL as "nothing to subtract").
             CASE WHEN rev.revenue_micro_usd IS NOT NULL
                  THEN GREATEST(rev.revenue_micro_usd - l.maintenance_fee_micro_usd_per_unit_day, 0)
                       - l.price_micro_usd_per_unit_day
             END AS est_net
        FROM listings l
        LEFT JOIN revenue rev ON rev.coin = l.coin
       WHERE l.status = 'PUBLISHED' ${filtersSql(options)}
    ),
    page AS (
      SELECT f.* FROM filtered f ORDER BY ${orderSql(options.sort, "f")} LIMIT ${pageSize} OFFSET ${offset}
    ),
    cap AS (${capacitySql(Prisma.sql`SELECT id FROM page`)}),
    loc AS (${locationsSql(Prisma.sql`SELECT id FROM page`)}),
    total AS (SELECT count(*) AS total FROM filtered)
    SELECT total.total, page_rows.*
      FROM total
      LEFT JOIN (
        SELECT ${listingColumns}, p.price, p.est_net
          FROM page p
          JOIN listings l ON l.id = p.id
          JOIN coins c ON c.asset = l.coin
          JOIN users u ON u.id = l.operator_id
          LEFT JOIN cap ON cap.listing_id = l.id
          LEFT JOIN loc ON loc.listing_id = l.id
      ) page_rows ON true
     ORDER BY ${orderSql(options.sort, "page_rows")}`;

  const total = Number(rows[0]?.total ?? 0n);
  const listings = rows
    .filter((row): row is ListingRow & { total: bigint } => typeof row.id === "string")
    .map(toListing);
  return { rows: listings, total };
}

export interface OperatorListing extends MarketplaceListing {
  status: ListingStatus;
}

/** Every listing of one operator, any status, newest first, with capacity. */
export async function listOperatorListings(prisma: PrismaClient, operatorId: string): Promise<OperatorListing[]> {
  const ids = Prisma.sql`SELECT id FROM listings WHERE operator_id = ${operatorId}::uuid`;
  const rows = await prisma.$queryRaw<(ListingRow & { status: ListingStatus })[]>`
    WITH cap AS (${capacitySql(ids)}),
         loc AS (${locationsSql(ids)})
    SELECT ${listingColumns}, l.status
      FROM listings l
      JOIN coins c ON c.asset = l.coin
      JOIN users u ON u.id = l.operator_id
      LEFT JOIN cap ON cap.listing_id = l.id
      LEFT JOIN loc ON loc.listing_id = l.id
     WHERE l.operator_id = ${operatorId}::uuid
     ORDER BY l.created_at DESC, l.id`;
  return rows.map((row) => ({ ...toListing(row), status: row.status }));
}

/** Coins that can be filtered on, in a stable order, with their display names. */
export async function listMarketplaceCoins(prisma: PrismaClient): Promise<{ asset: Asset; name: string }[]> {
  return prisma.coin.findMany({ select: { asset: true, name: true }, orderBy: { asset: "asc" } });
}

export interface RigModelSummary {
  model: string;
  /** Rigs of this model backing the listing, retired ones excluded. */
  rigs: number;
  activeRigs: number;
  /** Nominal hashrate of one rig of this model (the largest, if they differ), H/s. */
  nominalHashrateHs: bigint;
}

export interface FacilitySummary {
  name: string;
  location: string;
  countryCode: string;
}

export interface MarketplaceListingDetail extends MarketplaceListing {
  /** Base units per whole coin = 10^decimals. */
  coinDecimals: number;
  rigModels: RigModelSummary[];
  facilities: FacilitySummary[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One PUBLISHED listing for its public page, or null (unknown, not a UUID, or not published). */
export async function getMarketplaceListing(
  prisma: PrismaClient,
  id: string,
): Promise<MarketplaceListingDetail | null> {
  if (!UUID.test(id)) return null;
  const ids = Prisma.sql`SELECT id FROM listings WHERE id = ${id}::uuid AND status = 'PUBLISHED'`;
  const [rows, models, facilities] = await Promise.all([
    prisma.$queryRaw<(ListingRow & { decimals: number })[]>`
      WITH cap AS (${capacitySql(ids)}),
           loc AS (${locationsSql(ids)})
      SELECT ${listingColumns}, c.decimals
        FROM listings l
        JOIN coins c ON c.asset = l.coin
        JOIN users u ON u.id = l.operator_id
        LEFT JOIN cap ON cap.listing_id = l.id
        LEFT JOIN loc ON loc.listing_id = l.id
       WHERE l.id IN (${ids})`,
    prisma.$queryRaw<{ model: string; rigs: number; active_rigs: number; nominal_hs: string }[]>`
      SELECT r.model, count(*)::int AS rigs, count(*) FILTER (WHERE r.status = 'ACTIVE')::int AS active_rigs,
             max(r.nominal_hashrate_hs)::text AS nominal_hs
        FROM rigs r
       WHERE r.listing_id IN (${ids}) AND r.status <> 'RETIRED'
       GROUP BY r.model
       ORDER BY r.model`,
    prisma.$queryRaw<{ name: string; location: string; country_code: string }[]>`
      SELECT DISTINCT f.name, f.location, f.country_code
        FROM rigs r
        JOIN facilities f ON f.id = r.facility_id
       WHERE r.listing_id IN (${ids}) AND r.status <> 'RETIRED'
       ORDER BY f.name`,
  ]);
  const row = rows[0];
  if (!row) return null;
  return {
    ...toListing(row),
    coinDecimals: row.decimals,
    rigModels: models.map((m) => ({
      model: m.model,
      rigs: m.rigs,
      activeRigs: m.active_rigs,
      nominalHashrateHs: BigInt(m.nominal_hs),
    })),
    facilities: facilities.map((f) => ({ name: f.name, location: f.location, countryCode: f.country_code })),
  };
}

/** What a signed-in customer sees beside a listing's buy form: what they can pay from, and what they just bought here. */
export interface BuyerContext {
  usdAvailableMicroUsd: bigint;
  coinAvailableBase: bigint;
  /** Their contracts on this listing created in the last hour (not expired or cancelled), newest first. */
  recent: { hashrateHs: bigint; days: number; createdAt: Date }[];
}

export async function buyerContext(
  prisma: PrismaClient,
  customerId: string,
  listing: { id: string; coin: Asset },
  now: Date = new Date(),
): Promise<BuyerContext> {
  const since = new Date(now.getTime() - 60 * 60_000);
  const [balances, recent] = await Promise.all([
    customerBalances(prisma, customerId),
    prisma.contract.findMany({
      where: {
        customerId,
        listingId: listing.id,
        createdAt: { gte: since },
        status: { in: ["PENDING_PAYMENT", "ACTIVE", "COMPLETED"] },
      },
      select: { hashrateHs: true, days: true, createdAt: true },
      orderBy: { createdAt: "desc" },
      take: 20,
    }),
  ]);
  const balance = (asset: Asset) => balances.find((b) => b.asset === asset)?.available ?? 0n;
  return { usdAvailableMicroUsd: balance("USD"), coinAvailableBase: balance(listing.coin), recent };
}
