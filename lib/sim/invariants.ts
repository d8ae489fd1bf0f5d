// The money invariants a simulation run must leave intact, each one SQL over the whole
// database (plus the audit chain walk that `npm run audit:verify` does). Each check says
// "ok" or "FAIL" with a detail naming what broke; none of them trusts the code under test,
// only the rows it wrote.
import { sealAuditLog, verifyAuditChain } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { MAIL_MAX_ATTEMPTS } from "../mail/sender";
import { NOTIFICATION_KINDS } from "../notifications/kinds";

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface InvariantContext {
  /** Stripe event ids the webhook acknowledged during the run (each must be stored exactly once). */
  ackedEventIds?: Iterable<string>;
  /**
   * What the SMTP server accepted (Message-IDs, `<outbox id@domain>`), after the outbox was
   * drained, and how many sends a kill interrupted (each may have been accepted and not yet
   * marked SENT: the one window in which the same message goes twice, with the same Message-ID).
   */
  mail?: { deliveredIds: string[]; interruptedSends: number };
}

type Row = Record<string, unknown>;

function describeRows(rows: Row[], limit = 3): string {
  return rows
    .slice(0, limit)
    .map((r) =>
      Object.entries(r)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(" "),
    )
    .join("; ");
}

async function check(name: string, okDetail: string, query: () => Promise<Row[]>): Promise<InvariantResult> {
  const rows = await query();
  if (rows.length === 0) return { name, ok: true, detail: okDetail };
  return { name, ok: false, detail: `${rows.length} violation(s): ${describeRows(rows)}` };
}

/** Rows of a table, for the "ok" line (a constant table name, never input). */
async function count(prisma: PrismaClient, table: string): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

export async function checkInvariants(
  prisma: PrismaClient,
  context: InvariantContext = {},
): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  const journals = await count(prisma, "journal_transactions");

  results.push(
    await check(
      "journals-balance",
      `${journals} journals, each sums to zero per asset and has >= 2 postings`,
      () =>
        prisma.$queryRaw<Row[]>`
        SELECT j.id AS journal, p.asset::text AS asset, COALESCE(sum(p.amount), 0)::text AS sum, count(p.id)::int AS postings
          FROM journal_transactions j LEFT JOIN postings p ON p.journal_id = j.id
         GROUP BY j.id, p.asset
        HAVING COALESCE(sum(p.amount), 0) <> 0
            OR j.id IN (SELECT journal_id FROM postings GROUP BY journal_id HAVING count(*) < 2)
            OR count(p.id) = 0
         LIMIT 50`,
    ),
  );

  results.push(
    await check(
      "no-negative-user-balance",
      "no user available or held balance below zero (cached or from postings)",
      () =>
        prisma.$queryRaw<Row[]>`
        SELECT a.id AS account, a.type::text AS type, a.asset::text AS asset, a.balance::text AS cached,
               COALESCE((SELECT sum(p.amount) FROM postings p WHERE p.account_id = a.id), 0)::text AS postings
          FROM ledger_accounts a
         WHERE a.type IN ('USER_AVAILABLE', 'USER_HELD')
           AND (a.balance < 0 OR COALESCE((SELECT sum(p.amount) FROM postings p WHERE p.account_id = a.id), 0) < 0)
         LIMIT 50`,
    ),
  );

  // Operator payouts (lib/operator/payouts.ts): each holds once; an open one is neither paid nor
  // returned, a paid one was paid once and not returned, a failed or rejected one returned once.
  const operatorPayouts = await count(prisma, "operator_payouts");
  results.push(
    await check(
      "operator-payout-holds",
      `${operatorPayouts} operator payouts, each held once and then paid or returned at most once as its state says`,
      () =>
        prisma.$queryRaw<Row[]>`
        SELECT o.id AS payout, o.status::text AS status, k.requests, k.paid, k.returned
          FROM operator_payouts o
          CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE j.kind = 'OPERATOR_PAYOUT_REQUEST')::int AS requests,
                   count(*) FILTER (WHERE j.kind = 'OPERATOR_PAYOUT_PAID')::int AS paid,
                   count(*) FILTER (WHERE j.kind = 'OPERATOR_PAYOUT_RETURN')::int AS returned
              FROM journal_transactions j
             WHERE j.reference_type = 'operator_payout' AND j.reference_id = o.id::text) k
         WHERE k.requests <> 1
            OR (o.status IN ('IN_REVIEW', 'APPROVED') AND (k.paid, k.returned) <> (0, 0))
            OR (o.status = 'PAID' AND (k.paid, k.returned) <> (1, 0))
            OR (o.status IN ('FAILED', 'REJECTED') AND (k.paid, k.returned) <> (0, 1))
         LIMIT 50`,
    ),
  );

  const rigs = await count(prisma, "rigs");
  results.push(
    await check(
      "no-rig-oversold",
      `${rigs} rigs, reserved + live allocations <= nominal on each`,
      () =>
        prisma.$queryRaw<Row[]>`
        SELECT r.id AS rig, r.nominal_hashrate_hs::text AS nominal, sum(a.hashrate_hs)::text AS allocated
          FROM rigs r JOIN allocations a ON a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')
         GROUP BY r.id HAVING sum(a.hashrate_hs) > r.nominal_hashrate_hs
         LIMIT 50`,
    ),
  );

  results.push(
    await check(
      "allocations-match-contracts",
      "live/reserved allocations belong to active/pending contracts and sum to their hashrate",
      () =>
        prisma.$queryRaw<Row[]>`
        SELECT c.id AS contract, c.status::text AS status, c.hashrate_hs::text AS hashrate,
               COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status = 'LIVE'), 0)::text AS live,
               COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status = 'RESERVED'), 0)::text AS reserved
          FROM contracts c LEFT JOIN allocations a ON a.contract_id = c.id
         GROUP BY c.id
        HAVING (c.status = 'ACTIVE' AND (COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status = 'LIVE'), 0) <> c.hashrate_hs
                                         OR count(*) FILTER (WHERE a.status = 'RESERVED') > 0))
            OR (c.status = 'PENDING_PAYMENT' AND (COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status = 'RESERVED'), 0) <> c.hashrate_hs
                                                  OR count(*) FILTER (WHERE a.status = 'LIVE') > 0))
            OR (c.status IN ('EXPIRED', 'CANCELLED', 'COMPLETED') AND count(*) FILTER (WHERE a.status IN ('RESERVED', 'LIVE')) > 0)
         LIMIT 50`,
    ),
  );

  const payouts = await count(prisma, "daily_payouts");
  results.push(
    await check(
      "one-payout-per-contract-day",
      `${payouts} payouts: one per contract-day, inside the term, one journal each`,
      () =>
        prisma.$queryRaw<Row[]>`
        SELECT 'duplicate' AS problem, contract_id::text AS contract, day::text AS day, count(*)::int AS n
          FROM daily_payouts GROUP BY contract_id, day HAVING count(*) > 1
        UNION ALL
        SELECT 'outside term', p.contract_id::text, p.day::text, 1
          FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id
         WHERE c.start_day IS NULL OR p.day < c.start_day OR p.day > c.end_day
        UNION ALL
        SELECT 'payout journals', j.reference_id, j.kind::text, count(*)::int
          FROM journal_transactions j
         WHERE j.kind IN ('PAYOUT', 'UNDER_DELIVERY_CREDIT') AND j.reference_type = 'daily_payout'
         GROUP BY j.reference_id, j.kind HAVING count(*) > 1
        UNION ALL
        SELECT 'net without journal', p.id::text, p.day::text, 1
          FROM daily_payouts p WHERE p.net_base > 0 AND p.journal_id IS NULL
        UNION ALL
        SELECT 'credit without journal', p.id::text, p.day::text, 1
          FROM daily_payouts p WHERE p.under_delivery_credit_micro_usd > 0 AND p.credit_journal_id IS NULL
        UNION ALL
        SELECT 'journal without payout', j.reference_id, j.kind::text, 1
          FROM journal_transactions j
         WHERE j.kind IN ('PAYOUT', 'UNDER_DELIVERY_CREDIT')
           AND NOT EXISTS (SELECT 1 FROM daily_payouts p WHERE p.journal_id = j.id OR p.credit_journal_id = j.id)
         LIMIT 50`,
    ),
  );

  const acked = [...new Set(context.ackedEventIds ?? [])];
  const events = await count(prisma, "stripe_events");
  results.push(
    await check(
      "stripe-events-once",
      `${events} events stored, ${acked.length} acknowledged ids all among them; one payment journal per contract`,
      () =>
        prisma.$queryRaw<Row[]>`
        SELECT 'acknowledged but not stored' AS problem, e.id AS ref, 0 AS n
          FROM unnest(${acked}::text[]) AS e(id) WHERE NOT EXISTS (SELECT 1 FROM stripe_events s WHERE s.id = e.id)
        UNION ALL
        SELECT 'payment journals per contract', reference_id, count(*)::int
          FROM journal_transactions WHERE kind = 'STRIPE_PAYMENT' GROUP BY reference_id HAVING count(*) > 1
        UNION ALL
        SELECT 'activations per contract', entity_id, count(*)::int
          FROM audit_log WHERE action = 'contract.activated' GROUP BY entity_id HAVING count(*) > 1
        UNION ALL
        SELECT 'paid card contract without its payment', c.id::text, 0
          FROM contracts c
         WHERE c.payment_method = 'CARD' AND c.status IN ('ACTIVE', 'COMPLETED')
           AND NOT EXISTS (SELECT 1 FROM journal_transactions j
                            WHERE j.kind = 'STRIPE_PAYMENT' AND j.reference_type = 'contract' AND j.reference_id = c.id::text)
        UNION ALL
        SELECT 'card payment beyond its charge', j.reference_id, 0
          FROM journal_transactions j JOIN postings p ON p.journal_id = j.id
          JOIN ledger_accounts a ON a.id = p.account_id AND a.type = 'STRIPE_CLEARING'
          JOIN contracts c ON c.id::text = j.reference_id
         WHERE j.kind = 'STRIPE_PAYMENT' AND -p.amount > (c.charged_cents + 1) * 10000
         LIMIT 50`,
    ),
  );

  const withdrawals = await count(prisma, "withdrawals");
  results.push(
    await check(
      "withdrawal-holds-once",
      `${withdrawals} withdrawals: each hold taken once, released or spent at most once as its state says; held balances match`,
      () =>
        prisma.$queryRaw<Row[]>`
        WITH j AS (
          SELECT w.id, w.status::text AS status,
                 count(*) FILTER (WHERE t.kind = 'WITHDRAWAL_REQUEST') AS req,
                 count(*) FILTER (WHERE t.kind = 'WITHDRAWAL_RELEASE') AS rel,
                 count(*) FILTER (WHERE t.kind = 'WITHDRAWAL_SEND') AS snd,
                 count(*) FILTER (WHERE t.kind = 'WITHDRAWAL_CONFIRM') AS cnf
            FROM withdrawals w
            LEFT JOIN journal_transactions t ON t.reference_type = 'withdrawal' AND t.reference_id = w.id::text
           GROUP BY w.id
        )
        SELECT id::text AS ref, status, (req || '/' || rel || '/' || snd || '/' || cnf) AS "request/release/send/confirm"
          FROM j
         WHERE req <> 1
            OR rel + snd > 1
            OR (status IN ('CANCELLED', 'REJECTED') AND NOT (rel = 1 AND snd = 0))
            OR (status IN ('SENT', 'CONFIRMED') AND NOT (snd = 1 AND rel = 0))
            OR (status IN ('REQUESTED', 'APPROVED') AND rel + snd > 0)
            OR (cnf <> CASE WHEN status = 'CONFIRMED' THEN 1 ELSE 0 END)
        UNION ALL
        SELECT a.user_id::text, 'held balance', a.balance::text || ' held vs ' ||
               COALESCE((SELECT sum(w.amount_base) FROM withdrawals w
                          WHERE w.user_id = a.user_id AND w.coin = a.asset AND w.status IN ('REQUESTED', 'APPROVED')), 0)::text || ' open'
          FROM ledger_accounts a
         WHERE a.type = 'USER_HELD'
           AND a.balance <> COALESCE((SELECT sum(w.amount_base) FROM withdrawals w
                                       WHERE w.user_id = a.user_id AND w.coin = a.asset AND w.status IN ('REQUESTED', 'APPROVED')), 0)
         LIMIT 50`,
    ),
  );

  const accounts = await count(prisma, "ledger_accounts");
  results.push(
    await check(
      "cached-balances-equal-postings",
      `${accounts} accounts, cached balance = sum of postings on each`,
      () =>
        prisma.$queryRaw<Row[]>`
        SELECT a.id AS account, a.type::text AS type, a.balance::text AS cached, COALESCE(s.total, 0)::text AS postings
          FROM ledger_accounts a LEFT JOIN (SELECT account_id, sum(amount) AS total FROM postings GROUP BY account_id) s ON s.account_id = a.id
         WHERE a.balance <> COALESCE(s.total, 0)
         LIMIT 50`,
    ),
  );

  const mail = context.mail ?? { deliveredIds: [], interruptedSends: 0 };
  const deliveredIds = mail.deliveredIds.map((id) => /^<?([0-9a-f-]{36})@/i.exec(id)?.[1] ?? id);
  const messages = await count(prisma, "mail_outbox");
  const copies = deliveredIds.length - new Set(deliveredIds).size;
  results.push(
    await check(
      "mail-outbox-once",
      `${messages} messages: none left waiting, each SENT one received (${deliveredIds.length} deliveries, ` +
        `${copies} repeated of at most ${mail.interruptedSends} interrupted sends), nothing received that the outbox does not mark SENT`,
      () =>
        prisma.$queryRaw<Row[]>`
        WITH delivered AS (SELECT id, count(*)::int AS n FROM unnest(${deliveredIds}::text[]) AS d(id) GROUP BY id)
        SELECT 'still waiting' AS problem, m.id::text AS ref, m.attempts AS n FROM mail_outbox m WHERE m.status = 'PENDING'
        UNION ALL
        SELECT 'sent but never received', m.id::text, 0
          FROM mail_outbox m WHERE m.status = 'SENT' AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.id = m.id::text)
        UNION ALL
        SELECT 'received but not marked sent', d.id, d.n
          FROM delivered d WHERE NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.id::text = d.id AND m.status = 'SENT')
        UNION ALL
        SELECT 'more copies than interrupted sends', 'all', ${copies}::int WHERE ${copies}::int > ${mail.interruptedSends}::int
        UNION ALL
        SELECT 'state without its record', m.id::text, m.attempts
          FROM mail_outbox m
         WHERE (m.status = 'SENT' AND (m.sent_at IS NULL OR m.smtp_response IS NULL OR m.attempts < 1))
            OR (m.status = 'FAILED' AND m.last_error IS NULL)
            OR m.attempts > ${MAIL_MAX_ATTEMPTS}::int
        UNION ALL
        SELECT 'unknown kind', m.id::text || ' ' || m.kind, 0
          FROM mail_outbox m WHERE NOT (m.kind = ANY(${Object.keys(NOTIFICATION_KINDS)}::text[]))
        UNION ALL
        SELECT 'notice of an unknown kind', n.id::text || ' ' || n.kind, 0
          FROM notifications n WHERE NOT (n.kind = ANY(${Object.keys(NOTIFICATION_KINDS)}::text[]))
         LIMIT 50`,
    ),
  );

  // As `npm run audit:verify`: seal what is waiting, then walk the chain end to end.
  await sealAuditLog(prisma);
  const chain = await verifyAuditChain(prisma);
  results.push(
    chain.ok
      ? { name: "audit-chain", ok: true, detail: `${chain.lines} lines verified, unbroken` }
      : {
          name: "audit-chain",
          ok: false,
          detail: `${chain.problem} at seq ${chain.brokenAtSeq}: ${chain.reason} (${chain.lines} lines before it)`,
        },
  );
  return results;
}

export function formatInvariant(result: InvariantResult): string {
  return `${result.ok ? "ok  " : "FAIL"} ${result.name} ${result.detail}`;
}
