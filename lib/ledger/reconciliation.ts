// The ledger reconciliation job (DESIGN.md "Ledger": a cached balance is checked against the
// postings). One statement over one snapshot compares every account's cached balance with
// the sum of its postings and stores the run — when, how many accounts and postings it
// checked, and the mismatches (the first MISMATCH_DETAIL_LIMIT in detail, all counted).
// Set-based: one grouped scan of postings joined to the accounts, nothing loaded row by row.
import { checkAdmin } from "../admin/actor";
import { appendAudit } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";

export const RECONCILIATION_EVERY_MS = 60 * 60_000;
export const MISMATCH_DETAIL_LIMIT = 100;

export interface ReconciliationMismatch {
  accountId: string;
  type: string;
  asset: string;
  userId: string | null;
  /** Base units as decimal strings (amounts can exceed 2^63 in 18-decimal coins). */
  cachedBalance: string;
  postingsSum: string;
}

export interface ReconciliationRunView {
  id: bigint;
  startedAt: Date;
  finishedAt: Date;
  accountsChecked: number;
  postingsChecked: bigint;
  mismatchCount: number;
  mismatches: ReconciliationMismatch[];
  triggeredById: string | null;
}

// REPEATABLE READ: balances and postings are read from one snapshot, so a journal being
// posted concurrently is either wholly in both or in neither (its trigger moves the cached
// balance in the posting's own transaction).
const SNAPSHOT = { isolationLevel: "RepeatableRead" as const };

async function insertRun(tx: Tx, startedAt: Date, triggeredById: string | null): Promise<ReconciliationRunView> {
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
      WITH sums AS (
        SELECT account_id, sum(amount) AS total, count(*) AS n FROM postings GROUP BY account_id
      ), compared AS (
        SELECT a.id, a.type, a.asset, a.user_id, a.balance, COALESCE(s.total, 0) AS total, COALESCE(s.n, 0) AS n
          FROM ledger_accounts a LEFT JOIN sums s ON s.account_id = a.id
      ), orphan AS (
        -- Postings whose account row is missing cannot happen (foreign key); counted anyway.
        SELECT count(*) AS n FROM sums s WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = s.account_id)
      ), bad AS (
        SELECT * FROM compared WHERE balance <> total
      )
      INSERT INTO ledger_reconciliation_runs (started_at, finished_at, accounts_checked, postings_checked, mismatch_count, mismatches, triggered_by_id)
      SELECT ${startedAt}::timestamptz, clock_timestamp(),
             (SELECT count(*) FROM compared)::int,
             (SELECT COALESCE(sum(n), 0) FROM compared)::bigint,
             ((SELECT count(*) FROM bad) + (SELECT n FROM orphan))::int,
             COALESCE((SELECT jsonb_agg(jsonb_build_object(
                        'accountId', b.id::text, 'type', b.type::text, 'asset', b.asset::text, 'userId', b.user_id::text,
                        'cachedBalance', b.balance::text, 'postingsSum', b.total::text) ORDER BY b.asset, b.type, b.id)
                         FROM (SELECT * FROM bad ORDER BY asset, type, id LIMIT ${MISMATCH_DETAIL_LIMIT}) b), '[]'::jsonb),
             ${triggeredById}::uuid
      RETURNING id`;
  return view(await tx.ledgerReconciliationRun.findUniqueOrThrow({ where: { id: row!.id } }));
}

/** Runs the reconciliation once and stores its result; returns the stored run. */
export async function reconcileLedger(
  prisma: PrismaClient,
  options: { now?: Date } = {},
): Promise<ReconciliationRunView> {
  return prisma.$transaction((tx) => insertRun(tx, options.now ?? new Date(), null), SNAPSHOT);
}

/** The stored row: its mismatches column is JSON. */
function view(run: Omit<ReconciliationRunView, "mismatches"> & { mismatches: unknown }): ReconciliationRunView {
  return {
    ...run,
    mismatches: Array.isArray(run.mismatches) ? (run.mismatches as unknown as ReconciliationMismatch[]) : [],
  };
}

/** The scheduled job: one run; returns the number of mismatches found (the worker logs > 0). */
export async function runScheduledReconciliation(prisma: PrismaClient): Promise<number> {
  const run = await reconcileLedger(prisma);
  return run.mismatchCount;
}

export type ManualReconciliation =
  { ok: true; run: ReconciliationRunView } | { ok: false; code: "FORBIDDEN"; message: string };

/** An admin runs the reconciliation now; the run and an audit line name the admin. */
export async function reconcileLedgerAsAdmin(
  prisma: PrismaClient,
  input: { adminId: string; ip?: string | null },
): Promise<ManualReconciliation> {
  return prisma.$transaction(async (tx) => {
    const check = await checkAdmin(tx, input.adminId);
    if (!check.ok) return check;
    const run = await insertRun(tx, new Date(), input.adminId);
    await appendAudit(tx, {
      actorId: input.adminId,
      action: "ledger.reconciled",
      entityType: "ledger_reconciliation_run",
      entityId: run.id.toString(),
      ip: input.ip ?? null,
      details: {
        accountsChecked: run.accountsChecked,
        postingsChecked: run.postingsChecked.toString(),
        mismatchCount: run.mismatchCount,
      },
    });
    return { ok: true as const, run };
  }, SNAPSHOT);
}

export async function latestReconciliation(prisma: PrismaClient): Promise<ReconciliationRunView | null> {
  const run = await prisma.ledgerReconciliationRun.findFirst({ orderBy: [{ startedAt: "desc" }, { id: "desc" }] });
  return run ? view(run) : null;
}

/** Runs since `since` that found mismatches (the /admin alert). */
export async function failedReconciliationsSince(prisma: PrismaClient, since: Date): Promise<number> {
  return prisma.ledgerReconciliationRun.count({ where: { startedAt: { gte: since }, mismatchCount: { gt: 0 } } });
}
