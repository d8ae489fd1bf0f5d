// The review of fetched figures before a day is settled: a fetched snapshot whose figures moved
// more than the configured threshold from the day before (or that has no day before to compare
// with) is HELD; the payout run leaves that coin-day unsettled (reason NETWORK_SNAPSHOT_HELD)
// until an admin approves it. Approving is one transaction: the row becomes APPROVED with who and
// when, and the audit line records the figures, their sources and the reason they were held.
import { checkAdmin } from "../../admin/actor";
import { appendAudit } from "../../audit/audit";
import type { PrismaClient, Tx } from "../../db/client";
import { decimalToBigInt } from "../../db/decimal";
import type { Asset } from "../../generated/prisma/enums";
import { DAY_MS, dayText } from "../../shared/days";
import { conflict, notFound, type Refusal } from "../../shared/result";
import type { SnapshotValues } from "../fields";
import { auditValues, storedValues } from "../snapshots";

const COMPARED: { key: keyof SnapshotValues; label: string }[] = [
  { key: "difficulty", label: "difficulty" },
  { key: "networkHashrateHs", label: "network hashrate" },
  { key: "blockSubsidyBase", label: "block subsidy" },
  { key: "avgFeesPerBlockBase", label: "fees per block" },
  { key: "priceMicroUsd", label: "price" },
];

/** |next − previous| / previous in hundredths of a percent (basis points), rounded down; null for 0 → non-zero. */
export function moveBps(previous: bigint, next: bigint): bigint | null {
  if (previous === 0n) return next === 0n ? 0n : null;
  const diff = next > previous ? next - previous : previous - next;
  return (diff * 10_000n) / previous;
}

const pctText = (bps: bigint) => `${bps / 100n}.${(bps % 100n).toString().padStart(2, "0")} %`;

/**
 * Why `next` needs an admin's review against the day before, or null when every figure stayed
 * within `thresholdBps` (a move of exactly the threshold needs none).
 */
export function reviewReason(
  next: SnapshotValues,
  previous: SnapshotValues | null,
  thresholdBps: bigint,
): string | null {
  if (!previous) return `no snapshot of ${dayText(new Date(next.day.getTime() - DAY_MS))} to compare with`;
  const moves: string[] = [];
  for (const { key, label } of COMPARED) {
    const a = previous[key];
    const b = next[key];
    if (typeof a !== "bigint" || typeof b !== "bigint") continue;
    const bps = moveBps(a, b);
    // Exactly: |b − a| · 10,000 > threshold · a (the rounded-down bps could hide a hair above it).
    const diff = b > a ? b - a : a - b;
    if (bps === null || diff * 10_000n > thresholdBps * a)
      moves.push(`${label} ${b >= a ? "+" : "−"}${bps === null ? "∞" : pctText(bps)} (${a} → ${b})`);
  }
  return moves.length
    ? `moved more than ${pctText(thresholdBps)} from ${dayText(previous.day)}: ${moves.join("; ")}`
    : null;
}

export interface ValueSourceRow {
  field: string;
  value: bigint;
  provider: string;
  url: string;
  fetchedAt: Date;
}

export async function valueSources(prisma: PrismaClient | Tx, coin: Asset, day: Date): Promise<ValueSourceRow[]> {
  const rows = await prisma.networkValueSource.findMany({ where: { coin, day }, orderBy: { field: "asc" } });
  return rows.map((r) => ({
    field: r.field,
    value: decimalToBigInt(r.value),
    provider: r.provider,
    url: r.url,
    fetchedAt: r.fetchedAt,
  }));
}

export interface HeldSnapshot {
  snapshot: SnapshotValues;
  reason: string;
  previous: SnapshotValues | null;
  sources: ValueSourceRow[];
}

/** Every held coin-day, oldest first, with the day before and where each figure came from. */
export async function heldSnapshots(prisma: PrismaClient): Promise<HeldSnapshot[]> {
  const rows = await prisma.networkSnapshot.findMany({
    where: { review: "HELD" },
    orderBy: [{ day: "asc" }, { coin: "asc" }],
    take: 100,
  });
  return Promise.all(
    rows.map(async (row) => {
      const before = await prisma.networkSnapshot.findUnique({
        where: { coin_day: { coin: row.coin, day: new Date(row.day.getTime() - DAY_MS) } },
      });
      return {
        snapshot: storedValues(row),
        reason: row.reviewReason ?? "",
        previous: before ? storedValues(before) : null,
        sources: await valueSources(prisma, row.coin, row.day),
      };
    }),
  );
}

export type ApproveResult = { ok: true; coin: Asset; day: string } | Refusal<"FORBIDDEN" | "NOT_FOUND" | "CONFLICT">;

/** An admin approves the held snapshot of `coin` on `day`: the payout run may settle it from now on. */
export async function approveHeldSnapshot(
  prisma: PrismaClient,
  args: { actorId: string; coin: Asset; day: Date; ip?: string | null },
): Promise<ApproveResult> {
  const label = dayText(args.day);
  return prisma.$transaction(async (tx): Promise<ApproveResult> => {
    const admin = await checkAdmin(tx, args.actorId);
    if (!admin.ok) return admin;
    const [row] = await tx.$queryRaw<{ review: string }[]>`
      SELECT review::text AS review FROM network_snapshots
       WHERE coin = ${args.coin}::asset AND day = ${label}::date FOR UPDATE`;
    if (!row) return notFound(`network snapshot of ${args.coin} on ${label}`);
    if (row.review !== "HELD")
      return conflict(
        row.review === "APPROVED"
          ? `The ${args.coin} snapshot of ${label} is already approved.`
          : `The ${args.coin} snapshot of ${label} is not held for review (its figures were fetched again within the threshold, or entered by hand).`,
      );
    const updated = await tx.networkSnapshot.update({
      where: { coin_day: { coin: args.coin, day: args.day } },
      data: { review: "APPROVED", reviewedById: args.actorId, reviewedAt: new Date() },
    });
    const sources = await valueSources(tx, args.coin, args.day);
    await appendAudit(tx, {
      actorId: args.actorId,
      action: "network_snapshot.approved",
      entityType: "network_snapshot",
      entityId: `${args.coin}:${label}`,
      ip: args.ip ?? null,
      details: {
        snapshot: auditValues(storedValues(updated)),
        reason: updated.reviewReason ?? "",
        sources: sources.map((s) => ({
          field: s.field,
          provider: s.provider,
          url: s.url,
          fetchedAt: s.fetchedAt.toISOString(),
        })),
      },
    });
    return { ok: true, coin: args.coin, day: label };
  });
}
