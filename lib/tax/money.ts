// Exact amounts for tax figures and exports: integers in base units or micro-USD, written as
// plain decimal strings (no grouping, no currency sign) and rounded only where a rule says so.

const CENT_MICRO_USD = 10_000n;

/**
 * A signed integer in units of 10^-scale as a plain decimal string, exactly: trailing zeros
 * of the fraction trimmed down to `minDecimals` (`plainDecimal(1_500_000n, 6, 2)` -> "1.50").
 */
export function plainDecimal(value: bigint, scale: number, minDecimals = 0): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const divisor = 10n ** BigInt(scale);
  const whole = (magnitude / divisor).toString();
  let fraction = scale > 0 ? (magnitude % divisor).toString().padStart(scale, "0") : "";
  while (fraction.length > minDecimals && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return `${negative ? "-" : ""}${whole}${fraction.length > 0 ? `.${fraction}` : ""}`;
}

/** Micro-USD as dollars for a CSV: exact, at least 2 decimals ("12.5" -> "12.50", "0.000001"). */
export function usdText(microUsd: bigint): string {
  return plainDecimal(microUsd, 6, 2);
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
