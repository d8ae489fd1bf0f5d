// One stored payout as the code reads it back: every input and figure of DESIGN.md's payout
// steps, numeric columns turned into bigints, and step 1's inputs (the allocations in force when
// the day ended, with that day's measured shares or telemetry), selected exactly as lib/payouts/run.ts counts them.
// The admin's payout audit and the customer's "how was this computed" page both read payouts
// through here, so they can never disagree about what was paid or why.
import type { PrismaClient } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import type { DailyPayout } from "../generated/prisma/client";
import type { Asset, HashrateSource, TelemetrySource } from "../generated/prisma/enums";
import { dayText } from "../shared/days";
import { settleDay as formulaDay, rigDayHashrate, type DayFigures } from "./formula";

export interface PayoutRecord extends DayFigures {
  id: bigint;
  /** Where the delivered hashrate came from when it was settled. */
  hashrateSource: HashrateSource;
  contractId: string;
  day: Date;
  coin: Asset;
  createdAt: Date;
  allocatedHashrateHs: bigint;
  deliveredHashrateHs: bigint;
  networkHashrateHs: bigint;
  blockTimeMs: number;
  blockSubsidyBase: bigint;
  avgFeesPerBlockBase: bigint;
  priceMicroUsd: bigint;
  decimals: number;
  poolFeeBps: number;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
  unitHs: bigint;
  dailyPriceMicroUsd: bigint;
}

/** A payout row's inputs and figures as exact integers. */
export function payoutRecord(row: DailyPayout): PayoutRecord {
  return {
    id: row.id,
    hashrateSource: row.hashrateSource,
    contractId: row.contractId,
    day: row.day,
    coin: row.coin,
    createdAt: row.createdAt,
    allocatedHashrateHs: row.allocatedHashrateHs,
    deliveredHashrateHs: row.deliveredHashrateHs,
    networkHashrateHs: decimalToBigInt(row.networkHashrateHs),
    blockTimeMs: row.blockTimeMs,
    blockSubsidyBase: decimalToBigInt(row.blockSubsidyBase),
    avgFeesPerBlockBase: decimalToBigInt(row.avgFeesPerBlockBase),
    priceMicroUsd: row.priceMicroUsd,
    decimals: row.decimals,
    poolFeeBps: row.poolFeeBps,
    maintenanceFeeMicroUsdPerUnitDay: row.maintenanceFeeMicroUsdPerUnitDay,
    unitHs: row.unitHs,
    dailyPriceMicroUsd: row.dailyPriceMicroUsd,
    ...storedFigures(row),
  };
}

/** Steps 2-7 as the payout row stores them. */
export function storedFigures(row: DailyPayout): DayFigures {
  return {
    computedGrossBase: decimalToBigInt(row.computedGrossBase),
    computedPoolFeeBase: decimalToBigInt(row.computedPoolFeeBase),
    computedMaintenanceFeeBase: decimalToBigInt(row.computedMaintenanceFeeBase),
    grossBase: decimalToBigInt(row.grossBase),
    poolFeeBase: decimalToBigInt(row.poolFeeBase),
    maintenanceFeeBase: decimalToBigInt(row.maintenanceFeeBase),
    netBase: decimalToBigInt(row.netBase),
    curtailed: row.curtailed,
    underDeliveryCreditMicroUsd: row.underDeliveryCreditMicroUsd,
    usdValueAtReceiptMicroUsd: row.usdValueAtReceiptMicroUsd,
  };
}

/** Steps 2-7 recomputed with formula.ts from the inputs stored on the payout. */
export function recomputePayout(stored: PayoutRecord): DayFigures {
  return formulaDay({
    contractedHs: stored.allocatedHashrateHs,
    deliveredHs: stored.deliveredHashrateHs,
    network: {
      // The payout stores N itself (for difficulty-based coins as derived from D when it ran).
      networkHashrateHs: stored.networkHashrateHs,
      difficulty: null,
      blockTimeMs: BigInt(stored.blockTimeMs),
      blockSubsidyBase: stored.blockSubsidyBase,
      avgFeesPerBlockBase: stored.avgFeesPerBlockBase,
      priceMicroUsd: stored.priceMicroUsd,
    },
    decimals: BigInt(stored.decimals),
    poolFeeBps: BigInt(stored.poolFeeBps),
    maintenanceFeeMicroUsdPerUnitDay: stored.maintenanceFeeMicroUsdPerUnitDay,
    unitHs: stored.unitHs,
    dailyPriceMicroUsd: stored.dailyPriceMicroUsd,
  });
}

/** Every figure of steps 2-7 equal between two computations. */
export function sameFigures(a: DayFigures, b: DayFigures): boolean {
  return (
    a.computedGrossBase === b.computedGrossBase &&
    a.computedPoolFeeBase === b.computedPoolFeeBase &&
    a.computedMaintenanceFeeBase === b.computedMaintenanceFeeBase &&
    a.grossBase === b.grossBase &&
    a.poolFeeBase === b.poolFeeBase &&
    a.maintenanceFeeBase === b.maintenanceFeeBase &&
    a.netBase === b.netBase &&
    a.curtailed === b.curtailed &&
    a.underDeliveryCreditMicroUsd === b.underDeliveryCreditMicroUsd &&
    a.usdValueAtReceiptMicroUsd === b.usdValueAtReceiptMicroUsd
  );
}

export interface AllocationInForceRow {
  rigId: string;
  model: string;
  serialNumber: string;
  allocHs: bigint;
  nominalHs: bigint;
  /** The rig's average that day as the run counts it (measured, else reported); null: no data (delivered 0). */
  reportedHs: bigint | null;
  source: TelemetrySource | null;
  /** The rig mined through the Stratum proxy that day: reportedHs is measured from its shares. */
  measured: boolean;
  acceptedShares: number | null;
  telemetryUpdatedAt: Date | null;
}

/** The columns both of allocationsInForce's queries read. */
type AllocationSqlRow = {
  rig_id: string;
  model: string;
  serial_number: string;
  alloc: bigint;
  nominal: bigint;
  reported: bigint | null;
  updated_at: Date | null;
  shares: number | null;
};

/**
 * Step 1's inputs of a payout: the rows the run stored with it (daily_payout_allocations: alloc,
 * nominal and rep exactly as counted, whatever changed since), by rig serial, then allocation;
 * for a payout settled before those rows existed (none stored), the allocations in force when
 * the day ended as run.ts selects them, with that day's shares or telemetry as they are now.
 * The telemetry source, its last change and the share count are read from the rig-day's rows.
 */
export async function allocationsInForce(
  prisma: Pick<PrismaClient, "$queryRaw">,
  contractId: string,
  dayDate: Date,
  payoutId?: bigint,
): Promise<AllocationInForceRow[]> {
  const day = dayText(dayDate);
  if (payoutId !== undefined) {
    const stored = await prisma.$queryRaw<
      (AllocationSqlRow & { source: HashrateSource; telemetry_source: TelemetrySource | null })[]
    >`
      SELECT x.rig_id::text, r.model, r.serial_number, x.allocated_hashrate_hs AS alloc, x.nominal_hashrate_hs AS nominal,
             x.reported_hashrate_hs AS reported, x.source::text AS source, t.source AS telemetry_source, t.updated_at,
             m.accepted_shares AS shares
        FROM daily_payout_allocations x
        JOIN rigs r ON r.id = x.rig_id
        LEFT JOIN rig_telemetry t ON t.rig_id = x.rig_id AND t.day = ${day}::date
        LEFT JOIN rig_share_days m ON m.rig_id = x.rig_id AND m.day = ${day}::date
       WHERE x.payout_id = ${payoutId}
       ORDER BY r.serial_number, x.allocation_id`;
    if (stored.length > 0) {
      return stored.map((a) => ({
        rigId: a.rig_id,
        model: a.model,
        serialNumber: a.serial_number,
        allocHs: BigInt(a.alloc),
        nominalHs: BigInt(a.nominal),
        reportedHs: a.reported === null ? null : BigInt(a.reported),
        source: a.source === "TELEMETRY" ? a.telemetry_source : null,
        measured: a.source === "SHARES",
        acceptedShares: a.source === "SHARES" && a.shares !== null ? Number(a.shares) : null,
        telemetryUpdatedAt: a.source === "TELEMETRY" ? a.updated_at : null,
      }));
    }
  }
  const rows = await prisma.$queryRaw<(AllocationSqlRow & { source: TelemetrySource | null; work: string | null })[]>`
    SELECT a.rig_id::text, r.model, r.serial_number, a.hashrate_hs AS alloc, r.nominal_hashrate_hs AS nominal,
           t.reported_hashrate_hs AS reported, t.source, t.updated_at, m.accepted_work::text AS work,
           m.accepted_shares AS shares
      FROM allocations a
      JOIN rigs r ON r.id = a.rig_id
      LEFT JOIN rig_telemetry t ON t.rig_id = a.rig_id AND t.day = ${day}::date
      LEFT JOIN rig_share_days m ON m.rig_id = a.rig_id AND m.day = ${day}::date
     WHERE a.contract_id = ${contractId}::uuid
       AND a.created_at < ((${day}::date + 1)::timestamp AT TIME ZONE 'UTC')
       AND ((a.status = 'LIVE' AND a.released_at IS NULL)
            OR (a.status = 'RELEASED' AND a.released_at >= ((${day}::date + 1)::timestamp AT TIME ZONE 'UTC')))
     ORDER BY r.serial_number, a.id`;
  return rows.map((a) => ({
    rigId: a.rig_id,
    model: a.model,
    serialNumber: a.serial_number,
    allocHs: BigInt(a.alloc),
    nominalHs: BigInt(a.nominal),
    reportedHs: rigDayHashrate(a.work === null ? null : BigInt(a.work), a.reported === null ? null : BigInt(a.reported))
      .hs,
    source: a.work === null ? a.source : null,
    measured: a.work !== null,
    acceptedShares: a.shares === null ? null : Number(a.shares),
    telemetryUpdatedAt: a.work === null ? a.updated_at : null,
  }));
}
