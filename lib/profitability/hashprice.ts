// Hashprice: what one pricing unit of hashrate earned in a UTC day (the figure miners judge a
// hashrate price by; Luxor's Hashprice Index is the public reference), from that day's network
// snapshot through the payout formula of DESIGN.md (lib/payouts/formula.ts), FPPS: block subsidy
// plus fees. A single unit mines only a few base units a day (1 TH/s of BTC: ~40 sat), where
// rounding to whole base units would lose a few per cent, so the coin figure is kept in
// millionths of a base unit: the formula's gross for a million units, floor-rounded once.
// USD figures are micro-USD per unit per day, rounded down (floor of a floor is the floor of the
// exact quotient, so the two steps round once). Pure and exact: BigInt only.
import { floorDiv, grossCoins, poolFee, usdValue, type NetworkInputs } from "../payouts/formula";
import type { CoinTerms } from "./estimate";

/** The coin figure's scale: millionths of a base unit (the formula is applied to a million units). */
export const HASHPRICE_UNITS = 1_000_000n;

export interface Hashprice {
  /** Gross coins one unit mined in the day, in millionths of a base unit (floor). */
  grossMicroBase: bigint;
  /** The same after the coin's pool fee (ceil of the fee on the million units' gross). */
  afterPoolFeeMicroBase: bigint;
  /** Gross USD per unit per day at the day's price, micro-USD (floor). */
  grossMicroUsd: bigint;
  /** USD per unit per day after the pool fee, micro-USD (floor): what the marketplace's estimates use. */
  afterPoolFeeMicroUsd: bigint;
}

/** One day's hashprice. The network must have a positive hashrate (or difficulty) and block time. */
export function hashprice(network: NetworkInputs, coin: CoinTerms): Hashprice {
  const gross = grossCoins(coin.unitHs * HASHPRICE_UNITS, network);
  const afterPoolFee = gross - poolFee(gross, coin.poolFeeBps);
  const perUnitUsd = (millionUnitsBase: bigint) =>
    floorDiv(usdValue(millionUnitsBase, network.priceMicroUsd, coin.decimals), HASHPRICE_UNITS);
  return {
    grossMicroBase: gross,
    afterPoolFeeMicroBase: afterPoolFee,
    grossMicroUsd: perUnitUsd(gross),
    afterPoolFeeMicroUsd: perUnitUsd(afterPoolFee),
  };
}
