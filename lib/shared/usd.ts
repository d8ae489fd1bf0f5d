// US dollars as a person reads them: the one formatter for every USD figure on a screen. Money is
// micro-USD (bigint, DESIGN.md "Units and money"); this module decides how it is written.
//
// - An amount (a balance, a payout's value, a price paid, a total) is written to the cent:
//   `usdCents(1_234_567_891n)` -> "$1,234.57". The cent is rounded half to even (banker's rounding):
//   $0.004999 -> $0.00, $0.005 -> $0.00, $0.015 -> $0.02, $0.025 -> $0.02. Half-even has no bias,
//   so a column of rounded figures and the rounded sum of the same figures drift apart by chance
//   only (each figure is off by at most half a cent), never in one direction as truncation would.
//   A negative amount rounds its magnitude the same way ("-$1.50"; what rounds to zero is "$0.00",
//   never "-$0.00").
// - The exact form, all six decimals (`usdExact(1_234_567_891n)` -> "$1,234.567891"), goes where a
//   person checks a figure: the `title` of every rounded figure (components/ui/money.tsx) and the
//   detail views (a payout's "How was this computed?", ledger statements, reconciliation). API
//   responses and exports keep their own exact decimal strings (lib/tax/money.ts, lib/api).
// - A rate (a price per unit per day, a price per kWh, a coin's price) is not an amount: it is
//   multiplied before anyone pays it, so cutting it to the cent would hide what is charged.
//   `usdRate` shows four significant digits, at least two decimals and at most six, rounded half to
//   even, trailing zeros after the cents trimmed: $0.0195, $0.01951 (for $0.019512), $0.000045,
//   $12.35 (for $12.345678), $97,123.46.
// - Where a page shows a sum (a = b + c), each figure is its own exact value rounded; the exact
//   figures (in the titles) add up exactly, the rounded ones can differ by a cent. Forcing the
//   rounded parts to add up would show some part a cent off its own value, which a person could
//   not check against its detail view. Such a page says so when it happens (`centsAddUp`).
//
// Pure BigInt string arithmetic (no floats), no imports beyond the fixed-point printer: it runs in
// the browser too, so it stays small.
import { decimalText, MICRO_USD_DECIMALS } from "./decimal";

/** One cent in micro-USD. */
export const CENT_MICRO_USD = 10_000n;

/** `value` (micro-USD) rounded half to even to `decimals` decimals (0..6), still in micro-USD. */
export function roundMicroUsdHalfEven(value: bigint, decimals: number): bigint {
  const unit = 10n ** BigInt(MICRO_USD_DECIMALS - Math.min(Math.max(decimals, 0), MICRO_USD_DECIMALS));
  const magnitude = value < 0n ? -value : value;
  let units = magnitude / unit;
  const rest = (magnitude % unit) * 2n;
  if (rest > unit || (rest === unit && units % 2n === 1n)) units += 1n;
  return (value < 0n ? -units : units) * unit;
}

function dollars(value: bigint, decimals: number, minDecimals: number, plus: boolean): string {
  const rounded = roundMicroUsdHalfEven(value, decimals);
  const magnitude = rounded < 0n ? -rounded : rounded;
  const text = decimalText(magnitude, MICRO_USD_DECIMALS, { minDecimals, maxDecimals: decimals, group: true });
  const sign = rounded < 0n ? "-" : plus && rounded > 0n ? "+" : "";
  return `${sign}$${text}`;
}

export interface UsdTextOptions {
  /** "+$1.23" for a positive figure (a profit beside a loss); zero and negatives as usual. */
  plus?: boolean;
}

/** An amount to the cent, half to even: 1_234_567_891n -> "$1,234.57", -1_500_000n -> "-$1.50". */
export function usdCents(microUsd: bigint, options: UsdTextOptions = {}): string {
  return dollars(microUsd, 2, 2, options.plus ?? false);
}

/** An amount exactly, all six decimals: 1_234_567_891n -> "$1,234.567891", 58_500_000n -> "$58.500000". */
export function usdExact(microUsd: bigint, options: UsdTextOptions = {}): string {
  return dollars(microUsd, MICRO_USD_DECIMALS, MICRO_USD_DECIMALS, options.plus ?? false);
}

/** Decimals for four significant digits of `magnitude` micro-USD, at least 2, at most 6. */
function rateDecimals(magnitude: bigint): number {
  const digits = magnitude.toString().length;
  // Below $1 the first significant digit is decimal (MICRO_USD_DECIMALS + 1 - digits).
  const first = digits > MICRO_USD_DECIMALS ? 0 : MICRO_USD_DECIMALS + 1 - digits;
  const wanted = first === 0 ? 4 - (digits - MICRO_USD_DECIMALS) : first + 3;
  return Math.min(MICRO_USD_DECIMALS, Math.max(2, wanted));
}

/** A rate (price per unit): four significant digits, 2 to 6 decimals: 19_500n -> "$0.0195". */
export function usdRate(microUsd: bigint): string {
  const magnitude = microUsd < 0n ? -microUsd : microUsd;
  return dollars(microUsd, rateDecimals(magnitude), 2, false);
}

/** Whether a figure is whole cents, i.e. its cent form is exact. */
export function isWholeCents(microUsd: bigint): boolean {
  return microUsd % CENT_MICRO_USD === 0n;
}

/** Whether the cent forms of `parts` add up to the cent form of `total` (a page shows a sum). */
export function centsAddUp(total: bigint, parts: readonly bigint[]): boolean {
  return parts.reduce((sum, part) => sum + roundMicroUsdHalfEven(part, 2), 0n) === roundMicroUsdHalfEven(total, 2);
}
