// The fetch-network-data job's work: today's (UTC) snapshot of every configured coin from the live
// sources (./config.ts), each figure stored with its source and fetch time (network_value_sources),
// and held for review when it moved more than the threshold from the day before (./review.ts).
//
// Decisions:
//  - Only today is fetched: the sources answer "now", so a figure belongs to the day it was fetched
//    on. Each run (hourly) updates today's row while the day is open: the day has not ended (the
//    payout run settles only ended days), no admin approved it and it is still the fetched row (it
//    has value sources; a correction by hand removes them and wins from then on). Past days and
//    rows entered or imported by hand are never written.
//  - Idempotent: a run whose figures equal the stored ones writes nothing; the sources of a row
//    keep the fetch that produced its figures.
//  - The sources are asked outside any transaction (network calls); each coin-day is written in
//    one transaction with its value sources, its review state and one audit line.
//  - A failed source skips its coins for this run (the others are stored) and the run reports the
//    error; the job then fails so the queue retries it and /admin/queues shows why.
import { appendAudit } from "../../audit/audit";
import type { PrismaClient } from "../../db/client";
import { isUniqueViolation } from "../../db/errors";
import type { Asset } from "../../generated/prisma/enums";
import { DAY_MS, dayText, startOfUtcDay } from "../../shared/days";
import { parseSnapshot, snapshotFields, type SnapshotValues } from "../fields";
import { auditValues, findSnapshot, payoutsOnDay, sameFigures, snapshotCoins, snapshotData } from "../snapshots";
import type { LiveConfig } from "./config";
import { reviewReason } from "./review";
import { NetworkSourceError, type CoinFigures, type FetchedValue, type SourcedField } from "./source";

export const FETCH_NETWORK_JOB_EVERY_MS = 60 * 60_000;

export type FetchOutcome = "created" | "updated" | "unchanged" | "kept";

export interface LiveFetchResult {
  stored: { coin: Asset; day: string; outcome: FetchOutcome; held: boolean; why?: string }[];
  errors: string[];
}

const COLUMN: Record<SourcedField, keyof SnapshotValues> = {
  difficulty: "difficulty",
  network_hashrate_hs: "networkHashrateHs",
  block_subsidy_base: "blockSubsidyBase",
  avg_fees_per_block_base: "avgFeesPerBlockBase",
  price_micro_usd: "priceMicroUsd",
};

function merge(into: Map<Asset, CoinFigures>, from: Map<Asset, CoinFigures>) {
  for (const [coin, figures] of from) {
    const have = into.get(coin) ?? { values: {} };
    into.set(coin, {
      values: { ...have.values, ...figures.values },
      blockTimeMs: figures.blockTimeMs ?? have.blockTimeMs,
    });
  }
}

export async function fetchLiveDay(
  prisma: PrismaClient,
  config: LiveConfig,
  options: { now?: Date; fetch?: typeof fetch } = {},
): Promise<LiveFetchResult> {
  const now = options.now ?? new Date();
  const ctx = { now, fetch: options.fetch ?? fetch, timeoutMs: config.timeoutMs };
  const day = startOfUtcDay(now);
  const coins = await snapshotCoins(prisma);
  const errors: string[] = [];
  const figures = new Map<Asset, CoinFigures>();
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

  for (const source of config.chains) {
    const wanted = coins.map((c) => c.asset).filter((a) => source.coins.includes(a));
    if (wanted.length === 0) continue;
    try {
      merge(figures, await source.fetchFigures(wanted, ctx));
    } catch (error) {
      if (!(error instanceof NetworkSourceError)) throw error;
      errors.push(describe(error));
    }
  }
  const priced = [...figures.keys()].filter((a) => config.price.coins.includes(a));
  if (priced.length) {
    try {
      merge(figures, await config.price.fetchFigures(priced, ctx));
    } catch (error) {
      if (!(error instanceof NetworkSourceError)) throw error;
      errors.push(describe(error));
    }
  }

  const stored: LiveFetchResult["stored"] = [];
  for (const coin of coins) {
    const got = figures.get(coin.asset);
    if (!got) continue;
    const v = got.values;
    const measure = coin.difficultyBased ? v.difficulty : v.network_hashrate_hs;
    if (!measure || !v.block_subsidy_base || !v.avg_fees_per_block_base || !v.price_micro_usd || !got.blockTimeMs)
      continue; // a source failed for it (reported above)
    const sourced = Object.entries(v) as [SourcedField, FetchedValue][];
    const providers = [...new Set(sourced.map(([, f]) => f.provider))];
    const values: SnapshotValues = {
      coin: coin.asset,
      day,
      difficulty: coin.difficultyBased ? measure.value : null,
      networkHashrateHs: coin.difficultyBased ? null : measure.value,
      blockTimeMs: got.blockTimeMs,
      blockSubsidyBase: v.block_subsidy_base.value,
      avgFeesPerBlockBase: v.avg_fees_per_block_base.value,
      priceMicroUsd: v.price_micro_usd.value,
      source: `live: ${providers.join(", ")}`,
    };
    // The fetched figures pass the checks an admin's entry passes (caps, units).
    const checked = parseSnapshot({ ...snapshotFields(values, coin) }, [coin], now);
    if (!checked.ok) {
      errors.push(`${coin.asset}: fetched figures refused: ${Object.values(checked.fieldErrors).join(" ")}`);
      continue;
    }
    try {
      stored.push(await storeFetched(prisma, checked.value, sourced, config.thresholdBps));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      errors.push(`${coin.asset}: a snapshot for ${dayText(day)} was saved at the same moment; kept it`);
    }
  }
  return { stored, errors };
}

async function storeFetched(
  prisma: PrismaClient,
  values: SnapshotValues,
  sourced: [SourcedField, FetchedValue][],
  thresholdBps: bigint,
): Promise<LiveFetchResult["stored"][number]> {
  const { coin, day } = values;
  const label = dayText(day);
  return prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ review: string }[]>`
      SELECT review::text AS review FROM network_snapshots WHERE coin = ${coin}::asset AND day = ${label}::date FOR UPDATE`;
    const before = locked ? await findSnapshot(tx, coin, day) : null;
    if (before && locked) {
      const kept = (why: string) => ({
        coin,
        day: label,
        outcome: "kept" as const,
        held: locked.review === "HELD",
        why,
      });
      if ((await tx.networkValueSource.count({ where: { coin, day } })) === 0) return kept("entered by hand");
      if (locked.review === "APPROVED") return kept("approved by an admin");
      if ((await payoutsOnDay(tx, coin, day)) > 0) return kept("has settled payouts");
      if (sameFigures(before, values))
        return { coin, day: label, outcome: "unchanged" as const, held: locked.review === "HELD" };
    }
    const previous = await findSnapshot(tx, coin, new Date(day.getTime() - DAY_MS));
    const reason = reviewReason(values, previous, thresholdBps);
    const review = { review: reason ? ("HELD" as const) : ("NOT_NEEDED" as const), reviewReason: reason };
    if (before) {
      await tx.networkSnapshot.update({
        where: { coin_day: { coin, day } },
        data: { ...snapshotData(values), ...review },
      });
      await tx.networkValueSource.deleteMany({ where: { coin, day } });
    } else {
      await tx.networkSnapshot.create({ data: { coin, day, ...snapshotData(values), ...review } });
    }
    // Only the figures the snapshot stores (a difficulty-based coin's hashrate is derived).
    const kept = sourced.filter(([field]) => values[COLUMN[field]] !== null);
    await tx.networkValueSource.createMany({
      data: kept.map(([field, f]) => ({
        coin,
        day,
        field,
        value: f.value.toString(),
        provider: f.provider,
        url: f.url,
        fetchedAt: f.fetchedAt,
      })),
    });
    await appendAudit(tx, {
      actorId: null,
      action: before ? "network_snapshot.refetched" : "network_snapshot.fetched",
      entityType: "network_snapshot",
      entityId: `${coin}:${label}`,
      details: {
        before: before ? auditValues(before) : null,
        after: auditValues(values),
        sources: kept.map(([field, f]) => ({
          field,
          provider: f.provider,
          url: f.url,
          fetchedAt: f.fetchedAt.toISOString(),
        })),
        review: review.review,
        reason,
      },
    });
    return { coin, day: label, outcome: before ? ("updated" as const) : ("created" as const), held: !!reason };
  });
}
