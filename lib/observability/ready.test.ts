import { describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import { readMigrations } from "../db/migrate";
import { withTestDatabase } from "../testing/test-database";
import {
  HEARTBEAT_STALE_MS,
  liveWorkers,
  purgeStaleHeartbeats,
  recordJobsHeartbeat,
  startWorkerHeartbeat,
} from "./heartbeat";
import { jobsCheck, migrationsCheck, readiness } from "./ready";

const t = withTestDatabase();

async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("readiness", () => {
  it("is not ready without a live jobs worker, ready while one beats, and not again after it stops", async () => {
    const before = await readiness(t.prisma);
    expect(before.ready).toBe(false);
    expect(before.checks.database).toEqual({ ok: true });
    expect(before.checks.migrations).toEqual({ ok: true, detail: `${readMigrations().length} applied` });
    expect(before.checks.jobs).toEqual({ ok: false, reason: "no jobs worker has reported in the last minute" });

    recordJobsHeartbeat(Date.parse("2026-12-07T10:00:00Z"));
    const worker = startWorkerHeartbeat(t.prisma, { everyMs: 50 });
    await until(async () => (await liveWorkers(t.prisma)).length === 1);
    const [row] = await liveWorkers(t.prisma);
    expect(row).toMatchObject({ workerId: worker.workerId, pid: process.pid });
    expect(row!.lastJobAt?.toISOString()).toBe("2026-12-07T10:00:00.000Z");
    // The heartbeat keeps writing: seen_at moves on.
    const firstSeen = row!.seenAt.getTime();
    await until(async () => (await liveWorkers(t.prisma))[0]!.seenAt.getTime() > firstSeen);
    expect(await readiness(t.prisma)).toMatchObject({
      ready: true,
      checks: { jobs: { ok: true, detail: "1 worker(s)" } },
    });

    // A minute later without a beat the worker does not count (a stuck or killed worker).
    const later = new Date(Date.now() + HEARTBEAT_STALE_MS + 1_000);
    expect((await jobsCheck(t.prisma, later)).ok).toBe(false);

    await worker.stop();
    expect(await t.prisma.workerHeartbeat.count()).toBe(0);
    expect((await readiness(t.prisma)).ready).toBe(false);
  });

  it("names pending, failed and edited migrations", async () => {
    const expected = readMigrations();
    const extra = { name: "29991231000000_from_the_future", sql: "SELECT 1", checksum: "0".repeat(64) };
    expect(await migrationsCheck(t.prisma, [...expected, extra])).toEqual({
      ok: false,
      reason: "1 migration(s) not applied: 29991231000000_from_the_future",
    });
    const edited = expected.map((m, i) => (i === 3 ? { ...m, checksum: "f".repeat(64) } : m));
    expect(await migrationsCheck(t.prisma, edited)).toEqual({
      ok: false,
      reason: `applied migration(s) edited since: ${expected[3]!.name}`,
    });
    // A database migrated by a newer build still serves this one.
    expect(await migrationsCheck(t.prisma, expected.slice(0, -1))).toEqual({
      ok: true,
      detail: `${expected.length - 1} applied; 1 from a newer build`,
    });
    await t.prisma.$executeRaw`
      INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
      VALUES ('test-failed', ${"a".repeat(64)}, '29991231000001_broken', now())`;
    try {
      expect(await migrationsCheck(t.prisma, expected)).toEqual({
        ok: false,
        reason: "migration failed and not rolled back: 29991231000001_broken",
      });
    } finally {
      await t.prisma.$executeRaw`DELETE FROM "_prisma_migrations" WHERE id = 'test-failed'`;
    }
  });

  it("says the database is unreachable and checks nothing else", async () => {
    const unreachable = createPrismaClient("postgresql://postgres:postgres@127.0.0.1:9/postgres");
    try {
      const result = await readiness(unreachable);
      expect(result.ready).toBe(false);
      expect(result.checks.database.ok).toBe(false);
      expect(result.checks.jobs).toEqual({ ok: false, reason: "not checked: the database is unreachable" });
    } finally {
      await unreachable.$disconnect();
    }
  });

  it("purges heartbeat rows of workers gone for a day", async () => {
    const day = 24 * 60 * 60_000;
    const now = new Date();
    await t.prisma.workerHeartbeat.createMany({
      data: [
        {
          workerId: "gone",
          hostname: "h",
          pid: 1,
          startedAt: new Date(now.getTime() - 2 * day),
          seenAt: new Date(now.getTime() - day - 1),
        },
        { workerId: "recent", hostname: "h", pid: 2, startedAt: now, seenAt: new Date(now.getTime() - 5 * 60_000) },
      ],
    });
    expect(await purgeStaleHeartbeats(t.prisma, now)).toBe(1);
    expect((await t.prisma.workerHeartbeat.findMany()).map((w) => w.workerId)).toEqual(["recent"]);
  });
});
