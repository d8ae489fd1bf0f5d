// Two real worker processes (`npm run jobs`'s entry point, lib/cli/jobs.ts) on one PostgreSQL
// database: every schedule fires once per slot (one job per minute, whichever worker's cron pass
// inserts it), the job runs once, and both workers stop gracefully on SIGTERM. The cron passes run
// every second here (HASHLEASE_JOBS_CHECK_SECONDS) so a minute's job appears at once, and the monitor passes that count completions too.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, expect } from "vitest";
import { withTestSecrets } from "../testing/secrets";
import { describeOnServer, itOnServer } from "../testing/server-only";
import { withTestDatabase } from "../testing/test-database";
import { queueOverview } from "./admin";
import { QUEUE_SCHEMA, queueClient, type PgBoss } from "./queue";

const ENTRY = path.join(import.meta.dirname, "../cli/jobs.ts");
const PROBE = "schedule-probe";

withTestSecrets();
const t = withTestDatabase();

interface Worker {
  child: ChildProcess;
  output: string;
  exited: Promise<number | null>;
}

function startWorker(url: string): Promise<Worker> {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    env: { ...process.env, DATABASE_URL: url, HASHLEASE_JOBS_CHECK_SECONDS: "1", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const worker: Worker = {
    child,
    output: "",
    exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
  };
  const append = (chunk: Buffer) => (worker.output += chunk.toString());
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (worker.output.includes("[jobs] running")) {
        clearInterval(timer);
        resolve(worker);
      }
    }, 100);
    void worker.exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`the worker exited early (${code}):\n${worker.output}`));
    });
  });
}

/**
 * Jobs of `queue` its schedule created (not the one each worker sends at start, which carries a
 * singleton slot), per minute they were created in, with how many of them completed.
 */
async function perMinute(queue: string) {
  return t.prisma.$queryRawUnsafe<{ minute: Date; jobs: number; completed: number }[]>(
    `SELECT date_trunc('minute', created_on) AS minute, count(*)::int AS jobs,
            count(*) FILTER (WHERE state = 'completed')::int AS completed
       FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND singleton_on IS NULL GROUP BY 1 ORDER BY 1`,
    queue,
  );
}

describeOnServer("jobs fire once per schedule with two workers", "two worker processes on one database", () => {
  const workers: Worker[] = [];
  let client: PgBoss | undefined;
  afterAll(async () => {
    for (const w of workers) w.child.kill("SIGKILL");
    await client?.stop({ graceful: false, timeout: 1_000 });
  });

  itOnServer(
    "one job per schedule slot, run once, across two worker processes",
    "two worker processes on one database",
    async () => {
      workers.push(...(await Promise.all([startWorker(t.url), startWorker(t.url)])));
      // A schedule nobody works, in a queue without a policy: only the cron passes' coordination
      // keeps its jobs to one a minute.
      client = await queueClient(t.url, () => {});
      await client.createQueue(PROBE);
      await client.schedule(PROBE, "* * * * *");
      // Past the next minute boundary, so at least one slot starts while both workers run.
      const nextMinute = Math.ceil((Date.now() + 1_000) / 60_000) * 60_000;
      await new Promise((r) => setTimeout(r, nextMinute - Date.now() + 6_000));

      const probe = await perMinute(PROBE);
      expect(probe.length).toBeGreaterThanOrEqual(1);
      expect(probe.map((m) => m.jobs)).toEqual(probe.map(() => 1));
      expect(probe.at(-1)!.minute.getTime()).toBe(nextMinute);

      const expiry = await perMinute("expire-reservations");
      // The start minute's may be missing: the start-up job was still waiting or running (exclusive).
      expect(expiry.at(-1)!.minute.getTime()).toBe(nextMinute);
      expect(expiry.map((m) => [m.jobs, m.completed])).toEqual(expiry.map(() => [1, 1]));

      // The sealing ticker of both workers: one job per one-second slot, never two.
      const [seal] = await t.prisma.$queryRawUnsafe<{ jobs: number; slots: number }[]>(
        `SELECT count(*)::int AS jobs, count(DISTINCT singleton_on)::int AS slots
           FROM ${QUEUE_SCHEMA}.job WHERE name = 'seal-audit-log' AND singleton_on IS NOT NULL`,
      );
      expect(seal!.jobs).toBeGreaterThan(10);
      expect(seal!.jobs).toBe(seal!.slots);

      // The page's 24-hour count of a queue that keeps completed jobs an hour (monitor passes' counts
      // up to the last pass, rows after it) equals the rows, all still kept here: nothing counted twice.
      const [rows] = await t.prisma.$queryRawUnsafe<{ completed: number; stats: number }[]>(
        `SELECT (SELECT count(*)::int FROM ${QUEUE_SCHEMA}.job WHERE name = 'seal-audit-log' AND state = 'completed') AS completed,
                (SELECT count(*)::int FROM ${QUEUE_SCHEMA}.queue_stats WHERE name = 'seal-audit-log' AND delta_on IS NOT NULL) AS stats`,
      );
      const overview = (await queueOverview(t.prisma)).find((q) => q.name === "seal-audit-log")!;
      // Seal jobs keep completing meanwhile: the page's count lies between the counts before and after.
      const [later] = await t.prisma.$queryRawUnsafe<{ completed: number }[]>(
        `SELECT count(*)::int AS completed FROM ${QUEUE_SCHEMA}.job WHERE name = 'seal-audit-log' AND state = 'completed'`,
      );
      expect(overview.completed24h).toBeGreaterThanOrEqual(rows!.completed);
      expect(overview.completed24h).toBeLessThanOrEqual(later!.completed);
      expect(rows!.stats).toBeGreaterThan(0);

      // Graceful stop: both exit 0 after saying so.
      for (const w of workers) w.child.kill("SIGTERM");
      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes).toEqual([0, 0]);
      for (const w of workers) expect(w.output).toContain("[jobs] stopped");
    },
    90_000,
  );
});
