// What GET /api/metrics answers: bearer token METRICS_TOKEN (constant-time compare), else 404 when
// no token is configured (the endpoint does not exist) and 401 for a missing or wrong one. Figures
// other processes own (the mail outbox, Stratum) are read from the database here, once per scrape,
// never per request; so is the pool use of this process.
import { createHash, timingSafeEqual } from "node:crypto";
import { connectionPools, type PrismaClient } from "../db/client";
import { queueDepths } from "../jobs/admin";
import { DAY_MS, startOfUtcDay } from "../shared/days";
import { HEARTBEAT_STALE_MS } from "./heartbeat";
import { metrics, recordQueueDepth } from "./metrics";

export type MetricsAccess = "ok" | "disabled" | "unauthorized";

export function metricsAccess(authorization: string | null, token = process.env.METRICS_TOKEN): MetricsAccess {
  if (!token) return "disabled";
  const presented = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1] ?? "";
  // Hashes of equal length, so the compare takes the same time whatever the presented length.
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b) && presented.length > 0 ? "ok" : "unauthorized";
}

export async function refreshOutboxGauges(prisma: PrismaClient, now = new Date()): Promise<void> {
  const [row] = await prisma.$queryRaw<{ queued: bigint; oldest: Date | null }[]>`
    SELECT count(*) AS queued, min(created_at) AS oldest FROM mail_outbox WHERE status = 'PENDING'`;
  const m = metrics();
  m.mailOutboxQueued.set(Number(row?.queued ?? 0));
  m.mailOutboxOldestAge.set(row?.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0);
}

export async function refreshStratumGauges(prisma: PrismaClient, now = new Date()): Promise<void> {
  const m = metrics();
  const live = await prisma.stratumInstance.findMany({
    where: { stoppedAt: null, heartbeatAt: { gte: new Date(now.getTime() - HEARTBEAT_STALE_MS) } },
    select: { id: true, connections: true },
  });
  m.stratumConnections.reset();
  for (const instance of live) m.stratumConnections.set({ instance: String(instance.id) }, instance.connections);
  const [today] = await prisma.$queryRaw<Record<string, bigint | null>[]>`
    SELECT sum(accepted_shares) AS accepted, sum(rejected_stale) AS stale, sum(rejected_duplicate) AS duplicate,
           sum(rejected_low_difficulty) AS low_difficulty, sum(rejected_invalid) AS invalid
      FROM rig_share_days WHERE day = ${startOfUtcDay(now)}::date`;
  for (const outcome of ["accepted", "stale", "duplicate", "low_difficulty", "invalid"])
    m.stratumSharesToday.set({ outcome }, Number(today?.[outcome] ?? 0));
}

export async function refreshPayoutGauges(prisma: PrismaClient, now = new Date()): Promise<void> {
  const m = metrics();
  const [last, latest, failed] = await Promise.all([
    prisma.payoutRun.findFirst({
      where: { finishedAt: { not: null } },
      orderBy: { finishedAt: "desc" },
      select: { startedAt: true, finishedAt: true, contractsSettled: true, contractsUnsettled: true },
    }),
    prisma.payoutRun.findFirst({ where: { status: "COMPLETED" }, orderBy: { day: "desc" }, select: { day: true } }),
    prisma.payoutRun.count({ where: { status: "FAILED", startedAt: { gte: new Date(now.getTime() - DAY_MS) } } }),
  ]);
  m.payoutLastRunDuration.set(last ? (last.finishedAt!.getTime() - last.startedAt.getTime()) / 1000 : 0);
  m.payoutLastRunContracts.set({ outcome: "settled" }, last?.contractsSettled ?? 0);
  m.payoutLastRunContracts.set({ outcome: "unsettled" }, last?.contractsUnsettled ?? 0);
  const yesterday = startOfUtcDay(now).getTime() - DAY_MS;
  m.payoutDaysBehind.set(latest ? Math.max(0, Math.round((yesterday - latest.day.getTime()) / DAY_MS)) : 0);
  m.payoutRunsFailed.set(failed);
}

/** Queue depth and dead letters per queue (pg-boss's tables; nothing before a worker installed them). */
export async function refreshQueueGauges(prisma: PrismaClient): Promise<void> {
  metrics().jobQueueDepth.reset();
  for (const row of await queueDepths(prisma)) recordQueueDepth(row.name, row);
}

export function refreshPoolGauges(): void {
  let idle = 0;
  let total = 0;
  let waiting = 0;
  for (const pool of connectionPools()) {
    idle += pool.idleCount;
    total += pool.totalCount;
    waiting += pool.waitingCount;
  }
  const gauge = metrics().dbPoolConnections;
  gauge.set({ state: "idle" }, idle);
  gauge.set({ state: "busy" }, total - idle);
  gauge.set({ state: "waiting" }, waiting);
}

/** The registry's text exposition, with every scrape-time gauge read first. */
export async function scrapeMetrics(prisma: PrismaClient, now = new Date()): Promise<string> {
  refreshPoolGauges();
  await Promise.all([
    refreshOutboxGauges(prisma, now),
    refreshStratumGauges(prisma, now),
    refreshPayoutGauges(prisma, now),
    refreshQueueGauges(prisma),
  ]);
  return metrics().registry.metrics();
}
