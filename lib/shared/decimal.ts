// Decimal text <-> fixed-point bigint, exactly, by string arithmetic: never through a float
// ("234.5" TH/s is exactly 234,500,000,000,000 H/s, "0.045" $/kWh exactly 45,000 micro-USD).
// One parser and one printer for every amount in the house; the domain helpers (microUsdText,
// coinText, usdCents, ...) are thin named wrappers over these two. No imports: this runs
// on the server and in the browser alike.

export type DecimalParse = { ok: true; value: bigint } | { ok: false; reason: "format" | "fractionTooLong" };

export interface ParseDecimalOptions {
  /** Most digits before the point (default 24). */
  maxWholeDigits?: number;
  /** "5." and ".5" are refused: at least one digit before, and after a point (default false). */
  digitsAroundPoint?: boolean;
}

/**
 * A plain non-negative decimal ("234.5", "0.045", ".5", "12"; surrounding spaces are fine)
 * scaled by 10^scale, exactly. No signs, exponents, thousands separators or spaces inside:
 * `format` otherwise. `fractionTooLong` when more significant decimals than `scale` were given
 * (trailing zeros are fine).
 */
export function parseDecimal(text: string, scale: number, options: ParseDecimalOptions = {}): DecimalParse {
  const { maxWholeDigits = 24, digitsAroundPoint = false } = options;
  const pattern = digitsAroundPoint
    ? new RegExp(`^(\\d{1,${maxWholeDigits}})(?:\\.(\\d{1,30}))?$`)
    : new RegExp(`^(\\d{0,${maxWholeDigits}})(?:\\.(\\d{0,30}))?$`);
  const match = pattern.exec(text.trim());
  if (!match) return { ok: false, reason: "format" };
  const whole = match[1] ?? "";
  const rawFraction = match[2] ?? "";
  if (whole === "" && rawFraction === "") return { ok: false, reason: "format" };
  const fraction = rawFraction.replace(/0+$/, "");
  if (fraction.length > scale) return { ok: false, reason: "fractionTooLong" };
  return { ok: true, value: BigInt(whole || "0") * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0") };
}

export interface DecimalTextOptions {
  /** Decimals always shown, padded with zeros (at most `scale`; default 0). */
  minDecimals?: number;
  /** Decimals at most; further digits are cut off, toward zero (default `scale`). */
  maxDecimals?: number;
  /** Thousands separators in the whole part: "1,234,567.5" (default false). */
  group?: boolean;
}

/**
 * An integer in units of 10^-scale as decimal text: (312500000n, 8) -> "3.125". By default the
 * shortest text that parses back to the value (trailing zeros trimmed, no grouping). A minus
 * sign only when a non-zero digit is shown (a value cut to "0" is "0", never "-0").
 */
export function decimalText(value: bigint, scale: number, options: DecimalTextOptions = {}): string {
  const { minDecimals = 0, maxDecimals = scale, group = false } = options;
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const keep = Math.min(Math.max(maxDecimals, 0), scale);
  const divisor = 10n ** BigInt(scale);
  const wholeDigits = (magnitude / divisor).toString();
  let fraction = (magnitude % divisor).toString().padStart(scale, "0").slice(0, keep);
  const floor = Math.min(minDecimals, keep);
  while (fraction.length > floor && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  const whole = group ? groupThousands(wholeDigits) : wholeDigits;
  const text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** "1234567" -> "1,234,567". */
export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The number of decimals of a unit that is a power of ten: 10n ** 12n -> 12. */
export function powerOfTenDecimals(unit: bigint): number {
  return unit.toString().length - 1;
}

/** Micro-USD, the house's unit for dollar amounts: 6 decimals. */
export const MICRO_USD_DECIMALS = 6;

/** Micro-USD as the shortest plain decimal that parses back to it: 45000n -> "0.045". */
export function microUsdText(microUsd: bigint): string {
  return decimalText(microUsd, MICRO_USD_DECIMALS);
}
