// Runs the jobs of ./worker.ts on the queue (./queue.ts) in this process: creates their queues and
// schedules (idempotent: every worker does it at start), works each queue, ticks the sub-minute
// ones, and records each run's metrics and the worker's heartbeat (its worker_heartbeats row).
// stop() lets running jobs finish (up to a timeout) before it closes the queue's connections.
import type { PrismaClient } from "../db/client";
import { recordJobsHeartbeat, startWorkerHeartbeat } from "../observability/heartbeat";
import { lineLogger } from "../observability/log";
import { recordJobRun } from "../observability/metrics";
import {
  createBoss,
  cronOf,
  DEAD_LETTERS,
  KEEP_DEAD_LETTERS_SECONDS,
  queueOptions,
  type JobDefinition,
  type JobSender,
} from "./queue";
import { jobs as allJobs } from "./worker";

/** How often an idle worker asks its queues for a job (a ticker's own send wakes it at once). */
const POLL_SECONDS = 5;

export interface RunningJobs extends JobSender {
  /** Stops ticking and fetching, waits up to `timeoutMs` for running jobs, then disconnects. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startJobs(
  url: string,
  prisma: PrismaClient,
  options: { log?: (line: string) => void; jobs?: JobDefinition[]; pollSeconds?: number } = {},
): Promise<RunningJobs> {
  const log = options.log ?? lineLogger("jobs");
  const jobs = options.jobs ?? allJobs;
  const boss = createBoss(url, "worker", log);
  await boss.start({ attempts: 5 });
  recordJobsHeartbeat();
  // This worker's row in worker_heartbeats, read by every instance's GET /api/ready.
  const heartbeat = startWorkerHeartbeat(prisma);
  await boss.createQueue(DEAD_LETTERS, { retentionSeconds: KEEP_DEAD_LETTERS_SECONDS });
  for (const job of jobs) {
    const existing = await boss.getQueue(job.name);
    if (existing) await boss.updateQueue(job.name, withoutPolicy(queueOptions(job)));
    else await boss.createQueue(job.name, queueOptions(job));
  }
  // A job removed from the list must not keep being scheduled into a queue nobody works.
  const names = new Set(jobs.filter((j) => !j.sentOnly).map((j) => j.name));
  for (const schedule of await boss.getSchedules()) {
    if (!names.has(schedule.name)) await boss.unschedule(schedule.name, schedule.key);
  }
  for (const job of jobs) if (!job.sentOnly) await boss.schedule(job.name, cronOf(job.everyMs));

  const sender = { send: (name: string, data: object, o?: { singletonKey?: string }) => boss.send(name, data, o) };
  const workerIds = new Map<string, string>();
  for (const job of jobs) {
    const id = await boss.work<Record<string, unknown>>(
      job.name,
      { pollingIntervalSeconds: options.pollSeconds ?? POLL_SECONDS, batchSize: 1 },
      async ([current]) => {
        const started = performance.now();
        let ok = true;
        try {
          const count = await job.run(prisma, current?.data ?? {}, sender);
          if (count > 0 && job.everyMs >= 60_000) log(`[jobs] ${job.name}: ${count}`);
          return { count };
        } catch (error) {
          ok = false;
          log(`[jobs] ${job.name} failed: ${error instanceof Error ? error.message : String(error)}`);
          throw error; // the queue retries it with backoff, then dead-letters it
        } finally {
          recordJobRun(job.name, ok, performance.now() - started);
          recordJobsHeartbeat();
        }
      },
    );
    workerIds.set(job.name, id);
  }

  // Every scheduled job runs once at start, as it did before the queue (a worker that was down
  // catches up at once: payouts, the demo's data), and the sub-minute ones on their ticker. The
  // slot of a start send is the job's interval, so workers starting together send it once.
  const tick = async (job: JobDefinition) => {
    try {
      const id = await boss.send(job.name, {}, { singletonSeconds: Math.max(1, Math.round(job.everyMs / 1000)) });
      // This worker's send won the slot: fetch it now rather than at the next poll.
      if (id) boss.notifyWorker(workerIds.get(job.name)!);
      recordJobsHeartbeat(); // the worker's loop and its database answer
    } catch (error) {
      log(`[jobs] ${job.name}: could not queue: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const scheduled = jobs.filter((job) => !job.sentOnly);
  for (const job of scheduled) void tick(job);
  const tickers = scheduled
    .filter((job) => job.everyMs < 60_000)
    .map((job) => setInterval(() => void tick(job), job.everyMs));

  let stopping: Promise<void> | undefined;
  return {
    send: sender.send,
    stop(timeoutMs = 30_000) {
      stopping ??= (async () => {
        tickers.forEach(clearInterval);
        await boss.stop({ graceful: true, timeout: timeoutMs });
        await heartbeat.stop();
      })();
      return stopping;
    },
  };
}

/** updateQueue refuses a policy (it is fixed when the queue is created). */
function withoutPolicy<T extends { policy?: unknown; deadLetter?: string }>(options: T): Omit<T, "policy"> {
  const { policy: _policy, ...rest } = options;
  return rest;
}
