// One network snapshot (DESIGN.md "Daily payout" inputs) as an admin types it or a CSV row
// holds it, validated the same way for both: exact decimal parsing of human figures (a price
// of "97,250.12" USD is exactly 97,250,120,000 micro-USD, "3.125" BTC exactly 312,500,000
// sat), never through a float, with a message per field that says what to type instead.
import { z } from "zod";
import type { Asset } from "../generated/prisma/enums";
import { dayText, parseDay, startOfUtcDay } from "../shared/days";
import { decimalText, MICRO_USD_DECIMALS, parseDecimal } from "../shared/decimal";
import { HASHRATE_UNITS, hashrateText, hashrateUnit, naturalHashrateUnit } from "../shared/hashrate-units";

/** What validation needs to know about a coin (from the `coins` table). */
export interface SnapshotCoin {
  asset: Asset;
  name: string;
  decimals: number;
  /** Bitcoin-family coins publish difficulty D; the others network hashrate N. */
  difficultyBased: boolean;
}

/** A validated snapshot, in the units the database stores. */
export interface SnapshotValues {
  coin: Asset;
  /** UTC midnight. */
  day: Date;
  difficulty: bigint | null;
  networkHashrateHs: bigint | null;
  blockTimeMs: number;
  blockSubsidyBase: bigint;
  avgFeesPerBlockBase: bigint;
  priceMicroUsd: bigint;
  source: string;
}

/** The raw text of each field, as the form posts it and a CSV row holds it. */
export interface SnapshotFields {
  coin: string;
  day: string;
  difficulty: string;
  networkHashrate: string;
  hashrateUnit: string;
  blockTime: string;
  blockSubsidy: string;
  avgFees: string;
  price: string;
  source: string;
}

export const SNAPSHOT_FIELD_NAMES = [
  "coin",
  "day",
  "difficulty",
  "networkHashrate",
  "hashrateUnit",
  "blockTime",
  "blockSubsidy",
  "avgFees",
  "price",
  "source",
] as const satisfies readonly (keyof SnapshotFields)[];

/** Far above any network (10^36 H/s, 10^30 difficulty), within numeric(40, 0). */
export const MAX_NETWORK_HASHRATE_HS = 10n ** 36n;
export const MAX_DIFFICULTY = 10n ** 30n;
/** Block time: 1 ms .. 1 hour, in seconds with at most 3 decimals. */
export const MAX_BLOCK_TIME_MS = 3_600_000;
/** $100,000,000 per coin: a typo guard far above any price. */
export const MAX_PRICE_MICRO_USD = 100_000_000n * 1_000_000n;
/** 10^30 base units per block: a typo guard within numeric(40, 0) for 18-decimal coins. */
export const MAX_BLOCK_AMOUNT_BASE = 10n ** 30n;
export const MAX_SOURCE_LENGTH = 100;

/**
 * Removes thousands separators written the usual way ("97,250.12", "1,000,000"): commas
 * only between groups of exactly three digits in the whole part. Anything else is left
 * as it is, so the decimal parser refuses it with its own message.
 */
export function withoutThousandsSeparators(text: string): string {
  const trimmed = text.trim();
  return /^\d{1,3}(,\d{3})+(\.\d*)?$/.test(trimmed) ? trimmed.replaceAll(",", "") : trimmed;
}

type Check<T> = { ok: true; value: T } | { ok: false; message: string };

/** A positive (or, with allowZero, non-negative) exact decimal scaled by 10^scale. */
function scaledAmount(
  text: string,
  scale: number,
  opts: { what: string; unit: string; example: string; max: bigint; allowZero?: boolean },
): Check<bigint> {
  if (text.trim() === "")
    return { ok: false, message: `Enter the ${opts.what} in ${opts.unit}, e.g. ${opts.example}.` };
  const plain = withoutThousandsSeparators(text);
  const parsed = parseDecimal(plain, scale);
  // parseDecimal reads at most 24 whole digits: a longer figure is a size problem, not a format one.
  if (!parsed.ok && parsed.reason === "format" && /^\d{25,}(\.\d*)?$/.test(plain)) {
    return { ok: false, message: `The ${opts.what} is implausibly large; check the figure and its unit.` };
  }
  if (!parsed.ok && parsed.reason === "format") {
    return {
      ok: false,
      message: `Enter the ${opts.what} in ${opts.unit} as digits with an optional decimal point and thousands commas, e.g. ${opts.example}.`,
    };
  }
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        scale === 0
          ? `The ${opts.what} must be a whole number.`
          : `The ${opts.what} can have at most ${scale} decimals in ${opts.unit}.`,
    };
  }
  if (parsed.value === 0n && !opts.allowZero) return { ok: false, message: `The ${opts.what} must be more than 0.` };
  if (parsed.value > opts.max)
    return { ok: false, message: `The ${opts.what} is implausibly large; check the figure and its unit.` };
  return { ok: true, value: parsed.value };
}

/**
 * The zod schema of one snapshot for the coins the platform knows, as of `now` (the day may
 * be today or earlier, never later: a snapshot records what a network did).
 */
export function snapshotSchema(coins: readonly SnapshotCoin[], now: Date = new Date()) {
  const byAsset = new Map(coins.map((c) => [c.asset as string, c]));
  const today = startOfUtcDay(now);
  const coinList = coins.map((c) => c.asset).join(", ");
  const text = z.string().optional().default("");

  return z
    .object({
      coin: text,
      day: text,
      difficulty: text,
      networkHashrate: text,
      hashrateUnit: text,
      blockTime: text,
      blockSubsidy: text,
      avgFees: text,
      price: text,
      source: text,
    })
    .transform((raw, ctx): SnapshotValues => {
      const issue = (path: keyof SnapshotFields, message: string) =>
        ctx.addIssue({ code: "custom", path: [path], message });

      const coin = byAsset.get(raw.coin.trim().toUpperCase()) ?? null;
      if (!coin)
        issue(
          "coin",
          raw.coin.trim()
            ? `“${raw.coin.trim()}” is not a coin of the platform; use one of ${coinList}.`
            : `Choose the coin (${coinList}).`,
        );

      const dayInput = raw.day.trim();
      const day = parseDay(dayInput);
      if (!dayInput) issue("day", "Enter the UTC day as YYYY-MM-DD, e.g. 2026-11-22.");
      else if (!day) issue("day", `“${dayInput}” is not a calendar day; write it as YYYY-MM-DD, e.g. 2026-11-22.`);
      else if (day.getTime() > today.getTime())
        issue(
          "day",
          `${dayText(day)} is in the future; the latest day you can enter is today, ${dayText(today)} (UTC).`,
        );

      // The measure the coin's network publishes: difficulty or hashrate, never both.
      let difficulty: bigint | null = null;
      let networkHashrateHs: bigint | null = null;
      if (coin?.difficultyBased) {
        if (raw.networkHashrate.trim() !== "") {
          issue(
            "networkHashrate",
            `${coin.asset} is difficulty-based: enter its difficulty and leave the network hashrate empty (it is derived as D × 2³² / T).`,
          );
        }
        const d = scaledAmount(raw.difficulty, 0, {
          what: "difficulty",
          unit: "whole units",
          example: "152,271,405,447,908",
          max: MAX_DIFFICULTY,
        });
        if (!d.ok) issue("difficulty", d.message);
        else difficulty = d.value;
      } else if (coin) {
        if (raw.difficulty.trim() !== "") {
          issue(
            "difficulty",
            `${coin.asset} publishes its network hashrate, not a difficulty: leave the difficulty empty and enter the hashrate.`,
          );
        }
        const unit = hashrateUnit(raw.hashrateUnit || "H/s");
        if (!unit) {
          issue("hashrateUnit", `Choose the hashrate unit: ${HASHRATE_UNITS.map((u) => u.label).join(", ")}.`);
        } else {
          const scale = unit.hs.toString().length - 1;
          const n = scaledAmount(raw.networkHashrate, scale, {
            what: "network hashrate",
            unit: unit.label,
            example: "900.5",
            max: MAX_NETWORK_HASHRATE_HS,
          });
          if (!n.ok) issue("networkHashrate", n.message);
          else networkHashrateHs = n.value;
        }
      }

      const blockTime = scaledAmount(raw.blockTime, 3, {
        what: "target block time",
        unit: "seconds",
        example: "600 or 0.1",
        max: BigInt(MAX_BLOCK_TIME_MS),
      });
      if (!blockTime.ok) issue("blockTime", blockTime.message);

      const decimals = coin?.decimals ?? 0;
      const unitName = coin ? coin.asset : "coins";
      let blockSubsidyBase: bigint | null = null;
      let avgFeesPerBlockBase: bigint | null = null;
      if (coin) {
        const subsidy = scaledAmount(raw.blockSubsidy, decimals, {
          what: "block subsidy",
          unit: unitName,
          example: "3.125",
          max: MAX_BLOCK_AMOUNT_BASE,
        });
        if (!subsidy.ok) issue("blockSubsidy", subsidy.message);
        else blockSubsidyBase = subsidy.value;
        const fees = scaledAmount(raw.avgFees, decimals, {
          what: "average fees per block",
          unit: unitName,
          example: "0.025",
          max: MAX_BLOCK_AMOUNT_BASE,
          allowZero: true,
        });
        if (!fees.ok) issue("avgFees", fees.message);
        else avgFeesPerBlockBase = fees.value;
      }

      const price = scaledAmount(raw.price.trim().replace(/^\$\s*/, ""), 6, {
        what: "price",
        unit: "US dollars per coin",
        example: "97,250.12",
        max: MAX_PRICE_MICRO_USD,
      });
      if (!price.ok) issue("price", price.message);

      const source = raw.source.trim();
      if (!source)
        issue("source", "Enter where the figures come from, e.g. mempool.space or a pool's statistics page.");
      else if (source.length > MAX_SOURCE_LENGTH)
        issue("source", `Use at most ${MAX_SOURCE_LENGTH} characters for the source.`);
      else if (!/^[^\p{Cc}\p{Cf}]*$/u.test(source))
        issue("source", "The source contains characters that cannot be printed.");

      if (
        !coin ||
        !day ||
        !blockTime.ok ||
        !price.ok ||
        blockSubsidyBase === null ||
        avgFeesPerBlockBase === null ||
        ctx.issues.length > 0
      ) {
        return z.NEVER;
      }
      return {
        coin: coin.asset,
        day,
        difficulty,
        networkHashrateHs,
        blockTimeMs: Number(blockTime.value),
        blockSubsidyBase,
        avgFeesPerBlockBase,
        priceMicroUsd: price.value,
        source,
      };
    });
}

/** First message per field of a failed parse, keyed by field name. */
export function snapshotFieldErrors(error: z.ZodError): Partial<Record<keyof SnapshotFields, string>> {
  const errors: Partial<Record<keyof SnapshotFields, string>> = {};
  for (const issue of error.issues) {
    const key = (issue.path[0] as keyof SnapshotFields | undefined) ?? "coin";
    errors[key] ??= issue.message;
  }
  return errors;
}

export type SnapshotParse =
  { ok: true; value: SnapshotValues } | { ok: false; fieldErrors: Partial<Record<keyof SnapshotFields, string>> };

export function parseSnapshot(
  raw: Partial<SnapshotFields>,
  coins: readonly SnapshotCoin[],
  now: Date = new Date(),
): SnapshotParse {
  const parsed = snapshotSchema(coins, now).safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, fieldErrors: snapshotFieldErrors(parsed.error) };
}

// ---- back to text (prefilling the form, the sample file) ----------------------------------

/** A stored snapshot as the form's field texts. */
export function snapshotFields(values: SnapshotValues, coin: SnapshotCoin): SnapshotFields {
  const unit = values.networkHashrateHs === null ? "TH/s" : naturalHashrateUnit(values.networkHashrateHs);
  return {
    coin: values.coin,
    day: dayText(values.day),
    difficulty: values.difficulty === null ? "" : values.difficulty.toString(),
    networkHashrate: values.networkHashrateHs === null ? "" : hashrateText(values.networkHashrateHs, unit),
    hashrateUnit: unit,
    blockTime: decimalText(BigInt(values.blockTimeMs), 3),
    blockSubsidy: decimalText(values.blockSubsidyBase, coin.decimals),
    avgFees: decimalText(values.avgFeesPerBlockBase, coin.decimals),
    price: decimalText(values.priceMicroUsd, MICRO_USD_DECIMALS),
    source: values.source,
  };
}
