// Share accounting (DESIGN.md "Delivered hashrate: measured"): the server counts every share
// outcome in memory per rig per UTC minute of arrival and writes the counters in one statement
// per flush (rig x minute and rig x day upserts), never one row per share. A flush that fails
// keeps its counters and merges them into the next one. What a crash loses is at most one
// flush interval of counters, and only ever in the rig's disfavour (work not credited), never
// credit for work not done.
//
// The flush takes the payout run's advisory lock in shared mode, like typed telemetry: a run
// settling a day sees either all of a flush or none of it.
import type { PrismaClient } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { PAYOUT_RUN_LOCK } from "../payouts/run";

export type RejectReason = "stale" | "duplicate" | "low_difficulty" | "invalid";

/** Share outcomes by kind, as counted per rig-minute and rig-day. */
export interface ShareCounts {
  accepted: number;
  stale: number;
  duplicate: number;
  lowDifficulty: number;
  invalid: number;
  upstreamAccepted: number;
  upstreamRejected: number;
}

/** Each counter and its column in rig_share_minutes and rig_share_days. */
const COUNTERS = [
  ["accepted", "accepted_shares"],
  ["stale", "rejected_stale"],
  ["duplicate", "rejected_duplicate"],
  ["lowDifficulty", "rejected_low_difficulty"],
  ["invalid", "rejected_invalid"],
  ["upstreamAccepted", "upstream_accepted"],
  ["upstreamRejected", "upstream_rejected"],
] as const satisfies readonly (readonly [keyof ShareCounts, string])[];
const COUNTER_COLUMNS = COUNTERS.map(([, column]) => column);

export interface MinuteCounters extends ShareCounts {
  acceptedWork: bigint;
  lastShareAt: number | null;
}

const MINUTE_MS = 60_000;

function emptyCounters(): MinuteCounters {
  const counters = { acceptedWork: 0n, lastShareAt: null } as MinuteCounters;
  for (const [key] of COUNTERS) counters[key] = 0;
  return counters;
}

function merge(into: MinuteCounters, from: MinuteCounters): void {
  for (const [key] of COUNTERS) into[key] += from[key];
  into.acceptedWork += from.acceptedWork;
  if (from.lastShareAt !== null) into.lastShareAt = Math.max(into.lastShareAt ?? 0, from.lastShareAt);
}

/** `column = alias.column + EXCLUDED.column` for the work and every counter. */
function addExcluded(alias: string): Prisma.Sql {
  return Prisma.raw(
    ["accepted_work", ...COUNTER_COLUMNS].map((c) => `${c} = ${alias}.${c} + EXCLUDED.${c}`).join(", "),
  );
}

export class ShareLedger {
  private pending = new Map<string, MinuteCounters>();
  private flushing: Promise<number> | null = null;
  /** Totals since start, for the instance heartbeat. */
  accepted = 0;
  rejected = 0;

  constructor(private readonly prisma: PrismaClient) {}

  private counters(rigId: string, at: number): MinuteCounters {
    const key = `${rigId}|${at - (at % MINUTE_MS)}`;
    let counters = this.pending.get(key);
    if (!counters) {
      counters = emptyCounters();
      this.pending.set(key, counters);
    }
    return counters;
  }

  accept(rigId: string, work: bigint, at = Date.now()): void {
    const c = this.counters(rigId, at);
    c.accepted += 1;
    c.acceptedWork += work;
    c.lastShareAt = at;
    this.accepted += 1;
  }

  reject(rigId: string, reason: RejectReason, at = Date.now()): void {
    const c = this.counters(rigId, at);
    if (reason === "stale") c.stale += 1;
    else if (reason === "duplicate") c.duplicate += 1;
    else if (reason === "low_difficulty") c.lowDifficulty += 1;
    else c.invalid += 1;
    this.rejected += 1;
  }

  upstream(rigId: string, accepted: boolean, at = Date.now()): void {
    const c = this.counters(rigId, at);
    if (accepted) c.upstreamAccepted += 1;
    else c.upstreamRejected += 1;
  }

  get pendingRows(): number {
    return this.pending.size;
  }

  /** Writes what is pending; returns the number of rig-minutes written. One flush at a time. */
  async flush(): Promise<number> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch)
      .catch((error: unknown) => {
        for (const [key, counters] of batch) {
          const now = this.pending.get(key);
          if (now) merge(now, counters);
          else this.pending.set(key, counters);
        }
        throw error;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private async write(batch: Map<string, MinuteCounters>): Promise<number> {
    const keys = [...batch.keys()].map((key) => key.split("|") as [string, string]);
    const rows = [...batch.values()];
    const columns = Prisma.join([
      Prisma.sql`${keys.map(([rigId]) => rigId)}::uuid[]`,
      Prisma.sql`${keys.map(([, minute]) => new Date(Number(minute)).toISOString())}::timestamptz[]`,
      Prisma.sql`${rows.map((c) => c.acceptedWork.toString())}::numeric[]`,
      Prisma.sql`${rows.map((c) => (c.lastShareAt === null ? null : new Date(c.lastShareAt).toISOString()))}::timestamptz[]`,
      ...COUNTERS.map(([key]) => Prisma.sql`${rows.map((c) => c[key])}::int[]`),
    ]);
    const counters = Prisma.raw(COUNTER_COLUMNS.join(", "));
    const sums = Prisma.raw(COUNTER_COLUMNS.map((c) => `sum(${c})`).join(", "));
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${PAYOUT_RUN_LOCK})`;
      await tx.$executeRaw`
        WITH e AS (
          SELECT * FROM unnest(${columns}) AS e(rig_id, minute, accepted_work, last_share_at, ${counters})
        ), minutes AS (
          INSERT INTO rig_share_minutes AS m (rig_id, minute, accepted_work, ${counters})
          SELECT rig_id, minute, accepted_work, ${counters} FROM e
          ON CONFLICT (rig_id, minute) DO UPDATE SET ${addExcluded("m")}
        )
        INSERT INTO rig_share_days AS d (rig_id, day, accepted_work, last_share_at, ${counters})
        SELECT rig_id, (minute AT TIME ZONE 'UTC')::date, sum(accepted_work), max(last_share_at), ${sums}
          FROM e GROUP BY 1, 2
        ON CONFLICT (rig_id, day) DO UPDATE SET ${addExcluded("d")},
          last_share_at = GREATEST(d.last_share_at, EXCLUDED.last_share_at)`;
    });
    return batch.size;
  }
}
