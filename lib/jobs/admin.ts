// What /admin/queues shows and does: per queue the jobs waiting, running, completed in the last
// 24 hours (from the job rows, or for queues that keep completed jobs an hour, from pg-boss's
// per-minute queue statistics plus the rows since) and dead (retries used up, parked in the dead-letter queue), the last error and the next
// scheduled run; and the retry of dead jobs. Reads pg-boss's tables (schema `pgboss`) directly, in
// one statement, because the counts pg-boss caches on its queue rows lag by up to a minute. A retry
// is pg-boss's redrive (the dead letter becomes a new job of its queue, retry count 0) run through
// the Prisma transaction that also writes the audit line, so both happen or neither.
import { fromPrisma, type PgBoss } from "pg-boss";
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { refuse, type Refusal } from "../shared/result";
import { DEAD_LETTERS, QUEUE_SCHEMA } from "./queue";

export interface QueueDepth {
  name: string;
  waiting: number;
  active: number;
  dead: number;
}

export interface QueueRow extends QueueDepth {
  retrying: number;
  completed24h: number;
  lastError: { message: string; at: Date } | null;
  cron: string | null;
}

export interface DeadJob {
  id: string;
  queue: string;
  data: unknown;
  error: string;
  retries: number;
  deadSince: Date;
}

/** True once a worker (or the admin page) has installed pg-boss's schema in this database. */
export async function queueInstalled(prisma: PrismaClient): Promise<boolean> {
  const [row] = await prisma.$queryRawUnsafe<{ installed: boolean }[]>(
    `SELECT to_regclass('${QUEUE_SCHEMA}.job') IS NOT NULL AS installed`,
  );
  return !!row?.installed;
}

const errorText = (output: unknown): string => {
  if (output && typeof output === "object" && "message" in output) return String(output.message);
  return output === null || output === undefined ? "" : JSON.stringify(output);
};

/** Every queue but the dead-letter queue and pg-boss's own (`__pgboss__…`), by name. */
export async function queueOverview(prisma: PrismaClient): Promise<QueueRow[]> {
  if (!(await queueInstalled(prisma))) return [];
  const rows = await prisma.$queryRawUnsafe<
    {
      name: string;
      waiting: number;
      retrying: number;
      active: number;
      completed: number;
      dead: number;
      error_output: unknown;
      error_at: Date | null;
      cron: string | null;
    }[]
  >(
    `SELECT q.name,
            count(j.id) FILTER (WHERE j.state IN ('created', 'retry'))::int AS waiting,
            count(j.id) FILTER (WHERE j.state = 'retry')::int AS retrying,
            count(j.id) FILTER (WHERE j.state = 'active')::int AS active,
            (CASE WHEN q.deletion_seconds = 0 OR q.deletion_seconds >= 86400
                  THEN count(j.id) FILTER (WHERE j.state = 'completed' AND j.completed_on > now() - interval '24 hours')
                  ELSE coalesce(st.completed, 0) + count(j.id) FILTER (
                         WHERE j.state = 'completed' AND j.completed_on > coalesce(st.counted_to, now() - interval '24 hours'))
             END)::int AS completed,
            (SELECT count(*)::int FROM ${QUEUE_SCHEMA}.job d
              WHERE d.name = $1 AND d.source_name = q.name AND d.state IN ('created', 'retry')) AS dead,
            e.output AS error_output, e.at AS error_at,
            (SELECT s.cron FROM ${QUEUE_SCHEMA}.schedule s WHERE s.name = q.name ORDER BY s.key LIMIT 1) AS cron
       FROM ${QUEUE_SCHEMA}.queue q
       LEFT JOIN ${QUEUE_SCHEMA}.job j ON j.name = q.name
       LEFT JOIN LATERAL (
         SELECT f.output, coalesce(f.completed_on, f.started_on) AS at FROM ${QUEUE_SCHEMA}.job f
          WHERE f.name = q.name AND f.state IN ('retry', 'failed') AND f.output IS NOT NULL
          ORDER BY coalesce(f.completed_on, f.started_on) DESC NULLS LAST LIMIT 1
       ) e ON true
       -- Queues that keep completed jobs less than a day: the monitor passes' counts up to the last
       -- pass (delta_on), the job rows after it.
       LEFT JOIN LATERAL (
         SELECT sum(s.completed_delta) AS completed, max(s.delta_on) AS counted_to FROM ${QUEUE_SCHEMA}.queue_stats s
          WHERE s.name = q.name AND s.delta_on > now() - interval '24 hours'
       ) st ON true
      WHERE q.name <> $1 AND q.name NOT LIKE '\\_\\_pgboss\\_\\_%'
      GROUP BY q.name, q.deletion_seconds, e.output, e.at, st.completed, st.counted_to
      ORDER BY q.name`,
    DEAD_LETTERS,
  );
  return rows.map((r) => ({
    name: r.name,
    waiting: r.waiting,
    retrying: r.retrying,
    active: r.active,
    completed24h: r.completed,
    dead: r.dead,
    lastError: r.error_at ? { message: errorText(r.error_output), at: r.error_at } : null,
    cron: r.cron,
  }));
}

/**
 * The gauges' figures (lib/observability/scrape.ts), read at every scrape: only the open jobs'
 * states (no completed counts, last errors or schedules, which the admin page's overview adds).
 */
export async function queueDepths(prisma: PrismaClient): Promise<QueueDepth[]> {
  if (!(await queueInstalled(prisma))) return [];
  return prisma.$queryRawUnsafe<QueueDepth[]>(
    `SELECT q.name,
            count(j.id) FILTER (WHERE j.state IN ('created', 'retry'))::int AS waiting,
            count(j.id) FILTER (WHERE j.state = 'active')::int AS active,
            (SELECT count(*)::int FROM ${QUEUE_SCHEMA}.job d
              WHERE d.name = $1 AND d.source_name = q.name AND d.state IN ('created', 'retry')) AS dead
       FROM ${QUEUE_SCHEMA}.queue q
       LEFT JOIN ${QUEUE_SCHEMA}.job j ON j.name = q.name AND j.state IN ('created', 'retry', 'active')
      WHERE q.name <> $1 AND q.name NOT LIKE '\\_\\_pgboss\\_\\_%'
      GROUP BY q.name
      ORDER BY q.name`,
    DEAD_LETTERS,
  );
}

/** Dead jobs waiting for an admin, newest first (of one queue, or all). */
export async function deadJobs(
  prisma: PrismaClient,
  options: { queue?: string; limit?: number } = {},
): Promise<DeadJob[]> {
  if (!(await queueInstalled(prisma))) return [];
  const rows = await prisma.$queryRawUnsafe<
    {
      id: string;
      source_name: string;
      data: unknown;
      source_output: unknown;
      source_retry_count: number | null;
      created_on: Date;
    }[]
  >(
    `SELECT id::text, source_name, data, source_output, source_retry_count, created_on
       FROM ${QUEUE_SCHEMA}.job
      WHERE name = $1 AND state IN ('created', 'retry') AND ($2::text IS NULL OR source_name = $2)
      ORDER BY created_on DESC LIMIT $3`,
    DEAD_LETTERS,
    options.queue ?? null,
    options.limit ?? 50,
  );
  return rows.map((r) => ({
    id: r.id,
    queue: r.source_name,
    data: r.data,
    error: errorText(r.source_output),
    retries: r.source_retry_count ?? 0,
    deadSince: r.created_on,
  }));
}

export interface RetryResult {
  ok: true;
  queue: string;
  /** Back in their queue as new jobs. */
  requeued: number;
  /** Not re-queued: the queue already had its one job waiting or running (same work); closed. */
  superseded: number;
}

/**
 * Retries dead jobs of `queue`: one (`jobId`) or all of them. Refused when there is none (already
 * retried, or the id names no dead job of that queue).
 */
export async function retryDeadJobs(
  prisma: PrismaClient,
  boss: PgBoss,
  args: { adminId: string; ip?: string | null; queue: string; jobId?: string },
): Promise<RetryResult | Refusal> {
  return prisma.$transaction(async (tx) => {
    const [{ dead } = { dead: 0 }] = await tx.$queryRawUnsafe<{ dead: number }[]>(
      `SELECT count(*)::int AS dead FROM ${QUEUE_SCHEMA}.job
        WHERE name = $1 AND source_name = $2 AND state IN ('created', 'retry') AND ($3::uuid IS NULL OR id = $3::uuid)`,
      DEAD_LETTERS,
      args.queue,
      args.jobId ?? null,
    );
    if (dead === 0) {
      return refuse(
        "NOT_FOUND",
        args.jobId
          ? `No failed job ${args.jobId} of ${args.queue} is waiting: it was retried already or has expired.`
          : `${args.queue} has no failed jobs to retry.`,
      );
    }
    const requeued = await boss.redrive(DEAD_LETTERS, {
      sourceName: args.queue,
      ids: args.jobId ? [args.jobId] : undefined,
      limit: 10_000,
      db: fromPrisma(tx),
    });
    const result: RetryResult = { ok: true, queue: args.queue, requeued, superseded: dead - requeued };
    await appendAudit(tx, {
      actorId: args.adminId,
      action: "jobs.retry_failed",
      entityType: "job_queue",
      entityId: args.queue,
      ip: args.ip ?? null,
      details: { queue: args.queue, jobId: args.jobId ?? null, requeued, superseded: result.superseded },
    });
    return result;
  });
}
