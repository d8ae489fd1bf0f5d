// Exact parsing of what people type into the marketplace's filters and the calculator:
// string arithmetic into integers, never through a float ("0.0195" is 19,500 micro-USD, not
// 0.019499999...). Hashrate parsing is the purchase's own (lib/contracts/pricing.ts).

const MICRO_USD_DECIMALS = 6;

/**
 * Dollars as micro-USD: "0.0195" -> 19500n, "$12" -> 12000000n, ".5" -> 500000n. Null unless
 * a plain non-negative decimal (optional leading "$", no separators or exponent) that is a
 * whole number of micro-dollars; trailing zeros beyond the sixth decimal are fine.
 */
export function parseMicroUsd(text: string): bigint | null {
  const match = /^\s*\$?\s*(\d{0,15})(?:\.(\d{0,30}))?\s*$/.exec(text);
  if (!match) return null;
  const whole = match[1] ?? "";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (whole === "" && (match[2] ?? "") === "") return null;
  if (fraction.length > MICRO_USD_DECIMALS) return null;
  return BigInt(whole || "0") * 10n ** BigInt(MICRO_USD_DECIMALS) + BigInt(fraction.padEnd(MICRO_USD_DECIMALS, "0"));
}

/** Micro-USD as the shortest plain decimal that parses back to it: 19500n -> "0.0195". */
export function microUsdText(microUsd: bigint): string {
  const negative = microUsd < 0n;
  const digits = (negative ? -microUsd : microUsd).toString().padStart(MICRO_USD_DECIMALS + 1, "0");
  const whole = digits.slice(0, -MICRO_USD_DECIMALS);
  const fraction = digits.slice(-MICRO_USD_DECIMALS).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** A whole number of days in [1, max]: "30" -> 30; null otherwise ("30.5", "0", "1e2"). */
export function parseWholeDays(text: string, max: number): number | null {
  const match = /^\s*(\d{1,6})\s*$/.exec(text);
  if (!match) return null;
  const days = Number(match[1]);
  return days >= 1 && days <= max ? days : null;
}

