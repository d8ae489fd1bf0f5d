// The scheduled daily payout: every few minutes the settle-payouts job looks for days up to
// yesterday (UTC) that still have unpaid contract-days (one SQL query when everything is settled)
// and queues the oldest as a settle-payout-day job keyed by the day; that job settles it and queues
// the next, so a catch-up goes oldest first, one day at a time (a later day's run completes
// contracts an earlier day still pays). The queue runs one job per day key at a time; beneath it
// each day is settled under the run's advisory lock and each contract-day is paid once (unique per
// contract and day), so a run that lost a race settles nothing. runScheduledPayouts is the same
// catch-up in one call (a worker without the queue, tests).
import type { PrismaClient } from "../db/client";
import { lineLogger } from "../observability/log";
import { dayText, parseDay } from "../shared/days";
import { settleDay, settleUnsettledDays, unsettledDays, type RunSummary } from "./run";

export const PAYOUT_JOB_EVERY_MS = 10 * 60_000;

/**
 * A day is settled by the schedule only this long after it ended (UTC): the Stratum proxies
 * write their share counters every few seconds (lib/stratum/accounting.ts), so the last minute's
 * shares of every proxy are in the database before the day's measured hashrate is read.
 */
export const SHARE_FLUSH_GRACE_MS = 2 * 60_000;

/** The clock the schedule settles by: `now` less the grace, so yesterday waits until 00:02 UTC. */
export function settlementClock(now: Date): Date {
  return new Date(now.getTime() - SHARE_FLUSH_GRACE_MS);
}

function describe(summary: RunSummary): string {
  const parts = [`settled ${summary.contractsSettled}`];
  if (summary.contractsCurtailed) parts.push(`curtailed ${summary.contractsCurtailed}`);
  for (const t of summary.totals) {
    parts.push(
      `${t.coin}: mined ${t.minedBase}, net ${t.customerNetBase}, credits ${t.underDeliveryCreditMicroUsd} µUSD`,
    );
  }
  for (const u of summary.unsettled) parts.push(`UNSETTLED ${u.contracts} ${u.coin} (${u.reason})`);
  if (summary.contractsCompleted) parts.push(`completed ${summary.contractsCompleted}`);
  return `[payouts] ${summary.day}: ${parts.join("; ")} (run ${summary.runId}, ${summary.durationMs} ms)`;
}

/**
 * Settles every unsettled day up to yesterday, oldest first, logging one line per day run.
 * Returns the number of contract-days this worker paid (0 when another worker beat it).
 */
export async function runScheduledPayouts(
  prisma: PrismaClient,
  options: { now?: Date; log?: (line: string) => void } = {},
): Promise<number> {
  const log = options.log ?? lineLogger("payouts");
  const summaries = await settleUnsettledDays(prisma, {
    now: settlementClock(options.now ?? new Date()),
    onSettled: (summary) => log(describe(summary)),
  });
  return summaries.reduce((sum, s) => sum + s.contractsSettled, 0);
}

/** The queue of one payout day's job (lib/jobs/worker.ts); its singleton key is the day. */
export const PAYOUT_DAY_QUEUE = "settle-payout-day";

interface DaySender {
  send(name: string, data: object, options?: { singletonKey?: string }): Promise<string | null>;
}

/** Queues the day as its job, once: a send while that day's job waits or runs is dropped (null). */
export function sendPayoutDay(queue: DaySender, day: string): Promise<string | null> {
  return queue.send(PAYOUT_DAY_QUEUE, { day }, { singletonKey: day });
}

/** Queues the oldest unsettled day up to yesterday; the day, or null when none is unsettled. */
export async function sendOldestUnsettledDay(
  prisma: PrismaClient,
  queue: DaySender,
  now = new Date(),
): Promise<string | null> {
  const [oldest] = await unsettledDays(prisma, yesterdayOf(settlementClock(now)));
  if (!oldest) return null;
  await sendPayoutDay(queue, dayText(oldest));
  return dayText(oldest);
}

function yesterdayOf(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
}

/** The settle-payout-day job: settles its day, then queues the next unsettled day after it. */
export async function settlePayoutDayJob(
  prisma: PrismaClient,
  data: Record<string, unknown>,
  queue: DaySender,
  options: { now?: Date; log?: (line: string) => void } = {},
): Promise<number> {
  const day = typeof data.day === "string" ? parseDay(data.day) : null;
  if (!day) throw new Error(`settle-payout-day needs a day (YYYY-MM-DD), got ${JSON.stringify(data.day)}`);
  const now = settlementClock(options.now ?? new Date());
  const summary = await settleDay(prisma, day, { now });
  (options.log ?? lineLogger("payouts"))(describe(summary));
  const next = (await unsettledDays(prisma, yesterdayOf(now))).find((d) => d.getTime() > day.getTime());
  if (next) await sendPayoutDay(queue, dayText(next));
  return summary.contractsSettled;
}
