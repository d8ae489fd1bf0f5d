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
import { PAYOUT_RUN_LOCK } from "../payouts/run";

export type RejectReason = "stale" | "duplicate" | "low_difficulty" | "invalid";

export interface MinuteCounters {
  acceptedShares: number;
  acceptedWork: bigint;
  stale: number;
  duplicate: number;
  lowDifficulty: number;
  invalid: number;
  upstreamAccepted: number;
  upstreamRejected: number;
  lastShareAt: number | null;
}

const MINUTE_MS = 60_000;

function emptyCounters(): MinuteCounters {
  return {
    acceptedShares: 0,
    acceptedWork: 0n,
    stale: 0,
    duplicate: 0,
    lowDifficulty: 0,
    invalid: 0,
    upstreamAccepted: 0,
    upstreamRejected: 0,
    lastShareAt: null,
  };
}

function merge(into: MinuteCounters, from: MinuteCounters): void {
  into.acceptedShares += from.acceptedShares;
  into.acceptedWork += from.acceptedWork;
  into.stale += from.stale;
  into.duplicate += from.duplicate;
  into.lowDifficulty += from.lowDifficulty;
  into.invalid += from.invalid;
  into.upstreamAccepted += from.upstreamAccepted;
  into.upstreamRejected += from.upstreamRejected;
  if (from.lastShareAt !== null) into.lastShareAt = Math.max(into.lastShareAt ?? 0, from.lastShareAt);
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
    c.acceptedShares += 1;
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
    const rigs: string[] = [];
    const minutes: string[] = [];
    const cols = {
      accepted: [] as number[],
      work: [] as string[],
      stale: [] as number[],
      duplicate: [] as number[],
      low: [] as number[],
      invalid: [] as number[],
      upA: [] as number[],
      upR: [] as number[],
      last: [] as (string | null)[],
    };
    for (const [key, c] of batch) {
      const [rigId, minute] = key.split("|") as [string, string];
      rigs.push(rigId);
      minutes.push(new Date(Number(minute)).toISOString());
      cols.accepted.push(c.acceptedShares);
      cols.work.push(c.acceptedWork.toString());
      cols.stale.push(c.stale);
      cols.duplicate.push(c.duplicate);
      cols.low.push(c.lowDifficulty);
      cols.invalid.push(c.invalid);
      cols.upA.push(c.upstreamAccepted);
      cols.upR.push(c.upstreamRejected);
      cols.last.push(c.lastShareAt === null ? null : new Date(c.lastShareAt).toISOString());
    }
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${PAYOUT_RUN_LOCK})`;
      await tx.$executeRaw`
        WITH e AS (
          SELECT * FROM unnest(${rigs}::uuid[], ${minutes}::timestamptz[], ${cols.accepted}::int[], ${cols.work}::numeric[],
                               ${cols.stale}::int[], ${cols.duplicate}::int[], ${cols.low}::int[], ${cols.invalid}::int[],
                               ${cols.upA}::int[], ${cols.upR}::int[], ${cols.last}::timestamptz[])
                 AS e(rig_id, minute, accepted, work, stale, duplicate, low, invalid, up_a, up_r, last_share_at)
        ), minutes AS (
          INSERT INTO rig_share_minutes AS m (rig_id, minute, accepted_shares, accepted_work, rejected_stale, rejected_duplicate,
                                              rejected_low_difficulty, rejected_invalid, upstream_accepted, upstream_rejected)
          SELECT rig_id, minute, accepted, work, stale, duplicate, low, invalid, up_a, up_r FROM e
          ON CONFLICT (rig_id, minute) DO UPDATE SET
            accepted_shares = m.accepted_shares + EXCLUDED.accepted_shares,
            accepted_work = m.accepted_work + EXCLUDED.accepted_work,
            rejected_stale = m.rejected_stale + EXCLUDED.rejected_stale,
            rejected_duplicate = m.rejected_duplicate + EXCLUDED.rejected_duplicate,
            rejected_low_difficulty = m.rejected_low_difficulty + EXCLUDED.rejected_low_difficulty,
            rejected_invalid = m.rejected_invalid + EXCLUDED.rejected_invalid,
            upstream_accepted = m.upstream_accepted + EXCLUDED.upstream_accepted,
            upstream_rejected = m.upstream_rejected + EXCLUDED.upstream_rejected
        )
        INSERT INTO rig_share_days AS d (rig_id, day, accepted_shares, accepted_work, rejected_stale, rejected_duplicate,
                                         rejected_low_difficulty, rejected_invalid, upstream_accepted, upstream_rejected, last_share_at)
        SELECT rig_id, (minute AT TIME ZONE 'UTC')::date, sum(accepted), sum(work), sum(stale), sum(duplicate), sum(low),
               sum(invalid), sum(up_a), sum(up_r), max(last_share_at)
          FROM e GROUP BY 1, 2
        ON CONFLICT (rig_id, day) DO UPDATE SET
          accepted_shares = d.accepted_shares + EXCLUDED.accepted_shares,
          accepted_work = d.accepted_work + EXCLUDED.accepted_work,
          rejected_stale = d.rejected_stale + EXCLUDED.rejected_stale,
          rejected_duplicate = d.rejected_duplicate + EXCLUDED.rejected_duplicate,
          rejected_low_difficulty = d.rejected_low_difficulty + EXCLUDED.rejected_low_difficulty,
          rejected_invalid = d.rejected_invalid + EXCLUDED.rejected_invalid,
          upstream_accepted = d.upstream_accepted + EXCLUDED.upstream_accepted,
          upstream_rejected = d.upstream_rejected + EXCLUDED.upstream_rejected,
          last_share_at = GREATEST(d.last_share_at, EXCLUDED.last_share_at)`;
    });
    return batch.size;
  }
}
