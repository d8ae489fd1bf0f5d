// The admin side of daily payouts: re-running a day and catching up unsettled days (through
// run.ts's settleDay / settleUnsettledDays, which are exactly-once per contract-day and write
// their own audit line naming the admin), and the read models of /admin/payouts: runs with
// their reconciliation per coin, a run's payouts, and one payout recomputed from its stored
// inputs with formula.ts.
import { checkAdmin } from "../admin/actor";
import type { PrismaClient } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import type { Prisma } from "../generated/prisma/client";
import type { Asset } from "../generated/prisma/enums";
import { DAY_MS, dayText, parseDay, startOfUtcDay } from "../shared/days";
import type { Refusal } from "../shared/result";
import { deliveredHashrate, type DayFigures } from "./formula";
import { allocationsInForce, payoutRecord, recomputePayout, sameFigures } from "./record";
import { PayoutDayError, settleDay, settleUnsettledDays, type CoinTotals, type RunSummary } from "./run";

export type PayoutAdminRefusal = Refusal<"FORBIDDEN" | "INVALID" | "FAILED">;

/** A day an admin typed, checked as settleable: a real YYYY-MM-DD that has ended (UTC). */
export function settleableDay(text: string, now: Date): { ok: true; day: Date } | PayoutAdminRefusal {
  const trimmed = text.trim();
  const yesterday = dayText(new Date(startOfUtcDay(now).getTime() - DAY_MS));
  if (trimmed === "")
    return { ok: false, code: "INVALID", message: `Enter the UTC day to settle as YYYY-MM-DD, e.g. ${yesterday}.` };
  const day = parseDay(trimmed);
  if (!day)
    return {
      ok: false,
      code: "INVALID",
      message: `“${trimmed.slice(0, 40)}” is not a calendar day; write it as YYYY-MM-DD, e.g. ${yesterday}.`,
    };
  const today = startOfUtcDay(now).getTime();
  if (day.getTime() === today) {
    return {
      ok: false,
      code: "INVALID",
      message: `${trimmed} is today (UTC) and has not ended yet; the latest day that can be settled is ${yesterday}.`,
    };
  }
  if (day.getTime() > today) {
    return {
      ok: false,
      code: "INVALID",
      message: `${trimmed} is in the future; the latest day that can be settled is ${yesterday}.`,
    };
  }
  return { ok: true, day };
}

async function refuseNonAdmin(prisma: PrismaClient, actorId: string): Promise<PayoutAdminRefusal | null> {
  const check = await prisma.$transaction((tx) => checkAdmin(tx, actorId));
  return check.ok ? null : check;
}

function failed(error: unknown): PayoutAdminRefusal {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    code: "FAILED",
    message: `The run failed and is recorded as failed; nothing of it was paid. ${detail.slice(0, 300)}`,
  };
}

export type RerunResult =
  { ok: true; summary: RunSummary; payoutsBefore: number; payoutsAfter: number } | PayoutAdminRefusal;

/**
 * Settles one past day again for the admin `actorId`. A contract-day is paid once, so on a
 * settled day the new run inserts nothing and says so; contracts left unsettled before (e.g.
 * a snapshot was missing) are paid now.
 */
export async function rerunDay(
  prisma: PrismaClient,
  args: { actorId: string; day: string; now?: Date },
): Promise<RerunResult> {
  const now = args.now ?? new Date();
  const refusal = await refuseNonAdmin(prisma, args.actorId);
  if (refusal) return refusal;
  const checked = settleableDay(args.day, now);
  if (!checked.ok) return checked;
  const payoutsBefore = await prisma.dailyPayout.count({ where: { day: checked.day } });
  try {
    const summary = await settleDay(prisma, checked.day, { actorId: args.actorId, now });
    const payoutsAfter = await prisma.dailyPayout.count({ where: { day: checked.day } });
    return { ok: true, summary, payoutsBefore, payoutsAfter };
  } catch (error) {
    if (error instanceof PayoutDayError) return { ok: false, code: "INVALID", message: error.message };
    return failed(error);
  }
}

export type CatchUpResult = { ok: true; summaries: RunSummary[] } | (PayoutAdminRefusal & { summaries: RunSummary[] });

/** Settles every day up to yesterday (UTC) that may still have unpaid contract-days, oldest first. */
export async function settleAllUnsettled(
  prisma: PrismaClient,
  args: { actorId: string; now?: Date },
): Promise<CatchUpResult> {
  const refusal = await refuseNonAdmin(prisma, args.actorId);
  if (refusal) return { ...refusal, summaries: [] };
  const summaries: RunSummary[] = [];
  try {
    await settleUnsettledDays(prisma, {
      actorId: args.actorId,
      now: args.now ?? new Date(),
      onSettled: (s) => summaries.push(s),
    });
    return { ok: true, summaries };
  } catch (error) {
    return { ...failed(error), summaries };
  }
}

// ---- read models ----------------------------------------------------------------------------

/**
 * A run's totals for one coin as the run stored them (see CoinTotals), checked. operatorMaintenanceBase
 * is 0 for runs before 20261208050000 (their postings did not credit operators' coin payables).
 */
export interface Reconciliation extends Pick<
  CoinTotals,
  | "coin"
  | "minedBase"
  | "customerNetBase"
  | "poolFeesBase"
  | "maintenanceFeesBase"
  | "roundingBase"
  | "underDeliveryCreditMicroUsd"
  | "operatorMaintenanceBase"
> {
  decimals: number;
  /** mined = customer net + pool fees + maintenance fees + rounding, from the stored numbers. */
  balanced: boolean;
  /** Every maintenance fee reached an operator (platform share 0). */
  maintenanceToOperators: boolean;
  /** What the run's curtailed days would have mined (nothing was posted). */
  curtailedGrossBase: bigint;
}

export interface RunRow {
  id: string;
  day: Date;
  status: "RUNNING" | "COMPLETED" | "FAILED";
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  contractsSettled: number;
  contractsCurtailed: number;
  contractsUnsettled: number;
  error: string | null;
  reconciliation: Reconciliation[];
}

type TotalRow = {
  coin: Asset;
  minedBase: Prisma.Decimal;
  customerNetBase: Prisma.Decimal;
  poolFeesBase: Prisma.Decimal;
  maintenanceFeesBase: Prisma.Decimal;
  roundingBase: Prisma.Decimal;
  underDeliveryCreditMicroUsd: bigint;
  operatorMaintenanceBase?: Prisma.Decimal;
  curtailedGrossBase?: Prisma.Decimal;
};

const big = decimalToBigInt;

export function reconcile(total: TotalRow, decimals: number): Reconciliation {
  const r = {
    coin: total.coin,
    decimals,
    minedBase: big(total.minedBase),
    customerNetBase: big(total.customerNetBase),
    poolFeesBase: big(total.poolFeesBase),
    maintenanceFeesBase: big(total.maintenanceFeesBase),
    roundingBase: big(total.roundingBase),
    underDeliveryCreditMicroUsd: total.underDeliveryCreditMicroUsd,
    operatorMaintenanceBase: total.operatorMaintenanceBase ? big(total.operatorMaintenanceBase) : 0n,
    curtailedGrossBase: total.curtailedGrossBase ? big(total.curtailedGrossBase) : 0n,
  };
  return {
    ...r,
    balanced: r.minedBase === r.customerNetBase + r.poolFeesBase + r.maintenanceFeesBase + r.roundingBase,
    maintenanceToOperators: r.operatorMaintenanceBase === r.maintenanceFeesBase,
  };
}

async function coinDecimals(prisma: PrismaClient): Promise<Map<string, number>> {
  const coins = await prisma.coin.findMany({ select: { asset: true, decimals: true } });
  return new Map(coins.map((c) => [c.asset as string, c.decimals]));
}

async function runRows(prisma: PrismaClient, runs: Awaited<ReturnType<typeof findRuns>>): Promise<RunRow[]> {
  const ids = runs.map((r) => r.id);
  const [curtailed, decimals] = await Promise.all([
    ids.length
      ? prisma.dailyPayout.groupBy({
          by: ["runId"],
          where: { runId: { in: ids }, curtailed: true },
          _count: { _all: true },
        })
      : [],
    coinDecimals(prisma),
  ]);
  const curtailedBy = new Map(curtailed.map((c) => [c.runId, c._count._all]));
  return runs.map((run) => ({
    id: run.id,
    day: run.day,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    contractsSettled: run.contractsSettled,
    contractsCurtailed: curtailedBy.get(run.id) ?? 0,
    contractsUnsettled: run.contractsUnsettled,
    error: run.error,
    reconciliation: run.totals.map((t) => reconcile(t, decimals.get(t.coin) ?? 0)),
  }));
}

function findRuns(prisma: PrismaClient, where: { id?: string }, page = 1, pageSize = 20) {
  return prisma.payoutRun.findMany({
    where,
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    include: { totals: { orderBy: { coin: "asc" } } },
  });
}

/** Payout runs, newest first, with their reconciliation per coin. */
export async function listRuns(
  prisma: PrismaClient,
  options: { page: number; pageSize: number },
): Promise<{ rows: RunRow[]; total: number }> {
  const [total, runs] = await Promise.all([
    prisma.payoutRun.count(),
    findRuns(prisma, {}, options.page, options.pageSize),
  ]);
  return { total, rows: await runRows(prisma, runs) };
}

export async function findRun(prisma: PrismaClient, runId: string): Promise<RunRow | null> {
  const runs = await findRuns(prisma, { id: runId });
  return runs.length ? (await runRows(prisma, runs))[0]! : null;
}

export interface PayoutListRow extends Omit<DayFigures, "usdValueAtReceiptMicroUsd"> {
  id: bigint;
  contractId: string;
  customerEmail: string;
  coin: Asset;
  decimals: number;
  allocatedHashrateHs: bigint;
  deliveredHashrateHs: bigint;
}

/** The payouts a run inserted, by coin and contract. */
export async function runPayouts(
  prisma: PrismaClient,
  runId: string,
  options: { page: number; pageSize: number },
): Promise<{ rows: PayoutListRow[]; total: number }> {
  const [total, rows] = await Promise.all([
    prisma.dailyPayout.count({ where: { runId } }),
    prisma.dailyPayout.findMany({
      where: { runId },
      orderBy: [{ coin: "asc" }, { id: "asc" }],
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      include: { contract: { select: { customer: { select: { email: true } } } } },
    }),
  ]);
  return {
    total,
    rows: rows.map((p) => ({
      id: p.id,
      contractId: p.contractId,
      customerEmail: p.contract.customer.email,
      coin: p.coin,
      decimals: p.decimals,
      allocatedHashrateHs: p.allocatedHashrateHs,
      deliveredHashrateHs: p.deliveredHashrateHs,
      computedGrossBase: decimalToBigInt(p.computedGrossBase),
      computedPoolFeeBase: decimalToBigInt(p.computedPoolFeeBase),
      computedMaintenanceFeeBase: decimalToBigInt(p.computedMaintenanceFeeBase),
      grossBase: decimalToBigInt(p.grossBase),
      poolFeeBase: decimalToBigInt(p.poolFeeBase),
      maintenanceFeeBase: decimalToBigInt(p.maintenanceFeeBase),
      netBase: decimalToBigInt(p.netBase),
      curtailed: p.curtailed,
      underDeliveryCreditMicroUsd: p.underDeliveryCreditMicroUsd,
    })),
  };
}

export interface AllocationInForce {
  rigId: string;
  rigModel: string;
  rigSerial: string;
  allocHs: bigint;
  nominalHs: bigint;
  reportedHs: bigint | null;
}

export interface PayoutAudit {
  payout: PayoutListRow & {
    runId: string;
    day: Date;
    networkHashrateHs: bigint;
    blockTimeMs: number;
    blockSubsidyBase: bigint;
    avgFeesPerBlockBase: bigint;
    priceMicroUsd: bigint;
    poolFeeBps: number;
    maintenanceFeeMicroUsdPerUnitDay: bigint;
    unitHs: bigint;
    dailyPriceMicroUsd: bigint;
    usdValueAtReceiptMicroUsd: bigint;
    journalId: string | null;
    creditJournalId: string | null;
    createdAt: Date;
  };
  /** Steps 2-7 recomputed with formula.ts from the inputs stored on the payout. */
  recomputed: DayFigures;
  /** Every recomputed figure equals the stored one. */
  matches: boolean;
  /** Step 1 from today's records: the allocations in force when the day ended and the day's telemetry. */
  allocations: AllocationInForce[];
  allocatedNowHs: bigint;
  deliveredNowHs: bigint;
}

/** One payout with every stored input and figure, recomputed. */
export async function payoutAudit(prisma: PrismaClient, payoutId: bigint): Promise<PayoutAudit | null> {
  const p = await prisma.dailyPayout.findUnique({
    where: { id: payoutId },
    include: { contract: { select: { customer: { select: { email: true } } } } },
  });
  if (!p) return null;
  const stored = {
    ...payoutRecord(p),
    runId: p.runId,
    customerEmail: p.contract.customer.email,
    journalId: p.journalId,
    creditJournalId: p.creditJournalId,
  };
  const recomputed = recomputePayout(stored);
  const matches = sameFigures(recomputed, stored);

  const inForce = (await allocationsInForce(prisma, p.contractId, p.day, p.id)).map((a) => ({
    rigId: a.rigId,
    rigModel: a.model,
    rigSerial: a.serialNumber,
    allocHs: a.allocHs,
    nominalHs: a.nominalHs,
    reportedHs: a.reportedHs,
  }));
  return {
    payout: stored,
    recomputed,
    matches,
    allocations: inForce,
    allocatedNowHs: inForce.reduce((s, a) => s + a.allocHs, 0n),
    deliveredNowHs: deliveredHashrate(inForce),
  };
}
