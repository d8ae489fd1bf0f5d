// The customer dashboard's data, always scoped to one customer (no other customer's rows can
// appear: every query filters by the customer's id, a contract filter must be theirs too).
// Built to stay fast with 100,000+ payouts per customer: charts and totals read the per
// customer, coin and day sums (customer_payout_days, kept by triggers on daily_payouts) or,
// for one contract, aggregate its payouts in SQL over the (contract_id, day) index; the payout
// table is paginated on that index — the page's keys are found first, then only those rows
// are read. Nothing loads all payouts into memory. Amounts come back as text, become BigInt.
import type { PrismaClient } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Asset, ContractStatus, HashrateSource } from "../generated/prisma/enums";
import type { DayFigures } from "../payouts/formula";
import { DAY_MS } from "../shared/days";

type Db = Pick<PrismaClient, "$queryRaw">;

export interface BalanceRow {
  asset: Asset;
  /** Base units per whole coin = 10^decimals (USD: micro-dollars, 6). */
  decimals: number;
  available: bigint;
  held: bigint;
  /** Latest known price (micro-USD per whole coin); null for USD or when no price is known. */
  priceMicroUsd: bigint | null;
  /** (available + held) at that price, rounded down; USD: the amount itself. */
  usdValueMicroUsd: bigint | null;
}

/** The customer's available and held balance per asset (non-zero only), USD first. */
export async function customerBalances(prisma: Db, customerId: string): Promise<BalanceRow[]> {
  const rows = await prisma.$queryRaw<
    { asset: Asset; decimals: number; available: string; held: string; price: string | null }[]
  >`
    WITH balances AS (
      SELECT asset,
             sum(balance) FILTER (WHERE type = 'USER_AVAILABLE') AS available,
             sum(balance) FILTER (WHERE type = 'USER_HELD') AS held
        FROM ledger_accounts
       WHERE user_id = ${customerId}::uuid AND type IN ('USER_AVAILABLE', 'USER_HELD')
       GROUP BY asset
    )
    SELECT b.asset, COALESCE(k.decimals, 6) AS decimals,
           COALESCE(b.available, 0)::text AS available, COALESCE(b.held, 0)::text AS held,
           (SELECT s.price_micro_usd FROM network_snapshots s WHERE s.coin = b.asset ORDER BY s.day DESC LIMIT 1)::text AS price
      FROM balances b LEFT JOIN coins k ON k.asset = b.asset
     WHERE COALESCE(b.available, 0) <> 0 OR COALESCE(b.held, 0) <> 0
     ORDER BY (b.asset = 'USD') DESC, b.asset`;
  return rows.map((r) => {
    const available = BigInt(r.available);
    const held = BigInt(r.held);
    const price = r.asset === "USD" || r.price === null ? null : BigInt(r.price);
    const usd =
      r.asset === "USD"
        ? available + held
        : price === null
          ? null
          : ((available + held) * price) / 10n ** BigInt(r.decimals);
    return {
      asset: r.asset,
      decimals: Number(r.decimals),
      available,
      held,
      priceMicroUsd: price,
      usdValueMicroUsd: usd,
    };
  });
}

export interface ContractProgress {
  id: string;
  coin: Asset;
  status: ContractStatus;
  hashrateHs: bigint;
  days: number;
  startDay: Date | null;
  endDay: Date | null;
  listingId: string;
  listingTitle: string;
  operatorName: string;
  unitLabel: string;
  dailyPriceMicroUsd: bigint;
  totalPriceMicroUsd: bigint;
  /** Days of the term that have ended (UTC), 0..days. */
  daysElapsed: number;
  /** A card checkout not paid yet: the capacity is held until then (null once paid). */
  reservedUntil: Date | null;
  /** What the card is charged, in cents (card purchases only). */
  chargedCents: bigint | null;
}

/** Days of a term that have ended by `now` (UTC): 0 before the start day, `days` after the end. */
export function daysElapsed(startDay: Date | null, days: number, now: Date): number {
  if (!startDay) return 0;
  const today = Math.floor(now.getTime() / DAY_MS);
  const start = Math.floor(startDay.getTime() / DAY_MS);
  return Math.max(0, Math.min(days, today - start));
}

/** Pending and active contracts with their term progress, newest first. */
export async function customerActiveContracts(
  prisma: Db,
  customerId: string,
  now: Date = new Date(),
): Promise<ContractProgress[]> {
  const rows = await prisma.$queryRaw<
    {
      id: string;
      coin: Asset;
      status: ContractStatus;
      hashrate_hs: bigint;
      days: number;
      start_day: Date | null;
      end_day: Date | null;
      listing_id: string;
      title: string;
      operator_name: string;
      unit_label: string;
      daily_price: bigint;
      total_price: bigint;
      reserved_until: Date | null;
      charged_cents: bigint | null;
    }[]
  >`
    SELECT c.id, c.coin, c.status, c.hashrate_hs, c.days, c.start_day, c.end_day, c.listing_id, l.title,
           u.name AS operator_name, k.hashrate_unit_label AS unit_label,
           c.daily_price_micro_usd AS daily_price, c.total_price_micro_usd AS total_price,
           c.reserved_until, c.charged_cents
      FROM contracts c
      JOIN listings l ON l.id = c.listing_id
      JOIN users u ON u.id = l.operator_id
      JOIN coins k ON k.asset = c.coin
     WHERE c.customer_id = ${customerId}::uuid AND c.status IN ('PENDING_PAYMENT', 'ACTIVE')
     ORDER BY c.created_at DESC, c.id`;
  return rows.map((r) => ({
    id: r.id,
    coin: r.coin,
    status: r.status,
    hashrateHs: BigInt(r.hashrate_hs),
    days: Number(r.days),
    startDay: r.start_day,
    endDay: r.end_day,
    listingId: r.listing_id,
    listingTitle: r.title,
    operatorName: r.operator_name,
    unitLabel: r.unit_label,
    dailyPriceMicroUsd: BigInt(r.daily_price),
    totalPriceMicroUsd: BigInt(r.total_price),
    daysElapsed: daysElapsed(r.start_day, Number(r.days), now),
    reservedUntil: r.reserved_until,
    chargedCents: r.charged_cents === null ? null : BigInt(r.charged_cents),
  }));
}

export interface ContractOption {
  id: string;
  coin: Asset;
  status: ContractStatus;
  label: string;
}

/** Every contract of the customer that has payouts or could have (for the payout filter). */
export async function customerContractOptions(prisma: Db, customerId: string): Promise<ContractOption[]> {
  const rows = await prisma.$queryRaw<
    { id: string; coin: Asset; status: ContractStatus; title: string; start_day: Date | null }[]
  >`
    SELECT c.id, c.coin, c.status, l.title, c.start_day
      FROM contracts c JOIN listings l ON l.id = c.listing_id
     WHERE c.customer_id = ${customerId}::uuid AND c.status IN ('ACTIVE', 'COMPLETED')
     ORDER BY c.start_day DESC NULLS LAST, c.id`;
  return rows.map((r) => ({
    id: r.id,
    coin: r.coin,
    status: r.status,
    label: `${r.coin} · ${r.title}${r.start_day ? ` · from ${r.start_day.toISOString().slice(0, 10)}` : ""} · ${r.id.slice(0, 8)}`,
  }));
}

/** Sums of one coin's payouts for one UTC day (or over all days, for totals). */
export interface PayoutSums {
  payouts: number;
  curtailed: number;
  allocatedHs: bigint;
  deliveredHs: bigint;
  grossBase: bigint;
  poolFeeBase: bigint;
  maintenanceFeeBase: bigint;
  netBase: bigint;
  underDeliveryCreditMicroUsd: bigint;
  usdValueMicroUsd: bigint;
}

export interface CoinDay extends PayoutSums {
  coin: Asset;
  decimals: number;
  day: Date;
}

export interface CoinSummary {
  coin: Asset;
  decimals: number;
  totals: PayoutSums;
  /** The days with payouts in the window (see payoutSummary), oldest first. */
  days: CoinDay[];
  /** Received before the window's first day. */
  beforeWindow: { netBase: bigint; usdValueMicroUsd: bigint };
}

function scopeSql(customerId: string, contractId: string | null): Prisma.Sql {
  // The contract filter only matches the customer's own contract: another customer's contract
  // id simply matches nothing.
  return contractId
    ? Prisma.sql`p.contract_id = ${contractId}::uuid
        AND EXISTS (SELECT 1 FROM contracts o WHERE o.id = ${contractId}::uuid AND o.customer_id = ${customerId}::uuid)`
    : Prisma.sql`p.contract_id IN (SELECT id FROM contracts WHERE customer_id = ${customerId}::uuid)`;
}

// Sums per coin and day, as numeric columns (for the dashboard: all the customer's contracts
// from customer_payout_days; one contract aggregated from its payouts).
function daySumsSql(customerId: string, contractId: string | null): Prisma.Sql {
  if (contractId) {
    return Prisma.sql`
      SELECT p.coin, p.day, max(p.decimals) AS decimals, count(*) AS payouts, count(*) FILTER (WHERE p.curtailed) AS curtailed,
             sum(p.allocated_hashrate_hs)::numeric AS allocated, sum(p.delivered_hashrate_hs)::numeric AS delivered,
             sum(p.gross_base) AS gross, sum(p.pool_fee_base) AS pool, sum(p.maintenance_fee_base) AS maintenance,
             sum(p.net_base) AS net, sum(p.under_delivery_credit_micro_usd)::numeric AS credit,
             sum(p.usd_value_at_receipt_micro_usd)::numeric AS usd
        FROM daily_payouts p
       WHERE ${scopeSql(customerId, contractId)}
       GROUP BY p.coin, p.day`;
  }
  return Prisma.sql`
    SELECT d.coin, d.day, k.decimals, d.payouts::bigint AS payouts, d.curtailed::bigint AS curtailed,
           d.allocated_hashrate_hs AS allocated, d.delivered_hashrate_hs AS delivered, d.gross_base AS gross,
           d.pool_fee_base AS pool, d.maintenance_fee_base AS maintenance, d.net_base AS net,
           d.under_delivery_credit_micro_usd AS credit, d.usd_value_micro_usd AS usd
      FROM customer_payout_days d JOIN coins k ON k.asset = d.coin
     WHERE d.customer_id = ${customerId}::uuid AND d.payouts > 0`;
}

/** Days per coin the summary returns one by one (the charts' window); older days are in the totals. */
export const SUMMARY_DAYS = 60;

/**
 * Per coin: totals over every payout, and the per-day sums of the last `days` days up to the
 * coin's latest payout day (oldest first), plus what was received before that window (so a
 * cumulative chart can start from it). All sums are computed in SQL: the result has at most
 * `days` + 1 rows per coin, however many payouts there are. `contractId` narrows to one of
 * the customer's contracts.
 */
export async function payoutSummary(
  prisma: Db,
  customerId: string,
  contractId: string | null = null,
  days: number = SUMMARY_DAYS,
): Promise<CoinSummary[]> {
  const rows = await prisma.$queryRaw<
    {
      coin: Asset;
      day: Date | null;
      decimals: number;
      payouts: bigint;
      curtailed: bigint;
      allocated: string;
      delivered: string;
      gross: string;
      pool: string;
      maintenance: string;
      net: string;
      credit: string;
      usd: string;
    }[]
  >`
    WITH per_day AS MATERIALIZED (${daySumsSql(customerId, contractId)}),
    latest AS (SELECT coin, max(day) AS last_day FROM per_day GROUP BY coin)
    SELECT pd.coin, pd.day, pd.decimals, pd.payouts, pd.curtailed, pd.allocated::text AS allocated, pd.delivered::text AS delivered,
           pd.gross::text AS gross, pd.pool::text AS pool, pd.maintenance::text AS maintenance, pd.net::text AS net,
           pd.credit::text AS credit, pd.usd::text AS usd
      FROM per_day pd JOIN latest l ON l.coin = pd.coin
     WHERE pd.day > l.last_day - ${days}::int
    UNION ALL
    SELECT coin, NULL, max(decimals), sum(payouts)::bigint, sum(curtailed)::bigint, sum(allocated)::text, sum(delivered)::text,
           sum(gross)::text, sum(pool)::text, sum(maintenance)::text, sum(net)::text, sum(credit)::text, sum(usd)::text
      FROM per_day GROUP BY coin
     ORDER BY 1, 2 NULLS FIRST`;
  const byCoin = new Map<Asset, CoinSummary>();
  for (const r of rows) {
    const sums: PayoutSums = {
      payouts: Number(r.payouts),
      curtailed: Number(r.curtailed),
      allocatedHs: BigInt(r.allocated),
      deliveredHs: BigInt(r.delivered),
      grossBase: BigInt(r.gross),
      poolFeeBase: BigInt(r.pool),
      maintenanceFeeBase: BigInt(r.maintenance),
      netBase: BigInt(r.net),
      underDeliveryCreditMicroUsd: BigInt(r.credit),
      usdValueMicroUsd: BigInt(r.usd),
    };
    if (r.day === null) {
      // The totals row comes first for its coin (NULLS FIRST).
      byCoin.set(r.coin, {
        coin: r.coin,
        decimals: Number(r.decimals),
        totals: sums,
        days: [],
        beforeWindow: { netBase: sums.netBase, usdValueMicroUsd: sums.usdValueMicroUsd },
      });
      continue;
    }
    const summary = byCoin.get(r.coin)!;
    summary.days.push({ ...sums, coin: r.coin, decimals: Number(r.decimals), day: r.day });
    summary.beforeWindow.netBase -= sums.netBase;
    summary.beforeWindow.usdValueMicroUsd -= sums.usdValueMicroUsd;
  }
  return [...byCoin.values()];
}

export interface PayoutListRow extends DayFigures {
  id: bigint;
  contractId: string;
  listingTitle: string;
  day: Date;
  coin: Asset;
  decimals: number;
  allocatedHashrateHs: bigint;
  deliveredHashrateHs: bigint;
  /** Where the delivered hashrate came from: verified shares, operator telemetry, both, none. */
  hashrateSource: HashrateSource;
}

export const PAYOUT_PAGE_SIZE = 25;

/**
 * The days a page of all the customer's payouts spans, from the per-day counts
 * (customer_payout_days): the page is rows offset+1 .. offset+pageSize counted from the newest
 * day, so it lies between the day holding row offset+1 (`to`) and the day holding the last row
 * (`from`); `skip` is how many rows of days up to `to` come before it. A deep page thus reads
 * a few days of payouts, never the offset's worth of rows.
 */
async function pageDays(prisma: Db, customerId: string, offset: number, pageSize: number) {
  const [range] = await prisma.$queryRaw<{ from: Date | null; to: Date | null; before: string | null }[]>`
    WITH days AS (
      SELECT day, sum(payouts) AS n FROM customer_payout_days
       WHERE customer_id = ${customerId}::uuid GROUP BY day HAVING sum(payouts) > 0
    ), running AS (
      SELECT day, n, sum(n) OVER (ORDER BY day DESC) AS through FROM days
    )
    SELECT min(day) AS "from", max(day) AS "to",
           (SELECT through - n FROM running WHERE through > ${offset} ORDER BY day DESC LIMIT 1)::text AS before
      FROM running
     WHERE through > ${offset} AND through - n < ${offset + pageSize}`;
  if (!range?.from || !range.to || range.before === null) return null;
  return { from: range.from, to: range.to, skip: offset - Number(range.before) };
}

/**
 * One page of the customer's payouts, newest day first (ties by contract id: the unique
 * (contract_id, day) key makes the order total and stable). The page's keys come from the
 * (contract_id, day) index alone, over the few days the page spans; only the page's rows are
 * then read in full.
 */
export async function payoutPage(
  prisma: Db,
  customerId: string,
  options: { contractId?: string | null; page: number; pageSize?: number },
): Promise<PayoutListRow[]> {
  const pageSize = options.pageSize ?? PAYOUT_PAGE_SIZE;
  const offset = Math.max(0, options.page - 1) * pageSize;
  const contractId = options.contractId ?? null;
  let window = Prisma.empty;
  let skip = offset;
  if (!contractId) {
    const days = await pageDays(prisma, customerId, offset, pageSize);
    if (!days) return [];
    window = Prisma.sql`AND p.day BETWEEN ${days.from} AND ${days.to}`;
    skip = days.skip;
  }
  const rows = await prisma.$queryRaw<
    {
      id: bigint;
      contract_id: string;
      title: string;
      day: Date;
      coin: Asset;
      decimals: number;
      allocated: bigint;
      delivered: bigint;
      gross: string;
      pool: string;
      maintenance: string;
      computed_gross: string;
      computed_pool: string;
      computed_maintenance: string;
      net: string;
      curtailed: boolean;
      source: HashrateSource;
      credit: bigint;
      usd: bigint;
    }[]
  >`
    WITH page AS (
      SELECT p.contract_id, p.day FROM daily_payouts p
       WHERE ${scopeSql(customerId, contractId)} ${window}
       ORDER BY p.day DESC, p.contract_id
       LIMIT ${pageSize} OFFSET ${skip}
    )
    SELECT p.id, p.contract_id, l.title, p.day, p.coin, p.decimals, p.allocated_hashrate_hs AS allocated,
           p.delivered_hashrate_hs AS delivered, p.gross_base::text AS gross, p.pool_fee_base::text AS pool,
           p.maintenance_fee_base::text AS maintenance, p.net_base::text AS net, p.curtailed,
           p.computed_gross_base::text AS computed_gross, p.computed_pool_fee_base::text AS computed_pool,
           p.computed_maintenance_fee_base::text AS computed_maintenance, p.hashrate_source::text AS source, p.under_delivery_credit_micro_usd AS credit,
           p.usd_value_at_receipt_micro_usd AS usd
      FROM page
      JOIN daily_payouts p ON p.contract_id = page.contract_id AND p.day = page.day
      JOIN contracts c ON c.id = p.contract_id
      JOIN listings l ON l.id = c.listing_id
     ORDER BY p.day DESC, p.contract_id`;
  return rows.map((r) => ({
    id: BigInt(r.id),
    contractId: r.contract_id,
    listingTitle: r.title,
    day: r.day,
    coin: r.coin,
    decimals: Number(r.decimals),
    allocatedHashrateHs: BigInt(r.allocated),
    deliveredHashrateHs: BigInt(r.delivered),
    computedGrossBase: BigInt(r.computed_gross),
    computedPoolFeeBase: BigInt(r.computed_pool),
    computedMaintenanceFeeBase: BigInt(r.computed_maintenance),
    grossBase: BigInt(r.gross),
    poolFeeBase: BigInt(r.pool),
    maintenanceFeeBase: BigInt(r.maintenance),
    netBase: BigInt(r.net),
    curtailed: r.curtailed,
    hashrateSource: r.source,
    underDeliveryCreditMicroUsd: BigInt(r.credit),
    usdValueAtReceiptMicroUsd: BigInt(r.usd),
  }));
}
