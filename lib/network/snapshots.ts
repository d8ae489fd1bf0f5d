// Network snapshots entered by admins: one row per coin per UTC day, the inputs of that day's
// payouts (DESIGN.md "Daily payout"). Entering or correcting one is a single transaction with
// an audit line holding the row before and after.
//
// Decision: payouts store the inputs they were computed from and are never changed silently.
// Correcting a snapshot for a day that already has payouts changes only what is computed from
// now on (contracts of that day not settled yet, estimates); the admin is told how many
// payouts that day keeps their inputs, and the audit line records the count too.
import { checkAdmin } from "../admin/actor";
import { appendAudit } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import { isUniqueViolation } from "../db/errors";
import type { Prisma } from "../generated/prisma/client";
import type { Asset } from "../generated/prisma/enums";
import { networkHashrate } from "../payouts/formula";
import { dayText } from "../shared/days";
import type { Refusal } from "../shared/result";
import type { SnapshotCoin, SnapshotValues } from "./fields";

export type NetworkRefusal = Refusal<"FORBIDDEN" | "CONFLICT">;

export type SnapshotSaveResult =
  | {
      ok: true;
      outcome: "created" | "updated" | "unchanged";
      snapshot: SnapshotValues;
      /** Payouts already settled for this coin and day: they keep the inputs they were paid with. */
      payoutsOnDay: number;
    }
  | NetworkRefusal;

type Db = Pick<PrismaClient, "coin" | "networkSnapshot" | "dailyPayout"> | Tx;

/** The coins a snapshot can be entered for, in a fixed order. */
export async function snapshotCoins(prisma: Db): Promise<SnapshotCoin[]> {
  return prisma.coin.findMany({
    select: { asset: true, name: true, decimals: true, difficultyBased: true },
    orderBy: { asset: "asc" },
  });
}

interface StoredRow {
  coin: Asset;
  day: Date;
  difficulty: Prisma.Decimal | null;
  networkHashrateHs: Prisma.Decimal | null;
  blockTimeMs: number;
  blockSubsidyBase: Prisma.Decimal;
  avgFeesPerBlockBase: Prisma.Decimal;
  priceMicroUsd: bigint;
  source: string;
}

/** A stored row in the units of SnapshotValues (numeric columns read exactly). */
export function storedValues(row: StoredRow): SnapshotValues {
  return {
    coin: row.coin,
    day: row.day,
    difficulty: row.difficulty === null ? null : decimalToBigInt(row.difficulty),
    networkHashrateHs: row.networkHashrateHs === null ? null : decimalToBigInt(row.networkHashrateHs),
    blockTimeMs: row.blockTimeMs,
    blockSubsidyBase: decimalToBigInt(row.blockSubsidyBase),
    avgFeesPerBlockBase: decimalToBigInt(row.avgFeesPerBlockBase),
    priceMicroUsd: row.priceMicroUsd,
    source: row.source,
  };
}

/** The row as audit-log JSON: every figure as exact text. */
export function auditValues(values: SnapshotValues) {
  return {
    coin: values.coin,
    day: dayText(values.day),
    difficulty: values.difficulty?.toString() ?? null,
    networkHashrateHs: values.networkHashrateHs?.toString() ?? null,
    blockTimeMs: values.blockTimeMs,
    blockSubsidyBase: values.blockSubsidyBase.toString(),
    avgFeesPerBlockBase: values.avgFeesPerBlockBase.toString(),
    priceMicroUsd: values.priceMicroUsd.toString(),
    source: values.source,
  };
}

export function sameFigures(a: SnapshotValues, b: SnapshotValues): boolean {
  return JSON.stringify(auditValues(a)) === JSON.stringify(auditValues(b));
}

export function snapshotData(values: SnapshotValues) {
  return {
    difficulty: values.difficulty?.toString() ?? null,
    networkHashrateHs: values.networkHashrateHs?.toString() ?? null,
    blockTimeMs: values.blockTimeMs,
    blockSubsidyBase: values.blockSubsidyBase.toString(),
    avgFeesPerBlockBase: values.avgFeesPerBlockBase.toString(),
    priceMicroUsd: values.priceMicroUsd,
    source: values.source,
  };
}

/** Settled payouts of a coin on a day (they carry the inputs they were computed from). */
export async function payoutsOnDay(prisma: Db, coin: Asset, day: Date): Promise<number> {
  return prisma.dailyPayout.count({ where: { coin, day } });
}

export async function findSnapshot(prisma: Db, coin: Asset, day: Date): Promise<SnapshotValues | null> {
  const row = await prisma.networkSnapshot.findUnique({ where: { coin_day: { coin, day } } });
  return row ? storedValues(row) : null;
}

const conflictRefusal: NetworkRefusal = {
  ok: false,
  code: "CONFLICT",
  message:
    "Someone saved a snapshot for this coin and day at the same moment; nothing was saved. Check the table and save again.",
};

/**
 * Enters or corrects the snapshot of one coin-day (already validated by parseSnapshot). An
 * unchanged save writes nothing. `actorId` must be an admin's.
 */
export async function saveSnapshot(
  prisma: PrismaClient,
  args: { actorId: string; snapshot: SnapshotValues; ip?: string | null },
): Promise<SnapshotSaveResult> {
  const { actorId, snapshot } = args;
  try {
    return await prisma.$transaction(async (tx): Promise<SnapshotSaveResult> => {
      const admin = await checkAdmin(tx, actorId);
      if (!admin.ok) return admin;
      const [locked] = await tx.$queryRaw<{ id: bigint }[]>`
        SELECT id FROM network_snapshots WHERE coin = ${snapshot.coin}::asset AND day = ${dayText(snapshot.day)}::date FOR UPDATE`;
      const before = locked ? await findSnapshot(tx, snapshot.coin, snapshot.day) : null;
      const payouts = await payoutsOnDay(tx, snapshot.coin, snapshot.day);
      if (before && sameFigures(before, snapshot))
        return { ok: true, outcome: "unchanged", snapshot: before, payoutsOnDay: payouts };

      if (before) {
        await tx.networkSnapshot.update({
          where: { coin_day: { coin: snapshot.coin, day: snapshot.day } },
          data: snapshotData(snapshot),
        });
        // The figures are the admin's now, no longer a live source's (lib/network/live/fetch.ts
        // then leaves the row alone).
        await tx.networkValueSource.deleteMany({ where: { coin: snapshot.coin, day: snapshot.day } });
      } else {
        await tx.networkSnapshot.create({
          data: { coin: snapshot.coin, day: snapshot.day, ...snapshotData(snapshot) },
        });
      }
      await appendAudit(tx, {
        actorId,
        action: before ? "network_snapshot.corrected" : "network_snapshot.entered",
        entityType: "network_snapshot",
        entityId: `${snapshot.coin}:${dayText(snapshot.day)}`,
        ip: args.ip ?? null,
        details: { before: before ? auditValues(before) : null, after: auditValues(snapshot), payoutsOnDay: payouts },
      });
      return { ok: true, outcome: before ? "updated" : "created", snapshot, payoutsOnDay: payouts };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return conflictRefusal;
    throw error;
  }
}

export interface SnapshotListRow extends SnapshotValues {
  /** N in H/s, derived from D for difficulty-based coins (as the payout run derives it). */
  derivedNetworkHashrateHs: bigint;
  payouts: number;
  updatedAt: Date;
  /** HELD: fetched figures waiting for an admin's review (lib/network/live/review.ts). */
  review: "NOT_NEEDED" | "HELD" | "APPROVED";
}

/** The latest days of one coin, newest first, with the payouts settled on each. */
export async function latestSnapshots(
  prisma: PrismaClient,
  coin: Asset,
  options: { page: number; pageSize: number },
): Promise<{ rows: SnapshotListRow[]; total: number }> {
  const [total, rows] = await Promise.all([
    prisma.networkSnapshot.count({ where: { coin } }),
    prisma.networkSnapshot.findMany({
      where: { coin },
      orderBy: { day: "desc" },
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
    }),
  ]);
  const days = rows.map((r) => r.day);
  const counts = days.length
    ? await prisma.dailyPayout.groupBy({ by: ["day"], where: { coin, day: { in: days } }, _count: { _all: true } })
    : [];
  const byDay = new Map(counts.map((c) => [dayText(c.day), c._count._all]));
  return {
    total,
    rows: rows.map((row) => {
      const values = storedValues(row);
      const derived = networkHashrate({ ...values, blockTimeMs: BigInt(values.blockTimeMs) });
      return {
        ...values,
        derivedNetworkHashrateHs: derived,
        payouts: byDay.get(dayText(row.day)) ?? 0,
        updatedAt: row.updatedAt,
        review: row.review,
      };
    }),
  };
}
