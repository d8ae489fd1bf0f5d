// "How was this payout computed": DESIGN.md "Daily payout" steps 1-7 for one stored payout,
// recomputed with lib/payouts/formula.ts from the inputs stored on the payout row (and, for
// step 1, from the allocations in force that day and the rigs' telemetry), each figure set
// beside the stored one. The stored row is what was paid; a mismatch is shown, never hidden.
import type { PrismaClient } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import {
  deliveredHashrate,
  grossCoins,
  maintenanceFeeCoins,
  networkHashrate,
  poolFee,
  settleDay,
  underDeliveryCredit,
  usdValue,
  type DayFigures,
  type NetworkInputs,
} from "../payouts/formula";
import { allocationsInForce, payoutRecord, type AllocationInForceRow, type PayoutRecord } from "../payouts/record";

/** The stored payout, every input and figure as exact integers. */
export type StoredPayout = PayoutRecord;

/** One rig's part of step 1 (its hashrate as the run counted it: see AllocationInForceRow). */
export interface AllocationInput extends Pick<
  AllocationInForceRow,
  "allocHs" | "nominalHs" | "reportedHs" | "source" | "measured" | "acceptedShares"
> {
  rigLabel: string;
  /** Telemetry written after the payout was settled (a later correction). */
  changedAfterSettlement: boolean;
}

export interface AllocationLine extends AllocationInput {
  /** floor(alloc * min(rep, nom) / nom). */
  deliveredHs: bigint;
}

/** The figures of steps 2-7 that were posted (not the computed ones a curtailed day shows beside them). */
type PostedFigure = Exclude<
  keyof DayFigures,
  "computedGrossBase" | "computedPoolFeeBase" | "computedMaintenanceFeeBase"
>;

export interface Explanation {
  payout: StoredPayout;
  /** Step 1 */
  allocations: AllocationLine[];
  deliveredRecomputedHs: bigint;
  deliveredMatches: boolean;
  /** Step 2: N; for difficulty-based coins also D and floor(D * 2^32 * 1000 / T_ms). */
  difficulty: bigint | null;
  networkFromDifficultyHs: bigint | null;
  /** G before curtailment (what the delivered hashrate earned). */
  grossEarnedBase: bigint;
  /** Step 3 */
  poolFeeComputedBase: bigint;
  /** Step 4 */
  maintenanceFeeComputedBase: bigint;
  /** Step 5 */
  curtailed: boolean;
  /** Steps 2-7 as formula.ts's settleDay computes them from the stored inputs. */
  recomputed: DayFigures;
  /** Per figure: stored == recomputed. */
  matches: Record<PostedFigure, boolean>;
  /** Every stored figure of steps 2-7 equals the recomputation. */
  allMatch: boolean;
}

function networkOf(p: StoredPayout): NetworkInputs {
  return {
    // The run stores N itself (for difficulty-based coins already floor(D * 2^32 * 1000 / T)).
    networkHashrateHs: p.networkHashrateHs,
    difficulty: null,
    blockTimeMs: BigInt(p.blockTimeMs),
    blockSubsidyBase: p.blockSubsidyBase,
    avgFeesPerBlockBase: p.avgFeesPerBlockBase,
    priceMicroUsd: p.priceMicroUsd,
  };
}

/** Pure: the walk-through for a stored payout. */
export function explainPayout(
  payout: StoredPayout,
  allocations: AllocationInput[],
  difficulty: bigint | null,
): Explanation {
  const lines = allocations.map((a) => ({ ...a, deliveredHs: deliveredHashrate([a]) }));
  const deliveredRecomputedHs = deliveredHashrate(allocations);
  const network = networkOf(payout);
  const hd = payout.deliveredHashrateHs;
  const grossEarnedBase = grossCoins(hd, network);
  const poolFeeComputedBase = poolFee(grossEarnedBase, BigInt(payout.poolFeeBps));
  const decimals = BigInt(payout.decimals);
  const maintenanceFeeComputedBase = maintenanceFeeCoins(
    payout.maintenanceFeeMicroUsdPerUnitDay,
    hd,
    decimals,
    payout.unitHs,
    payout.priceMicroUsd,
  );
  const recomputed = settleDay({
    contractedHs: payout.allocatedHashrateHs,
    deliveredHs: hd,
    network,
    decimals,
    poolFeeBps: BigInt(payout.poolFeeBps),
    maintenanceFeeMicroUsdPerUnitDay: payout.maintenanceFeeMicroUsdPerUnitDay,
    unitHs: payout.unitHs,
    dailyPriceMicroUsd: payout.dailyPriceMicroUsd,
  });
  // Cross-checks of the helpers against settleDay (same module, same arithmetic).
  if (
    underDeliveryCredit(payout.allocatedHashrateHs, hd, payout.dailyPriceMicroUsd) !==
    recomputed.underDeliveryCreditMicroUsd
  ) {
    throw new Error("formula.ts disagrees with itself on the under-delivery credit");
  }
  if (usdValue(recomputed.netBase, payout.priceMicroUsd, decimals) !== recomputed.usdValueAtReceiptMicroUsd) {
    throw new Error("formula.ts disagrees with itself on the USD value");
  }
  const matches = {
    grossBase: payout.grossBase === recomputed.grossBase,
    poolFeeBase: payout.poolFeeBase === recomputed.poolFeeBase,
    maintenanceFeeBase: payout.maintenanceFeeBase === recomputed.maintenanceFeeBase,
    netBase: payout.netBase === recomputed.netBase,
    curtailed: payout.curtailed === recomputed.curtailed,
    underDeliveryCreditMicroUsd: payout.underDeliveryCreditMicroUsd === recomputed.underDeliveryCreditMicroUsd,
    usdValueAtReceiptMicroUsd: payout.usdValueAtReceiptMicroUsd === recomputed.usdValueAtReceiptMicroUsd,
  };
  return {
    payout,
    allocations: lines,
    deliveredRecomputedHs,
    deliveredMatches: deliveredRecomputedHs === hd,
    difficulty,
    networkFromDifficultyHs:
      difficulty === null
        ? null
        : networkHashrate({ networkHashrateHs: null, difficulty, blockTimeMs: BigInt(payout.blockTimeMs) }),
    grossEarnedBase,
    poolFeeComputedBase,
    maintenanceFeeComputedBase,
    curtailed: grossEarnedBase - poolFeeComputedBase < maintenanceFeeComputedBase,
    recomputed,
    matches,
    allMatch: Object.values(matches).every(Boolean),
  };
}

export interface PayoutContext {
  listingTitle: string;
  operatorName: string;
  unitLabel: string;
  contractHashrateHs: bigint;
}

/**
 * Loads one payout of the customer with everything its explanation needs; null when the
 * payout does not exist or belongs to another customer (the caller answers 404 either way).
 */
export async function loadPayoutExplanation(
  prisma: Pick<PrismaClient, "dailyPayout" | "$queryRaw" | "networkSnapshot">,
  customerId: string,
  payoutId: bigint,
): Promise<{ explanation: Explanation; context: PayoutContext } | null> {
  const row = await prisma.dailyPayout.findFirst({
    where: { id: payoutId, contract: { customerId } },
    include: {
      contract: {
        select: {
          hashrateHs: true,
          listing: {
            select: {
              title: true,
              operator: { select: { name: true } },
              coinConfig: { select: { hashrateUnitLabel: true, difficultyBased: true } },
            },
          },
        },
      },
    },
  });
  if (!row) return null;
  const allocations = await allocationsInForce(prisma, row.contractId, row.day, row.id);
  let difficulty: bigint | null = null;
  if (row.contract.listing.coinConfig.difficultyBased) {
    const snapshot = await prisma.networkSnapshot.findUnique({
      where: { coin_day: { coin: row.coin, day: row.day } },
      select: { difficulty: true },
    });
    difficulty = snapshot?.difficulty ? decimalToBigInt(snapshot.difficulty) : null;
  }
  const stored: StoredPayout = payoutRecord(row);
  const inputs: AllocationInput[] = allocations.map((a) => ({
    rigLabel: `${a.model} ${a.serialNumber}`,
    allocHs: a.allocHs,
    nominalHs: a.nominalHs,
    reportedHs: a.reportedHs,
    source: a.source,
    measured: a.measured,
    acceptedShares: a.acceptedShares,
    changedAfterSettlement: a.telemetryUpdatedAt !== null && a.telemetryUpdatedAt.getTime() > row.createdAt.getTime(),
  }));
  return {
    explanation: explainPayout(stored, inputs, difficulty),
    context: {
      listingTitle: row.contract.listing.title,
      operatorName: row.contract.listing.operator.name,
      unitLabel: row.contract.listing.coinConfig.hashrateUnitLabel,
      contractHashrateHs: row.contract.hashrateHs,
    },
  };
}
