// The jobs worker's heartbeat. Each worker process (beside `npm start` or alone with `npm run jobs`,
// on any machine) writes a row of worker_heartbeats every HEARTBEAT_EVERY_MS with when a job run
// last finished in it, so every web instance's GET /api/ready and the admin queue page see which
// workers are alive without talking to them. A worker whose event loop or database calls are stuck
// stops writing: after HEARTBEAT_STALE_MS its row no longer counts. Clean shutdown removes the row.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { PrismaClient } from "../db/client";
import { log } from "./log";

export const HEARTBEAT_EVERY_MS = 5_000;
export const HEARTBEAT_STALE_MS = 60_000;

const LAST_JOB = Symbol.for("hashlease.jobs.last-job-at");

/** Records that a job run finished in this process (read by the next heartbeat). */
export function recordJobsHeartbeat(atMs = Date.now()): void {
  (globalThis as Record<symbol, unknown>)[LAST_JOB] = atMs;
}

/** When a job run last finished in this process; null before the first one. */
export function lastJobRun(): Date | null {
  const at = (globalThis as Record<symbol, unknown>)[LAST_JOB];
  return typeof at === "number" ? new Date(at) : null;
}

async function beat(prisma: PrismaClient, workerId: string, startedAt: Date): Promise<void> {
  const seenAt = new Date();
  const lastJobAt = lastJobRun();
  await prisma.workerHeartbeat.upsert({
    where: { workerId },
    create: { workerId, hostname: hostname(), pid: process.pid, startedAt, seenAt, lastJobAt },
    update: { seenAt, lastJobAt },
  });
}

/** Starts this process's heartbeat; the returned function stops it and removes the row. */
export function startWorkerHeartbeat(
  prisma: PrismaClient,
  options: { everyMs?: number } = {},
): { workerId: string; stop(): Promise<void> } {
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const startedAt = new Date();
  let writing: Promise<void> = Promise.resolve();
  const tick = () => {
    // One write at a time: a slow database must not pile up upserts.
    writing = writing
      .then(() => beat(prisma, workerId, startedAt))
      .catch((error: unknown) => log.warn({ err: error, workerId }, "worker heartbeat not written"));
  };
  tick();
  const timer = setInterval(tick, options.everyMs ?? HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    workerId,
    async stop() {
      clearInterval(timer);
      await writing;
      await prisma.workerHeartbeat.deleteMany({ where: { workerId } }).catch(() => {});
    },
  };
}

export interface LiveWorker {
  workerId: string;
  hostname: string;
  pid: number;
  startedAt: Date;
  seenAt: Date;
  lastJobAt: Date | null;
}

/** Workers whose last heartbeat is at most HEARTBEAT_STALE_MS old, newest first. */
export async function liveWorkers(prisma: PrismaClient, now = new Date()): Promise<LiveWorker[]> {
  return prisma.workerHeartbeat.findMany({
    where: { seenAt: { gte: new Date(now.getTime() - HEARTBEAT_STALE_MS) } },
    orderBy: { seenAt: "desc" },
  });
}

/** Drops rows of workers that stopped without saying so (killed, machine gone); a job runs it. */
export async function purgeStaleHeartbeats(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.workerHeartbeat.deleteMany({
    where: { seenAt: { lt: new Date(now.getTime() - 24 * 60 * 60_000) } },
  });
  return count;
}
