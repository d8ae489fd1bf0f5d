// Read models of the tax ledger, each scoped to one user (never another's rows): the years,
// the profile, the year's totals and summary inputs, the lines with filters, the exports, and
// an operator's rental revenue per month. Money is micro-USD bigint, coins base units.
import type { PrismaClient } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Asset, TaxLineKind, TaxProfileKind } from "../generated/prisma/enums";
import { monthlyRevenue, type MonthlyRevenue } from "../operator/analytics";
import {
  amortisedInYear,
  amortisedInYearToDate,
  taxYearRange,
  termDaysInYear,
  termDaysInYearToDate,
  yearIsRunning,
  yearToDateEnd,
} from "./amortisation";
import type {
  DisposalTermRow,
  LotAcquiredRow,
  LotDisposalRow,
  LotTransferRow,
  PayoutExportRow,
  WithdrawalExportRow,
} from "./csv";
import { projectFullYear, type ContractYearRun } from "./projection";
import type { SeParameters } from "./se-tax";
import { capitalGains, type HoldingTerm, type YearTotals } from "./summary";

export const TAX_LINE_KINDS: readonly TaxLineKind[] = ["MINING_INCOME", "POOL_FEE", "MAINTENANCE_FEE"];
export const TAX_LINE_LABELS: Record<TaxLineKind, string> = {
  MINING_INCOME: "Mining income",
  POOL_FEE: "Pool fee",
  MAINTENANCE_FEE: "Maintenance fee",
};
export const LINES_PAGE_SIZE = 100;
/** The first tax year the app accepts (Bitcoin's first full year). */
export const FIRST_TAX_YEAR = 2009;

function yearBounds(year: number) {
  const { from, toExclusive } = taxYearRange(year);
  return { from: from.toISOString().slice(0, 10), to: toExclusive.toISOString().slice(0, 10) };
}

/** Years with tax lines, contract terms or coin disposals, and the current one; newest first. */
export async function taxYears(prisma: PrismaClient, userId: string, now: Date = new Date()): Promise<number[]> {
  const rows = await prisma.$queryRaw<{ year: number }[]>`
    SELECT DISTINCT extract(year FROM day)::int AS year FROM tax_lines WHERE user_id = ${userId}::uuid
    UNION
    SELECT DISTINCT extract(year FROM g)::int
      FROM contracts c, generate_series(c.start_day, c.end_day, interval '1 year') AS g
     WHERE c.customer_id = ${userId}::uuid AND c.status IN ('ACTIVE', 'COMPLETED') AND c.start_day IS NOT NULL
    UNION
    SELECT DISTINCT extract(year FROM d.disposed_at AT TIME ZONE 'UTC')::int FROM tax_disposals d WHERE d.user_id = ${userId}::uuid
    UNION
    SELECT extract(year FROM c.end_day)::int FROM contracts c
     WHERE c.customer_id = ${userId}::uuid AND c.status IN ('ACTIVE', 'COMPLETED') AND c.end_day IS NOT NULL`;
  const years = new Set(rows.map((r) => r.year));
  const current = now.getUTCFullYear();
  years.add(current);
  return [...years].filter((y) => y >= FIRST_TAX_YEAR && y <= current).sort((a, b) => b - a);
}

export interface TaxProfileView {
  year: number;
  kind: TaxProfileKind;
  /** False: no choice stored yet, hobby by default. */
  chosen: boolean;
  lockedAt: Date | null;
}

export async function taxProfile(prisma: PrismaClient, userId: string, year: number): Promise<TaxProfileView> {
  const row = await prisma.taxProfile.findUnique({
    where: { userId_year: { userId, year } },
    select: { kind: true, lockedAt: true },
  });
  return { year, kind: row?.kind ?? "HOBBY", chosen: !!row, lockedAt: row?.lockedAt ?? null };
}

export async function seParameters(prisma: PrismaClient, year: number): Promise<SeParameters | null> {
  const row = await prisma.taxYearParameter.findUnique({ where: { year } });
  return row
    ? {
        year: row.year,
        socialSecurityWageBaseMicroUsd: row.socialSecurityWageBaseMicroUsd,
        seEarningsFactorBps: row.seEarningsFactorBps,
        socialSecurityRateBps: row.socialSecurityRateBps,
        medicareRateBps: row.medicareRateBps,
        seMinimumMicroUsd: row.seMinimumMicroUsd,
      }
    : null;
}

export interface ContractCost {
  contractId: string;
  title: string;
  coin: Asset;
  startDay: Date;
  days: number;
  totalPriceMicroUsd: bigint;
  /** All days of the term in the year, ended or not, and the price they carry (the full year). */
  daysInYear: number;
  amortisedInYearMicroUsd: bigint;
  /** The days of the term in the year that have ended, and the price they carry (the year to date). */
  daysToDate: number;
  amortisedToDateMicroUsd: bigint;
}

/**
 * Contracts whose term overlaps the year, with the price their days in the year carry: all of
 * them, and those that have ended at `now` (the same for a year that is over).
 */
export async function contractCosts(
  prisma: PrismaClient,
  userId: string,
  year: number,
  now: Date = new Date(),
): Promise<ContractCost[]> {
  const { from, toExclusive } = taxYearRange(year);
  const contracts = await prisma.contract.findMany({
    where: {
      customerId: userId,
      status: { in: ["ACTIVE", "COMPLETED"] },
      startDay: { lt: toExclusive },
      endDay: { gte: from },
    },
    select: {
      id: true,
      coin: true,
      startDay: true,
      days: true,
      totalPriceMicroUsd: true,
      listing: { select: { title: true } },
    },
    orderBy: [{ startDay: "asc" }, { id: "asc" }],
  });
  return contracts.map((c) => {
    const terms = { totalPriceMicroUsd: c.totalPriceMicroUsd, startDay: c.startDay!, days: c.days };
    return {
      contractId: c.id,
      title: c.listing.title,
      coin: c.coin,
      startDay: c.startDay!,
      days: c.days,
      totalPriceMicroUsd: c.totalPriceMicroUsd,
      daysInYear: termDaysInYear(terms, year),
      amortisedInYearMicroUsd: amortisedInYear(terms, year),
      daysToDate: termDaysInYearToDate(terms, year, now),
      amortisedToDateMicroUsd: amortisedInYearToDate(terms, year, now),
    };
  });
}

export interface KindTotal {
  kind: TaxLineKind;
  lines: number;
  valueMicroUsd: bigint;
}

export interface LineFilters {
  kind?: TaxLineKind | null;
  coin?: Asset | null;
  /** 1..12 */
  month?: number | null;
}

function lineWhere(userId: string, year: number, filters: LineFilters): Prisma.Sql {
  const { from, to } = yearBounds(year);
  const parts = [Prisma.sql`l.user_id = ${userId}::uuid AND l.day >= ${from}::date AND l.day < ${to}::date`];
  if (filters.kind) parts.push(Prisma.sql`l.kind = ${filters.kind}::tax_line_kind`);
  if (filters.coin) parts.push(Prisma.sql`l.coin = ${filters.coin}::asset`);
  if (filters.month) parts.push(Prisma.sql`extract(month FROM l.day) = ${filters.month}`);
  return Prisma.join(parts, " AND ");
}

export async function lineTotals(
  prisma: PrismaClient,
  userId: string,
  year: number,
  filters: LineFilters = {},
): Promise<KindTotal[]> {
  const rows = await prisma.$queryRaw<{ kind: TaxLineKind; lines: number; value: string }[]>`
    SELECT l.kind, count(*)::int AS lines, sum(l.value_micro_usd)::text AS value
      FROM tax_lines l WHERE ${lineWhere(userId, year, filters)} GROUP BY l.kind`;
  return TAX_LINE_KINDS.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    return { kind, lines: row?.lines ?? 0, valueMicroUsd: BigInt(row?.value ?? "0") };
  });
}

export interface TaxLineRow {
  id: string;
  day: string;
  kind: TaxLineKind;
  coin: Asset;
  decimals: number;
  amountBase: bigint;
  priceMicroUsd: bigint;
  valueMicroUsd: bigint;
  payoutId: string;
  contractId: string;
}

/** One page of the year's lines (newest day first), filtered. */
export async function linePage(
  prisma: PrismaClient,
  userId: string,
  year: number,
  filters: LineFilters,
  page: number,
): Promise<TaxLineRow[]> {
  const offset = (Math.max(1, page) - 1) * LINES_PAGE_SIZE;
  const rows = await prisma.$queryRaw<
    {
      id: string;
      day: string;
      kind: TaxLineKind;
      coin: Asset;
      decimals: number;
      amount: string;
      price: string;
      value: string;
      payout_id: string;
      contract_id: string;
    }[]
  >`
    SELECT l.payout_id::text || ':' || l.kind AS id, l.day::text AS day, l.kind, l.coin, k.decimals, l.amount_base::text AS amount, l.price_micro_usd::text AS price,
           l.value_micro_usd::text AS value, l.payout_id::text AS payout_id, l.contract_id::text AS contract_id
      FROM tax_lines l JOIN coins k ON k.asset = l.coin
     WHERE ${lineWhere(userId, year, filters)}
     ORDER BY l.day DESC, l.payout_id DESC, l.kind
     LIMIT ${LINES_PAGE_SIZE} OFFSET ${offset}`;
  return rows.map((r) => ({
    id: r.id,
    day: r.day,
    kind: r.kind,
    coin: r.coin,
    decimals: r.decimals,
    amountBase: BigInt(r.amount),
    priceMicroUsd: BigInt(r.price),
    valueMicroUsd: BigInt(r.value),
    payoutId: r.payout_id,
    contractId: r.contract_id,
  }));
}

/** Coins the user has lines for in the year (the coin filter's options). */
export async function lineCoins(prisma: PrismaClient, userId: string, year: number): Promise<Asset[]> {
  const rows = await prisma.$queryRaw<{ coin: Asset }[]>`
    SELECT DISTINCT l.coin FROM tax_lines l WHERE ${lineWhere(userId, year, {})} ORDER BY 1`;
  return rows.map((r) => r.coin);
}

interface SettledContract {
  contractId: string;
  settledDays: number;
  incomeMicroUsd: bigint;
  poolFeesMicroUsd: bigint;
  maintenanceFeesMicroUsd: bigint;
  underDeliveryCreditsMicroUsd: bigint;
}

/**
 * Per contract of the user, its payout days settled in the year (curtailed ones too), their
 * under-delivery credits (refunds of price) and their tax lines' values: the year to date, and
 * each contract's run rate for the projection.
 */
async function settledContracts(prisma: PrismaClient, userId: string, year: number): Promise<SettledContract[]> {
  const { from, to } = yearBounds(year);
  const rows = await prisma.$queryRaw<
    { contract_id: string; days: number; credits: string; income: string; pool: string; maintenance: string }[]
  >`
    WITH settled AS (
      SELECT p.contract_id, count(*)::int AS days, sum(p.under_delivery_credit_micro_usd) AS credits
        FROM contracts c JOIN daily_payouts p ON p.contract_id = c.id
       WHERE c.customer_id = ${userId}::uuid AND p.day >= ${from}::date AND p.day < ${to}::date
       GROUP BY p.contract_id
    ), lines AS (
      SELECT l.contract_id,
             sum(l.value_micro_usd) FILTER (WHERE l.kind = 'MINING_INCOME') AS income,
             sum(l.value_micro_usd) FILTER (WHERE l.kind = 'POOL_FEE') AS pool,
             sum(l.value_micro_usd) FILTER (WHERE l.kind = 'MAINTENANCE_FEE') AS maintenance
        FROM tax_lines l WHERE ${lineWhere(userId, year, {})}
       GROUP BY l.contract_id
    )
    SELECT s.contract_id::text AS contract_id, s.days, s.credits::text AS credits,
           COALESCE(l.income, 0)::text AS income, COALESCE(l.pool, 0)::text AS pool,
           COALESCE(l.maintenance, 0)::text AS maintenance
      FROM settled s LEFT JOIN lines l ON l.contract_id = s.contract_id
     ORDER BY 1`;
  return rows.map((r) => ({
    contractId: r.contract_id,
    settledDays: r.days,
    incomeMicroUsd: BigInt(r.income),
    poolFeesMicroUsd: BigInt(r.pool),
    maintenanceFeesMicroUsd: BigInt(r.maintenance),
    underDeliveryCreditsMicroUsd: BigInt(r.credits),
  }));
}

/**
 * Coins disposed of in the year (contracts paid from a coin balance, tax_disposals), one row
 * per contract and holding term, oldest first. Long-term: disposed (UTC day) more than one year
 * after the lot's day; short-term otherwise, and for coins without a lot (holding period
 * unknown, basis 0).
 */
export async function disposalRows(prisma: PrismaClient, userId: string, year: number): Promise<DisposalTermRow[]> {
  const { from, toExclusive } = taxYearRange(year);
  const rows = await prisma.$queryRaw<
    {
      contract_id: string;
      title: string;
      coin: Asset;
      decimals: number;
      disposed_at: Date;
      term: HoldingTerm;
      parts: number;
      amount: string;
      proceeds: string;
      basis: string;
      uncovered: string;
      first_acquired_on: string | null;
      last_acquired_on: string | null;
    }[]
  >`
    SELECT d.contract_id::text AS contract_id, l.title, d.coin, k.decimals, min(d.disposed_at) AS disposed_at,
           CASE WHEN d.acquired_on IS NOT NULL
                 AND (d.disposed_at AT TIME ZONE 'UTC')::date > (d.acquired_on + interval '1 year')::date
                THEN 'LONG' ELSE 'SHORT' END AS term,
           count(*)::int AS parts, sum(d.amount_base)::text AS amount, sum(d.proceeds_micro_usd)::text AS proceeds,
           sum(d.basis_micro_usd)::text AS basis, COALESCE(sum(d.amount_base) FILTER (WHERE d.lot_id IS NULL), 0)::text AS uncovered,
           min(d.acquired_on)::text AS first_acquired_on, max(d.acquired_on)::text AS last_acquired_on
      FROM tax_disposals d
      JOIN contracts c ON c.id = d.contract_id
      JOIN listings l ON l.id = c.listing_id
      JOIN coins k ON k.asset = d.coin
     WHERE d.user_id = ${userId}::uuid AND c.customer_id = ${userId}::uuid
       AND d.disposed_at >= ${from} AND d.disposed_at < ${toExclusive}
     GROUP BY d.contract_id, l.title, d.coin, k.decimals, 6
     ORDER BY 5, 1, 6 DESC`;
  return rows.map((r) => ({
    contractId: r.contract_id,
    title: r.title,
    coin: r.coin,
    decimals: r.decimals,
    disposedAt: r.disposed_at,
    term: r.term,
    parts: r.parts,
    amountBase: BigInt(r.amount),
    proceedsMicroUsd: BigInt(r.proceeds),
    basisMicroUsd: BigInt(r.basis),
    uncoveredBase: BigInt(r.uncovered),
    firstAcquiredOn: r.first_acquired_on,
    lastAcquiredOn: r.last_acquired_on,
  }));
}

export interface YearInputs {
  /** The year to date: what was settled and the contract cost of the days that have ended. */
  totals: YearTotals;
  /** The end (exclusive) of the days counted in `totals`: today (UTC) while the year runs. */
  toDateEnd: Date;
  /** The whole year projected (lib/tax/projection.ts) while it runs; null once it is over. */
  projection: YearTotals | null;
  kinds: KindTotal[];
  contracts: ContractCost[];
  /** The year's coin disposals per contract and term (capital gains). */
  disposals: DisposalTermRow[];
}

export async function yearInputs(
  prisma: PrismaClient,
  userId: string,
  year: number,
  now: Date = new Date(),
): Promise<YearInputs> {
  const [kinds, contracts, settled, disposals] = await Promise.all([
    lineTotals(prisma, userId, year),
    contractCosts(prisma, userId, year, now),
    settledContracts(prisma, userId, year),
    disposalRows(prisma, userId, year),
  ]);
  const value = (kind: TaxLineKind) => kinds.find((k) => k.kind === kind)?.valueMicroUsd ?? 0n;
  const totals: YearTotals = {
    year,
    incomeMicroUsd: value("MINING_INCOME"),
    poolFeesMicroUsd: value("POOL_FEE"),
    maintenanceFeesMicroUsd: value("MAINTENANCE_FEE"),
    contractAmortisationMicroUsd: contracts.reduce((sum, c) => sum + c.amortisedToDateMicroUsd, 0n),
    underDeliveryCreditsMicroUsd: settled.reduce((sum, c) => sum + c.underDeliveryCreditsMicroUsd, 0n),
    capitalGains: capitalGains(disposals),
  };
  let projection: YearTotals | null = null;
  if (yearIsRunning(year, now)) {
    const daysInYear = new Map(contracts.map((c) => [c.contractId, c.daysInYear]));
    // A contract outside the cost list (not active or completed) has no days left to project.
    const runs: ContractYearRun[] = settled.map((c) => ({ ...c, daysInYear: daysInYear.get(c.contractId) ?? 0 }));
    const fullYearCost = contracts.reduce((sum, c) => sum + c.amortisedInYearMicroUsd, 0n);
    projection = projectFullYear(totals, fullYearCost, runs);
  }
  return { kinds, contracts, disposals, totals, toDateEnd: yearToDateEnd(year, now), projection };
}

/** Rows per database round trip of a CSV export (keyset pages, so memory stays flat). */
export const EXPORT_BATCH = 5_000;

/** One row per credited payout of the year (the lines CSV), oldest first, in keyset pages. */
export async function* payoutExportBatches(
  prisma: PrismaClient,
  userId: string,
  year: number,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<PayoutExportRow[]> {
  let after: Prisma.Sql = Prisma.empty;
  for (;;) {
    const rows = await prisma.$queryRaw<
      {
        payout_id: string;
        day: string;
        coin: Asset;
        decimals: number;
        gross: string;
        fees: string;
        income: string;
        contract_id: string;
      }[]
    >`
      SELECT l.payout_id::text AS payout_id, l.day::text AS day, l.coin, k.decimals, l.contract_id::text AS contract_id,
             COALESCE(sum(l.amount_base) FILTER (WHERE l.kind = 'MINING_INCOME'), 0)::text AS gross,
             COALESCE(sum(l.amount_base) FILTER (WHERE l.kind <> 'MINING_INCOME'), 0)::text AS fees,
             COALESCE(sum(l.value_micro_usd) FILTER (WHERE l.kind = 'MINING_INCOME'), 0)::text AS income
        FROM tax_lines l JOIN coins k ON k.asset = l.coin
       WHERE ${lineWhere(userId, year, {})} ${after}
       GROUP BY l.payout_id, l.day, l.coin, k.decimals, l.contract_id
       ORDER BY l.day, l.payout_id
       LIMIT ${batchSize}`;
    if (rows.length > 0) {
      yield rows.map((r) => ({
        payoutId: r.payout_id,
        day: r.day,
        coin: r.coin,
        decimals: r.decimals,
        grossBase: BigInt(r.gross),
        feesBase: BigInt(r.fees),
        incomeMicroUsd: BigInt(r.income),
        contractId: r.contract_id,
      }));
    }
    if (rows.length < batchSize) return;
    const last = rows.at(-1)!;
    after = Prisma.sql`AND (l.day, l.payout_id) > (${last.day}::date, ${last.payout_id}::bigint)`;
  }
}

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

/** All of payoutExportBatches at once (small years, tests). */
export function payoutExportRows(prisma: PrismaClient, userId: string, year: number): Promise<PayoutExportRow[]> {
  return collect(payoutExportBatches(prisma, userId, year));
}

function transferRange(year: number) {
  const { from, toExclusive } = taxYearRange(year);
  return { from, toExclusive };
}

/** Withdrawals sent in the year with the basis their lots carried out (the lines CSV). */
export async function withdrawalExportRows(
  prisma: PrismaClient,
  userId: string,
  year: number,
): Promise<WithdrawalExportRow[]> {
  const { from, toExclusive } = transferRange(year);
  const rows = await prisma.$queryRaw<
    {
      id: string;
      sent_at: Date;
      coin: Asset;
      decimals: number;
      net: string;
      fee: string;
      basis: string;
      uncovered: string;
      txid: string | null;
      address: string;
    }[]
  >`
    SELECT w.id::text AS id, min(t.transferred_at) AS sent_at, w.coin, k.decimals, w.net_base::text AS net, w.network_fee_base::text AS fee,
           sum(t.basis_micro_usd)::text AS basis, COALESCE(sum(t.amount_base) FILTER (WHERE t.lot_id IS NULL), 0)::text AS uncovered,
           w.txid, w.address
      FROM tax_lot_transfers t
      JOIN withdrawals w ON w.id = t.withdrawal_id
      JOIN coins k ON k.asset = w.coin
     WHERE t.user_id = ${userId}::uuid AND w.user_id = ${userId}::uuid
       AND t.transferred_at >= ${from} AND t.transferred_at < ${toExclusive}
     GROUP BY w.id, w.coin, k.decimals, w.net_base, w.network_fee_base, w.txid, w.address
     ORDER BY 2, 1`;
  return rows.map((r) => ({
    withdrawalId: r.id,
    sentAt: r.sent_at,
    coin: r.coin,
    decimals: r.decimals,
    netBase: BigInt(r.net),
    networkFeeBase: BigInt(r.fee),
    basisMicroUsd: BigInt(r.basis),
    uncoveredBase: BigInt(r.uncovered),
    txid: r.txid,
    address: r.address,
  }));
}

/** Lots acquired in the year (the lots CSV), oldest first, in keyset pages. */
export async function* lotAcquiredBatches(
  prisma: PrismaClient,
  userId: string,
  year: number,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<LotAcquiredRow[]> {
  const { from, to } = yearBounds(year);
  let after: Prisma.Sql = Prisma.empty;
  for (;;) {
    const rows = await prisma.$queryRaw<
      {
        id: string;
        acquired_on: string;
        coin: Asset;
        decimals: number;
        amount: string;
        basis: string;
        payout_id: string;
      }[]
    >`
      SELECT l.id::text AS id, l.acquired_on::text AS acquired_on, l.coin, k.decimals, l.amount_base::text AS amount,
             l.basis_micro_usd::text AS basis, l.payout_id::text AS payout_id
        FROM tax_lots l JOIN coins k ON k.asset = l.coin
       WHERE l.user_id = ${userId}::uuid AND l.acquired_on >= ${from}::date AND l.acquired_on < ${to}::date ${after}
       ORDER BY l.acquired_on, l.id
       LIMIT ${batchSize}`;
    if (rows.length > 0) {
      yield rows.map((r) => ({
        lotId: r.id,
        acquiredOn: r.acquired_on,
        coin: r.coin,
        decimals: r.decimals,
        amountBase: BigInt(r.amount),
        basisMicroUsd: BigInt(r.basis),
        payoutId: r.payout_id,
      }));
    }
    if (rows.length < batchSize) return;
    const last = rows.at(-1)!;
    after = Prisma.sql`AND (l.acquired_on, l.id) > (${last.acquired_on}::date, ${last.id}::bigint)`;
  }
}

/** A part of a lot that left it (transferred out or disposed of), as both queries below select it. */
interface LotPartSql {
  lot_id: string | null;
  acquired_on: string | null;
  at: Date;
  coin: Asset;
  decimals: number;
  amount: string;
  basis: string;
}

function lotPart(r: LotPartSql) {
  return {
    lotId: r.lot_id,
    acquiredOn: r.acquired_on,
    coin: r.coin,
    decimals: r.decimals,
    amountBase: BigInt(r.amount),
    basisMicroUsd: BigInt(r.basis),
  };
}

/** Lot parts transferred out in the year (few: one or more per withdrawal sent). */
export async function lotTransferRows(prisma: PrismaClient, userId: string, year: number): Promise<LotTransferRow[]> {
  const range = transferRange(year);
  const rows = await prisma.$queryRaw<(LotPartSql & { withdrawal_id: string; txid: string | null })[]>`
    SELECT t.lot_id::text AS lot_id, l.acquired_on::text AS acquired_on, t.transferred_at AS at, t.coin, k.decimals,
           t.amount_base::text AS amount, t.basis_micro_usd::text AS basis, t.withdrawal_id::text AS withdrawal_id, w.txid
      FROM tax_lot_transfers t
      JOIN withdrawals w ON w.id = t.withdrawal_id
      JOIN coins k ON k.asset = t.coin
      LEFT JOIN tax_lots l ON l.id = t.lot_id
     WHERE t.user_id = ${userId}::uuid AND w.user_id = ${userId}::uuid
       AND t.transferred_at >= ${range.from} AND t.transferred_at < ${range.toExclusive}
     ORDER BY t.transferred_at, t.id`;
  return rows.map((r) => ({ ...lotPart(r), transferredAt: r.at, withdrawalId: r.withdrawal_id, txid: r.txid }));
}

/** Lot parts disposed of in the year by contracts paid in coin (few: per coin purchase). */
export async function lotDisposalRows(prisma: PrismaClient, userId: string, year: number): Promise<LotDisposalRow[]> {
  const range = transferRange(year);
  const rows = await prisma.$queryRaw<(LotPartSql & { proceeds: string; contract_id: string })[]>`
    SELECT d.lot_id::text AS lot_id, d.acquired_on::text AS acquired_on, d.disposed_at AS at, d.coin, k.decimals,
           d.amount_base::text AS amount, d.basis_micro_usd::text AS basis, d.proceeds_micro_usd::text AS proceeds,
           d.contract_id::text AS contract_id
      FROM tax_disposals d
      JOIN contracts c ON c.id = d.contract_id
      JOIN coins k ON k.asset = d.coin
     WHERE d.user_id = ${userId}::uuid AND c.customer_id = ${userId}::uuid
       AND d.disposed_at >= ${range.from} AND d.disposed_at < ${range.toExclusive}
     ORDER BY d.disposed_at, d.acquired_on NULLS LAST, d.id`;
  return rows.map((r) => ({
    ...lotPart(r),
    disposedAt: r.at,
    proceedsMicroUsd: BigInt(r.proceeds),
    contractId: r.contract_id,
  }));
}

/** Lots acquired, lot parts transferred out and disposed of in the year, all at once (small years, tests). */
export async function lotExportRows(
  prisma: PrismaClient,
  userId: string,
  year: number,
): Promise<{ acquired: LotAcquiredRow[]; transfers: LotTransferRow[]; disposals: LotDisposalRow[] }> {
  const [acquired, transfers, disposals] = await Promise.all([
    collect(lotAcquiredBatches(prisma, userId, year)),
    lotTransferRows(prisma, userId, year),
    lotDisposalRows(prisma, userId, year),
  ]);
  return { acquired, transfers, disposals };
}

export interface LotHolding {
  coin: Asset;
  decimals: number;
  lots: number;
  remainingBase: bigint;
  remainingBasisMicroUsd: bigint;
}

/** Coins still on the platform per coin, by lot, with the basis they carry (now). */
export async function lotHoldings(prisma: PrismaClient, userId: string): Promise<LotHolding[]> {
  const rows = await prisma.$queryRaw<
    { coin: Asset; decimals: number; lots: number; remaining: string; basis: string }[]
  >`
    SELECT l.coin, k.decimals, count(*)::int AS lots, sum(l.remaining_base)::text AS remaining,
           sum(div(l.remaining_base * l.basis_micro_usd, l.amount_base))::text AS basis
      FROM tax_lots l JOIN coins k ON k.asset = l.coin
     WHERE l.user_id = ${userId}::uuid AND l.remaining_base > 0
     GROUP BY l.coin, k.decimals ORDER BY l.coin`;
  return rows.map((r) => ({
    coin: r.coin,
    decimals: r.decimals,
    lots: r.lots,
    remainingBase: BigInt(r.remaining),
    remainingBasisMicroUsd: BigInt(r.basis),
  }));
}

export interface RentalMonth {
  /** YYYY-MM */
  month: string;
  contractDays: number;
  /** Rental at the contracts' daily price for the contract-days delivered. */
  rentalMicroUsd: bigint;
  /** Under-delivery credits paid back (reductions). */
  creditsMicroUsd: bigint;
  netMicroUsd: bigint;
}

/**
 * An operator's rental revenue per month of the year (lib/operator/analytics.ts
 * monthlyRevenue, the figures of /operator/performance): rental per contract-day settled at
 * the contract's daily price, the under-delivery credits as reductions. Oldest month first.
 */
export async function operatorRentalMonths(
  prisma: PrismaClient,
  operatorId: string,
  year: number,
): Promise<RentalMonth[]> {
  const months: MonthlyRevenue[] = await monthlyRevenue(prisma, operatorId, {
    months: 12,
    now: new Date(Date.UTC(year, 11, 1)),
  });
  return months
    .filter((m) => m.month.startsWith(`${year}-`) && m.contractDays > 0)
    .map((m) => ({
      month: m.month,
      contractDays: m.contractDays,
      rentalMicroUsd: m.deliveredMicroUsd + m.underDeliveryCreditMicroUsd,
      creditsMicroUsd: m.underDeliveryCreditMicroUsd,
      netMicroUsd: m.deliveredMicroUsd,
    }))
    .sort((a, b) => (a.month < b.month ? -1 : 1));
}
