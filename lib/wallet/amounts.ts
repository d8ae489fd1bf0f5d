// Withdrawal amounts, exactly, for the server and the browser alike (no server imports): the
// form shows the same minimum, fee and net the request will use.
import { decimalText, parseDecimal } from "../shared/decimal";

/** The smallest amount that can be withdrawn: the coin's minimum, and more than the fee. */
export function minimumAmountBase(terms: { minBase: bigint; feeBase: bigint }): bigint {
  return terms.minBase > terms.feeBase ? terms.minBase : terms.feeBase + 1n;
}

/** Whole-coin digits an amount may have (10^24 coins is more than any balance). */
export const MAX_WHOLE_COIN_DIGITS = 24;

/** An amount typed in whole coins ("0.0125") as base units, exactly; a message when unusable. */
export function parseCoinAmount(
  text: string,
  decimals: number,
): { ok: true; value: bigint } | { ok: false; message: string } {
  const parsed = parseDecimal(text, decimals, { maxWholeDigits: MAX_WHOLE_COIN_DIGITS });
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        parsed.reason === "fractionTooLong"
          ? `Use at most ${decimals} decimals.`
          : "Enter the amount as a plain number, e.g. 0.015 (no signs or separators).",
    };
  }
  if (parsed.value <= 0n) return { ok: false, message: "Enter an amount above zero." };
  return parsed;
}

/** Base units as plain whole-coin text without grouping ("0.0005"), for messages and inputs. */
export function coinText(base: bigint, decimals: number): string {
  return decimalText(base, decimals);
}
