// The daily payout formula of DESIGN.md ("Daily payout"), in exact integer arithmetic.
// Every division names its rounding: amounts paid to a user round down, fees round up.
// Block time is carried in milliseconds (Kaspa's is 100 ms), so T = blockTimeMs / 1000
// and the factor 1000 appears in the numerators below.
// A day's figures come in two parts: computed (steps 2-4, kept on a curtailed day too) and
// posted (what the ledger moves; 0 on a curtailed day) — see DayFigures.

export const SECONDS_PER_DAY = 86_400n;
const TWO_POW_32 = 4_294_967_296n;

export function floorDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError("divisor must be positive");
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError("divisor must be positive");
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

export interface NetworkInputs {
  /** Network hashrate N in H/s, or null for difficulty-based coins. */
  networkHashrateHs: bigint | null;
  /** Difficulty D for Bitcoin-family coins, or null. */
  difficulty: bigint | null;
  blockTimeMs: bigint;
  blockSubsidyBase: bigint;
  avgFeesPerBlockBase: bigint;
  /** Micro-USD per whole coin. */
  priceMicroUsd: bigint;
}

/** N in H/s; for difficulty-based coins N = floor(D * 2^32 / T) = floor(D * 2^32 * 1000 / T_ms). */
export function networkHashrate(n: Pick<NetworkInputs, "networkHashrateHs" | "difficulty" | "blockTimeMs">): bigint {
  if (n.networkHashrateHs !== null) return n.networkHashrateHs;
  if (n.difficulty === null) throw new Error("a network snapshot needs a hashrate or a difficulty");
  return floorDiv(n.difficulty * TWO_POW_32 * 1000n, n.blockTimeMs);
}

/** Step 1: delivered hashrate, floor(alloc * min(rep, nom) / nom) per allocation; no telemetry = 0. */
export function deliveredHashrate(
  allocations: { allocHs: bigint; nominalHs: bigint; reportedHs: bigint | null }[],
): bigint {
  return allocations.reduce((sum, a) => {
    if (a.reportedHs === null) return sum;
    const rep = a.reportedHs < a.nominalHs ? a.reportedHs : a.nominalHs;
    return sum + floorDiv(a.allocHs * (rep > 0n ? rep : 0n), a.nominalHs);
  }, 0n);
}

/** Where one rig's `rep` for a day came from. */
export type RigDaySource = "SHARES" | "TELEMETRY" | "NONE";

/**
 * A rig's `rep` for a day (DESIGN.md "Delivered hashrate: measured"): the measured average
 * floor(acceptedWork / 86400) wherever the rig mined through the Stratum proxy that day (a
 * share-day row exists, even with no accepted share), else the operator's telemetry, else none.
 */
export function rigDayHashrate(
  measuredWork: bigint | null,
  reportedHs: bigint | null,
): { hs: bigint | null; source: RigDaySource } {
  if (measuredWork !== null) return { hs: floorDiv(measuredWork, SECONDS_PER_DAY), source: "SHARES" };
  if (reportedHs !== null) return { hs: reportedHs, source: "TELEMETRY" };
  return { hs: null, source: "NONE" };
}

/** A payout's hashrate source: SHARES when every rig was measured, MIXED when some were. */
export function payoutHashrateSource(sources: readonly RigDaySource[]): "SHARES" | "TELEMETRY" | "MIXED" | "NONE" {
  const measured = sources.filter((s) => s === "SHARES").length;
  if (measured > 0) return measured === sources.length ? "SHARES" : "MIXED";
  return sources.includes("TELEMETRY") ? "TELEMETRY" : "NONE";
}

/** Step 2 (FPPS): G = floor(Hd * 86400 * (R + F) / (N * T)). */
export function grossCoins(deliveredHs: bigint, net: NetworkInputs): bigint {
  const n = networkHashrate(net);
  return floorDiv(
    deliveredHs * SECONDS_PER_DAY * (net.blockSubsidyBase + net.avgFeesPerBlockBase) * 1000n,
    n * net.blockTimeMs,
  );
}

/** Step 3: Fp = ceil(G * bps / 10000). */
export function poolFee(gross: bigint, poolFeeBps: bigint): bigint {
  return ceilDiv(gross * poolFeeBps, 10_000n);
}

/** Step 4: M = ceil(m * Hd * 10^d / (u * P)). */
export function maintenanceFeeCoins(
  feeMicroUsdPerUnitDay: bigint,
  deliveredHs: bigint,
  decimals: bigint,
  unitHs: bigint,
  priceMicroUsd: bigint,
): bigint {
  return ceilDiv(feeMicroUsdPerUnitDay * deliveredHs * 10n ** decimals, unitHs * priceMicroUsd);
}

/** Step 6: floor((H - Hd) * dailyPrice / H) micro-USD back from the operator's payable. */
export function underDeliveryCredit(contractedHs: bigint, deliveredHs: bigint, dailyPriceMicroUsd: bigint): bigint {
  const shortfall = contractedHs - deliveredHs;
  return shortfall > 0n ? floorDiv(shortfall * dailyPriceMicroUsd, contractedHs) : 0n;
}

/** USD value at receipt: floor(net * P / 10^d). */
export function usdValue(amountBase: bigint, priceMicroUsd: bigint, decimals: bigint): bigint {
  return floorDiv(amountBase * priceMicroUsd, 10n ** decimals);
}

export interface DayInputs {
  contractedHs: bigint;
  deliveredHs: bigint;
  network: NetworkInputs;
  decimals: bigint;
  poolFeeBps: bigint;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
  unitHs: bigint;
  dailyPriceMicroUsd: bigint;
}

/**
 * A day's figures in two parts (lib/payouts/README.md "Computed and posted"):
 *  - computed*: steps 2-4 from the delivered hashrate, always, also on a curtailed day — the
 *    figures of the decision (step 5: curtailed when computedGross - computedPoolFee <
 *    computedMaintenanceFee);
 *  - grossBase, poolFeeBase, maintenanceFeeBase, netBase: what is posted to the ledger; equal
 *    to the computed figures (net = G - Fp - M), all 0 on a curtailed day (nothing was mined).
 * So gross = net + pool fee + maintenance fee always holds for the posted figures.
 */
export interface DayFigures {
  computedGrossBase: bigint;
  computedPoolFeeBase: bigint;
  computedMaintenanceFeeBase: bigint;
  grossBase: bigint;
  poolFeeBase: bigint;
  maintenanceFeeBase: bigint;
  netBase: bigint;
  curtailed: boolean;
  underDeliveryCreditMicroUsd: bigint;
  usdValueAtReceiptMicroUsd: bigint;
}

/** Steps 2-7 for one contract-day. */
export function settleDay(d: DayInputs): DayFigures {
  const grossBase = grossCoins(d.deliveredHs, d.network);
  const fp = poolFee(grossBase, d.poolFeeBps);
  const m = maintenanceFeeCoins(
    d.maintenanceFeeMicroUsdPerUnitDay,
    d.deliveredHs,
    d.decimals,
    d.unitHs,
    d.network.priceMicroUsd,
  );
  const curtailed = grossBase - fp < m;
  const netBase = curtailed ? 0n : grossBase - fp - m;
  return {
    computedGrossBase: grossBase,
    computedPoolFeeBase: fp,
    computedMaintenanceFeeBase: m,
    // A curtailed day mines nothing: the rigs are not worth running; nothing is posted.
    grossBase: curtailed ? 0n : grossBase,
    poolFeeBase: curtailed ? 0n : fp,
    maintenanceFeeBase: curtailed ? 0n : m,
    netBase,
    curtailed,
    underDeliveryCreditMicroUsd: underDeliveryCredit(d.contractedHs, d.deliveredHs, d.dailyPriceMicroUsd),
    usdValueAtReceiptMicroUsd: usdValue(netBase, d.network.priceMicroUsd, d.decimals),
  };
}
