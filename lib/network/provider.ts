// Where network snapshots come from besides an admin's hand: a provider answers "the snapshot
// of this coin on this day". The demo generator is one; a live feed (an explorer's API, a
// pool's statistics) plugs in as another. fillMissingDays asks a provider for every coin-day
// of a range that has no snapshot and stores what it gets.
//
// Decisions: the provider is asked outside any transaction (a live feed is a network call);
// its answers pass the same validation as an admin's entry; they are written in one
// transaction that never overwrites a snapshot (one entered meanwhile wins); one audit line.
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { DEMO_SNAPSHOT_SOURCE, generateMissingRows, NETWORK_PROFILES, utcDayNumber } from "../demo/network";
import { DAY_MS, dayText } from "../shared/days";
import { parseSnapshot, snapshotFields, type SnapshotCoin, type SnapshotValues } from "./fields";
import { snapshotCoins, snapshotData, storedValues } from "./snapshots";

/** At most this many days per fill (a year), so one call stays a bounded amount of work. */
export const MAX_FILL_DAYS = 366;

export interface NetworkDataProvider {
  /** Stored as the snapshot's source. */
  readonly name: string;
  /**
   * The snapshot of `coin` on `day` (UTC midnight), or null when the provider has none.
   * `previous` is the coin's snapshot of the day before when there is one (stored or just
   * fetched), for providers that continue a series; live feeds may ignore it.
   */
  fetchSnapshot(coin: SnapshotCoin, day: Date, previous: SnapshotValues | null): Promise<SnapshotValues | null>;
}

/** The demo generator (lib/demo/network.ts) as a provider: its random walk continues from `previous`. */
export const demoNetworkProvider: NetworkDataProvider = {
  name: DEMO_SNAPSHOT_SOURCE,
  async fetchSnapshot(coin, day, previous) {
    const profile = NETWORK_PROFILES.find((p) => p.coin === coin.asset);
    if (!profile) return null;
    const dayNumber = utcDayNumber(day);
    const known = new Map<number, { measure: bigint; priceMicroUsd: bigint }>();
    const measure = profile.measure === "difficulty" ? previous?.difficulty : previous?.networkHashrateHs;
    if (previous && measure) known.set(utcDayNumber(previous.day), { measure, priceMicroUsd: previous.priceMicroUsd });
    const row = generateMissingRows(profile, dayNumber, dayNumber, known).find(
      (r) => r.day.getTime() === day.getTime(),
    );
    if (!row) return null;
    return {
      coin: coin.asset,
      day,
      difficulty: row.difficulty === null ? null : BigInt(row.difficulty),
      networkHashrateHs: row.networkHashrateHs === null ? null : BigInt(row.networkHashrateHs),
      blockTimeMs: row.blockTimeMs,
      blockSubsidyBase: BigInt(row.blockSubsidyBase),
      avgFeesPerBlockBase: BigInt(row.avgFeesPerBlockBase),
      priceMicroUsd: row.priceMicroUsd,
      source: DEMO_SNAPSHOT_SOURCE,
    };
  },
};

export interface FillResult {
  /** Coin-days stored, in order. */
  filled: { coin: string; day: string }[];
  /** Coin-days the provider had nothing for, or answered with figures that failed validation. */
  skipped: { coin: string; day: string; reason: string }[];
}

/**
 * Asks `provider` for every day of [from, to] (UTC days, to at most today) that has no
 * snapshot, for every coin (or `coins`), oldest first, and stores the valid answers.
 */
export async function fillMissingDays(
  prisma: PrismaClient,
  provider: NetworkDataProvider,
  args: { from: Date; to: Date; coins?: string[]; actorId?: string | null; now?: Date },
): Promise<FillResult> {
  const now = args.now ?? new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = args.from.getTime();
  const to = Math.min(args.to.getTime(), today);
  if (from % DAY_MS !== 0 || args.to.getTime() % DAY_MS !== 0)
    throw new RangeError("fillMissingDays takes UTC midnights");
  if (to < from) return { filled: [], skipped: [] };
  if ((to - from) / DAY_MS + 1 > MAX_FILL_DAYS) throw new RangeError(`fill at most ${MAX_FILL_DAYS} days at a time`);

  const coins = (await snapshotCoins(prisma)).filter((c) => !args.coins || args.coins.includes(c.asset));
  const fetched: SnapshotValues[] = [];
  const skipped: FillResult["skipped"] = [];
  for (const coin of coins) {
    const stored = await prisma.networkSnapshot.findMany({
      where: { coin: coin.asset, day: { gte: new Date(from - DAY_MS), lte: new Date(to) } },
      orderBy: { day: "asc" },
    });
    const byDay = new Map(stored.map((row) => [row.day.getTime(), storedValues(row)]));
    let previous = byDay.get(from - DAY_MS) ?? null;
    for (let t = from; t <= to; t += DAY_MS) {
      const have = byDay.get(t);
      if (have) {
        previous = have;
        continue;
      }
      const day = new Date(t);
      const answer = await provider.fetchSnapshot(coin, day, previous);
      if (!answer) {
        skipped.push({ coin: coin.asset, day: dayText(day), reason: `${provider.name} has no data for this day` });
        previous = null;
        continue;
      }
      // The provider's figures pass the checks an admin's entry passes.
      const checked = parseSnapshot(
        { ...snapshotFields({ ...answer, source: provider.name }, coin), coin: coin.asset, day: dayText(day) },
        [coin],
        now,
      );
      if (!checked.ok) {
        skipped.push({ coin: coin.asset, day: dayText(day), reason: Object.values(checked.fieldErrors).join(" ") });
        previous = null;
        continue;
      }
      fetched.push(checked.value);
      previous = checked.value;
    }
  }
  if (fetched.length === 0) return { filled: [], skipped };

  const filled = await prisma.$transaction(async (tx) => {
    const inserted = await tx.networkSnapshot.createManyAndReturn({
      data: fetched.map((v) => ({ coin: v.coin, day: v.day, ...snapshotData(v) })),
      skipDuplicates: true,
      select: { coin: true, day: true },
    });
    const rows = inserted
      .map((r) => ({ coin: r.coin as string, day: dayText(r.day) }))
      .sort((a, b) => a.coin.localeCompare(b.coin) || a.day.localeCompare(b.day));
    if (rows.length) {
      await appendAudit(tx, {
        actorId: args.actorId ?? null,
        action: "network_snapshots.filled",
        entityType: "network_snapshot",
        details: {
          provider: provider.name,
          from: dayText(new Date(from)),
          to: dayText(new Date(to)),
          rows: rows.map((r) => `${r.coin}:${r.day}`),
        },
      });
    }
    return rows;
  });
  return { filled, skipped };
}
