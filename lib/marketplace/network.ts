// The network data the marketplace's estimates assume: each coin's latest snapshot (the
// newest UTC day stored), with the coin's decimals, pool fee and pricing unit.
import type { PrismaClient } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Asset } from "../generated/prisma/enums";
import { networkHashrate, type NetworkInputs } from "../payouts/formula";
import { revenueAfterPoolFeeMicroUsdPerUnitDay, type CoinTerms } from "../profitability/estimate";

export interface CoinNetwork {
  coin: Asset;
  /** The UTC day of the snapshot. */
  day: Date;
  network: NetworkInputs;
  terms: CoinTerms;
}

/** A snapshot joined with its coin, numeric columns as text (18-decimal amounts exceed a float). */
export interface SnapshotRow {
  coin: Asset;
  day: Date;
  network_hashrate_hs: string | null;
  difficulty: string | null;
  block_time_ms: number;
  block_subsidy_base: string;
  avg_fees_per_block_base: string;
  price_micro_usd: string;
  decimals: number;
  pool_fee_bps: number;
  hashrate_unit_hs: string;
}

export function rowNetwork(row: SnapshotRow): NetworkInputs {
  return {
    networkHashrateHs: row.network_hashrate_hs === null ? null : BigInt(row.network_hashrate_hs),
    difficulty: row.difficulty === null ? null : BigInt(row.difficulty),
    blockTimeMs: BigInt(row.block_time_ms),
    blockSubsidyBase: BigInt(row.block_subsidy_base),
    avgFeesPerBlockBase: BigInt(row.avg_fees_per_block_base),
    priceMicroUsd: BigInt(row.price_micro_usd),
  };
}

export function rowTerms(row: Pick<SnapshotRow, "decimals" | "pool_fee_bps" | "hashrate_unit_hs">): CoinTerms {
  return { decimals: BigInt(row.decimals), poolFeeBps: BigInt(row.pool_fee_bps), unitHs: BigInt(row.hashrate_unit_hs) };
}

/** The latest snapshot of every coin that has one (or of the coins given), one index probe each. */
export async function latestNetworks(prisma: PrismaClient, coins?: readonly Asset[]): Promise<Map<Asset, CoinNetwork>> {
  const only = coins
    ? Prisma.sql`WHERE c.asset IN (${Prisma.join(coins.map((coin) => Prisma.sql`${coin}::asset`))})`
    : Prisma.empty;
  // Numeric columns travel as text: 18-decimal amounts exceed a float's precision.
  const rows = await prisma.$queryRaw<SnapshotRow[]>`
    SELECT c.asset AS coin, s.day, s.network_hashrate_hs::text, s.difficulty::text, s.block_time_ms,
           s.block_subsidy_base::text, s.avg_fees_per_block_base::text, s.price_micro_usd::text,
           c.decimals, c.pool_fee_bps, c.hashrate_unit_hs::text
      FROM coins c
      JOIN LATERAL (
        SELECT * FROM network_snapshots ns WHERE ns.coin = c.asset ORDER BY ns.day DESC LIMIT 1
      ) s ON true
      ${only}`;
  return new Map(
    rows.map((row) => [
      row.coin,
      {
        coin: row.coin,
        day: row.day,
        network: rowNetwork(row),
        terms: rowTerms(row),
      },
    ]),
  );
}

/** The latest snapshot of one coin, or null when none is stored. */
export async function latestNetwork(prisma: PrismaClient, coin: Asset): Promise<CoinNetwork | null> {
  return (await latestNetworks(prisma, [coin])).get(coin) ?? null;
}

/**
 * Revenue of one pricing unit-day after the pool fee, micro-USD, per coin with a usable
 * snapshot (a positive price, and a positive network hashrate to divide by).
 */
export function coinRevenues(networks: Map<Asset, CoinNetwork>): Map<Asset, bigint> {
  const revenues = new Map<Asset, bigint>();
  for (const [coin, { network, terms }] of networks) {
    if (isUsable(network)) revenues.set(coin, revenueAfterPoolFeeMicroUsdPerUnitDay(network, terms));
  }
  return revenues;
}

/** A snapshot estimates can be made from: a positive coin price, block time and network hashrate. */
export function isUsable(network: NetworkInputs): boolean {
  return (
    network.priceMicroUsd > 0n &&
    network.blockTimeMs > 0n &&
    (network.networkHashrateHs ?? network.difficulty ?? 0n) > 0n &&
    networkHashrate(network) > 0n
  );
}
