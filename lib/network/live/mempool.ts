// Block explorers with the mempool.space REST API (https://mempool.space/docs/api/rest): mempool.space
// for Bitcoin, litecoinspace.org (the same software) for Litecoin. One request,
// `GET /api/v1/blocks`: the latest 15 blocks with `bits`, `difficulty` and, in `extras`, `reward`
// (subsidy + fees) and `totalFees`, all in the coin's base unit (satoshi / litoshi).
//
// Decisions:
//  - Difficulty D from the tip's `bits` (compact target), exactly: floor(0xffff · 2^208 / target),
//    the definition both chains use (their getdifficulty); the float `difficulty` the explorer also
//    sends must agree with it to the unit, or the answer is refused as inconsistent. Rounded down
//    to a whole number, as network_snapshots.difficulty stores it.
//  - Subsidy R from the tip: `reward - totalFees`, which must equal the chain's schedule at that
//    height (50 coins halved every 210,000 / 840,000 blocks); a mismatch is refused, not stored.
//  - Fees per block F: the mean of `totalFees` over the blocks of the answer, rounded down.
//  - Stale: a tip older than `maxTipAgeMs` (a stuck explorer) or more than 2 hours in the future
//    (the consensus limit on block times) is refused.
import { z } from "zod";
import type { Asset } from "../../generated/prisma/enums";
import { JsonNumber } from "../../shared/exact-json";
import { getJson, joinUrl, jsonInteger, NetworkSourceError, type CoinFigures, type NetworkSource } from "./source";

export interface MempoolChain {
  coin: Asset;
  /** Target block time (protocol constant). */
  blockTimeMs: number;
  halvingInterval: bigint;
  /** The first block's subsidy in base units. */
  initialSubsidyBase: bigint;
  /** The tip may be at most this old when fetched. */
  maxTipAgeMs: number;
}

export const BITCOIN: MempoolChain = {
  coin: "BTC",
  blockTimeMs: 600_000,
  halvingInterval: 210_000n,
  initialSubsidyBase: 50n * 100_000_000n,
  maxTipAgeMs: 3 * 3600_000,
};

export const LITECOIN: MempoolChain = {
  coin: "LTC",
  blockTimeMs: 150_000,
  halvingInterval: 840_000n,
  initialSubsidyBase: 50n * 100_000_000n,
  maxTipAgeMs: 3600_000,
};

const MAX_FUTURE_MS = 2 * 3600_000;

const blocksSchema = z
  .array(
    z.object({
      id: z.string(),
      height: jsonInteger,
      timestamp: jsonInteger,
      bits: jsonInteger,
      difficulty: z.instanceof(JsonNumber, { error: "expected a number" }),
      extras: z.object({ reward: jsonInteger, totalFees: jsonInteger }),
    }),
  )
  .min(1, "no blocks in the answer");

/** Difficulty from a block header's compact target (`bits`), rounded down; null if the target is not positive. */
export function difficultyFromBits(bits: bigint): bigint | null {
  const exponent = bits >> 24n;
  const mantissa = bits & 0xffffffn;
  if (mantissa === 0n || mantissa & 0x800000n || bits < 0n || bits > 0xffffffffn) return null;
  const target = exponent >= 3n ? mantissa << (8n * (exponent - 3n)) : mantissa >> (8n * (3n - exponent));
  if (target === 0n) return null;
  return (0xffffn << 208n) / target;
}

/** The chain's block subsidy at `height`. */
export function subsidyAt(chain: MempoolChain, height: bigint): bigint {
  const halvings = height / chain.halvingInterval;
  return halvings >= 64n ? 0n : chain.initialSubsidyBase >> halvings;
}

export function mempoolSource(name: string, baseUrl: string, chain: MempoolChain): NetworkSource {
  return {
    name,
    coins: [chain.coin],
    async fetchFigures(coins, ctx) {
      const result = new Map<Asset, CoinFigures>();
      if (!coins.includes(chain.coin)) return result;
      const url = joinUrl(baseUrl, "/api/v1/blocks");
      const blocks = await getJson(name, url, blocksSchema, ctx);
      const fail = (detail: string) => new NetworkSourceError(name, url, detail);
      const fetchedAt = ctx.now;

      const tip = blocks.reduce((a, b) => (b.height > a.height ? b : a));
      const tipMs = Number(tip.timestamp) * 1000;
      if (tipMs < ctx.now.getTime() - chain.maxTipAgeMs)
        throw fail(
          `stale: the latest block (${tip.height}) is from ${new Date(tipMs).toISOString()}, over ${chain.maxTipAgeMs / 3600_000} h before ${ctx.now.toISOString()}`,
        );
      if (tipMs > ctx.now.getTime() + MAX_FUTURE_MS)
        throw fail(`the latest block (${tip.height}) is dated ${new Date(tipMs).toISOString()}, in the future`);

      const difficulty = difficultyFromBits(tip.bits);
      if (difficulty === null || difficulty <= 0n)
        throw fail(
          `block ${tip.height} has bits ${tip.bits}, which is no positive target (difficulty would be 0 or negative)`,
        );
      const reported = tip.difficulty.scaled(0).value;
      if (reported !== difficulty)
        throw fail(`block ${tip.height}: difficulty ${tip.difficulty.text} does not match its bits (${difficulty})`);

      for (const block of blocks) {
        if (block.extras.totalFees < 0n || block.extras.reward < block.extras.totalFees)
          throw fail(
            `block ${block.height}: reward ${block.extras.reward} is less than its fees ${block.extras.totalFees}`,
          );
      }
      const subsidy = tip.extras.reward - tip.extras.totalFees;
      const expected = subsidyAt(chain, tip.height);
      if (subsidy !== expected)
        throw fail(
          `block ${tip.height}: reward − fees = ${subsidy}, but the ${chain.coin} subsidy at that height is ${expected}`,
        );
      if (subsidy <= 0n) throw fail(`block ${tip.height}: the subsidy is 0`);
      const fees = blocks.reduce((sum, b) => sum + b.extras.totalFees, 0n) / BigInt(blocks.length);

      const value = (v: bigint) => ({ value: v, provider: name, url, fetchedAt });
      result.set(chain.coin, {
        blockTimeMs: chain.blockTimeMs,
        values: {
          difficulty: value(difficulty),
          block_subsidy_base: value(subsidy),
          avg_fees_per_block_base: value(fees),
        },
      });
      return result;
    },
  };
}
