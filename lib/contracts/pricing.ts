// Contract pricing in exact integers. A day of the contract costs
// ceil(hashrate * price per unit / unit) micro-USD (a charge to the customer rounds up, once,
// per day of the term); the platform keeps PLATFORM_FEE_BPS of the total (rounded up) and the
// operator's payable gets the rest. Card charges are in cents: round half up once, at
// checkout, and the difference is recorded (DESIGN.md "Units and money").
import { ceilDiv, floorDiv } from "../payouts/formula";
import { decimalText, parseDecimal, powerOfTenDecimals } from "../shared/decimal";

/** The platform's share of every contract price: 3 %. */
export const PLATFORM_FEE_BPS = 300n;
export const MICRO_USD_PER_CENT = 10_000n;

export interface ContractPrice {
  dailyPriceMicroUsd: bigint;
  totalPriceMicroUsd: bigint;
  platformFeeMicroUsd: bigint;
  operatorShareMicroUsd: bigint;
}

export function priceContract(
  hashrateHs: bigint,
  days: bigint,
  priceMicroUsdPerUnitDay: bigint,
  unitHs: bigint,
): ContractPrice {
  if (hashrateHs <= 0n || days <= 0n) throw new RangeError("hashrate and days must be positive");
  const dailyPriceMicroUsd = ceilDiv(hashrateHs * priceMicroUsdPerUnitDay, unitHs);
  const totalPriceMicroUsd = dailyPriceMicroUsd * days;
  const platformFeeMicroUsd = ceilDiv(totalPriceMicroUsd * PLATFORM_FEE_BPS, 10_000n);
  return {
    dailyPriceMicroUsd,
    totalPriceMicroUsd,
    platformFeeMicroUsd,
    operatorShareMicroUsd: totalPriceMicroUsd - platformFeeMicroUsd,
  };
}

/** Cents charged by card: micro-USD / 10^4 rounded half up; rounding = charged - price. */
export function cardCharge(totalPriceMicroUsd: bigint): { cents: bigint; roundingMicroUsd: bigint } {
  const cents = floorDiv(totalPriceMicroUsd + MICRO_USD_PER_CENT / 2n, MICRO_USD_PER_CENT);
  return { cents, roundingMicroUsd: cents * MICRO_USD_PER_CENT - totalPriceMicroUsd };
}

/** Coin needed to pay a USD price from a coin balance: ceil(price * 10^d / P) base units. */
export function coinAmountForUsd(priceMicroUsd: bigint, coinPriceMicroUsd: bigint, decimals: bigint): bigint {
  return ceilDiv(priceMicroUsd * 10n ** decimals, coinPriceMicroUsd);
}

/** "234.5" in a unit of `unitHs` H/s (a power of ten) -> exact H/s; null when not a plain decimal or not whole H/s. */
export function parseHashrate(text: string, unitHs: bigint): bigint | null {
  const parsed = parseDecimal(text, powerOfTenDecimals(unitHs), { maxWholeDigits: 30, digitsAroundPoint: true });
  return parsed.ok ? parsed.value : null;
}

/** Exact decimal text of `hs` in a unit of `unitHs` H/s (unitHs a power of ten), e.g. "2.5". */
export function formatInUnit(hs: bigint, unitHs: bigint): string {
  return decimalText(hs, powerOfTenDecimals(unitHs));
}
