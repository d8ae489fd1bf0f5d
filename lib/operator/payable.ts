// The operator's payable as the ledger has it (/operator/payable; DESIGN.md "Ledger"): every
// posting to the operator's OPERATOR_PAYABLE accounts with its running balance, and the balance
// itself. Nothing here keeps a figure of its own: the balance is the account's (the cached
// balance the postings trigger moves, checked against the postings by reconciliation), the
// running balance is a window sum over the same postings, and "held in pending payouts" is the
// sum of the OPERATOR_PAYOUT_REQUEST postings to WITHDRAWALS_IN_FLIGHT of this operator's open
// payouts, i.e. what those journals took out of the payable and no later journal has moved on.
//
// What posts to OPERATOR_PAYABLE (a line's `kind`):
//   CONTRACT_PURCHASE / STRIPE_PAYMENT  + the contract price less the platform fee (USD), ref contract
//   REVERSAL of those                     - the same, ref the reversed journal's contract
//   PAYOUT                                + the maintenance fee in the coin, ref daily_payout
//   UNDER_DELIVERY_CREDIT                 - the credit to the customer (USD), ref daily_payout
//   OPERATOR_PAYOUT_REQUEST / _RETURN     - / + a payout's amount (USD), ref operator_payout
//   OPERATOR_PAYABLE_TRANSFER             - coin moved to the operator's own wallet (./payable-transfer.ts)
// Order: postings by id (the sequence follows commit order closely enough for a statement, and
// is the order the running balance is defined in; the (account_id, id) index serves it).
import type { PrismaClient } from "../db/client";
import type { Asset, JournalKind } from "../generated/prisma/enums";

export const PAYABLE_PAGE_SIZE = 50;

export interface PayableLine {
  postingId: bigint;
  at: Date;
  asset: Asset;
  kind: JournalKind;
  description: string;
  /** Signed, in the asset's base unit (micro-USD for USD); credit to the operator > 0. */
  amount: bigint;
  /** The account's balance after this posting. */
  balanceAfter: bigint;
  /** The contract the line belongs to (sale, its payout day), if any. */
  contractId: string | null;
  listingId: string | null;
  /** The payout day ("YYYY-MM-DD") for PAYOUT and UNDER_DELIVERY_CREDIT lines. */
  payoutDay: string | null;
  /** The operator payout for OPERATOR_PAYOUT_* lines. */
  operatorPayoutId: string | null;
}

export interface PayableBalance {
  asset: Asset;
  decimals: number;
  /** The OPERATOR_PAYABLE account's balance: what can be paid out now. */
  available: bigint;
}

export interface PayableSummary {
  balances: PayableBalance[];
  /** USD held in requested, not yet settled payouts (micro-USD). */
  heldMicroUsd: bigint;
}

/** The operator's payable per asset (USD first) and what its open payouts hold. */
export async function payableSummary(prisma: PrismaClient, operatorId: string): Promise<PayableSummary> {
  const [balances, held] = await Promise.all([
    prisma.$queryRaw<{ asset: Asset; decimals: number; balance: string }[]>`
      SELECT a.asset, COALESCE(k.decimals, 6) AS decimals, a.balance::text AS balance
        FROM ledger_accounts a
        LEFT JOIN coins k ON k.asset = a.asset
       WHERE a.type = 'OPERATOR_PAYABLE' AND a.user_id = ${operatorId}::uuid
       ORDER BY a.asset <> 'USD', a.asset`,
    prisma.$queryRaw<{ held: string }[]>`
      SELECT COALESCE(sum(p.amount), 0)::text AS held
        FROM operator_payouts o
        JOIN journal_transactions j
          ON j.kind = 'OPERATOR_PAYOUT_REQUEST' AND j.reference_type = 'operator_payout' AND j.reference_id = o.id::text
        JOIN postings p ON p.journal_id = j.id
        JOIN ledger_accounts a ON a.id = p.account_id AND a.type = 'WITHDRAWALS_IN_FLIGHT'
       WHERE o.operator_id = ${operatorId}::uuid AND o.status IN ('IN_REVIEW', 'APPROVED')`,
  ]);
  return {
    balances: balances.map((b) => ({ asset: b.asset, decimals: Number(b.decimals), available: BigInt(b.balance) })),
    heldMicroUsd: BigInt(held[0]?.held ?? "0"),
  };
}

export interface PayableLedgerPage {
  lines: PayableLine[];
  total: number;
  page: number;
  pageCount: number;
}

/** One page of the operator's payable postings, newest first, each with the balance after it. */
export async function payableLedger(
  prisma: PrismaClient,
  operatorId: string,
  options: { page?: number; pageSize?: number } = {},
): Promise<PayableLedgerPage> {
  const pageSize = options.pageSize ?? PAYABLE_PAGE_SIZE;
  const [count] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n
      FROM ledger_accounts a JOIN postings p ON p.account_id = a.id
     WHERE a.type = 'OPERATOR_PAYABLE' AND a.user_id = ${operatorId}::uuid`;
  const total = count?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.trunc(options.page ?? 1)), pageCount);
  const rows = await prisma.$queryRaw<
    {
      id: bigint;
      at: Date;
      asset: Asset;
      kind: JournalKind;
      description: string;
      amount: string;
      balance_after: string;
      contract_id: string | null;
      listing_id: string | null;
      payout_day: string | null;
      operator_payout_id: string | null;
    }[]
  >`
    WITH accounts AS (
      SELECT id, balance FROM ledger_accounts WHERE type = 'OPERATOR_PAYABLE' AND user_id = ${operatorId}::uuid
    ), recent AS (
      -- Only the postings down to this page (postings_account_id_id_idx), not the account's whole
      -- history: every posting newer than a line is among them, so the balance after a line is
      -- the account's balance less what came after it (balances equal their postings: ledger.ts).
      SELECT p.id, p.created_at, p.asset, p.amount, p.journal_id, p.account_id
        FROM postings p
       WHERE p.account_id IN (SELECT id FROM accounts)
       ORDER BY p.id DESC
       LIMIT ${page * pageSize}
    ), lines AS (
      SELECT r.*, a.balance - COALESCE(sum(r.amount) OVER (
               PARTITION BY r.account_id ORDER BY r.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
               AS balance_after
        FROM recent r JOIN accounts a ON a.id = r.account_id
    ), page AS (
      SELECT * FROM lines ORDER BY id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}
    )
    SELECT l.id, l.created_at AS at, l.asset, j.kind, j.description, l.amount::text AS amount,
           l.balance_after::text AS balance_after,
           COALESCE(dp.contract_id, c.id)::text AS contract_id,
           COALESCE(dc.listing_id, c.listing_id)::text AS listing_id,
           to_char(dp.day, 'YYYY-MM-DD') AS payout_day,
           CASE WHEN j.reference_type = 'operator_payout' THEN j.reference_id END AS operator_payout_id
      FROM page l
      JOIN journal_transactions j ON j.id = l.journal_id
      LEFT JOIN journal_transactions reversed ON reversed.id = j.reverses_id
      LEFT JOIN daily_payouts dp
        ON dp.id = CASE WHEN j.reference_type = 'daily_payout' THEN j.reference_id::bigint END
      LEFT JOIN contracts dc ON dc.id = dp.contract_id
      LEFT JOIN contracts c
        ON c.id::text = CASE WHEN j.reference_type = 'contract' THEN j.reference_id
                             WHEN reversed.reference_type = 'contract' THEN reversed.reference_id END
     ORDER BY l.id DESC`;
  return {
    total,
    page,
    pageCount,
    lines: rows.map((r) => ({
      postingId: BigInt(r.id),
      at: r.at,
      asset: r.asset,
      kind: r.kind,
      description: r.description,
      amount: BigInt(r.amount),
      balanceAfter: BigInt(r.balance_after),
      contractId: r.contract_id,
      listingId: r.listing_id,
      payoutDay: r.payout_day,
      operatorPayoutId: r.operator_payout_id,
    })),
  };
}
