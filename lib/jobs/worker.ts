// The scheduled jobs, each a queue of ./queue.ts run by ./runner.ts (`npm start` beside the web
// server, `npm run jobs` on separate workers). The queue runs each job on one worker at a time, and
// each is safe even if two runs overlapped (a worker that died mid-run, a run past its expiry): they
// are set-based and claim rows with SKIP LOCKED or are naturally idempotent.
import { purgeOldNonces } from "../api/auth";
import { purgeIdleRateBuckets } from "../api/rate-limit";
import { sealAuditLog } from "../audit/audit";
import { AUDIT_CHECKPOINT_EVERY_MS, publishAuditCheckpoint } from "../audit/checkpoints";
import { expireReservations } from "../contracts/checkout";
import { keepDemoCurrent } from "../demo/live";
import { purgeExpiredIdempotencyKeys } from "../idempotency/idempotency";
import { RECONCILIATION_EVERY_MS, runScheduledReconciliation } from "../ledger/reconciliation";
import { sendDueMail } from "../mail/sender";
import { mailConfig } from "../mail/transport";
import { liveConfig } from "../network/live/config";
import { FETCH_NETWORK_JOB_EVERY_MS, fetchLiveDay } from "../network/live/fetch";
import {
  notifyContractsBought,
  notifyContractsEnding,
  notifyListingsSoldOut,
  notifyPayoutDigests,
  notifyRigsOffline,
} from "../notifications/events";
import { purgeStaleHeartbeats } from "../observability/heartbeat";
import { sendApprovedOperatorPayouts } from "../operator/payouts";
import { connectPayments } from "../payments/config";
import { PAYOUT_DAY_QUEUE, PAYOUT_JOB_EVERY_MS, sendOldestUnsettledDay, settlePayoutDayJob } from "../payouts/schedule";
import { purgeExpiredRateLimits } from "../security/rate-limit";
import { expireUnconfirmedWithdrawals } from "../wallet/withdrawal-confirmation";
import { manualProcessor, processApprovedWithdrawals } from "../wallet/withdrawal-processor";
import type { JobDefinition } from "./queue";

export type Job = JobDefinition;

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
  // Today's network figures per coin from public APIs (lib/network/live/), only where their base URLs
  // are configured (HASHLEASE_NETWORK_PROVIDER_URL_*); a failed source fails the job (retried).
  {
    name: "fetch-network-data",
    everyMs: FETCH_NETWORK_JOB_EVERY_MS,
    run: async (prisma) => {
      const config = liveConfig();
      if (!config) return 0;
      const result = await fetchLiveDay(prisma, config);
      if (result.errors.length) throw new Error(result.errors.join("; "));
      return result.stored.filter((s) => s.outcome === "created" || s.outcome === "updated").length;
    },
  },
  // Daily payouts: the oldest day up to yesterday (UTC) that still has unpaid contract-days goes to
  // settle-payout-day, which settles it and sends the next one (lib/payouts/schedule.ts).
  {
    name: "settle-payouts",
    everyMs: PAYOUT_JOB_EVERY_MS,
    run: async (prisma, _data, queue) => ((await sendOldestUnsettledDay(prisma, queue)) ? 1 : 0),
  },
  // One payout day per job, keyed by the day: an exclusive queue, so two workers never settle the
  // same day at once (settleDay pays each contract-day once anyway). A run takes up to 30 minutes.
  {
    name: PAYOUT_DAY_QUEUE,
    everyMs: PAYOUT_JOB_EVERY_MS,
    sentOnly: true,
    retryDelaySeconds: 60,
    expireInSeconds: 40 * 60,
    run: (prisma, data, queue) => settlePayoutDayJob(prisma, data, queue),
  },
  // Approved withdrawals to the processor; the manual one queues them for an admin to send.
  {
    name: "process-withdrawals",
    everyMs: 10_000,
    run: (prisma) => processApprovedWithdrawals(prisma, manualProcessor),
  },
  // Approved operator payouts as Stripe Connect transfers (lib/operator/payouts.ts); without
  // Stripe (no key, no demo stand-in) they wait, approved.
  {
    name: "send-operator-payouts",
    everyMs: 10_000,
    run: async (prisma) => {
      const stripe = await connectPayments();
      if (!stripe) return 0;
      const sent = await sendApprovedOperatorPayouts(prisma, stripe);
      return sent.paid + sent.failed;
    },
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
