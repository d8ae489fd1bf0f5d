// Double-entry ledger core. A journal is posted whole: its postings are inserted in one
// statement, and the database (triggers in the init migration) checks that they sum to
// zero per asset, moves the cached balances, and refuses any user balance below zero —
// so no code path, set-based or not, can write an unbalanced journal or an overdraft.
import type { Tx } from "../db/client";
import { bigIntToDecimal, decimalToBigInt } from "../db/decimal";
import type { AccountType, Asset, JournalKind } from "../generated/prisma/enums";

export interface AccountRef {
  type: AccountType;
  asset: Asset;
  /** The owning user for USER_AVAILABLE, USER_HELD and OPERATOR_PAYABLE; null otherwise. */
  userId: string | null;
}

export interface PostingInput {
  account: AccountRef;
  /** Base units of the account's asset (micro-USD for USD); positive = credit. */
  amount: bigint;
}

export interface JournalInput {
  kind: JournalKind;
  description: string;
  referenceType: string;
  referenceId: string;
  postings: PostingInput[];
}

export class UnbalancedJournalError extends Error {}
export class InsufficientFundsError extends Error {
  constructor() {
    super("Insufficient available balance.");
  }
}

/** Sums per asset must be zero; checked here for a clear message, and again by the database. */
export function assertBalanced(postings: PostingInput[]): void {
  if (postings.length < 2) throw new UnbalancedJournalError("A journal needs at least two postings.");
  const sums = new Map<Asset, bigint>();
  for (const p of postings) {
    if (p.amount === 0n) throw new UnbalancedJournalError("A posting of zero is not allowed.");
    sums.set(p.account.asset, (sums.get(p.account.asset) ?? 0n) + p.amount);
  }
  for (const [asset, sum] of sums) {
    if (sum !== 0n) throw new UnbalancedJournalError(`Journal does not balance for ${asset}: off by ${sum}.`);
  }
}

/** The account's id, creating the account on first use (safe under concurrency). */
export async function accountId(tx: Tx, ref: AccountRef): Promise<string> {
  // One round trip in the usual case: insert if missing, else read the existing row.
  let rows = await tx.$queryRaw<{ id: string }[]>`
    WITH inserted AS (
      INSERT INTO ledger_accounts (type, asset, user_id)
      VALUES (${ref.type}::account_type, ${ref.asset}::asset, ${ref.userId}::uuid)
      ON CONFLICT (type, asset, user_id) DO NOTHING
      RETURNING id)
    SELECT id FROM inserted
    UNION ALL
    SELECT id FROM ledger_accounts
     WHERE type = ${ref.type}::account_type AND asset = ${ref.asset}::asset
       AND user_id IS NOT DISTINCT FROM ${ref.userId}::uuid
    LIMIT 1`;
  if (rows.length === 0) {
    // A concurrent transaction created it while we waited on the conflict; this statement's
    // snapshot predates that commit, so read again with a fresh one.
    rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM ledger_accounts
       WHERE type = ${ref.type}::account_type AND asset = ${ref.asset}::asset
         AND user_id IS NOT DISTINCT FROM ${ref.userId}::uuid`;
  }
  const id = rows[0]?.id;
  if (!id) throw new Error("ledger account could not be created");
  return id;
}

/** The database refused a user balance below zero (ledger_accounts_user_nonnegative). */
export function isNegativeBalanceError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return text.includes("ledger_accounts_user_nonnegative");
}

/** Posts one balanced journal inside the caller's transaction; returns its id. */
export async function postJournal(tx: Tx, journal: JournalInput): Promise<string> {
  assertBalanced(journal.postings);
  const accountIds: string[] = [];
  for (const p of journal.postings) accountIds.push(await accountId(tx, p.account));
  const created = await tx.journalTransaction.create({
    data: {
      kind: journal.kind,
      description: journal.description,
      referenceType: journal.referenceType,
      referenceId: journal.referenceId,
    },
    select: { id: true },
  });
  try {
    await tx.posting.createMany({
      data: journal.postings.map((p, i) => ({
        journalId: created.id,
        accountId: accountIds[i]!,
        asset: p.account.asset,
        amount: bigIntToDecimal(p.amount),
      })),
    });
  } catch (error) {
    if (isNegativeBalanceError(error)) throw new InsufficientFundsError();
    throw error;
  }
  return created.id;
}

export async function balanceOf(tx: Pick<Tx, "ledgerAccount">, ref: AccountRef): Promise<bigint> {
  const account = await tx.ledgerAccount.findFirst({
    where: { type: ref.type, asset: ref.asset, userId: ref.userId },
    select: { balance: true },
  });
  return account ? decimalToBigInt(account.balance) : 0n;
}
