// Display formatting for coin amounts, hashrate and counts. Pure functions over BigInt: no
// floats ever touch an amount. Coin and hashrate display rounding shrinks the magnitude
// (truncation toward zero), so a screen never shows more coin than is there. USD is written by
// the one USD formatter, lib/shared/usd.ts (amounts to the cent, half to even; rates to four
// significant digits; the exact figure in titles and detail views), through components/ui/money.tsx.

import { decimalText, groupThousands } from "@/lib/shared/decimal";
import { usdRate } from "@/lib/shared/usd";

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/**
 * A non-negative integer `magnitude` in units of 10^-scale as a decimal string: the
 * fraction truncated to `maxDecimals`, trailing zeros trimmed down to `minDecimals`.
 */
function fixedPoint(magnitude: bigint, scale: number, minDecimals: number, maxDecimals: number): string {
  return decimalText(magnitude, scale, { minDecimals, maxDecimals, group: true });
}

export interface DecimalOptions {
  /** Decimals always shown (padded with zeros). */
  minDecimals?: number;
  /** Decimals at most; further digits are cut off (magnitude rounded down). */
  maxDecimals?: number;
}

/** A price per pricing unit per day, a rate (lib/shared/usd.ts `usdRate`): "$0.065 / TH/s / day". */
export function formatUnitPricePerDay(microUsd: bigint, unitLabel: string): string {
  return `${usdRate(microUsd)} / ${unitLabel} / day`;
}

/**
 * A coin amount in base units (e.g. satoshi) with the coin's decimals:
 * `formatCoinAmount(150000000n, 8)` -> "1.5". Up to 8 decimals shown by default.
 */
export function formatCoinAmount(baseUnits: bigint, decimals: number, options: DecimalOptions = {}): string {
  const { minDecimals = 0, maxDecimals = Math.min(decimals, 8) } = options;
  const text = fixedPoint(abs(baseUnits), decimals, minDecimals, maxDecimals);
  const negative = baseUnits < 0n && /[1-9]/.test(text);
  return `${negative ? "-" : ""}${text}`;
}

const HASHRATE_UNITS = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"] as const;

/**
 * A small coin amount in millionths of a base unit (a hashprice: ~45 sat a day for 1 TH/s of
 * BTC) to about four significant digits, cut toward zero: (45_123_456n, 8) -> "0.0000004512".
 */
export function formatCoinMicroBase(microBase: bigint, decimals: number): string {
  const scale = decimals + 6;
  const keep = Math.min(scale, Math.max(2, scale - abs(microBase).toString().length + 4));
  return fixedPoint(abs(microBase), scale, 0, keep);
}

/**
 * Hashrate in H/s with an SI prefix, largest unit whose value is at least 1 (capped at
 * EH/s): `1500000000000n` -> "1.5 TH/s". Up to 2 decimals by default, rounded down.
 */
export function formatHashrate(hashrateHs: bigint, options: { maxDecimals?: number } = {}): string {
  const { maxDecimals = 2 } = options;
  const magnitude = abs(hashrateHs);
  let exponent = 0;
  while (exponent < HASHRATE_UNITS.length - 1 && magnitude >= 1000n ** BigInt(exponent + 1)) exponent += 1;
  const text = fixedPoint(magnitude, exponent * 3, 0, maxDecimals);
  const negative = hashrateHs < 0n && /[1-9]/.test(text);
  return `${negative ? "-" : ""}${text} ${HASHRATE_UNITS[exponent]}`;
}

/** Basis points as a percentage: 150 -> "1.5%", 200 -> "2%", 5 -> "0.05%". */
export function formatBps(bps: number | bigint): string {
  const value = BigInt(bps);
  const text = fixedPoint(abs(value), 2, 0, 2);
  return `${value < 0n && /[1-9]/.test(text) ? "-" : ""}${text}%`;
}

/** An integer with thousands separators: 1234567 -> "1,234,567". */
export function formatInteger(value: number | bigint): string {
  const big = BigInt(value);
  return `${big < 0n ? "-" : ""}${groupThousands(abs(big).toString())}`;
}

/** A UTC calendar day (a `@db.Date` value): "2026-11-23". */
export function formatDay(day: Date): string {
  return day.toISOString().slice(0, 10);
}

export { formatInstantUtc } from "@/lib/shared/days";

/** Duration range of a listing in days: "30–365 days", or "30 days" when fixed. */
export function formatDayRange(minDays: number, maxDays: number): string {
  return minDays === maxDays
    ? `${formatInteger(minDays)} days`
    : `${formatInteger(minDays)}–${formatInteger(maxDays)} days`;
}

/**
 * Share of `part` in `total` as a percentage (0..100) with two decimals, for the width of
 * a bar; never a money value. 0 when the total is not positive; clamped to [0, 100].
 */
export function sharePercent(part: bigint, total: bigint): number {
  if (total <= 0n || part <= 0n) return 0;
  if (part >= total) return 100;
  return Number((part * 10_000n) / total) / 100;
}

const ALGORITHM_LABELS: Record<string, string> = {
  SHA256: "SHA-256",
  SCRYPT: "Scrypt",
  KHEAVYHASH: "kHeavyHash",
  ETCHASH: "Etchash",
  RANDOMX: "RandomX",
};

/** A mining algorithm as people write it: "SHA256" -> "SHA-256". */
export function formatAlgorithm(algorithm: string): string {
  return ALGORITHM_LABELS[algorithm] ?? algorithm;
}
