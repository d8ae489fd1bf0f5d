// Exact parsing of what operators type or upload: decimal text into integers by string
// arithmetic, never through a float ("234.5" TH/s is exactly 234,500,000,000,000 H/s and
// "0.045" $/kWh exactly 45,000 micro-USD). Every parser says in words what was wrong.
import type { Algorithm } from "../generated/prisma/enums";

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** SI hashrate units as written on spec sheets, with their size in H/s. */
export const HASHRATE_UNITS = [
  { label: "H/s", hs: 1n },
  { label: "kH/s", hs: 10n ** 3n },
  { label: "MH/s", hs: 10n ** 6n },
  { label: "GH/s", hs: 10n ** 9n },
  { label: "TH/s", hs: 10n ** 12n },
  { label: "PH/s", hs: 10n ** 15n },
  { label: "EH/s", hs: 10n ** 18n },
] as const;
export type HashrateUnitLabel = (typeof HASHRATE_UNITS)[number]["label"];
export const HASHRATE_UNIT_LABELS = HASHRATE_UNITS.map((u) => u.label) as HashrateUnitLabel[];

/** The unit rigs of an algorithm are usually rated in (the same as its coins' pricing unit). */
export const DEFAULT_UNIT_BY_ALGORITHM: Record<Algorithm, HashrateUnitLabel> = {
  SHA256: "TH/s",
  SCRYPT: "GH/s",
  KHEAVYHASH: "TH/s",
  ETCHASH: "GH/s",
  RANDOMX: "kH/s",
};

/** Upper bound for one rig: far above any machine, far below bigint's 9.2e18. */
export const MAX_RIG_HASHRATE_HS = 10n ** 18n;
/** Upper bound for a listing's prices and a facility's power price: $1,000 per unit. */
export const MAX_PRICE_MICRO_USD = 1_000_000_000n;
export const MICRO_USD_DECIMALS = 6;

/** "th/s", "TH/S", " TH/s " -> "TH/s"; null for anything else. */
export function hashrateUnit(text: string): { label: HashrateUnitLabel; hs: bigint } | null {
  const wanted = text.trim().toLowerCase();
  return HASHRATE_UNITS.find((u) => u.label.toLowerCase() === wanted) ?? null;
}

/**
 * A plain non-negative decimal ("234.5", "0.045", ".5", "12") scaled by 10^scale, exactly.
 * No signs, exponents, thousands separators or spaces inside. `fractionTooLong` when more
 * significant decimals than `scale` were given (trailing zeros are fine).
 */
export function parseScaledDecimal(text: string, scale: number): { ok: true; value: bigint } | { ok: false; reason: "format" | "fractionTooLong" } {
  const match = /^(\d{0,24})(?:\.(\d{0,30}))?$/.exec(text.trim());
  if (!match) return { ok: false, reason: "format" };
  const whole = match[1] ?? "";
  const rawFraction = match[2] ?? "";
  if (whole === "" && rawFraction === "") return { ok: false, reason: "format" };
  const fraction = rawFraction.replace(/0+$/, "");
  if (fraction.length > scale) return { ok: false, reason: "fractionTooLong" };
  return { ok: true, value: BigInt(whole || "0") * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0") };
}

/**
 * Hashrate typed in `unit` (e.g. "234.5" TH/s) as whole H/s. Must be positive, at most
 * `maxHs`, and a whole number of H/s (so at most 12 decimals in TH/s).
 */
export function parseHashrateInUnit(text: string, unit: HashrateUnitLabel, maxHs: bigint = MAX_RIG_HASHRATE_HS): Parsed<bigint> {
  const size = HASHRATE_UNITS.find((u) => u.label === unit)!.hs;
  const decimals = size.toString().length - 1;
  const parsed = parseScaledDecimal(text, decimals);
  if (!parsed.ok && parsed.reason === "format") {
    return { ok: false, message: `Enter the hashrate in ${unit} as a number with a decimal point, e.g. 234.5.` };
  }
  if (!parsed.ok) {
    return {
      ok: false,
      message: decimals === 0 ? "Enter a whole number of H/s." : `Use at most ${decimals} decimals in ${unit} (whole H/s).`,
    };
  }
  if (parsed.value <= 0n) return { ok: false, message: "The hashrate must be more than 0." };
  if (parsed.value > maxHs) return { ok: false, message: `The hashrate must be at most ${hashrateText(maxHs, unit)} ${unit}.` };
  return { ok: true, value: parsed.value };
}

/**
 * US dollars ("0.045", "$12", "1.5") as micro-USD, exactly: at most 6 decimals, not negative,
 * at most `max`. `what` names the amount in messages ("The price").
 */
export function parseUsd(text: string, options: { what: string; max?: bigint; allowZero?: boolean }): Parsed<bigint> {
  const { what, max = MAX_PRICE_MICRO_USD, allowZero = false } = options;
  const parsed = parseScaledDecimal(text.trim().replace(/^\$\s*/, ""), MICRO_USD_DECIMALS);
  if (!parsed.ok && parsed.reason === "format") {
    return { ok: false, message: `${what} must be an amount in US dollars, digits and a decimal point only, e.g. 0.045.` };
  }
  if (!parsed.ok) return { ok: false, message: `${what} can have at most 6 decimals (a millionth of a dollar).` };
  if (!allowZero && parsed.value === 0n) return { ok: false, message: `${what} must be more than $0.` };
  if (parsed.value > max) return { ok: false, message: `${what} must be at most $${microUsdText(max)}.` };
  return { ok: true, value: parsed.value };
}

/** Power price per kWh in dollars as micro-USD per kWh; $0 is allowed (own generation). */
export function parsePowerPrice(text: string): Parsed<bigint> {
  return parseUsd(text, { what: "The power price", max: 10_000_000n, allowZero: true });
}

/** H/s as the plain decimal text of `unit` that parses back to the same value: "234.5". */
export function hashrateText(hs: bigint, unit: HashrateUnitLabel): string {
  const size = HASHRATE_UNITS.find((u) => u.label === unit)!.hs;
  return scaledText(hs, size.toString().length - 1);
}

/** The largest unit in which `hs` is at least 1, for prefilling a form ("234.5" "TH/s"). */
export function naturalHashrateUnit(hs: bigint): HashrateUnitLabel {
  let unit: HashrateUnitLabel = "H/s";
  for (const u of HASHRATE_UNITS) if (hs >= u.hs) unit = u.label;
  return unit;
}

/** Micro-USD as the shortest plain decimal that parses back to it: 45000n -> "0.045". */
export function microUsdText(microUsd: bigint): string {
  return scaledText(microUsd, MICRO_USD_DECIMALS);
}

function scaledText(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals === 0 ? "" : digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
