// customer_payout_days is a cache of daily_payouts (sums per customer, coin and day), kept by
// statement triggers in the same transaction as the payouts. This check recomputes it from the
// payouts and lists every (customer, coin, day) where the two disagree: always empty unless
// the triggers were bypassed. For a reconciliation job or a test; it reads every payout.
import type { PrismaClient } from "../db/client";

export interface RollupDrift {
  customerId: string;
  coin: string;
  day: string;
}

export async function payoutRollupDrift(
  prisma: Pick<PrismaClient, "$queryRaw">,
  customerId: string | null = null,
): Promise<RollupDrift[]> {
  return prisma.$queryRaw<RollupDrift[]>`
    WITH actual AS (
      SELECT c.customer_id, p.coin, p.day, count(*)::int AS payouts, (count(*) FILTER (WHERE p.curtailed))::int AS curtailed,
             sum(p.allocated_hashrate_hs)::numeric AS allocated, sum(p.delivered_hashrate_hs)::numeric AS delivered,
             sum(p.gross_base) AS gross, sum(p.pool_fee_base) AS pool, sum(p.maintenance_fee_base) AS maintenance,
             sum(p.net_base) AS net, sum(p.under_delivery_credit_micro_usd)::numeric AS credit,
             sum(p.usd_value_at_receipt_micro_usd)::numeric AS usd
        FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id
       WHERE ${customerId}::uuid IS NULL OR c.customer_id = ${customerId}::uuid
       GROUP BY c.customer_id, p.coin, p.day
    ), cached AS (
      SELECT customer_id, coin, day, payouts, curtailed, allocated_hashrate_hs AS allocated, delivered_hashrate_hs AS delivered,
             gross_base AS gross, pool_fee_base AS pool, maintenance_fee_base AS maintenance, net_base AS net,
             under_delivery_credit_micro_usd AS credit, usd_value_micro_usd AS usd
        FROM customer_payout_days
       WHERE (${customerId}::uuid IS NULL OR customer_id = ${customerId}::uuid) AND payouts <> 0
    )
    SELECT COALESCE(a.customer_id, k.customer_id)::text AS "customerId", COALESCE(a.coin, k.coin)::text AS coin,
           COALESCE(a.day, k.day)::text AS day
      FROM actual a FULL JOIN cached k ON k.customer_id = a.customer_id AND k.coin = a.coin AND k.day = a.day
     WHERE (a.payouts, a.curtailed, a.allocated, a.delivered, a.gross, a.pool, a.maintenance, a.net, a.credit, a.usd)
           IS DISTINCT FROM (k.payouts, k.curtailed, k.allocated, k.delivered, k.gross, k.pool, k.maintenance, k.net, k.credit, k.usd)
     ORDER BY 1, 2, 3`;
}
