// The job queue (./queue.ts, ./runner.ts) on the test database, PostgreSQL or the embedded PGlite:
// a job that throws is retried with growing delays and dead-lettered after its retry limit, the
// admin retry (./admin.ts) puts it back with an audit line, and one payout day sent by two workers
// at once is one job and one run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYOUT_DAY_QUEUE, sendPayoutDay } from "../payouts/schedule";
import { dayText } from "../shared/days";
import { createUser } from "../testing/fixtures";
import { utcDay } from "../testing/payout-fixtures";
import { withTestDatabase } from "../testing/test-database";
import { deadJobs, queueDepths, queueOverview, retryDeadJobs } from "./admin";
import { queueClient, type JobDefinition, type PgBoss } from "./queue";
import { startJobs, type RunningJobs } from "./runner";
import { jobs } from "./worker";

const t = withTestDatabase();
const quiet = () => {};

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("a job that throws", () => {
  const attempts: number[] = [];
  let failing = true;
  const flaky: JobDefinition = {
    name: "flaky-test",
    everyMs: 60 * 60_000,
    sentOnly: true,
    retryLimit: 2,
    retryDelaySeconds: 1,
    run: async () => {
      attempts.push(Date.now());
      if (failing) throw new Error(`upstream refused (attempt ${attempts.length})`);
      return 1;
    },
  };
  let worker: RunningJobs;
  let client: PgBoss;
  beforeAll(async () => {
    worker = await startJobs(t.url, t.prisma, { jobs: [flaky], log: quiet, pollSeconds: 0.5 });
    client = await queueClient(t.url, quiet);
  });
  afterAll(async () => {
    await worker?.stop(2_000);
    await client?.stop({ graceful: false, timeout: 1_000 });
  });

  it("is retried with growing delays, then dead-lettered; the admin retry puts it back", async () => {
    await worker.send("flaky-test", { invoice: 42 });
    const dead = await until("the dead letter", async () => (await deadJobs(t.prisma, { queue: "flaky-test" }))[0]);
    // The first try and retryLimit (2) retries; the second delay is at least twice the first's floor.
    expect(attempts).toHaveLength(3);
    const [gap1, gap2] = [attempts[1]! - attempts[0]!, attempts[2]! - attempts[1]!];
    expect(gap1).toBeGreaterThanOrEqual(1_000);
    expect(gap2).toBeGreaterThanOrEqual(2_000);
    expect(dead).toMatchObject({ queue: "flaky-test", data: { invoice: 42 }, retries: 2 });
    expect(dead.error).toBe("upstream refused (attempt 3)");
    const row = (await queueOverview(t.prisma)).find((q) => q.name === "flaky-test")!;
    // The scrape's cheap statement agrees with the admin page's overview on every queue.
    expect(await queueDepths(t.prisma)).toEqual(
      (await queueOverview(t.prisma)).map(({ name, waiting, active, dead }) => ({ name, waiting, active, dead })),
    );
    expect(row).toMatchObject({ dead: 1, waiting: 0, active: 0, completed24h: 0 });
    expect(row.lastError?.message).toBe("upstream refused (attempt 3)");

    failing = false;
    const admin = await createUser(t.prisma, ["ADMIN"]);
    const retried = await retryDeadJobs(t.prisma, client, { adminId: admin.id, queue: "flaky-test", jobId: dead.id });
    expect(retried).toEqual({ ok: true, queue: "flaky-test", requeued: 1, superseded: 0 });
    await until("the retried job to complete", async () => {
      const q = (await queueOverview(t.prisma)).find((r) => r.name === "flaky-test");
      return q && q.completed24h === 1 && q;
    });
    expect(attempts).toHaveLength(4);
    expect(await deadJobs(t.prisma, { queue: "flaky-test" })).toEqual([]);
    const audit = await t.prisma.auditLog.findFirst({ where: { action: "jobs.retry_failed", entityId: "flaky-test" } });
    expect(audit).toMatchObject({ actorId: admin.id, details: { requeued: 1, jobId: dead.id } });

    // Nothing left to retry: a clear refusal, and no audit line for it.
    expect(await retryDeadJobs(t.prisma, client, { adminId: admin.id, queue: "flaky-test" })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await t.prisma.auditLog.count({ where: { action: "jobs.retry_failed" } })).toBe(1);
  }, 60_000);
});

describe("one payout day sent by two workers at once", () => {
  it("is one job and one run", async () => {
    const payoutDay = jobs.find((j) => j.name === PAYOUT_DAY_QUEUE)!;
    const [a, b] = await Promise.all([
      startJobs(t.url, t.prisma, { jobs: [payoutDay], log: quiet, pollSeconds: 0.5 }),
      startJobs(t.url, t.prisma, { jobs: [payoutDay], log: quiet, pollSeconds: 0.5 }),
    ]);
    try {
      const day = utcDay(-3);
      const ids = await Promise.all([sendPayoutDay(a, dayText(day)), sendPayoutDay(b, dayText(day))]);
      expect(ids.filter(Boolean)).toHaveLength(1);
      await until("the day's run", () =>
        t.prisma.payoutRun.findFirst({ where: { day, status: "COMPLETED" } }).then((run) => run ?? undefined),
      );
      // Give a second job, had there been one, the time to run too.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await t.prisma.payoutRun.count({ where: { day } })).toBe(1);
      const queue = (await queueOverview(t.prisma)).find((q) => q.name === PAYOUT_DAY_QUEUE)!;
      expect(queue).toMatchObject({ completed24h: 1, waiting: 0, active: 0, dead: 0 });
    } finally {
      await Promise.all([a.stop(2_000), b.stop(2_000)]);
    }
  }, 60_000);
});
