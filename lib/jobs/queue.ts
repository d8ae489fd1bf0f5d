// The job queue: pg-boss (https://pgboss.io) in its own schema `pgboss`, which it creates and
// migrates itself at start (it is no part of prisma/schema.prisma; lib/db/drift.ts reads `public`
// only). Every job of ./worker.ts is a queue with a cron schedule; any number of worker processes
// (`npm run jobs`, `npm start`) share the queues, and each job runs on one of them:
//  - policy "exclusive": at most one job per queue (per singleton key) is waiting or running across
//    all workers, so a sweep never runs twice at once and a backlog of duplicate sweeps cannot pile
//    up while one runs or waits out its retry backoff;
//  - a job that throws is retried with exponential backoff (retryLimit, retryBackoff) and, after its
//    last try, copied to the dead-letter queue, where /admin/queues shows it and can retry it;
//  - a heartbeat while it runs: a job whose worker died is failed (and retried) after
//    HEARTBEAT_SECONDS rather than holding its queue until it expires.
// pg-boss's cron fires at most once a minute (one job per schedule per minute, whichever worker's
// cron pass inserts it first). Jobs that must run every few seconds (audit sealing, mail, withdrawal
// processing) get a ticker in each worker besides the minute schedule: it sends the job with
// `singletonSeconds` equal to the interval, so the sends of N workers collapse into one job per
// interval slot (pg-boss's unique index on queue, slot and key), and wakes its own worker when its
// send won. The alternative, sends from the business code where work appears (an outbox insert
// sends a mail job), would reach into every domain for three queues and still need the sweep for
// work that a failed send left behind.
//
// PGlite (the embedded database, lib/db/pglite-server.ts) serves every connection from one backend
// session. pg-boss takes only transaction-scoped advisory locks (pg_advisory_xact_lock, for its
// schema migrations and maintenance claims) and listens for notifications only with
// `useListenNotify`, which stays off; so it runs there unchanged, on the same wire protocol as on a
// PostgreSQL server, and through PgBouncer in transaction mode (lib/db/pgbouncer.test.ts).
import { PgBoss, type Job as BossJob, type ConstructorOptions, type Queue } from "pg-boss";
import type { PrismaClient } from "../db/client";

export const QUEUE_SCHEMA = "pgboss";
/** Where jobs go after their last retry; nobody works it: an admin retries its jobs or they expire. */
export const DEAD_LETTERS = "dead-letters";
/** A running job refreshes its heartbeat every half of this; silent for this long, it is failed. */
export const HEARTBEAT_SECONDS = 30;
/**
 * Completed jobs are kept a little over a day, so /admin/queues counts a full 24 hours from them;
 * those of sub-minute jobs an hour (~1 kB a job with its index entries, 150,000 a day), their 24 hours
 * counted from pg-boss's queue statistics instead (./admin.ts).
 */
export const KEEP_COMPLETED_SECONDS = 26 * 3600;
export const KEEP_COMPLETED_TICKER_SECONDS = 3600;
/** Dead letters wait this long for an admin before pg-boss deletes them. */
export const KEEP_DEAD_LETTERS_SECONDS = 30 * 24 * 3600;

export interface JobDefinition {
  name: string;
  /** How often it runs: a cron schedule for a minute or more, else a ticker (see the header). */
  everyMs: number;
  /** Returns how many things it did (logged when the job runs a minute or less often). */
  run(prisma: PrismaClient, data: Record<string, unknown>, queue: JobSender): Promise<number>;
  /** Default 3 retries after the first try. */
  retryLimit?: number;
  /** First retry delay in seconds, doubled each retry (default 5). */
  retryDelaySeconds?: number;
  /** How long one run may take before it counts as failed (default 15 minutes). */
  expireInSeconds?: number;
  /** Only sent by other jobs (no schedule); a per-key job like one payout day. */
  sentOnly?: boolean;
}

/** What a job can do with the queue: send another job. */
export interface JobSender {
  send(name: string, data: object, options?: { singletonKey?: string }): Promise<string | null>;
}

/** pg-boss's cron for a job of `everyMs` (a minute or more, dividing an hour, or hourly). */
export function cronOf(everyMs: number): string {
  const minutes = everyMs / 60_000;
  if (minutes < 1) return "* * * * *";
  if (minutes === 60) return "0 * * * *";
  if (Number.isInteger(minutes) && 60 % minutes === 0) return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
  throw new Error(`a job every ${everyMs} ms has no cron schedule (use minutes dividing an hour, or an hour)`);
}

export function queueOptions(job: JobDefinition): Omit<Queue, "name"> {
  return {
    policy: "exclusive",
    retryLimit: job.retryLimit ?? 3,
    retryDelay: job.retryDelaySeconds ?? 5,
    retryBackoff: true,
    retryDelayMax: 15 * 60,
    expireInSeconds: job.expireInSeconds ?? 15 * 60,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    deleteAfterSeconds: job.everyMs < 60_000 ? KEEP_COMPLETED_TICKER_SECONDS : KEEP_COMPLETED_SECONDS,
    deadLetter: DEAD_LETTERS,
  };
}

/** The cron and supervise/monitor passes' intervals, which a test may shorten (default 30 and 60 s). */
function checkIntervals(): Pick<
  ConstructorOptions,
  "cronMonitorIntervalSeconds" | "cronWorkerIntervalSeconds" | "monitorIntervalSeconds" | "superviseIntervalSeconds"
> {
  const seconds = Number(process.env.HASHLEASE_JOBS_CHECK_SECONDS);
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= 30
    ? {
        cronMonitorIntervalSeconds: seconds,
        cronWorkerIntervalSeconds: seconds,
        monitorIntervalSeconds: seconds,
        superviseIntervalSeconds: seconds,
      }
    : {};
}

/**
 * A pg-boss instance on `url`. A worker supervises (retries, expiry, deletion) and runs the cron
 * schedules; a client (the web server's admin page) only reads and redrives, on a small pool.
 */
export function createBoss(url: string, role: "worker" | "client", log: (line: string) => void): PgBoss {
  const boss = new PgBoss({
    connectionString: url,
    schema: QUEUE_SCHEMA,
    application_name: `hashlease-${role}`,
    max: role === "worker" ? 4 : 2,
    supervise: role === "worker",
    schedule: role === "worker",
    registerInstance: role === "worker",
    instanceName: role === "worker" ? "jobs" : undefined,
    // A snapshot of every queue's counts and throughput per monitor pass (one worker's), kept 2 days.
    persistQueueStats: role === "worker",
    queueStatRetentionDays: 2,
    ...(role === "worker" ? checkIntervals() : {}),
  });
  // Without a listener an EventEmitter "error" would throw; pg-boss reports failed polls here.
  boss.on("error", (error) => log(`[queue] ${error.message}`));
  boss.on("warning", (warning) => log(`[queue] ${warning.message}`));
  return boss;
}

export type { BossJob, PgBoss };

const CLIENT = Symbol.for("hashlease.jobs.client");

/**
 * The web server's client of the queue (admin page reads and retries), started on first use and
 * kept for the process. Starting installs pg-boss's schema when no worker has yet.
 */
export function queueClient(url: string, log: (line: string) => void = console.error): Promise<PgBoss> {
  const store = globalThis as Record<symbol, Promise<PgBoss> | undefined>;
  store[CLIENT] ??= createBoss(url, "client", log)
    .start()
    .catch((error: unknown) => {
      store[CLIENT] = undefined; // the next request tries again
      throw error;
    });
  return store[CLIENT];
}
