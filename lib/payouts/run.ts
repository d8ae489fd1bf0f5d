// The daily payout run (DESIGN.md "Daily payout", "Ledger"): settles one UTC day for every
// contract due that day in a fixed number of set-based statements, whatever the number of
// contracts. The arithmetic is formula.ts's, written in SQL numeric with explicit rounding
// (div() is exact integer division; every operand is >= 0, so it is floor; ceil is
// div(a + b - 1, b)). lib/payouts/run.test.ts proves SQL == formula.ts figure by figure.
//
// Per day, in one transaction (after the run row is committed as RUNNING):
//  1. one payout run at a time: a transaction-scoped advisory lock (run.ts is the only writer
//     of daily_payouts). A second run started meanwhile waits, then its statements see the
//     first one's committed payouts and settle only what is still missing (NOT EXISTS), and
//     two runs never take row locks on the same ledger accounts in different orders. The
//     unique (contract_id, day) stays the last word on exactly-once: were a payout ever
//     inserted twice, the run would fail and roll back whole, never pay twice. (No ON CONFLICT:
//     under the lock it could never fire, and its speculative insertion costs an index probe
//     and a WAL record per payout);
//  2. the contracts due are fixed in a temporary table (freezeDueSql), and the ledger accounts
//     they need are created (set-based, ON CONFLICT DO NOTHING);
//  3. one statement: payouts INSERT ... SELECT ... RETURNING, and from
//     exactly the returned rows the journals, ALL their postings (one INSERT, so the postings
//     trigger checks every journal once) and the run's totals per coin;
//  4. contracts whose last day this was become COMPLETED and their LIVE allocations RELEASED;
//  5. the run row becomes COMPLETED with its counts, and one audit line records the totals.
// A failure rolls all of that back and marks the run FAILED with the error.
//
// Decisions:
//  - Due contracts: ACTIVE, or COMPLETED with the day in their term (a late re-run), with
//    start_day <= day <= end_day. Only a day that has ended (UTC) can be settled.
//  - Allocated H: the allocations in force when the day ended (created before its end and not
//    released before it). Settled right after the day that is exactly the LIVE allocations;
//    settled late it still counts what the contract held that day, also after a rig move or
//    after completion released them. (Rows written by hand need a realistic created_at.)
//  - A network snapshot held for an admin's review (fetched figures that moved more than the
//    threshold, lib/network/live/review.ts) counts as none until approved (NETWORK_SNAPSHOT_HELD).
//  - No network snapshot for a coin-day: its contracts are left unsettled and reported (no
//    guess); so is a due contract without allocations. Catch-up retries such days.
//  - Journals per payout: PAYOUT (coin) MINING_CLEARING -gross, customer +net, POOL_FEES +pool
//    fee, the operator's coin payable (OPERATOR_PAYABLE in the coin) +maintenance fee: the
//    operator pays the electricity and hosting it is for, the platform keeps no share of it
//    (its revenue is the fee on contract sales; lib/payouts/README.md);
//    UNDER_DELIVERY_CREDIT (USD) operator payable -credit, customer +credit. Both reference
//    ('daily_payout', payout id); journal_id / credit_journal_id on the payout point to them.
//    Zero amounts are not posted: a curtailed or zero-delivery day has no PAYOUT journal.
//  - Rounding: net + pool fee + maintenance fee = gross exactly for every payout (a CHECK on
//    daily_payouts), so the run's rounding is 0; it is still computed and stored per coin.
//  - Computed and posted figures: a payout stores the day's computed G, Fp and M
//    (computed_*_base, also on a curtailed day) beside the posted ones (gross/pool/maintenance/
//    net_base, 0 on a curtailed day); CHECKs tie both to the curtailment decision.
//  - Per-allocation inputs (allocation, rig, alloc, nominal, rep, telemetry, accepted work,
//    source, delivered) go to daily_payout_allocations in the same statement, keyed by the
//    payout id the statement draws from the sequence.
//  - Run totals also store what the postings credited to operators' coin payables (read back
//    from the inserted postings; equals the maintenance fees) and the would-be gross of the
//    curtailed days.
//  - A run's totals cover what that run inserted; a re-run of a settled day totals nothing.
import { appendAudit, recordAudit } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";
import { retryOnDeadlock } from "../db/errors";
import { Prisma } from "../generated/prisma/client";
import type { Asset } from "../generated/prisma/enums";
import { recordPayoutRun } from "../observability/metrics";
import { DAY_MS, dayText, parseDay, startOfUtcDay } from "../shared/days";

/** The advisory lock a payout run holds; telemetry writes take it shared (lib/operator/telemetry.ts). */
export const PAYOUT_RUN_LOCK = 0x48504159; // "HPAY"
const RUN_WORK_MEM = "256MB";

export type UnsettledReason = "NO_NETWORK_SNAPSHOT" | "NETWORK_SNAPSHOT_HELD" | "NO_ALLOCATION";

export interface CoinTotals {
  coin: Asset;
  contractsSettled: number;
  contractsCurtailed: number;
  minedBase: bigint;
  customerNetBase: bigint;
  poolFeesBase: bigint;
  maintenanceFeesBase: bigint;
  /** mined - customer net - pool fees - maintenance fees; 0 with this formula (see below). */
  roundingBase: bigint;
  underDeliveryCreditMicroUsd: bigint;
  /** Maintenance fees the postings credited to the operators' coin payables; = maintenanceFeesBase (platform share 0). */
  operatorMaintenanceBase: bigint;
  /** What the curtailed days would have mined (their computed gross; nothing was posted). */
  curtailedGrossBase: bigint;
}

export interface RunSummary {
  runId: string;
  /** The settled UTC day, YYYY-MM-DD. */
  day: string;
  /** Payouts this run inserted (a re-run of a settled day inserts none). */
  contractsSettled: number;
  contractsCurtailed: number;
  /** Contracts due this day that still have no payout: see `unsettled` for why. */
  contractsUnsettled: number;
  unsettled: { coin: Asset; reason: UnsettledReason; contracts: number }[];
  contractsCompleted: number;
  allocationsReleased: number;
  /** Per coin, over the payouts this run inserted (coins with none are left out). */
  totals: CoinTotals[];
  durationMs: number;
}

export interface SettleOptions {
  /** The admin who asked for the run, for the audit line; null for the scheduler and CLI. */
  actorId?: string | null;
  /** The clock: only a day that has ended can be settled. */
  now?: Date;
  /** Time limit of the run's transaction. */
  timeoutMs?: number;
}

export class PayoutDayError extends Error {}

function assertSettleable(day: Date, now: Date): void {
  if (Number.isNaN(day.getTime()) || day.getTime() % DAY_MS !== 0) {
    throw new PayoutDayError("A payout day is a UTC midnight (YYYY-MM-DD).");
  }
  // Telemetry and network data of a day are final only once it has ended; a payout is forever.
  if (day.getTime() >= startOfUtcDay(now).getTime()) {
    throw new PayoutDayError(`${dayText(day)} has not ended yet (UTC); only past days can be settled.`);
  }
}

// Contracts due on the day and not yet paid for it: ACTIVE ones, and COMPLETED ones whose term
// includes it (a day re-run after its network data arrived late).
function dueContracts(day: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    c.status IN ('ACTIVE', 'COMPLETED') AND c.start_day <= ${day} AND c.end_day >= ${day}
    AND NOT EXISTS (SELECT 1 FROM daily_payouts p WHERE p.contract_id = c.id AND p.day = ${day})`;
}

// The contracts due when the run's transaction began settling, fixed for its later statements.
// Under READ COMMITTED each statement sees what committed before it: a contract activated
// between the account creation (step 2) and the settlement (step 3) would be paid by step 3
// into accounts step 2 never created (a NOT NULL violation that fails the whole day, seen in
// the money simulation with a Stripe payment landing mid-run). Such a contract is simply due
// in the next run (catch-up), like any contract activated after the run.
// No second NOT EXISTS probe of daily_payouts per contract: under the run's lock nothing else
// writes payouts, so the frozen set has none; the status is re-checked (a cancel mid-run).
const inDueSet = Prisma.sql`c.id IN (SELECT id FROM payout_run_due) AND c.status IN ('ACTIVE', 'COMPLETED')`;

function freezeDueSql(day: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    CREATE TEMP TABLE payout_run_due ON COMMIT DROP AS
    SELECT c.id FROM contracts c WHERE ${dueContracts(day)}`;
}

// The customer's coin and USD accounts, the operator's payable and the platform's clearing,
// pool-fee and fee accounts per coin: everything step 3 posts to, created if missing.
function createAccountsSql(): Prisma.Sql {
  return Prisma.sql`
    WITH due AS (
      -- Distinct first: a customer with several contracts needs its accounts looked up once.
      SELECT DISTINCT c.coin, c.customer_id, l.operator_id
        FROM contracts c JOIN listings l ON l.id = c.listing_id
       WHERE ${inDueSet}
    ), needed AS (
      SELECT DISTINCT n.type, n.asset, n.user_id
        FROM due d
        CROSS JOIN LATERAL (VALUES
          ('USER_AVAILABLE'::account_type, d.coin, d.customer_id),
          ('USER_AVAILABLE'::account_type, 'USD'::asset, d.customer_id),
          ('OPERATOR_PAYABLE'::account_type, 'USD'::asset, d.operator_id),
          ('OPERATOR_PAYABLE'::account_type, d.coin, d.operator_id)
        ) AS n(type, asset, user_id)
       WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.type = n.type AND a.asset = n.asset AND a.user_id = n.user_id)
      UNION ALL
      SELECT t.type, c.coin, NULL::uuid
        FROM (SELECT DISTINCT coin FROM due) c
        CROSS JOIN (VALUES ('MINING_CLEARING'::account_type), ('POOL_FEES'::account_type), ('PLATFORM_FEES'::account_type)) AS t(type)
       WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.type = t.type AND a.asset = c.coin AND a.user_id IS NULL)
    )
    INSERT INTO ledger_accounts (type, asset, user_id)
    SELECT type, asset, user_id FROM needed ORDER BY type, asset, user_id
    ON CONFLICT (type, asset, user_id) DO NOTHING`;
}

interface SettledRow {
  coin: Asset;
  settled: string;
  curtailed: string;
  mined: string;
  net: string;
  pool: string;
  maintenance: string;
  credit: string;
  operator_maintenance: string;
  curtailed_gross: string;
  no_snapshot: string;
  held: string;
  no_allocation: string;
}

// Step 3 in one statement. Allocated hashrate H counts the allocations in force when the day
// ended (created before its end, not released before it): the LIVE ones for a day settled
// right after it ends, and still the right ones when a day is settled late, after a rig move
// or after the contract completed (completion releases its allocations).
// No two large intermediate results are joined with each other: each step joins one of them
// to base tables by their indexes, so even a poor row estimate cannot make the plan
// quadratic in the number of contracts (a CTE has no index to probe).
function settleSql(run: Prisma.Sql, day: Prisma.Sql, dayEnd: Prisma.Sql, dayLabel: string): Prisma.Sql {
  return Prisma.sql`
    WITH hashrate AS (
      -- Step 1: Hd = sum of floor(alloc * min(rep, nom) / nom). rep is the measured average
      -- floor(accepted_work / 86400) for a rig-day with a share-day row (it mined through the
      -- Stratum proxy), else the operator's telemetry; neither = 0 (formula.ts rigDayHashrate).
      -- Each allocation's inputs are kept as arrays (one element per allocation, in allocation
      -- id order) and written to daily_payout_allocations with the payout, without a join.
      SELECT x.contract_id, x.coin,
             sum(x.alloc_hs) AS allocated,
             sum(x.delivered_hs) AS delivered,
             -- formula.ts payoutHashrateSource.
             CASE WHEN bool_and(x.source = 'SHARES') THEN 'SHARES'
                  WHEN bool_or(x.source = 'SHARES') THEN 'MIXED'
                  WHEN bool_or(x.source = 'TELEMETRY') THEN 'TELEMETRY'
                  ELSE 'NONE' END::hashrate_source AS hashrate_source,
             array_agg(x.allocation_id ORDER BY x.allocation_id) AS a_ids,
             array_agg(x.rig_id ORDER BY x.allocation_id) AS a_rigs,
             array_agg(x.alloc_hs ORDER BY x.allocation_id) AS a_alloc,
             array_agg(x.nominal_hs ORDER BY x.allocation_id) AS a_nominal,
             array_agg(x.rep ORDER BY x.allocation_id) AS a_rep,
             array_agg(x.telemetry_hs ORDER BY x.allocation_id) AS a_telemetry,
             array_agg(x.accepted_work ORDER BY x.allocation_id) AS a_work,
             array_agg(x.source ORDER BY x.allocation_id) AS a_source,
             array_agg(x.delivered_hs ORDER BY x.allocation_id) AS a_delivered
        FROM (
          SELECT c.id AS contract_id, c.coin, a.id AS allocation_id, a.rig_id, a.hashrate_hs AS alloc_hs,
                 r.nominal_hashrate_hs AS nominal_hs, t.reported_hashrate_hs AS telemetry_hs, m.accepted_work,
                 v.rep, v.source,
                 CASE WHEN v.rep IS NULL THEN 0
                      ELSE div(a.hashrate_hs::numeric * least(v.rep, r.nominal_hashrate_hs), r.nominal_hashrate_hs)
                 END AS delivered_hs
            FROM contracts c
            JOIN allocations a ON a.contract_id = c.id
            JOIN rigs r ON r.id = a.rig_id
            LEFT JOIN rig_telemetry t ON t.rig_id = a.rig_id AND t.day = ${day}
            LEFT JOIN rig_share_days m ON m.rig_id = a.rig_id AND m.day = ${day}
            CROSS JOIN LATERAL (SELECT
              CASE WHEN m.rig_id IS NOT NULL THEN div(m.accepted_work, 86400) ELSE t.reported_hashrate_hs END AS rep,
              CASE WHEN m.rig_id IS NOT NULL THEN 'SHARES' WHEN t.rig_id IS NOT NULL THEN 'TELEMETRY' ELSE 'NONE'
              END::hashrate_source AS source) v
           WHERE ${inDueSet}
             AND a.created_at < ${dayEnd}
             AND ((a.status = 'LIVE' AND a.released_at IS NULL) OR (a.status = 'RELEASED' AND a.released_at >= ${dayEnd}))
        ) x
       GROUP BY x.contract_id, x.coin
    ), network AS (
      -- The day's network inputs per coin, and the coin-day constants of step 2 (OFFSET 0:
      -- evaluated once per coin, not once per contract).
      SELECT s.coin, k.decimals, power(10::numeric, k.decimals)::numeric(40, 0) AS scale,
             s.block_time_ms, s.block_subsidy_base, s.avg_fees_per_block_base, s.price_micro_usd,
             -- N in H/s; for difficulty-based coins floor(D * 2^32 * 1000 / T_ms).
             COALESCE(s.network_hashrate_hs, div(s.difficulty * 4294967296 * 1000, s.block_time_ms)) AS network_hs,
             86400 * (s.block_subsidy_base + s.avg_fees_per_block_base) * 1000 AS gross_numerator_per_hs,
             COALESCE(s.network_hashrate_hs, div(s.difficulty * 4294967296 * 1000, s.block_time_ms)) * s.block_time_ms AS gross_denominator
        FROM network_snapshots s JOIN coins k ON k.asset = s.coin
       WHERE s.day = ${day} AND s.review <> 'HELD'
      OFFSET 0
    ), inputs AS (
      -- Contracts with hashrate in force and a network snapshot for their coin and the day.
      SELECT h.contract_id, c.pool_fee_bps, c.maintenance_fee_micro_usd_per_unit_day AS fee, c.unit_hs,
             c.daily_price_micro_usd, h.allocated, h.delivered, h.hashrate_source, h.a_ids, h.a_rigs, h.a_alloc,
             h.a_nominal, h.a_rep, h.a_telemetry, h.a_work, h.a_source, h.a_delivered, n.*
        FROM hashrate h
        JOIN contracts c ON c.id = h.contract_id
        JOIN network n ON n.coin = c.coin
    ), mined AS (
      -- Each step below is a subquery fenced with OFFSET 0 so that its figures are computed once
      -- per contract; inlined, every later use would recompute the numeric divisions.
      SELECT i.*,
             -- Step 2 (FPPS): G = floor(Hd * 86400 * (R + F) * 1000 / (N * T_ms)).
             div(i.delivered * i.gross_numerator_per_hs, i.gross_denominator) AS gross,
             -- Step 4: M = ceil(m * Hd * 10^d / (u * P)).
             div(i.fee::numeric * i.delivered * i.scale + i.unit_hs::numeric * i.price_micro_usd - 1, i.unit_hs::numeric * i.price_micro_usd) AS maintenance,
             -- Step 6: floor((H - Hd) * dailyPrice / H) micro-USD (Hd <= H).
             div((i.allocated - i.delivered) * i.daily_price_micro_usd, i.allocated) AS credit
        FROM inputs i
      OFFSET 0
    ), fees AS (
      -- Step 3: Fp = ceil(G * bps / 10000).
      SELECT m.*, div(m.gross * m.pool_fee_bps + 9999, 10000) AS pool_fee FROM mined m OFFSET 0
    ), outcome AS (
      -- Step 5: curtailed when G - Fp < M.
      SELECT f.*, f.gross - f.pool_fee < f.maintenance AS curtailed, f.gross - f.pool_fee - f.maintenance AS net_mined
        FROM fees f
      OFFSET 0
    ), figures AS (
      -- Referenced twice (the payouts and their allocation inputs), so evaluated once per row:
      -- the payout id is drawn here and both inserts use it.
      SELECT f.*, nextval(pg_get_serial_sequence('daily_payouts', 'id')) AS payout_id,
             -- Posted figures: a curtailed day mines nothing, so no gross, no pool or
             -- maintenance fee, no net is posted. The computed ones (gross, pool_fee,
             -- maintenance) are stored as they are: the figures of the decision.
             CASE WHEN f.curtailed THEN 0 ELSE f.gross END AS gross_paid,
             CASE WHEN f.curtailed THEN 0 ELSE f.pool_fee END AS pool_fee_paid,
             CASE WHEN f.curtailed THEN 0 ELSE f.maintenance END AS maintenance_paid,
             CASE WHEN f.curtailed THEN 0 ELSE f.net_mined END AS net,
             -- Step 7: USD value at receipt floor(net * P / 10^d).
             CASE WHEN f.curtailed THEN 0 ELSE div(f.net_mined * f.price_micro_usd, f.scale) END AS usd_value,
             CASE WHEN NOT f.curtailed AND f.gross > 0 THEN gen_random_uuid() END AS journal_id,
             CASE WHEN f.credit > 0 THEN gen_random_uuid() END AS credit_journal_id
        FROM outcome f
    ), inserted AS (
      INSERT INTO daily_payouts (
        id, run_id, contract_id, day, coin, allocated_hashrate_hs, delivered_hashrate_hs, network_hashrate_hs,
        block_time_ms, block_subsidy_base, avg_fees_per_block_base, price_micro_usd, decimals, pool_fee_bps,
        maintenance_fee_micro_usd_per_unit_day, unit_hs, daily_price_micro_usd, computed_gross_base,
        computed_pool_fee_base, computed_maintenance_fee_base, gross_base, pool_fee_base,
        maintenance_fee_base, net_base, curtailed, hashrate_source, under_delivery_credit_micro_usd,
        usd_value_at_receipt_micro_usd, journal_id, credit_journal_id)
      SELECT payout_id, ${run}, contract_id, ${day}, coin, allocated::bigint, delivered::bigint, network_hs,
             block_time_ms, block_subsidy_base, avg_fees_per_block_base, price_micro_usd, decimals, pool_fee_bps,
             fee, unit_hs, daily_price_micro_usd, gross, pool_fee, maintenance, gross_paid, pool_fee_paid,
             maintenance_paid, net, curtailed, hashrate_source, credit::bigint, usd_value::bigint,
             journal_id, credit_journal_id
        FROM figures
      RETURNING id, contract_id, coin, gross_base, pool_fee_base, maintenance_fee_base, net_base, curtailed,
                computed_gross_base, under_delivery_credit_micro_usd, journal_id, credit_journal_id
    ), allocation_inputs AS (
      -- Step 1's inputs of each payout, one row per allocation, from the arrays of its own row.
      INSERT INTO daily_payout_allocations (payout_id, allocation_id, rig_id, allocated_hashrate_hs, nominal_hashrate_hs,
                                            reported_hashrate_hs, telemetry_hashrate_hs, accepted_work, source,
                                            delivered_hashrate_hs)
      SELECT f.payout_id, u.allocation_id, u.rig_id, u.alloc, u.nominal, u.rep, u.telemetry, u.work, u.source, u.delivered
        FROM figures f
        CROSS JOIN LATERAL unnest(f.a_ids, f.a_rigs, f.a_alloc, f.a_nominal, f.a_rep, f.a_telemetry, f.a_work,
                                  f.a_source, f.a_delivered)
                     AS u(allocation_id, rig_id, alloc, nominal, rep, telemetry, work, source, delivered)
    ), journals AS (
      INSERT INTO journal_transactions (id, kind, description, reference_type, reference_id)
      SELECT journal_id, 'PAYOUT'::journal_kind, 'Payout for ' || ${dayLabel} || ', contract ' || contract_id, 'daily_payout', id::text
        FROM inserted WHERE journal_id IS NOT NULL
      UNION ALL
      SELECT credit_journal_id, 'UNDER_DELIVERY_CREDIT'::journal_kind, 'Under-delivery credit for ' || ${dayLabel} || ', contract ' || contract_id,
             'daily_payout', id::text
        FROM inserted WHERE credit_journal_id IS NOT NULL
    ), platform AS (
      SELECT asset AS coin,
             (array_agg(id) FILTER (WHERE type = 'MINING_CLEARING'))[1] AS clearing_id,
             (array_agg(id) FILTER (WHERE type = 'POOL_FEES'))[1] AS pool_fees_id
        FROM ledger_accounts
       WHERE user_id IS NULL AND type IN ('MINING_CLEARING', 'POOL_FEES')
       GROUP BY asset
    ), posted AS (
      -- Every posting of every journal of the run in one INSERT; zero amounts are not posted.
      -- A missing account would leave account_id NULL, which the NOT NULL constraint refuses.
      -- The maintenance fee goes to the operator's payable in the coin (OPERATOR_PAYABLE, coin):
      -- the operator pays the electricity and hosting it is for; the platform keeps no share of it.
      INSERT INTO postings (journal_id, account_id, asset, amount)
      SELECT x.journal_id, x.account_id, x.asset, x.amount
        FROM inserted i
        JOIN contracts c ON c.id = i.contract_id
        JOIN listings l ON l.id = c.listing_id
        LEFT JOIN platform pa ON pa.coin = i.coin
        LEFT JOIN ledger_accounts customer_coin
          ON customer_coin.type = 'USER_AVAILABLE' AND customer_coin.asset = i.coin AND customer_coin.user_id = c.customer_id
        LEFT JOIN ledger_accounts customer_usd
          ON customer_usd.type = 'USER_AVAILABLE' AND customer_usd.asset = 'USD' AND customer_usd.user_id = c.customer_id
        LEFT JOIN ledger_accounts operator_payable
          ON operator_payable.type = 'OPERATOR_PAYABLE' AND operator_payable.asset = 'USD' AND operator_payable.user_id = l.operator_id
        LEFT JOIN ledger_accounts operator_coin
          ON operator_coin.type = 'OPERATOR_PAYABLE' AND operator_coin.asset = i.coin AND operator_coin.user_id = l.operator_id
        CROSS JOIN LATERAL (VALUES
          (i.journal_id, pa.clearing_id, i.coin, -i.gross_base),
          (i.journal_id, customer_coin.id, i.coin, i.net_base),
          (i.journal_id, pa.pool_fees_id, i.coin, i.pool_fee_base),
          (i.journal_id, operator_coin.id, i.coin, i.maintenance_fee_base),
          (i.credit_journal_id, operator_payable.id, 'USD'::asset, -i.under_delivery_credit_micro_usd::numeric),
          (i.credit_journal_id, customer_usd.id, 'USD'::asset, i.under_delivery_credit_micro_usd::numeric)
        ) AS x(journal_id, account_id, asset, amount)
       WHERE x.amount <> 0
      RETURNING account_id, asset, amount
    ), operator_maintenance AS (
      -- What the postings actually credited to operators' coin payables (the run's only
      -- postings to them), read back to reconcile with the maintenance fees.
      SELECT p.asset AS coin, sum(p.amount) AS amount
        FROM posted p
       WHERE p.asset <> 'USD'
         AND p.account_id IN (SELECT id FROM ledger_accounts WHERE type = 'OPERATOR_PAYABLE' AND asset <> 'USD')
       GROUP BY p.asset
    ), inserted_by_coin AS (
      SELECT coin, count(*) AS settled, count(*) FILTER (WHERE curtailed) AS curtailed, sum(gross_base) AS mined,
             sum(net_base) AS net, sum(pool_fee_base) AS pool, sum(maintenance_fee_base) AS maintenance,
             sum(under_delivery_credit_micro_usd) AS credit,
             COALESCE(sum(computed_gross_base) FILTER (WHERE curtailed), 0) AS curtailed_gross
        FROM inserted GROUP BY coin
    ), totals AS (
      INSERT INTO payout_run_totals (run_id, coin, mined_base, customer_net_base, pool_fees_base, maintenance_fees_base,
                                     rounding_base, under_delivery_credit_micro_usd, operator_maintenance_base,
                                     curtailed_gross_base)
      SELECT ${run}, i.coin, i.mined, i.net, i.pool, i.maintenance, i.mined - i.net - i.pool - i.maintenance,
             i.credit::bigint, COALESCE(o.amount, 0), i.curtailed_gross
        FROM inserted_by_coin i LEFT JOIN operator_maintenance o ON o.coin = i.coin
    ), due_by_coin AS (
      -- Due contracts the run could not settle, by counting: all due ones of a coin without a
      -- snapshot; with a snapshot, the due ones without hashrate in force.
      SELECT c.coin, count(*) AS due,
             EXISTS (SELECT 1 FROM network_snapshots s WHERE s.coin = c.coin AND s.day = ${day}) AS has_snapshot,
             EXISTS (SELECT 1 FROM network_snapshots s WHERE s.coin = c.coin AND s.day = ${day} AND s.review = 'HELD') AS held
        FROM contracts c
       WHERE ${inDueSet}
       GROUP BY c.coin
    ), hashrate_by_coin AS (
      SELECT coin, count(*) AS n FROM hashrate GROUP BY coin
    )
    SELECT d.coin::text AS coin,
           COALESCE(i.settled, 0)::text AS settled,
           COALESCE(i.curtailed, 0)::text AS curtailed,
           COALESCE(i.mined, 0)::text AS mined,
           COALESCE(i.net, 0)::text AS net,
           COALESCE(i.pool, 0)::text AS pool,
           COALESCE(i.maintenance, 0)::text AS maintenance,
           COALESCE(i.credit, 0)::text AS credit,
           COALESCE(o.amount, 0)::text AS operator_maintenance,
           COALESCE(i.curtailed_gross, 0)::text AS curtailed_gross,
           (CASE WHEN d.has_snapshot THEN 0 ELSE d.due END)::text AS no_snapshot,
           (CASE WHEN d.held THEN d.due ELSE 0 END)::text AS held,
           (CASE WHEN d.has_snapshot AND NOT d.held THEN d.due - COALESCE(h.n, 0) ELSE 0 END)::text AS no_allocation
      FROM due_by_coin d
      LEFT JOIN hashrate_by_coin h ON h.coin = d.coin
      LEFT JOIN inserted_by_coin i ON i.coin = d.coin
      LEFT JOIN operator_maintenance o ON o.coin = d.coin
     ORDER BY d.coin`;
}

// Step 4: a contract whose last day is now paid completes; its capacity is freed.
function completeSql(day: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH ending AS MATERIALIZED (
      -- The few contracts ending today first, then their payouts by the unique index; planned
      -- the other way round (from the day's payouts, whose statistics predate the run) it
      -- would probe contracts once per payout.
      SELECT id FROM contracts WHERE status = 'ACTIVE' AND end_day = ${day}
    ), completed AS (
      UPDATE contracts c SET status = 'COMPLETED', updated_at = now()
        FROM ending e
       WHERE c.id = e.id AND c.status = 'ACTIVE' AND c.end_day = ${day}
         AND EXISTS (SELECT 1 FROM daily_payouts p WHERE p.contract_id = c.id AND p.day = ${day})
      RETURNING c.id
    ), released AS (
      UPDATE allocations a SET status = 'RELEASED', released_at = now()
        FROM completed
       WHERE a.contract_id = completed.id AND a.status = 'LIVE'
      RETURNING a.id
    )
    SELECT (SELECT count(*) FROM completed)::text AS completed, (SELECT count(*) FROM released)::text AS released`;
}

// Tables whose row estimates the run's plan depends on. PGlite has no autovacuum, and on
// PostgreSQL a run right after a bulk change (an import, a migration) would otherwise plan
// with stale statistics. A table is re-analysed when it never was or has grown by over 20 %
// since; ANALYZE reads a bounded sample, so this stays cheap at any size.
const PLANNED_TABLES = [
  "contracts",
  "listings",
  "allocations",
  "rigs",
  "rig_telemetry",
  "rig_share_days",
  "network_snapshots",
  "ledger_accounts",
  "daily_payouts",
];

async function refreshPlannerStatistics(prisma: PrismaClient): Promise<void> {
  const stale = await prisma.$queryRaw<{ relname: string }[]>`
    SELECT c.relname::text AS relname FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname = ANY(${PLANNED_TABLES}::text[])
       AND (c.reltuples < 0 OR pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 8)
     ORDER BY c.relname`;
  const names = stale.map((r) => r.relname).filter((name) => PLANNED_TABLES.includes(name));
  if (names.length > 0) await prisma.$executeRawUnsafe(`ANALYZE ${names.map((name) => `"${name}"`).join(", ")}`);
}

function toTotals(rows: SettledRow[]): CoinTotals[] {
  return rows
    .filter((r) => Number(r.settled) > 0)
    .map((r) => {
      const mined = BigInt(r.mined);
      const net = BigInt(r.net);
      const pool = BigInt(r.pool);
      const maintenance = BigInt(r.maintenance);
      return {
        coin: r.coin,
        contractsSettled: Number(r.settled),
        contractsCurtailed: Number(r.curtailed),
        minedBase: mined,
        customerNetBase: net,
        poolFeesBase: pool,
        maintenanceFeesBase: maintenance,
        roundingBase: mined - net - pool - maintenance,
        underDeliveryCreditMicroUsd: BigInt(r.credit),
        operatorMaintenanceBase: BigInt(r.operator_maintenance),
        curtailedGrossBase: BigInt(r.curtailed_gross),
      };
    });
}

async function settleInTransaction(tx: Tx, runId: string, day: Date, actorId: string | null) {
  const label = dayText(day);
  const daySql = Prisma.sql`${label}::date`;
  const dayEnd = Prisma.sql`((${label}::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  const run = Prisma.sql`${runId}::uuid`;

  // work_mem for this transaction only: the run's sorts and hashes over every due contract
  // stay in memory instead of spilling to disk (4 MB, the default, spills from ~50,000 contracts).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PAYOUT_RUN_LOCK}), set_config('work_mem', ${RUN_WORK_MEM}, true)`;
  await tx.$executeRaw(freezeDueSql(daySql));
  await tx.$executeRaw`ANALYZE payout_run_due`; // a fresh temp table has no statistics
  await tx.$executeRaw(createAccountsSql());
  const rows = await tx.$queryRaw<SettledRow[]>(settleSql(run, daySql, dayEnd, label));
  const [done] = await tx.$queryRaw<{ completed: string; released: string }[]>(completeSql(daySql));

  const totals = toTotals(rows);
  const unsettled = rows.flatMap((r) =>
    (
      [
        ["NO_NETWORK_SNAPSHOT", Number(r.no_snapshot)],
        ["NETWORK_SNAPSHOT_HELD", Number(r.held)],
        ["NO_ALLOCATION", Number(r.no_allocation)],
      ] as const
    )
      .filter(([, contracts]) => contracts > 0)
      .map(([reason, contracts]) => ({ coin: r.coin, reason, contracts })),
  );
  const contractsSettled = totals.reduce((s, t) => s + t.contractsSettled, 0);
  const contractsCurtailed = totals.reduce((s, t) => s + t.contractsCurtailed, 0);
  const contractsUnsettled = unsettled.reduce((s, u) => s + u.contracts, 0);
  const contractsCompleted = Number(done?.completed ?? 0);
  const allocationsReleased = Number(done?.released ?? 0);

  await tx.payoutRun.update({
    where: { id: runId },
    data: { status: "COMPLETED", contractsSettled, contractsUnsettled, finishedAt: new Date() },
  });
  await appendAudit(tx, {
    actorId,
    action: "payout.run",
    entityType: "payout_run",
    entityId: runId,
    details: {
      day: label,
      contractsSettled,
      contractsCurtailed,
      contractsUnsettled,
      contractsCompleted,
      allocationsReleased,
      unsettled: unsettled.map((u) => ({ ...u })),
      totals: totals.map((t) => ({
        coin: t.coin,
        contractsSettled: t.contractsSettled,
        contractsCurtailed: t.contractsCurtailed,
        minedBase: t.minedBase.toString(),
        customerNetBase: t.customerNetBase.toString(),
        poolFeesBase: t.poolFeesBase.toString(),
        maintenanceFeesBase: t.maintenanceFeesBase.toString(),
        roundingBase: t.roundingBase.toString(),
        underDeliveryCreditMicroUsd: t.underDeliveryCreditMicroUsd.toString(),
        operatorMaintenanceBase: t.operatorMaintenanceBase.toString(),
        curtailedGrossBase: t.curtailedGrossBase.toString(),
      })),
    },
  });
  return {
    contractsSettled,
    contractsCurtailed,
    contractsUnsettled,
    unsettled,
    contractsCompleted,
    allocationsReleased,
    totals,
  };
}

/**
 * Settles one UTC day (a Date at UTC midnight that has ended). Safe to repeat and to run
 * concurrently: each contract-day is paid once. Throws PayoutDayError for a day that cannot
 * be settled yet; any other failure marks the run FAILED and is rethrown.
 */
export async function settleDay(prisma: PrismaClient, day: Date, options: SettleOptions = {}): Promise<RunSummary> {
  const started = Date.now();
  assertSettleable(day, options.now ?? new Date());
  const actorId = options.actorId ?? null;
  await failInterruptedRuns(prisma);
  const run = await prisma.payoutRun.create({ data: { day, status: "RUNNING" }, select: { id: true } });
  try {
    // A purchase or withdrawal can hold a customer's account while the run waits for it and
    // the other way round; PostgreSQL then gives one of them up. Nothing was written: retry.
    const result = await retryOnDeadlock(async () => {
      await refreshPlannerStatistics(prisma);
      return prisma.$transaction((tx) => settleInTransaction(tx, run.id, day, actorId), {
        timeout: options.timeoutMs ?? 30 * 60_000,
        maxWait: 60_000,
      });
    });
    const summary = { runId: run.id, day: dayText(day), ...result, durationMs: Date.now() - started };
    recordPayoutRun(summary.durationMs, summary.contractsSettled);
    return summary;
  } catch (error) {
    await markFailed(prisma, run.id, dayText(day), actorId, error);
    throw error;
  }
}

/** A run row RUNNING for this long while no run holds the lock belongs to a process that died. */
export const INTERRUPTED_AFTER_MS = 10 * 60_000;

/**
 * A run whose process died (killed, machine lost) leaves its row RUNNING: its transaction rolled
 * back, so nothing else of it exists. Marks such rows FAILED, each with an audit line. Only when
 * no run holds the run lock (a live run holds it through its whole transaction, and a run
 * waiting for it means someone holds it) and the row is older than INTERRUPTED_AFTER_MS (a
 * run's row is committed a moment before its transaction takes the lock). Returns the ids.
 */
export async function failInterruptedRuns(prisma: PrismaClient): Promise<string[]> {
  return prisma.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<
      { free: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(${PAYOUT_RUN_LOCK}) AS free`;
    if (!lock?.free) return [];
    const message =
      "Interrupted: the process running it stopped before it finished; nothing of it was written. Run the day again.";
    const stale = await tx.$queryRaw<{ id: string; day: string }[]>`
      UPDATE payout_runs SET status = 'FAILED', error = ${message}, finished_at = now()
       WHERE status = 'RUNNING' AND started_at < now() - make_interval(secs => ${INTERRUPTED_AFTER_MS / 1000})
      RETURNING id::text, day::text`;
    for (const row of stale) {
      await appendAudit(tx, {
        actorId: null,
        action: "payout.run_failed",
        entityType: "payout_run",
        entityId: row.id,
        details: { day: row.day, error: message },
      });
    }
    return stale.map((row) => row.id);
  });
}

async function markFailed(prisma: PrismaClient, runId: string, day: string, actorId: string | null, error: unknown) {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 4000);
  try {
    await prisma.payoutRun.update({
      where: { id: runId },
      data: { status: "FAILED", error: message, finishedAt: new Date() },
    });
    await recordAudit(prisma, {
      actorId,
      action: "payout.run_failed",
      entityType: "payout_run",
      entityId: runId,
      details: { day, error: message },
    });
  } catch {
    // The database itself is failing; the run row stays RUNNING and the caller sees the error.
  }
}

/**
 * The days up to `upTo` that may still have unpaid contract-days, oldest first: from the
 * earliest start of an ACTIVE contract (or the earliest day a run left contracts unsettled),
 * every day some contract's term covers, except the days a completed run settled fully.
 * Once a day has begun no contract can become due on it (contracts start the day after
 * activation), so a run that left nothing unsettled settled that day for good.
 */
export async function unsettledDays(prisma: PrismaClient, upTo: Date): Promise<Date[]> {
  const rows = await prisma.$queryRaw<{ day: string }[]>`
    WITH bounds AS (
      SELECT least(
        (SELECT min(start_day) FROM contracts WHERE status = 'ACTIVE'),
        (SELECT min(day) FROM payout_runs WHERE status = 'COMPLETED' AND contracts_unsettled > 0)
      ) AS first_day
    )
    SELECT d::date::text AS day
      FROM bounds, generate_series(bounds.first_day, ${dayText(upTo)}::date, interval '1 day') AS d
     WHERE NOT EXISTS (SELECT 1 FROM payout_runs r WHERE r.day = d::date AND r.status = 'COMPLETED' AND r.contracts_unsettled = 0)
       AND EXISTS (SELECT 1 FROM contracts c
                    WHERE c.status IN ('ACTIVE', 'COMPLETED') AND c.start_day <= d::date AND c.end_day >= d::date)
     ORDER BY 1`;
  return rows.map((r) => parseDay(r.day)!);
}

/**
 * Catch-up: settles every day up to `upTo` (default yesterday, UTC) that may have unpaid
 * contract-days, oldest first, one run per day. Stops at the first failing day.
 */
export async function settleUnsettledDays(
  prisma: PrismaClient,
  options: SettleOptions & { upTo?: Date; onSettled?: (summary: RunSummary) => void } = {},
): Promise<RunSummary[]> {
  const now = options.now ?? new Date();
  const yesterday = new Date(startOfUtcDay(now).getTime() - DAY_MS);
  const upTo = options.upTo && options.upTo.getTime() < yesterday.getTime() ? options.upTo : yesterday;
  const summaries: RunSummary[] = [];
  for (const day of await unsettledDays(prisma, upTo)) {
    const summary = await settleDay(prisma, day, { ...options, now });
    summaries.push(summary);
    options.onSettled?.(summary);
  }
  return summaries;
}
