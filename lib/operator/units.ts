// Exact parsing of what operators type or upload: decimal text into integers by string
// arithmetic, never through a float ("234.5" TH/s is exactly 234,500,000,000,000 H/s and
// "0.045" $/kWh exactly 45,000 micro-USD), over lib/shared/decimal.ts. Every parser says in
// words what was wrong.
import type { Algorithm } from "../generated/prisma/enums";
import { MICRO_USD_DECIMALS, microUsdText, parseDecimal, powerOfTenDecimals } from "../shared/decimal";
import { hashrateText, hashrateUnitHs, type HashrateUnitLabel } from "../shared/hashrate-units";

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export {
  HASHRATE_UNIT_LABELS,
  HASHRATE_UNITS,
  hashrateText,
  hashrateUnit,
  naturalHashrateUnit,
  type HashrateUnitLabel,
} from "../shared/hashrate-units";

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

/**
 * Hashrate typed in `unit` (e.g. "234.5" TH/s) as whole H/s. Must be positive, at most
 * `maxHs`, and a whole number of H/s (so at most 12 decimals in TH/s).
 */
export function parseHashrateInUnit(
  text: string,
  unit: HashrateUnitLabel,
  maxHs: bigint = MAX_RIG_HASHRATE_HS,
): Parsed<bigint> {
  const decimals = powerOfTenDecimals(hashrateUnitHs(unit));
  const parsed = parseDecimal(text, decimals);
  if (!parsed.ok && parsed.reason === "format") {
    return { ok: false, message: `Enter the hashrate in ${unit} as a number with a decimal point, e.g. 234.5.` };
  }
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        decimals === 0 ? "Enter a whole number of H/s." : `Use at most ${decimals} decimals in ${unit} (whole H/s).`,
    };
  }
  if (parsed.value <= 0n) return { ok: false, message: "The hashrate must be more than 0." };
  if (parsed.value > maxHs)
    return { ok: false, message: `The hashrate must be at most ${hashrateText(maxHs, unit)} ${unit}.` };
  return { ok: true, value: parsed.value };
}

/**
 * US dollars ("0.045", "$12", "1.5") as micro-USD, exactly: at most 6 decimals, not negative,
 * at most `max`. `what` names the amount in messages ("The price").
 */
export function parseUsd(text: string, options: { what: string; max?: bigint; allowZero?: boolean }): Parsed<bigint> {
  const { what, max = MAX_PRICE_MICRO_USD, allowZero = false } = options;
  const parsed = parseDecimal(text.trim().replace(/^\$\s*/, ""), MICRO_USD_DECIMALS);
  if (!parsed.ok && parsed.reason === "format") {
    return {
      ok: false,
      message: `${what} must be an amount in US dollars, digits and a decimal point only, e.g. 0.045.`,
    };
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
