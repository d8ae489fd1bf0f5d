// The alerts of /admin, each one SQL aggregate: withdrawals waiting for review, rigs
// delivering below DELIVERY_FLAG_BPS over the last ALERT_WINDOW_DAYS days (as the operator's
// analytics and the payout run count it: reported hashrate capped at nominal, over the days
// reported), payout runs that failed or whose reconciliation does not add up, ledger
// reconciliation runs that found mismatches, and the audit chain's state.
import type { PrismaClient } from "../db/client";
import type { Asset } from "../generated/prisma/enums";
import { failedReconciliationsSince, latestReconciliation, type ReconciliationRunView } from "../ledger/reconciliation";
import { DELIVERY_FLAG_BPS, yesterdayUtc } from "../operator/analytics";
import { DAY_MS } from "../shared/days";
import { auditChainState, type AuditChainState } from "./audit-log";

export const ALERT_WINDOW_DAYS = 7;
export const RUN_ALERT_DAYS = 30;

export interface UnderDeliveringRig {
  rigId: string;
  model: string;
  serialNumber: string;
  operatorId: string;
  operatorEmail: string;
  nominalHashrateHs: bigint;
  daysReported: number;
  deliveryBps: number;
}

export interface ProblemRun {
  id: string;
  day: Date;
  status: string;
  error: string | null;
  /** Coins whose mined total differs from net + pool fees + maintenance fees + rounding. */
  mismatchedCoins: Asset[];
}

export interface AdminAlerts {
  withdrawalsWaiting: number;
  underDelivering: { total: number; worst: UnderDeliveringRig[]; from: string; to: string };
  problemRuns: { failed: number; mismatched: number; latest: ProblemRun[] };
  reconciliation: { latest: ReconciliationRunView | null; failedLastWeek: number };
  auditChain: AuditChainState;
}

const dayText = (d: Date) => d.toISOString().slice(0, 10);

export async function adminAlerts(prisma: PrismaClient, now: Date = new Date()): Promise<AdminAlerts> {
  const lastDay = yesterdayUtc(now);
  const from = dayText(new Date(lastDay.getTime() - (ALERT_WINDOW_DAYS - 1) * DAY_MS));
  const to = dayText(lastDay);
  const runsSince = new Date(now.getTime() - RUN_ALERT_DAYS * DAY_MS);

  const [withdrawalsWaiting, rigs, runCounts, runs, latest, failedLastWeek, auditChain] = await Promise.all([
    // Only those the customer confirmed by email are for an admin (lib/wallet/withdrawal-confirmation.ts).
    prisma.withdrawal.count({ where: { status: "REQUESTED", reviewRequired: true, emailConfirmedAt: { not: null } } }),
    prisma.$queryRaw<
      {
        id: string;
        model: string;
        serial_number: string;
        operator_id: string;
        email: string;
        nominal: bigint;
        days_reported: number;
        delivery_bps: number;
        total: number;
      }[]
    >`
      WITH delivered AS (
        SELECT r.id, r.model, r.serial_number, r.nominal_hashrate_hs AS nominal, f.operator_id,
               count(*)::int AS days_reported,
               div(sum(least(t.reported_hashrate_hs, r.nominal_hashrate_hs))::numeric * 10000,
                   r.nominal_hashrate_hs::numeric * count(*))::int AS delivery_bps
          FROM rig_telemetry t
          JOIN rigs r ON r.id = t.rig_id
          JOIN facilities f ON f.id = r.facility_id
         WHERE t.day BETWEEN ${from}::date AND ${to}::date AND r.status <> 'RETIRED'
         GROUP BY r.id, f.operator_id
      )
      SELECT d.id::text AS id, d.model, d.serial_number, d.operator_id::text AS operator_id, u.email, d.nominal,
             d.days_reported, d.delivery_bps, count(*) OVER ()::int AS total
        FROM delivered d JOIN users u ON u.id = d.operator_id
       WHERE d.delivery_bps < ${DELIVERY_FLAG_BPS}
       ORDER BY d.delivery_bps ASC, d.model, d.serial_number, d.id
       LIMIT 10`,
    prisma.$queryRaw<{ failed: number; mismatched: number }[]>`
      SELECT (SELECT count(*) FROM payout_runs WHERE status = 'FAILED' AND started_at >= ${runsSince})::int AS failed,
             (SELECT count(DISTINCT run_id) FROM payout_run_totals
               WHERE mined_base <> customer_net_base + pool_fees_base + maintenance_fees_base + rounding_base)::int AS mismatched`,
    prisma.$queryRaw<{ id: string; day: Date; status: string; error: string | null; coins: Asset[] | null }[]>`
      SELECT r.id::text AS id, r.day, r.status::text AS status, r.error,
             array_agg(t.coin::text ORDER BY t.coin) FILTER (WHERE t.coin IS NOT NULL) AS coins
        FROM payout_runs r
        LEFT JOIN payout_run_totals t ON t.run_id = r.id
         AND t.mined_base <> t.customer_net_base + t.pool_fees_base + t.maintenance_fees_base + t.rounding_base
       WHERE (r.status = 'FAILED' AND r.started_at >= ${runsSince}) OR t.id IS NOT NULL
       GROUP BY r.id
       ORDER BY r.started_at DESC
       LIMIT 5`,
    latestReconciliation(prisma),
    failedReconciliationsSince(prisma, new Date(now.getTime() - 7 * DAY_MS)),
    auditChainState(prisma),
  ]);

  return {
    withdrawalsWaiting,
    underDelivering: {
      from,
      to,
      total: rigs[0]?.total ?? 0,
      worst: rigs.map((r) => ({
        rigId: r.id,
        model: r.model,
        serialNumber: r.serial_number,
        operatorId: r.operator_id,
        operatorEmail: r.email,
        nominalHashrateHs: BigInt(r.nominal),
        daysReported: r.days_reported,
        deliveryBps: r.delivery_bps,
      })),
    },
    problemRuns: {
      failed: runCounts[0]?.failed ?? 0,
      mismatched: runCounts[0]?.mismatched ?? 0,
      latest: runs.map((r) => ({
        id: r.id,
        day: r.day,
        status: r.status,
        error: r.error,
        mismatchedCoins: r.coins ?? [],
      })),
    },
    reconciliation: { latest, failedLastWeek },
    auditChain,
  };
}
