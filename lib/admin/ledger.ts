// The admin's ledger read models: the trial balance per asset (the postings of every asset
// must sum to zero; the cached balances must agree), the accounts, and one account's
// statement with a running balance. Aggregates run in SQL; a statement is read a page at a
// time, its running balance starting from the sum of the postings before the page.
import type { PrismaClient } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import type { AccountType, Asset } from "../generated/prisma/enums";

export const USD_DECIMALS = 6;

export interface TrialBalanceLine {
  type: AccountType;
  accounts: number;
  postings: bigint;
  /** Sum of the postings of accounts of this type (base units; micro-USD for USD). */
  balance: bigint;
}

export interface TrialBalanceAsset {
  asset: Asset;
  decimals: number;
  lines: TrialBalanceLine[];
  postings: bigint;
  /** Sum of every posting of the asset: zero when the books balance. */
  postingsSum: bigint;
  /** Sum of the cached balances of the asset's accounts: equals postingsSum. */
  cachedSum: bigint;
  balanced: boolean;
}

/** Decimals per asset: the coins' from the coins table, micro-USD for USD. */
export async function assetDecimals(prisma: PrismaClient): Promise<Map<string, number>> {
  const coins = await prisma.coin.findMany({ select: { asset: true, decimals: true } });
  return new Map<string, number>([
    ["USD", USD_DECIMALS],
    ...coins.map((c) => [c.asset as string, c.decimals] as const),
  ]);
}

export async function trialBalance(prisma: PrismaClient): Promise<TrialBalanceAsset[]> {
  const [lines, cached, decimals] = await Promise.all([
    prisma.$queryRaw<{ asset: Asset; type: AccountType; accounts: number; postings: bigint; total: string }[]>`
      SELECT p.asset::text AS asset, a.type::text AS type, count(DISTINCT p.account_id)::int AS accounts,
             count(*)::bigint AS postings, sum(p.amount)::text AS total
        FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
       GROUP BY p.asset, a.type
       ORDER BY p.asset, a.type`,
    prisma.$queryRaw<{ asset: Asset; total: string }[]>`
      SELECT asset::text AS asset, sum(balance)::text AS total FROM ledger_accounts GROUP BY asset`,
    assetDecimals(prisma),
  ]);
  const cachedBy = new Map(cached.map((c) => [c.asset as string, BigInt(c.total)]));
  const byAsset = new Map<string, TrialBalanceAsset>();
  for (const line of lines) {
    let entry = byAsset.get(line.asset);
    if (!entry) {
      entry = {
        asset: line.asset,
        decimals: decimals.get(line.asset) ?? 0,
        lines: [],
        postings: 0n,
        postingsSum: 0n,
        cachedSum: 0n,
        balanced: true,
      };
      byAsset.set(line.asset, entry);
    }
    const balance = BigInt(line.total);
    entry.lines.push({ type: line.type, accounts: line.accounts, postings: BigInt(line.postings), balance });
    entry.postings += BigInt(line.postings);
    entry.postingsSum += balance;
  }
  // Accounts that exist with a cached balance but no posting still count (a forged balance).
  for (const [asset, total] of cachedBy) {
    if (!byAsset.has(asset) && total !== 0n) {
      byAsset.set(asset, {
        asset: asset as Asset,
        decimals: decimals.get(asset) ?? 0,
        lines: [],
        postings: 0n,
        postingsSum: 0n,
        cachedSum: 0n,
        balanced: true,
      });
    }
  }
  return [...byAsset.values()]
    .map((entry) => {
      const cachedSum = cachedBy.get(entry.asset) ?? 0n;
      return { ...entry, cachedSum, balanced: entry.postingsSum === 0n && cachedSum === 0n };
    })
    .sort((a, b) => (a.asset < b.asset ? -1 : 1));
}

export interface AccountRow {
  id: string;
  type: AccountType;
  asset: Asset;
  userId: string | null;
  userEmail: string | null;
  balance: bigint;
}

export interface AccountFilter {
  type?: AccountType;
  asset?: Asset;
  /** Part of the owner's email (case-insensitive). */
  email?: string;
}

export async function listAccounts(
  prisma: PrismaClient,
  filter: AccountFilter,
  options: { page: number; pageSize: number },
): Promise<{ rows: AccountRow[]; total: number }> {
  const where = {
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.asset ? { asset: filter.asset } : {}),
    ...(filter.email ? { user: { email: { contains: filter.email.toLowerCase() } } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.ledgerAccount.count({ where }),
    prisma.ledgerAccount.findMany({
      where,
      orderBy: [{ asset: "asc" }, { type: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      include: { user: { select: { email: true } } },
    }),
  ]);
  return {
    total,
    rows: rows.map((a) => ({
      id: a.id,
      type: a.type,
      asset: a.asset,
      userId: a.userId,
      userEmail: a.user?.email ?? null,
      balance: decimalToBigInt(a.balance),
    })),
  };
}

export interface StatementLine {
  postingId: bigint;
  at: Date;
  journalId: string;
  kind: string;
  description: string;
  referenceType: string;
  referenceId: string;
  amount: bigint;
  /** The account's balance after this posting (postings in id order). */
  runningBalance: bigint;
}

export interface AccountStatement {
  account: AccountRow & { decimals: number; postingsSum: bigint };
  lines: StatementLine[];
  total: number;
}

/** One page of an account's postings, newest first, each with the balance after it. */
export async function accountStatement(
  prisma: PrismaClient,
  accountId: string,
  options: { page: number; pageSize: number },
): Promise<AccountStatement | null> {
  if (!/^[0-9a-f-]{36}$/i.test(accountId)) return null;
  const account = await prisma.ledgerAccount.findUnique({
    where: { id: accountId },
    include: { user: { select: { email: true } } },
  });
  if (!account) return null;
  const offset = (options.page - 1) * options.pageSize;
  const [totals, rows, decimals] = await Promise.all([
    prisma.$queryRaw<{ n: bigint; total: string }[]>`
      SELECT count(*)::bigint AS n, COALESCE(sum(amount), 0)::text AS total FROM postings WHERE account_id = ${accountId}::uuid`,
    prisma.$queryRaw<
      {
        id: bigint;
        at: Date;
        journal_id: string;
        kind: string;
        description: string;
        reference_type: string;
        reference_id: string;
        amount: string;
        running: string;
      }[]
    >`
      WITH page AS (
        SELECT p.id, p.created_at, p.journal_id, p.amount FROM postings p
         WHERE p.account_id = ${accountId}::uuid
         ORDER BY p.id DESC LIMIT ${options.pageSize} OFFSET ${offset}
      ), before AS (
        SELECT COALESCE(sum(amount), 0) AS total FROM postings
         WHERE account_id = ${accountId}::uuid AND id < (SELECT min(id) FROM page)
      )
      SELECT page.id, page.created_at AS at, page.journal_id::text AS journal_id, j.kind::text AS kind, j.description,
             j.reference_type, j.reference_id, page.amount::text AS amount,
             ((SELECT total FROM before) + sum(page.amount) OVER (ORDER BY page.id))::text AS running
        FROM page JOIN journal_transactions j ON j.id = page.journal_id
       ORDER BY page.id DESC`,
    assetDecimals(prisma),
  ]);
  return {
    account: {
      id: account.id,
      type: account.type,
      asset: account.asset,
      userId: account.userId,
      userEmail: account.user?.email ?? null,
      balance: decimalToBigInt(account.balance),
      decimals: decimals.get(account.asset) ?? 0,
      postingsSum: BigInt(totals[0]!.total),
    },
    total: Number(totals[0]!.n),
    lines: rows.map((r) => ({
      postingId: BigInt(r.id),
      at: r.at,
      journalId: r.journal_id,
      kind: r.kind,
      description: r.description,
      referenceType: r.reference_type,
      referenceId: r.reference_id,
      amount: BigInt(r.amount),
      runningBalance: BigInt(r.running),
    })),
  };
}
