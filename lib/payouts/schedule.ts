// The scheduled daily payout: every few minutes each worker settles whatever days up to
// yesterday (UTC) still have unpaid contract-days (settleUnsettledDays). When everything is
// settled that is one SQL query. Any number of workers may run it at once: each day is settled
// under the run's advisory lock and each contract-day is paid once (unique per contract and
// day), so a worker that loses the race settles nothing.
import type { PrismaClient } from "../db/client";
import { lineLogger } from "../observability/log";
import { settleUnsettledDays, type RunSummary } from "./run";

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
