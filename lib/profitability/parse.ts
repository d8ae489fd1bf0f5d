// Exact parsing of what people type into the marketplace's filters and the calculator:
// string arithmetic into integers, never through a float ("0.0195" is 19,500 micro-USD, not
// 0.019499999...). Hashrate parsing is the purchase's own (lib/contracts/pricing.ts).

import { MICRO_USD_DECIMALS, parseDecimal } from "../shared/decimal";

/**
 * Dollars as micro-USD: "0.0195" -> 19500n, "$12" -> 12000000n, ".5" -> 500000n. Null unless
 * a plain non-negative decimal (optional leading "$", no separators or exponent) that is a
 * whole number of micro-dollars; trailing zeros beyond the sixth decimal are fine.
 */
export function parseMicroUsd(text: string): bigint | null {
  const parsed = parseDecimal(text.trim().replace(/^\$\s*/, ""), MICRO_USD_DECIMALS, { maxWholeDigits: 15 });
  return parsed.ok ? parsed.value : null;
}

/** A whole number of days in [1, max]: "30" -> 30; null otherwise ("30.5", "0", "1e2"). */
export function parseWholeDays(text: string, max: number): number | null {
  const match = /^\s*(\d{1,6})\s*$/.exec(text);
  if (!match) return null;
  const days = Number(match[1]);
  return days >= 1 && days <= max ? days : null;
}
