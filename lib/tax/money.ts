// Exact amounts for tax figures and exports: integers in base units or micro-USD, written as
// plain decimal strings (no grouping, no currency sign) and rounded only where a rule says so.

import { decimalText, MICRO_USD_DECIMALS } from "../shared/decimal";

const CENT_MICRO_USD = 10_000n;

/**
 * A signed integer in units of 10^-scale as a plain decimal string, exactly: trailing zeros
 * of the fraction trimmed down to `minDecimals` (`plainDecimal(1_500_000n, 6, 2)` -> "1.50").
 */
export function plainDecimal(value: bigint, scale: number, minDecimals = 0): string {
  return decimalText(value, scale, { minDecimals });
}

/** Micro-USD as dollars for a CSV: exact, at least 2 decimals ("12.5" -> "12.50", "0.000001"). */
export function usdText(microUsd: bigint): string {
  return plainDecimal(microUsd, MICRO_USD_DECIMALS, 2);
}

/**
 * numerator / denominator micro-USD rounded half up to whole cents (returned in micro-USD,
 * a multiple of 10,000). Both operands must be >= 0: every SE tax figure is.
 */
export function roundHalfUpToCent(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError("roundHalfUpToCent takes a non-negative fraction");
  const unit = denominator * CENT_MICRO_USD;
  return ((2n * numerator + unit) / (2n * unit)) * CENT_MICRO_USD;
}
