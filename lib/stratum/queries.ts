// What people see of verified delivery: per rig (operator) and per contract (customer), read
// from the share tables the proxy writes (accounting.ts). Hashrates are integers in H/s:
// floor(accepted work / seconds). A rig with no accepted share for OFFLINE_AFTER_MS is offline.
import type { PrismaClient } from "../db/client";
import type { ShareCounts } from "./accounting";
import { powAlgorithm } from "./work";

export type { ShareCounts };

export const OFFLINE_AFTER_MS = 10 * 60_000;
export const BUCKET_SECONDS = 600;

export interface RigStratumView {
  verifiable: boolean;
  workerName: string | null;
  rotatedAt: Date | null;
  lastShareAt: Date | null;
  online: boolean;
  /** Accepted work of the last 10 minutes / 600 s. */
  liveHashrateHs: bigint;
  /** Today so far (UTC): counts and floor(work / seconds elapsed today). */
  today: ShareCounts & { hashrateHs: bigint };
  /** Measured days (newest first): the payout run's rep for the rig. */
  days: { day: string; hashrateHs: bigint; accepted: number; rejected: number }[];
}

export interface HashratePoint {
  at: Date;
  hashrateHs: bigint;
}

interface CountsRow {
  accepted: number;
  stale: number;
  duplicate: number;
  low: number;
  invalid: number;
  up_a: number;
  up_r: number;
}

function counts(row: CountsRow | undefined): ShareCounts {
  return {
    accepted: Number(row?.accepted ?? 0),
    stale: Number(row?.stale ?? 0),
    duplicate: Number(row?.duplicate ?? 0),
    lowDifficulty: Number(row?.low ?? 0),
    invalid: Number(row?.invalid ?? 0),
    upstreamAccepted: Number(row?.up_a ?? 0),
    upstreamRejected: Number(row?.up_r ?? 0),
  };
}

export function rejectedTotal(c: ShareCounts): number {
  return c.stale + c.duplicate + c.lowDifficulty + c.invalid;
}

/** The Stratum view of one rig of the operator's, or null when it is not theirs. */
export async function rigStratumView(
  prisma: PrismaClient,
  operatorId: string,
  rigId: string,
  now = new Date(),
): Promise<RigStratumView | null> {
  const rig = await prisma.rig.findFirst({
    where: { id: rigId, facility: { operatorId } },
    select: { algorithm: true, stratumCredential: { select: { workerName: true, rotatedAt: true } } },
  });
  if (!rig) return null;
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [today] = await prisma.$queryRaw<(CountsRow & { work: string; last: Date | null })[]>`
    SELECT accepted_shares AS accepted, rejected_stale AS stale, rejected_duplicate AS duplicate,
           rejected_low_difficulty AS low, rejected_invalid AS invalid, upstream_accepted AS up_a,
           upstream_rejected AS up_r, accepted_work::text AS work, last_share_at AS last
      FROM rig_share_days WHERE rig_id = ${rigId}::uuid AND day = ${dayStart}::date`;
  const [last] = await prisma.$queryRaw<{ last: Date | null; recent: string }[]>`
    SELECT (SELECT max(last_share_at) FROM rig_share_days WHERE rig_id = ${rigId}::uuid) AS last,
           (SELECT COALESCE(sum(accepted_work), 0)::text FROM rig_share_minutes
             WHERE rig_id = ${rigId}::uuid AND minute >= ${new Date(now.getTime() - OFFLINE_AFTER_MS)}) AS recent`;
  const days = await prisma.$queryRaw<{ day: string; work: string; accepted: number; rejected: number }[]>`
    SELECT day::text AS day, accepted_work::text AS work, accepted_shares AS accepted,
           rejected_stale + rejected_duplicate + rejected_low_difficulty + rejected_invalid AS rejected
      FROM rig_share_days WHERE rig_id = ${rigId}::uuid AND day < ${dayStart}::date
     ORDER BY day DESC LIMIT 14`;
  const elapsed = BigInt(Math.max(1, Math.floor((now.getTime() - dayStart.getTime()) / 1000)));
  const lastShareAt = last?.last ?? null;
  return {
    verifiable: powAlgorithm(rig.algorithm) !== null,
    workerName: rig.stratumCredential?.workerName ?? null,
    rotatedAt: rig.stratumCredential?.rotatedAt ?? null,
    lastShareAt,
    online: lastShareAt !== null && now.getTime() - lastShareAt.getTime() < OFFLINE_AFTER_MS,
    liveHashrateHs: BigInt(last?.recent ?? "0") / BigInt(OFFLINE_AFTER_MS / 1000),
    today: { ...counts(today), hashrateHs: BigInt(today?.work ?? "0") / elapsed },
    days: days.map((d) => ({
      day: d.day,
      hashrateHs: BigInt(d.work) / 86_400n,
      accepted: Number(d.accepted),
      rejected: Number(d.rejected),
    })),
  };
}

/** The window of the last `hours` ending at the last full 10-minute bucket before `now`. */
function bucketWindow(now: Date, hours: number): { from: Date; to: Date } {
  const to = new Date(Math.floor(now.getTime() / (BUCKET_SECONDS * 1000)) * BUCKET_SECONDS * 1000);
  return { from: new Date(to.getTime() - hours * 3_600_000), to };
}

/** One of the operator's rigs: its measured hashrate (uncapped) in 10-minute buckets; null if not theirs. */
export async function rigVerifiedHashrate(
  prisma: PrismaClient,
  operatorId: string,
  rigId: string,
  opts: { hours?: number; now?: Date } = {},
): Promise<HashratePoint[] | null> {
  const rig = await prisma.rig.findFirst({ where: { id: rigId, facility: { operatorId } }, select: { id: true } });
  if (!rig) return null;
  const { from, to } = bucketWindow(opts.now ?? new Date(), opts.hours ?? 24);
  const points = await prisma.$queryRaw<{ at: Date; hs: string }[]>`
    SELECT b.at, COALESCE(div(sum(m.accepted_work), ${BUCKET_SECONDS}), 0)::text AS hs
      FROM generate_series(${from}::timestamptz, ${to}::timestamptz - interval '10 minutes', interval '10 minutes') AS b(at)
      LEFT JOIN rig_share_minutes m ON m.rig_id = ${rigId}::uuid AND m.minute >= b.at AND m.minute < b.at + interval '10 minutes'
     GROUP BY b.at ORDER BY b.at`;
  return points.map((p) => ({ at: p.at, hashrateHs: BigInt(p.hs) }));
}

/**
 * The contract's verified hashrate in 10-minute buckets over the last `hours`: per LIVE
 * allocation floor(alloc x min(rig's measured, nominal) / nominal), as the payout run counts a
 * day, summed. Null when the contract is not the customer's.
 */
export async function contractVerifiedHashrate(
  prisma: PrismaClient,
  customerId: string,
  contractId: string,
  opts: { hours?: number; now?: Date } = {},
): Promise<{ points: HashratePoint[]; counts: ShareCounts; measuredRigs: number; rigs: number } | null> {
  const contract = await prisma.contract.findFirst({ where: { id: contractId, customerId }, select: { id: true } });
  if (!contract) return null;
  const { from, to } = bucketWindow(opts.now ?? new Date(), opts.hours ?? 24);
  const points = await prisma.$queryRaw<{ at: Date; hs: string }[]>`
    WITH alloc AS (
      SELECT a.rig_id, sum(a.hashrate_hs)::numeric AS alloc, r.nominal_hashrate_hs::numeric AS nominal
        FROM allocations a JOIN rigs r ON r.id = a.rig_id
       WHERE a.contract_id = ${contractId}::uuid AND a.status = 'LIVE'
       GROUP BY a.rig_id, r.nominal_hashrate_hs
    ), rig_buckets AS (
      SELECT m.rig_id, date_bin('10 minutes', m.minute, ${from}::timestamptz) AS at, sum(m.accepted_work) AS work
        FROM rig_share_minutes m JOIN alloc USING (rig_id)
       WHERE m.minute >= ${from} AND m.minute < ${to}
       GROUP BY 1, 2
    )
    SELECT b.at, COALESCE(sum(div(al.alloc * least(div(rb.work, ${BUCKET_SECONDS}), al.nominal), al.nominal)), 0)::text AS hs
      FROM generate_series(${from}::timestamptz, ${to}::timestamptz - interval '10 minutes', interval '10 minutes') AS b(at)
      LEFT JOIN rig_buckets rb ON rb.at = b.at
      LEFT JOIN alloc al ON al.rig_id = rb.rig_id
     GROUP BY b.at ORDER BY b.at`;
  const [totals] = await prisma.$queryRaw<(CountsRow & { measured: number; rigs: number })[]>`
    WITH rigs AS (SELECT DISTINCT rig_id FROM allocations WHERE contract_id = ${contractId}::uuid AND status = 'LIVE')
    SELECT COALESCE(sum(m.accepted_shares), 0)::int AS accepted, COALESCE(sum(m.rejected_stale), 0)::int AS stale,
           COALESCE(sum(m.rejected_duplicate), 0)::int AS duplicate, COALESCE(sum(m.rejected_low_difficulty), 0)::int AS low,
           COALESCE(sum(m.rejected_invalid), 0)::int AS invalid, COALESCE(sum(m.upstream_accepted), 0)::int AS up_a,
           COALESCE(sum(m.upstream_rejected), 0)::int AS up_r,
           (SELECT count(DISTINCT mm.rig_id) FROM rig_share_minutes mm JOIN rigs USING (rig_id) WHERE mm.minute >= ${from})::int AS measured,
           (SELECT count(*) FROM rigs)::int AS rigs
      FROM rig_share_minutes m JOIN rigs USING (rig_id)
     WHERE m.minute >= ${from} AND m.minute < ${to}`;
  return {
    points: points.map((p) => ({ at: p.at, hashrateHs: BigInt(p.hs) })),
    counts: counts(totals),
    measuredRigs: Number(totals?.measured ?? 0),
    rigs: Number(totals?.rigs ?? 0),
  };
}

export interface ProxyInstanceRow {
  id: number;
  host: string;
  port: number;
  mode: string;
  startedAt: Date;
  heartbeatAt: Date;
  stoppedAt: Date | null;
  connections: number;
  sharesAccepted: bigint;
  sharesRejected: bigint;
  /** Live: a heartbeat in the last minute and not stopped. */
  live: boolean;
}

export interface ProxyHealth {
  instances: ProxyInstanceRow[];
  /** The last `minutes` full minutes, all rigs. */
  minutes: number;
  counts: ShareCounts;
  sharesPerSecond: number;
  rejectBps: number;
  /** Rigs with the most rejected shares in the window. */
  rigs: { rigId: string; label: string; accepted: number; rejected: number; hashrateHs: bigint }[];
}

/** What the admin proxy page shows: every instance and the last hour's share flow. */
export async function proxyHealth(
  prisma: PrismaClient,
  opts: { minutes?: number; now?: Date } = {},
): Promise<ProxyHealth> {
  const now = opts.now ?? new Date();
  const minutes = opts.minutes ?? 60;
  const from = new Date(now.getTime() - minutes * 60_000);
  const instances = await prisma.stratumInstance.findMany({
    orderBy: [{ stoppedAt: { sort: "desc", nulls: "first" } }, { id: "desc" }],
    take: 50,
  });
  const [totals] = await prisma.$queryRaw<CountsRow[]>`
    SELECT COALESCE(sum(accepted_shares), 0)::int AS accepted, COALESCE(sum(rejected_stale), 0)::int AS stale,
           COALESCE(sum(rejected_duplicate), 0)::int AS duplicate, COALESCE(sum(rejected_low_difficulty), 0)::int AS low,
           COALESCE(sum(rejected_invalid), 0)::int AS invalid, COALESCE(sum(upstream_accepted), 0)::int AS up_a,
           COALESCE(sum(upstream_rejected), 0)::int AS up_r
      FROM rig_share_minutes WHERE minute >= ${from}`;
  const rigs = await prisma.$queryRaw<
    { rig_id: string; label: string; accepted: number; rejected: number; work: string }[]
  >`
    SELECT m.rig_id::text, r.model || ' ' || r.serial_number AS label, sum(m.accepted_shares)::int AS accepted,
           sum(m.rejected_stale + m.rejected_duplicate + m.rejected_low_difficulty + m.rejected_invalid)::int AS rejected,
           sum(m.accepted_work)::text AS work
      FROM rig_share_minutes m JOIN rigs r ON r.id = m.rig_id
     WHERE m.minute >= ${from}
     GROUP BY m.rig_id, r.model, r.serial_number
     ORDER BY rejected DESC, accepted DESC LIMIT 20`;
  const counts_ = counts(totals);
  const rejected = rejectedTotal(counts_);
  const all = counts_.accepted + rejected;
  return {
    instances: instances.map((i) => ({
      ...i,
      live: i.stoppedAt === null && now.getTime() - i.heartbeatAt.getTime() < 60_000,
    })),
    minutes,
    counts: counts_,
    sharesPerSecond: all / (minutes * 60),
    rejectBps: all === 0 ? 0 : Math.round((rejected * 10_000) / all),
    rigs: rigs.map((r) => ({
      rigId: r.rig_id,
      label: r.label,
      accepted: Number(r.accepted),
      rejected: Number(r.rejected),
      hashrateHs: BigInt(r.work) / BigInt(minutes * 60),
    })),
  };
}
