// Profitability estimates for a listing, from one network snapshot held constant over the
// term ("today's network data"). Every figure comes from the payout formula of DESIGN.md
// (lib/payouts/formula.ts) applied exactly as a payout run would apply it, day by day, and
// the contract price from the purchase's own pricing (lib/contracts/pricing.ts), so an
// estimate differs from real payouts only by the network moving, never by arithmetic.
// Pure and exact: BigInt only, every division names its rounding.
import { priceContract, type ContractPrice } from "../contracts/pricing";
import {
  ceilDiv,
  floorDiv,
  grossCoins,
  maintenanceFeeCoins,
  poolFee,
  settleDay,
  usdValue,
  type NetworkInputs,
} from "../payouts/formula";
import { hashprice } from "./hashprice";

const BPS = 10_000n;

/** The stress case: electricity (maintenance fee) +20 %, coin price -30 %, difficulty +10 %. */
export const STRESS = {
  /** Maintenance fee x 1.2, rounded up to a whole micro-dollar (against the customer). */
  maintenanceFeeBps: 12_000n,
  /** Coin price x 0.7, rounded down. */
  priceBps: 7_000n,
  /** Difficulty (or network hashrate) x 1.1, rounded up. */
  networkBps: 11_000n,
} as const;

export interface CoinTerms {
  /** Base units per whole coin = 10^decimals. */
  decimals: bigint;
  poolFeeBps: bigint;
  /** The coin's pricing unit in H/s (10^12 for TH/s). */
  unitHs: bigint;
}

export interface ListingTerms {
  priceMicroUsdPerUnitDay: bigint;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
}

export interface EstimateInputs {
  network: NetworkInputs;
  coin: CoinTerms;
  listing: ListingTerms;
  hashrateHs: bigint;
  days: bigint;
}

/** One day's or one term's figures: coins in base units, USD in micro-dollars. */
export interface Figures {
  grossBase: bigint;
  poolFeeBase: bigint;
  maintenanceFeeBase: bigint;
  netBase: bigint;
  /** Each coin amount valued at the scenario's coin price, rounded down. */
  grossMicroUsd: bigint;
  poolFeeMicroUsd: bigint;
  maintenanceFeeMicroUsd: bigint;
  /** The value at receipt of the net payout, as the payout run records it. */
  netMicroUsd: bigint;
}

export interface ScenarioEstimate {
  /** The network data and fee the scenario assumes. */
  network: NetworkInputs;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
  /** True when every day of the term is curtailed: payout 0, no pool or maintenance fee. */
  curtailed: boolean;
  /**
   * What a day would mine after the pool fee, and the maintenance fee it would cost, if the
   * rigs ran: the two amounts step 5 of the formula compares (shown to explain a curtailment).
   */
  minedAfterPoolFeeIfRunBase: bigint;
  maintenanceIfRunBase: bigint;
  daily: Figures;
  /** `daily` times the days of the term: the network data is held constant. */
  term: Figures;
  /** Net USD over the term minus the contract price (negative: a loss). */
  netProfitMicroUsd: bigint;
  /**
   * The lowest coin price (micro-USD per whole coin) at which net USD over the term covers the
   * contract price, with this scenario's difficulty and maintenance fee; null when no price
   * can (the hashrate mines too little to ever pay back).
   */
  breakEvenPriceMicroUsd: bigint | null;
}

export interface Estimate {
  contract: ContractPrice;
  base: ScenarioEstimate;
  stress: ScenarioEstimate;
}

/** The stressed inputs: every adjustment rounds against the customer. */
export function stressInputs(inputs: EstimateInputs): EstimateInputs {
  const n = inputs.network;
  return {
    ...inputs,
    network: {
      ...n,
      networkHashrateHs: n.networkHashrateHs === null ? null : ceilDiv(n.networkHashrateHs * STRESS.networkBps, BPS),
      difficulty: n.difficulty === null ? null : ceilDiv(n.difficulty * STRESS.networkBps, BPS),
      priceMicroUsd: floorDiv(n.priceMicroUsd * STRESS.priceBps, BPS),
    },
    listing: {
      ...inputs.listing,
      maintenanceFeeMicroUsdPerUnitDay: ceilDiv(
        inputs.listing.maintenanceFeeMicroUsdPerUnitDay * STRESS.maintenanceFeeBps,
        BPS,
      ),
    },
  };
}

/** One UTC day of a contract that delivers its full hashrate, through the payout formula. */
function settleFullDay(inputs: EstimateInputs, network: NetworkInputs, dailyPriceMicroUsd: bigint) {
  return settleDay({
    contractedHs: inputs.hashrateHs,
    deliveredHs: inputs.hashrateHs,
    network,
    decimals: inputs.coin.decimals,
    poolFeeBps: inputs.coin.poolFeeBps,
    maintenanceFeeMicroUsdPerUnitDay: inputs.listing.maintenanceFeeMicroUsdPerUnitDay,
    unitHs: inputs.coin.unitHs,
    dailyPriceMicroUsd,
  });
}

function times(f: Figures, days: bigint): Figures {
  return {
    grossBase: f.grossBase * days,
    poolFeeBase: f.poolFeeBase * days,
    maintenanceFeeBase: f.maintenanceFeeBase * days,
    netBase: f.netBase * days,
    grossMicroUsd: f.grossMicroUsd * days,
    poolFeeMicroUsd: f.poolFeeMicroUsd * days,
    maintenanceFeeMicroUsd: f.maintenanceFeeMicroUsd * days,
    netMicroUsd: f.netMicroUsd * days,
  };
}

/** Net USD a day earns at coin price `priceMicroUsd` (the payout's value at receipt). */
function dailyNetUsdAt(inputs: EstimateInputs, priceMicroUsd: bigint): bigint {
  return settleFullDay(inputs, { ...inputs.network, priceMicroUsd }, 0n).usdValueAtReceiptMicroUsd;
}

// Enough for any real coin; a price beyond it means "never" (the search stays bounded).
const PRICE_SEARCH_LIMIT = 1n << 128n;

/**
 * The smallest integer coin price P with days * dailyNetUsd(P) >= the contract price, by
 * binary search. dailyNetUsd is non-decreasing in P: the maintenance fee in coin
 * ceil(m * H * 10^d / (u * P)) shrinks as P grows, so net coins grow (a curtailed day ends
 * once they cover it) and so does their value floor(net * P / 10^d).
 */
export function breakEvenPrice(inputs: EstimateInputs, totalPriceMicroUsd: bigint): bigint | null {
  const covers = (price: bigint) => dailyNetUsdAt(inputs, price) * inputs.days >= totalPriceMicroUsd;
  let high = 1n;
  while (!covers(high)) {
    if (high >= PRICE_SEARCH_LIMIT) return null;
    high *= 2n;
  }
  let low = high / 2n; // covers(low) is false, or low is 0 (below any price)
  while (high - low > 1n) {
    const mid = (low + high) / 2n;
    if (covers(mid)) high = mid;
    else low = mid;
  }
  return high;
}

function scenario(inputs: EstimateInputs, contract: ContractPrice): ScenarioEstimate {
  const { network, coin, listing, hashrateHs, days } = inputs;
  const day = settleFullDay(inputs, network, contract.dailyPriceMicroUsd);
  const usd = (base: bigint) => usdValue(base, network.priceMicroUsd, coin.decimals);
  const daily: Figures = {
    grossBase: day.grossBase,
    poolFeeBase: day.poolFeeBase,
    maintenanceFeeBase: day.maintenanceFeeBase,
    netBase: day.netBase,
    grossMicroUsd: usd(day.grossBase),
    poolFeeMicroUsd: usd(day.poolFeeBase),
    maintenanceFeeMicroUsd: usd(day.maintenanceFeeBase),
    netMicroUsd: day.usdValueAtReceiptMicroUsd,
  };
  const term = times(daily, days);
  const minedIfRunBase = grossCoins(hashrateHs, network);
  const minedAfterPoolFeeIfRunBase = minedIfRunBase - poolFee(minedIfRunBase, coin.poolFeeBps);
  return {
    network,
    maintenanceFeeMicroUsdPerUnitDay: listing.maintenanceFeeMicroUsdPerUnitDay,
    curtailed: day.curtailed,
    minedAfterPoolFeeIfRunBase,
    maintenanceIfRunBase: maintenanceFeeCoins(
      listing.maintenanceFeeMicroUsdPerUnitDay,
      hashrateHs,
      coin.decimals,
      coin.unitHs,
      network.priceMicroUsd,
    ),
    daily,
    term,
    netProfitMicroUsd: term.netMicroUsd - contract.totalPriceMicroUsd,
    breakEvenPriceMicroUsd: breakEvenPrice(inputs, contract.totalPriceMicroUsd),
  };
}

/** Base and stress estimates for `hashrateHs` over `days` (both positive). */
export function estimate(inputs: EstimateInputs): Estimate {
  if (inputs.hashrateHs <= 0n || inputs.days <= 0n) throw new RangeError("hashrate and days must be positive");
  if (inputs.network.priceMicroUsd <= 0n) throw new RangeError("the snapshot needs a positive coin price");
  const contract = priceContract(
    inputs.hashrateHs,
    inputs.days,
    inputs.listing.priceMicroUsdPerUnitDay,
    inputs.coin.unitHs,
  );
  return { contract, base: scenario(inputs, contract), stress: scenario(stressInputs(inputs), contract) };
}

/** Cumulative net USD after day 0, 1, ..., days (the network data held constant). */
export function cumulativeNetMicroUsd(dailyNetMicroUsd: bigint, days: bigint): bigint[] {
  const points: bigint[] = [];
  for (let day = 0n; day <= days; day++) points.push(dailyNetMicroUsd * day);
  return points;
}

/**
 * Revenue of one pricing unit for one day after the pool fee, micro-USD (rounded down):
 * what a unit mines (FPPS, subsidy plus fees), less the pool fee, at the snapshot's price —
 * the day's hashprice after the pool fee (lib/profitability/hashprice.ts works it out for a
 * million units and divides back, so rounding to whole base units does not blur the order
 * when the marketplace sorts by profitability).
 */
export function revenueAfterPoolFeeMicroUsdPerUnitDay(network: NetworkInputs, coin: CoinTerms): bigint {
  return hashprice(network, coin).afterPoolFeeMicroUsd;
}

/**
 * Estimated net USD per pricing unit per day of a listing: revenue after the pool fee minus
 * the maintenance fee, never below zero (a curtailed day pays nothing and charges no fee),
 * minus the listing's price. The marketplace's SQL sort computes exactly this expression.
 */
export function estimatedNetMicroUsdPerUnitDay(revenueAfterPoolFeeMicroUsd: bigint, listing: ListingTerms): bigint {
  const mined = revenueAfterPoolFeeMicroUsd - listing.maintenanceFeeMicroUsdPerUnitDay;
  return (mined > 0n ? mined : 0n) - listing.priceMicroUsdPerUnitDay;
}

const MICRO_USD_PER_CENT = 10_000n;

/** A price threshold shown in cents rounds up, so the shown price still reaches it. */
export function ceilToCentMicroUsd(microUsd: bigint): bigint {
  return ceilDiv(microUsd, MICRO_USD_PER_CENT) * MICRO_USD_PER_CENT;
}
