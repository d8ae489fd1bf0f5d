// Hashprice history: per coin per UTC day, what one pricing unit of hashrate earned (coin and
// USD), from the stored network snapshots through lib/profitability/hashprice.ts (the payout
// formula). Read by the marketplace, each listing page and GET /api/v1/hashprice. Days whose
// snapshot cannot be divided by (no network hashrate) are left out rather than shown as zero.
import type { PrismaClient } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Asset } from "../generated/prisma/enums";
import { floorDiv, networkHashrate } from "../payouts/formula";
import { hashprice, type Hashprice } from "../profitability/hashprice";
import { DAY_MS, startOfUtcDay } from "../shared/days";
import { rowNetwork, rowTerms, type SnapshotRow } from "./network";

/** The window shown and answered when none is asked for: the last 90 days. */
export const HASHPRICE_DEFAULT_DAYS = 90;
/** The longest window one request may ask for. */
export const HASHPRICE_MAX_DAYS = 366;

export interface HashpriceDay extends Hashprice {
  day: Date;
  /** The day's coin price, micro-USD per whole coin. */
  priceMicroUsd: bigint;
  /** N, H/s (derived from difficulty for Bitcoin-family coins). */
  networkHashrateHs: bigint;
}

export interface CoinHashprice {
  coin: Asset;
  coinName: string;
  decimals: number;
  poolFeeBps: number;
  unitHs: bigint;
  unitLabel: string;
  /** Oldest first; empty when no usable snapshot lies in the window. */
  days: HashpriceDay[];
}

/** The default window ending on `to` (inclusive): HASHPRICE_DEFAULT_DAYS days. */
export function defaultHashpriceWindow(to: Date): { from: Date; to: Date } {
  const end = startOfUtcDay(to);
  return { from: new Date(end.getTime() - (HASHPRICE_DEFAULT_DAYS - 1) * DAY_MS), to: end };
}

type HistoryRow = Partial<SnapshotRow> &
  Pick<SnapshotRow, "coin" | "decimals" | "pool_fee_bps" | "hashrate_unit_hs"> & {
    name: string;
    hashrate_unit_label: string;
  };

/** Every coin (or the ones given), each with its hashprice for the days from..to (inclusive UTC days). */
export async function hashpriceHistory(
  prisma: PrismaClient,
  window: { from: Date; to: Date; coins?: readonly Asset[] },
): Promise<CoinHashprice[]> {
  const only = window.coins
    ? Prisma.sql`WHERE c.asset IN (${Prisma.join(window.coins.map((coin) => Prisma.sql`${coin}::asset`))})`
    : Prisma.empty;
  const rows = await prisma.$queryRaw<HistoryRow[]>`
    SELECT c.asset AS coin, c.name, c.decimals, c.pool_fee_bps, c.hashrate_unit_hs::text, c.hashrate_unit_label,
           s.day, s.network_hashrate_hs::text, s.difficulty::text, s.block_time_ms,
           s.block_subsidy_base::text, s.avg_fees_per_block_base::text, s.price_micro_usd::text
      FROM coins c
      LEFT JOIN network_snapshots s
        ON s.coin = c.asset AND s.day BETWEEN ${window.from}::date AND ${window.to}::date
      ${only}
     ORDER BY c.asset, s.day`;
  const byCoin = new Map<Asset, CoinHashprice>();
  for (const row of rows) {
    let coin = byCoin.get(row.coin);
    if (!coin) {
      coin = {
        coin: row.coin,
        coinName: row.name,
        decimals: row.decimals,
        poolFeeBps: row.pool_fee_bps,
        unitHs: BigInt(row.hashrate_unit_hs),
        unitLabel: row.hashrate_unit_label,
        days: [],
      };
      byCoin.set(row.coin, coin);
    }
    if (!row.day) continue; // the coin has no snapshot in the window
    const network = rowNetwork(row as SnapshotRow);
    if (network.blockTimeMs <= 0n || (network.networkHashrateHs ?? network.difficulty ?? 0n) <= 0n) continue;
    const networkHashrateHs = networkHashrate(network);
    if (networkHashrateHs <= 0n) continue;
    coin.days.push({
      day: row.day,
      priceMicroUsd: network.priceMicroUsd,
      networkHashrateHs,
      ...hashprice(network, rowTerms(row)),
    });
  }
  return [...byCoin.values()];
}

/** The mean gross USD hashprice of the last `days` days shown, micro-USD (rounded down); null without days. */
export function averageGrossMicroUsd(days: readonly HashpriceDay[], last: number): bigint | null {
  const window = days.slice(-last);
  if (window.length === 0) return null;
  return floorDiv(
    window.reduce((sum, d) => sum + d.grossMicroUsd, 0n),
    BigInt(window.length),
  );
}
