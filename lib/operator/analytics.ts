// The operator's analytics (/operator/performance, the telemetry pages): capacity use,
// delivery against nominal from telemetry, and money per month. Every figure is an SQL
// aggregate scoped to one operator; ratios are integer basis points rounded down, money is
// micro-USD (bigint), never floats.
import type { PrismaClient } from "../db/client";
import type { Algorithm, Asset, RigStatus, TelemetrySource } from "../generated/prisma/enums";
import { DAY_MS, dayText } from "../shared/days";

/** A rig delivering less than this share of its nominal over the window is flagged. */
export const DELIVERY_FLAG_BPS = 9_500;
export const DELIVERY_WINDOW_DAYS = 30;

/** floor(part * 10000 / total) basis points; null when there is no capacity. */
export function utilisationBps(part: bigint, total: bigint): number | null {
  if (total <= 0n) return null;
  return Number((part * 10_000n) / total);
}

export function yesterdayUtc(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - DAY_MS);
}

/**
 * Capacity use of one facility's rigs of one algorithm: hashrates of different algorithms are
 * different units (a TH/s of SHA-256 is not a kH/s of RandomX), so they are never added.
 */
export interface FacilityUtilisation {
  facilityId: string;
  name: string;
  /** The rigs' algorithm; null for a facility without rigs. */
  algorithm: Algorithm | null;
  rigs: number;
  activeRigs: number;
  /** Nominal hashrate of the ACTIVE rigs, H/s. */
  totalHs: bigint;
  /** LIVE allocations on ACTIVE rigs. */
  liveHs: bigint;
  /** RESERVED allocations on ACTIVE rigs (card checkouts pending). */
  reservedHs: bigint;
  /** Contracts' hashrate on rigs out of service (under-delivered). */
  strandedHs: bigint;
  /** (live + reserved) / total, basis points; null without active capacity. */
  utilisationBps: number | null;
}

/** Capacity use now, per facility and algorithm of the operator (facilities without rigs included). */
export async function facilityUtilisation(prisma: PrismaClient, operatorId: string): Promise<FacilityUtilisation[]> {
  const rows = await prisma.$queryRaw<
    {
      id: string;
      name: string;
      algorithm: Algorithm | null;
      rigs: number;
      active_rigs: number;
      total_hs: string;
      live_hs: string;
      reserved_hs: string;
      stranded_hs: string;
    }[]
  >`
    SELECT f.id::text AS id, f.name, r.algorithm::text AS algorithm,
           count(r.id)::int AS rigs,
           count(r.id) FILTER (WHERE r.status = 'ACTIVE')::int AS active_rigs,
           COALESCE(sum(r.nominal_hashrate_hs) FILTER (WHERE r.status = 'ACTIVE'), 0)::text AS total_hs,
           COALESCE(sum(u.live) FILTER (WHERE r.status = 'ACTIVE'), 0)::text AS live_hs,
           COALESCE(sum(u.reserved) FILTER (WHERE r.status = 'ACTIVE'), 0)::text AS reserved_hs,
           COALESCE(sum(u.live + u.reserved) FILTER (WHERE r.status <> 'ACTIVE'), 0)::text AS stranded_hs
      FROM facilities f
      LEFT JOIN rigs r ON r.facility_id = f.id
      LEFT JOIN LATERAL (
        SELECT COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status = 'LIVE'), 0) AS live,
               COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status = 'RESERVED'), 0) AS reserved
          FROM allocations a
         WHERE a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')
      ) u ON true
     WHERE f.operator_id = ${operatorId}::uuid
     GROUP BY f.id, f.name, r.algorithm
     ORDER BY f.name, f.id, r.algorithm`;
  return rows.map((r) => {
    const totalHs = BigInt(r.total_hs);
    const liveHs = BigInt(r.live_hs);
    const reservedHs = BigInt(r.reserved_hs);
    return {
      facilityId: r.id,
      name: r.name,
      algorithm: r.algorithm,
      rigs: r.rigs,
      activeRigs: r.active_rigs,
      totalHs,
      liveHs,
      reservedHs,
      strandedHs: BigInt(r.stranded_hs),
      utilisationBps: utilisationBps(liveHs + reservedHs, totalHs),
    };
  });
}

export interface RigDelivery {
  rigId: string;
  model: string;
  serialNumber: string;
  facilityName: string;
  status: RigStatus;
  nominalHashrateHs: bigint;
  /** LIVE allocations on the rig now. */
  liveHs: bigint;
  /** Days of the window with a telemetry row. */
  daysReported: number;
  /**
   * Delivered share over the reported days, as the payout run counts it (reported capped at
   * nominal): floor(sum(min(rep, nom)) * 10000 / (nom * daysReported)); null without reports.
   */
  deliveryBps: number | null;
  /** Below DELIVERY_FLAG_BPS. */
  flagged: boolean;
  /** Per day of the window, oldest first: floor(rep * 10000 / nom) (not capped), null = no report. */
  series: (number | null)[];
}

export interface RigDeliveryPage {
  /** First and last day of the window, YYYY-MM-DD. */
  from: string;
  to: string;
  days: string[];
  rigs: RigDelivery[];
  /** Rigs of the operator (all pages). */
  total: number;
  flaggedTotal: number;
}

/**
 * Delivery per rig over the `days` days ending with `lastDay` (default yesterday, UTC), worst
 * first (rigs without reports last); one page of rigs. `rigId` narrows it to one rig.
 */
export async function rigDeliveryRatios(
  prisma: PrismaClient,
  operatorId: string,
  options: { lastDay?: Date; days?: number; page?: number; pageSize?: number; rigId?: string } = {},
): Promise<RigDeliveryPage> {
  const days = options.days ?? DELIVERY_WINDOW_DAYS;
  const lastDay = options.lastDay ?? yesterdayUtc();
  const firstDay = new Date(lastDay.getTime() - (days - 1) * DAY_MS);
  const pageSize = options.pageSize ?? 50;
  const offset = Math.max(0, (options.page ?? 1) - 1) * pageSize;
  const from = dayText(firstDay);
  const to = dayText(lastDay);
  const rigId = options.rigId ?? null;

  const rows = await prisma.$queryRaw<
    {
      id: string;
      model: string;
      serial_number: string;
      facility: string;
      status: RigStatus;
      nominal: bigint;
      live_hs: string;
      days_reported: number;
      delivery_bps: number | null;
      series: (number | null)[];
      total: number;
      flagged_total: number;
    }[]
  >`
    WITH owned AS (
      SELECT r.id, r.model, r.serial_number, r.status, r.nominal_hashrate_hs AS nominal, f.name AS facility
        FROM rigs r JOIN facilities f ON f.id = r.facility_id
       WHERE f.operator_id = ${operatorId}::uuid AND (${rigId}::uuid IS NULL OR r.id = ${rigId}::uuid)
    ), delivered AS (
      SELECT o.id, count(t.day)::int AS days_reported,
             CASE WHEN count(t.day) > 0
                  THEN div(sum(least(t.reported_hashrate_hs, o.nominal))::numeric * 10000, o.nominal::numeric * count(t.day))::int
             END AS delivery_bps
        FROM owned o
        LEFT JOIN rig_telemetry t ON t.rig_id = o.id AND t.day BETWEEN ${from}::date AND ${to}::date
       GROUP BY o.id, o.nominal
    ), ranked AS (
      SELECT o.*, d.days_reported, d.delivery_bps,
             count(*) OVER ()::int AS total,
             (count(*) FILTER (WHERE d.delivery_bps < ${DELIVERY_FLAG_BPS}) OVER ())::int AS flagged_total
        FROM owned o JOIN delivered d ON d.id = o.id
       ORDER BY d.delivery_bps ASC NULLS LAST, o.model, o.serial_number, o.id
       LIMIT ${pageSize} OFFSET ${offset}
    )
    SELECT k.id::text AS id, k.model, k.serial_number, k.facility, k.status::text AS status, k.nominal,
           COALESCE((SELECT sum(a.hashrate_hs) FROM allocations a WHERE a.rig_id = k.id AND a.status = 'LIVE'), 0)::text AS live_hs,
           k.days_reported, k.delivery_bps, k.total, k.flagged_total,
           (SELECT array_agg(CASE WHEN t.day IS NULL THEN NULL ELSE div(t.reported_hashrate_hs::numeric * 10000, k.nominal)::int END ORDER BY w.day)
              FROM generate_series(${from}::date, ${to}::date, interval '1 day') AS w(day)
              LEFT JOIN rig_telemetry t ON t.rig_id = k.id AND t.day = w.day::date) AS series
      FROM ranked k
     ORDER BY k.delivery_bps ASC NULLS LAST, k.model, k.serial_number, k.id`;

  const dayList = Array.from({ length: days }, (_, i) => dayText(new Date(firstDay.getTime() + i * DAY_MS)));
  return {
    from,
    to,
    days: dayList,
    total: rows[0]?.total ?? (offset > 0 ? await countRigs(prisma, operatorId) : 0),
    flaggedTotal: rows[0]?.flagged_total ?? 0,
    rigs: rows.map((r) => ({
      rigId: r.id,
      model: r.model,
      serialNumber: r.serial_number,
      facilityName: r.facility,
      status: r.status,
      nominalHashrateHs: BigInt(r.nominal),
      liveHs: BigInt(r.live_hs),
      daysReported: r.days_reported,
      deliveryBps: r.delivery_bps,
      flagged: r.delivery_bps !== null && r.delivery_bps < DELIVERY_FLAG_BPS,
      series: r.series.map((v) => (v === null ? null : Number(v))),
    })),
  };
}

async function countRigs(prisma: PrismaClient, operatorId: string): Promise<number> {
  return prisma.rig.count({ where: { facility: { operatorId } } });
}

export interface MonthlyRevenue {
  /** YYYY-MM (UTC). */
  month: string;
  /** Contract sales credited to the operator's payable (purchases and card payments, net of reversals), micro-USD. */
  salesMicroUsd: bigint;
  /** Contract-days settled by the payout run on the operator's listings. */
  contractDays: number;
  /** Rental delivered: sum over those days of the daily price minus the under-delivery credit. */
  deliveredMicroUsd: bigint;
  /** Under-delivery credits paid from the operator's payable for those days. */
  underDeliveryCreditMicroUsd: bigint;
  /** Contract-days with a credit. */
  creditedDays: number;
  /**
   * Maintenance fees credited to the operator's coin payables by the payout run (the fee pays
   * the electricity and hosting; lib/payouts/README.md), valued at receipt floor(M * P / 10^d)
   * per payout, micro-USD; by the payout's day. Read from the ledger postings themselves.
   */
  maintenanceIncomeMicroUsd: bigint;
  /** Payout days whose maintenance fee reached the operator. */
  maintenanceDays: number;
}

/**
 * Money per UTC month over the last `months` months (the current one included), newest first;
 * months with nothing are left out. Sales come from the ledger (postings to the operator's
 * payable, by the journal's month); contract-days, delivered rental and credits from the
 * payouts of contracts on the operator's listings (by the payout's day).
 */
export async function monthlyRevenue(
  prisma: PrismaClient,
  operatorId: string,
  options: { months?: number; now?: Date } = {},
): Promise<MonthlyRevenue[]> {
  const now = options.now ?? new Date();
  const months = options.months ?? 12;
  const fromMonth = dayText(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)));
  const rows = await prisma.$queryRaw<
    {
      month: string;
      sales: string;
      contract_days: number;
      delivered: string;
      credits: string;
      credited_days: number;
      maintenance: string;
      maintenance_days: number;
    }[]
  >`
    WITH sales AS (
      SELECT date_trunc('month', j.created_at AT TIME ZONE 'UTC')::date AS month, sum(p.amount) AS sales
        FROM ledger_accounts a
        JOIN postings p ON p.account_id = a.id
        JOIN journal_transactions j ON j.id = p.journal_id
        LEFT JOIN journal_transactions reversed ON reversed.id = j.reverses_id
       WHERE a.type = 'OPERATOR_PAYABLE' AND a.asset = 'USD' AND a.user_id = ${operatorId}::uuid
         AND (j.kind IN ('CONTRACT_PURCHASE', 'STRIPE_PAYMENT')
              OR (j.kind = 'REVERSAL' AND reversed.kind IN ('CONTRACT_PURCHASE', 'STRIPE_PAYMENT')))
         AND j.created_at >= (${fromMonth}::date)::timestamp AT TIME ZONE 'UTC'
       GROUP BY 1
    ), payouts AS (
      SELECT date_trunc('month', dp.day)::date AS month, count(*)::int AS contract_days,
             sum(dp.daily_price_micro_usd - dp.under_delivery_credit_micro_usd) AS delivered,
             sum(dp.under_delivery_credit_micro_usd) AS credits,
             (count(*) FILTER (WHERE dp.under_delivery_credit_micro_usd > 0))::int AS credited_days
        FROM listings l
        JOIN contracts c ON c.listing_id = l.id
        JOIN daily_payouts dp ON dp.contract_id = c.id
       WHERE l.operator_id = ${operatorId}::uuid AND dp.day >= ${fromMonth}::date
       GROUP BY 1
    ), maintenance AS (
      -- What the PAYOUT journals credited to the operator's payables in the coins, each valued
      -- at its payout's price: floor(M * P / 10^d).
      SELECT date_trunc('month', dp.day)::date AS month,
             sum(div(p.amount * dp.price_micro_usd, power(10::numeric, dp.decimals))) AS maintenance,
             count(*)::int AS maintenance_days
        FROM ledger_accounts a
        JOIN postings p ON p.account_id = a.id
        JOIN journal_transactions j ON j.id = p.journal_id AND j.kind = 'PAYOUT' AND j.reference_type = 'daily_payout'
        JOIN daily_payouts dp ON dp.id = j.reference_id::bigint
       WHERE a.type = 'OPERATOR_PAYABLE' AND a.asset <> 'USD' AND a.user_id = ${operatorId}::uuid
         AND dp.day >= ${fromMonth}::date
       GROUP BY 1
    ), months AS (
      SELECT month FROM sales UNION SELECT month FROM payouts UNION SELECT month FROM maintenance
    )
    SELECT to_char(m.month, 'YYYY-MM') AS month,
           COALESCE(s.sales, 0)::text AS sales,
           COALESCE(p.contract_days, 0) AS contract_days,
           COALESCE(p.delivered, 0)::text AS delivered,
           COALESCE(p.credits, 0)::text AS credits,
           COALESCE(p.credited_days, 0) AS credited_days,
           COALESCE(x.maintenance, 0)::text AS maintenance,
           COALESCE(x.maintenance_days, 0) AS maintenance_days
      FROM months m
      LEFT JOIN sales s ON s.month = m.month
      LEFT JOIN payouts p ON p.month = m.month
      LEFT JOIN maintenance x ON x.month = m.month
     ORDER BY m.month DESC`;
  return rows.map((r) => ({
    month: r.month,
    salesMicroUsd: BigInt(r.sales),
    contractDays: r.contract_days,
    deliveredMicroUsd: BigInt(r.delivered),
    underDeliveryCreditMicroUsd: BigInt(r.credits),
    creditedDays: r.credited_days,
    maintenanceIncomeMicroUsd: BigInt(r.maintenance),
    maintenanceDays: r.maintenance_days,
  }));
}

export interface MaintenanceIncome {
  coin: Asset;
  decimals: number;
  /** Maintenance fees credited to the operator's payable in this coin, all time (base units). */
  creditedBase: bigint;
  /** Payout days that credited it. */
  days: number;
  /** Their value at receipt, floor(M * P / 10^d) per payout, micro-USD. */
  valueMicroUsd: bigint;
}

/**
 * The maintenance fees the payout run has credited to the operator's coin payables (the
 * operator's income for the electricity and hosting of its rigs), per coin, from the ledger's
 * PAYOUT postings themselves.
 */
export async function maintenanceIncome(prisma: PrismaClient, operatorId: string): Promise<MaintenanceIncome[]> {
  const rows = await prisma.$queryRaw<
    { coin: Asset; decimals: number; credited: string; days: number; value: string }[]
  >`
    SELECT a.asset AS coin, k.decimals, sum(p.amount)::text AS credited, count(*)::int AS days,
           sum(div(p.amount * dp.price_micro_usd, power(10::numeric, dp.decimals)))::text AS value
      FROM ledger_accounts a
      JOIN coins k ON k.asset = a.asset
      JOIN postings p ON p.account_id = a.id
      JOIN journal_transactions j ON j.id = p.journal_id AND j.kind = 'PAYOUT' AND j.reference_type = 'daily_payout'
      JOIN daily_payouts dp ON dp.id = j.reference_id::bigint
     WHERE a.type = 'OPERATOR_PAYABLE' AND a.asset <> 'USD' AND a.user_id = ${operatorId}::uuid
     GROUP BY a.asset, k.decimals
     ORDER BY a.asset`;
  return rows.map((r) => ({
    coin: r.coin,
    decimals: Number(r.decimals),
    creditedBase: BigInt(r.credited),
    days: r.days,
    valueMicroUsd: BigInt(r.value),
  }));
}

export interface TelemetrySheetRow {
  rigId: string;
  model: string;
  serialNumber: string;
  facilityName: string;
  status: RigStatus;
  nominalHashrateHs: bigint;
  /** The day's report, if any. */
  reportedHashrateHs: bigint | null;
  uptimeBps: number | null;
  source: TelemetrySource | null;
  /** Payouts of the day are settled for a contract on this rig: the report is final. */
  settled: boolean;
}

/**
 * The operator's rigs with their report for `day` and whether that day is settled for them,
 * by facility, model and serial; one page. `rigId` narrows it to one rig.
 */
export async function telemetrySheet(
  prisma: PrismaClient,
  operatorId: string,
  day: Date,
  options: { page?: number; pageSize?: number; rigId?: string } = {},
): Promise<{ rows: TelemetrySheetRow[]; total: number }> {
  const label = dayText(day);
  const pageSize = options.pageSize ?? 100;
  const offset = Math.max(0, (options.page ?? 1) - 1) * pageSize;
  const rigId = options.rigId ?? null;
  const rows = await prisma.$queryRaw<
    {
      id: string;
      model: string;
      serial_number: string;
      facility: string;
      status: RigStatus;
      nominal: bigint;
      reported: bigint | null;
      uptime_bps: number | null;
      source: TelemetrySource | null;
      settled: boolean;
      total: number;
    }[]
  >`
    SELECT r.id::text AS id, r.model, r.serial_number, f.name AS facility, r.status::text AS status, r.nominal_hashrate_hs AS nominal,
           t.reported_hashrate_hs AS reported, t.uptime_bps, t.source::text AS source,
           EXISTS (
             SELECT 1 FROM allocations a JOIN daily_payouts p ON p.contract_id = a.contract_id AND p.day = ${label}::date
              WHERE a.rig_id = r.id
                AND a.created_at < ((${label}::date + 1)::timestamp AT TIME ZONE 'UTC')
                AND (a.released_at IS NULL OR a.released_at >= ((${label}::date + 1)::timestamp AT TIME ZONE 'UTC'))
           ) AS settled,
           count(*) OVER ()::int AS total
      FROM rigs r
      JOIN facilities f ON f.id = r.facility_id
      LEFT JOIN rig_telemetry t ON t.rig_id = r.id AND t.day = ${label}::date
     WHERE f.operator_id = ${operatorId}::uuid AND (${rigId}::uuid IS NULL OR r.id = ${rigId}::uuid)
     ORDER BY f.name, r.model, r.serial_number, r.id
     LIMIT ${pageSize} OFFSET ${offset}`;
  return {
    total: rows[0]?.total ?? (offset > 0 ? await countRigs(prisma, operatorId) : 0),
    rows: rows.map((r) => ({
      rigId: r.id,
      model: r.model,
      serialNumber: r.serial_number,
      facilityName: r.facility,
      status: r.status,
      nominalHashrateHs: BigInt(r.nominal),
      reportedHashrateHs: r.reported === null ? null : BigInt(r.reported),
      uptimeBps: r.uptime_bps,
      source: r.source,
      settled: r.settled,
    })),
  };
}

export interface RigTelemetryDay {
  day: string;
  reportedHashrateHs: bigint;
  uptimeBps: number | null;
  source: TelemetrySource;
  /** floor(rep * 10000 / nominal). */
  ofNominalBps: number;
  settled: boolean;
}

/** The rig's reports of the last `days` days ending yesterday, newest first; [] for someone else's rig. */
export async function recentRigTelemetry(
  prisma: PrismaClient,
  operatorId: string,
  rigId: string,
  options: { days?: number; now?: Date } = {},
): Promise<RigTelemetryDay[]> {
  const lastDay = yesterdayUtc(options.now);
  const firstDay = new Date(lastDay.getTime() - ((options.days ?? DELIVERY_WINDOW_DAYS) - 1) * DAY_MS);
  const rows = await prisma.$queryRaw<
    {
      day: string;
      reported: bigint;
      uptime_bps: number | null;
      source: TelemetrySource;
      of_nominal_bps: number;
      settled: boolean;
    }[]
  >`
    SELECT t.day::text AS day, t.reported_hashrate_hs AS reported, t.uptime_bps, t.source::text AS source,
           div(t.reported_hashrate_hs::numeric * 10000, r.nominal_hashrate_hs)::int AS of_nominal_bps,
           EXISTS (
             SELECT 1 FROM allocations a JOIN daily_payouts p ON p.contract_id = a.contract_id AND p.day = t.day
              WHERE a.rig_id = r.id
                AND a.created_at < ((t.day + 1)::timestamp AT TIME ZONE 'UTC')
                AND (a.released_at IS NULL OR a.released_at >= ((t.day + 1)::timestamp AT TIME ZONE 'UTC'))
           ) AS settled
      FROM rigs r
      JOIN facilities f ON f.id = r.facility_id AND f.operator_id = ${operatorId}::uuid
      JOIN rig_telemetry t ON t.rig_id = r.id AND t.day BETWEEN ${dayText(firstDay)}::date AND ${dayText(lastDay)}::date
     WHERE r.id = ${rigId}::uuid
     ORDER BY t.day DESC`;
  return rows.map((r) => ({
    day: r.day,
    reportedHashrateHs: BigInt(r.reported),
    uptimeBps: r.uptime_bps,
    source: r.source,
    ofNominalBps: r.of_nominal_bps,
    settled: r.settled,
  }));
}

export interface AlgorithmUtilisation {
  algorithm: Algorithm;
  totalHs: bigint;
  allocatedHs: bigint;
  utilisationBps: number | null;
}

/** The facility rows summed per algorithm (never across algorithms), in algorithm order. */
export function utilisationByAlgorithm(rows: FacilityUtilisation[]): AlgorithmUtilisation[] {
  const sums = new Map<Algorithm, { totalHs: bigint; allocatedHs: bigint }>();
  for (const row of rows) {
    if (!row.algorithm) continue;
    const sum = sums.get(row.algorithm) ?? { totalHs: 0n, allocatedHs: 0n };
    sum.totalHs += row.totalHs;
    sum.allocatedHs += row.liveHs + row.reservedHs;
    sums.set(row.algorithm, sum);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([algorithm, sum]) => ({ algorithm, ...sum, utilisationBps: utilisationBps(sum.allocatedHs, sum.totalHs) }));
}
