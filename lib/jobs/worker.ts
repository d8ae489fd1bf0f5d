// Scheduled jobs, run by `npm start` beside the web server (and by `npm run jobs` on a
// separate worker). Each job is safe to run from any number of workers at once: they are
// set-based and claim rows with SKIP LOCKED or are naturally idempotent.
import { purgeOldNonces } from "../api/auth";
import { purgeIdleRateBuckets } from "../api/rate-limit";
import { sealAuditLog } from "../audit/audit";
import { AUDIT_CHECKPOINT_EVERY_MS, publishAuditCheckpoint } from "../audit/checkpoints";
import { expireReservations } from "../contracts/checkout";
import type { PrismaClient } from "../db/client";
import { keepDemoCurrent } from "../demo/live";
import { purgeExpiredIdempotencyKeys } from "../idempotency/idempotency";
import { RECONCILIATION_EVERY_MS, runScheduledReconciliation } from "../ledger/reconciliation";
import { sendDueMail } from "../mail/sender";
import { mailConfig } from "../mail/transport";
import {
  notifyContractsBought,
  notifyContractsEnding,
  notifyListingsSoldOut,
  notifyPayoutDigests,
  notifyRigsOffline,
} from "../notifications/events";
import { purgeStaleHeartbeats, recordJobsHeartbeat, startWorkerHeartbeat } from "../observability/heartbeat";
import { lineLogger } from "../observability/log";
import { recordJobRun } from "../observability/metrics";
import { PAYOUT_JOB_EVERY_MS, runScheduledPayouts } from "../payouts/schedule";
import { purgeExpiredRateLimits } from "../security/rate-limit";
import { expireUnconfirmedWithdrawals } from "../wallet/withdrawal-confirmation";
import { manualProcessor, processApprovedWithdrawals } from "../wallet/withdrawal-processor";

export interface Job {
  name: string;
  everyMs: number;
  run(prisma: PrismaClient): Promise<number>;
}

export const jobs: Job[] = [
  { name: "seal-audit-log", everyMs: 1_000, run: (prisma) => sealAuditLog(prisma) },
  // Signed checkpoint of the sealed head to the sink outside the database (lib/audit/checkpoints.ts).
  {
    name: "audit-checkpoint",
    everyMs: AUDIT_CHECKPOINT_EVERY_MS,
    run: async (prisma) => {
      await sealAuditLog(prisma); // every line committed so far, also on the first tick at start
      return (await publishAuditCheckpoint(prisma)) ? 1 : 0;
    },
  },
  { name: "expire-reservations", everyMs: 60_000, run: (prisma) => expireReservations(prisma) },
  { name: "purge-idempotency-keys", everyMs: 60 * 60_000, run: (prisma) => purgeExpiredIdempotencyKeys(prisma) },
  // API request nonces older than twice the signature window can never match again.
  { name: "purge-api-nonces", everyMs: 5 * 60_000, run: (prisma) => purgeOldNonces(prisma) },
  // Sign-up, verification and reset limits whose window ended (lib/security/rate-limit.ts), and API
  // key buckets idle long enough to be full again (lib/api/rate-limit.ts).
  {
    name: "purge-rate-limits",
    everyMs: 10 * 60_000,
    run: async (prisma) => (await purgeExpiredRateLimits(prisma)) + (await purgeIdleRateBuckets(prisma)),
  },
  // Demo databases only (see lib/demo/live.ts): network data to today, telemetry to yesterday.
  { name: "keep-demo-current", everyMs: 10 * 60_000, run: (prisma) => keepDemoCurrent(prisma) },
  // Daily payouts: settles every day up to yesterday (UTC) that still has unpaid contract-days.
  { name: "settle-payouts", everyMs: PAYOUT_JOB_EVERY_MS, run: (prisma) => runScheduledPayouts(prisma) },
  // Approved withdrawals to the processor; the manual one queues them for an admin to send.
  {
    name: "process-withdrawals",
    everyMs: 10_000,
    run: (prisma) => processApprovedWithdrawals(prisma, manualProcessor),
  },
  // Withdrawals whose emailed confirmation link expired unused: cancelled, holds released.
  {
    name: "expire-unconfirmed-withdrawals",
    everyMs: 60_000,
    run: (prisma) => expireUnconfirmedWithdrawals(prisma),
  },
  // The mail outbox to SMTP_URL (lib/mail/sender.ts); without a mail server messages wait.
  {
    name: "send-mail",
    everyMs: 2_000,
    run: async (prisma) => {
      const config = await mailConfig();
      if (!config) return 0;
      const report = await sendDueMail(prisma, config);
      return report.sent + report.failed;
    },
  },
  // Operator and customer notices, each once per event (lib/notifications/events.ts).
  { name: "notify-contracts-bought", everyMs: 10_000, run: (prisma) => notifyContractsBought(prisma) },
  { name: "notify-listings-sold-out", everyMs: 60_000, run: (prisma) => notifyListingsSoldOut(prisma) },
  { name: "notify-rigs-offline", everyMs: 60_000, run: (prisma) => notifyRigsOffline(prisma) },
  { name: "notify-contracts-ending", everyMs: 10 * 60_000, run: (prisma) => notifyContractsEnding(prisma) },
  { name: "notify-payout-digests", everyMs: 60_000, run: (prisma) => notifyPayoutDigests(prisma) },
  // Heartbeat rows of workers that were killed or whose machine is gone (lib/observability/heartbeat.ts).
  { name: "purge-worker-heartbeats", everyMs: 60 * 60_000, run: (prisma) => purgeStaleHeartbeats(prisma) },
  // Cached ledger balances against the sums of their postings; each run is stored (/admin/ledger).
  { name: "reconcile-ledger", everyMs: RECONCILIATION_EVERY_MS, run: (prisma) => runScheduledReconciliation(prisma) },
];

/** Starts every job and this worker's heartbeat; the returned function stops them. */
export function startJobs(prisma: PrismaClient, log: (line: string) => void = lineLogger("jobs")): () => Promise<void> {
  const heartbeat = startWorkerHeartbeat(prisma);
  const timers = jobs.map((job) => {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      const started = performance.now();
      let ok = true;
      try {
        const count = await job.run(prisma);
        if (count > 0 && job.everyMs >= 60_000) log(`[jobs] ${job.name}: ${count}`);
      } catch (error) {
        ok = false;
        log(`[jobs] ${job.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        running = false;
        recordJobRun(job.name, ok, performance.now() - started);
        recordJobsHeartbeat();
      }
    };
    void tick();
    return setInterval(tick, job.everyMs);
  });
  return async () => {
    timers.forEach(clearInterval);
    await heartbeat.stop();
  };
}
