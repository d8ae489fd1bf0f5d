// Read models for the wallet page (a customer's balances, withdrawal terms, addresses and
// history) and the admin review queue (withdrawals by state, each with the user's history
// and risk hints). Read-only; amounts stay bigint until the page formats them.
import type { PrismaClient } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import type { Asset, WithdrawalStatus } from "../generated/prisma/enums";
import { decimalText } from "../shared/decimal";
import { minimumAmountBase } from "./amounts";
import { DAILY_LIMIT_WINDOW_MS } from "./withdrawal-request";

export interface CoinWallet {
  asset: Asset;
  name: string;
  decimals: number;
  availableBase: bigint;
  heldBase: bigint;
  minimumBase: bigint;
  feeBase: bigint;
  reviewThresholdBase: bigint;
  dailyLimitBase: bigint;
  /** What the rolling 24 h limit still allows now. */
  limitLeftBase: bigint;
}

export interface WalletAddress {
  id: string;
  coin: Asset;
  label: string;
  address: string;
  usableAfter: Date;
  usable: boolean;
}

export interface WithdrawalRecord {
  id: string;
  coin: Asset;
  status: WithdrawalStatus;
  address: string;
  addressLabel: string;
  amountBase: bigint;
  networkFeeBase: bigint;
  netBase: bigint;
  reviewRequired: boolean;
  reviewReason: string | null;
  txid: string | null;
  requestedAt: Date;
  approvedAt: Date | null;
  sentAt: Date | null;
  confirmedAt: Date | null;
  closedAt: Date | null;
  /** Requested and its emailed link not used yet (withdrawal-confirmation.ts). */
  awaitingEmailConfirmation: boolean;
  /** While awaiting it: when the link expires and the withdrawal is cancelled. */
  confirmBy: Date | null;
}

export interface WalletOverview {
  totpEnabled: boolean;
  coins: CoinWallet[];
  addresses: WalletAddress[];
  withdrawals: WithdrawalRecord[];
}

const HISTORY_LIMIT = 50;

const recordSelect = {
  id: true,
  coin: true,
  status: true,
  address: true,
  amountBase: true,
  networkFeeBase: true,
  netBase: true,
  reviewRequired: true,
  reviewReason: true,
  txid: true,
  requestedAt: true,
  approvedAt: true,
  sentAt: true,
  confirmedAt: true,
  closedAt: true,
  emailConfirmedAt: true,
  confirmBy: true,
  addressEntry: { select: { label: true } },
} as const;

type Amount = Parameters<typeof decimalToBigInt>[0];

/** A withdrawal as recordSelect reads it: amounts still database decimals, the confirmation columns raw. */
type RecordRow = Omit<
  WithdrawalRecord,
  "addressLabel" | "amountBase" | "networkFeeBase" | "netBase" | "awaitingEmailConfirmation"
> & {
  amountBase: Amount;
  networkFeeBase: Amount;
  netBase: Amount;
  emailConfirmedAt: Date | null;
  addressEntry: { label: string };
};

function record(row: RecordRow): WithdrawalRecord {
  return {
    id: row.id,
    coin: row.coin,
    status: row.status,
    address: row.address,
    addressLabel: row.addressEntry.label,
    amountBase: decimalToBigInt(row.amountBase),
    networkFeeBase: decimalToBigInt(row.networkFeeBase),
    netBase: decimalToBigInt(row.netBase),
    reviewRequired: row.reviewRequired,
    reviewReason: row.reviewReason,
    txid: row.txid,
    requestedAt: row.requestedAt,
    approvedAt: row.approvedAt,
    sentAt: row.sentAt,
    confirmedAt: row.confirmedAt,
    closedAt: row.closedAt,
    awaitingEmailConfirmation: row.status === "REQUESTED" && !row.emailConfirmedAt,
    confirmBy: row.status === "REQUESTED" && !row.emailConfirmedAt ? row.confirmBy : null,
  };
}

export async function walletOverview(prisma: PrismaClient, userId: string, now = new Date()): Promise<WalletOverview> {
  const since = new Date(now.getTime() - DAILY_LIMIT_WINDOW_MS);
  const [user, coins, accounts, used, addresses, withdrawals] = await Promise.all([
    prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true } }),
    prisma.coin.findMany({ orderBy: { asset: "asc" } }),
    prisma.ledgerAccount.findMany({
      where: { userId, type: { in: ["USER_AVAILABLE", "USER_HELD"] } },
      select: { type: true, asset: true, balance: true },
    }),
    prisma.withdrawal.groupBy({
      by: ["coin"],
      where: { userId, requestedAt: { gt: since }, status: { notIn: ["CANCELLED", "REJECTED"] } },
      _sum: { amountBase: true },
    }),
    prisma.withdrawalAddress.findMany({
      where: { userId, deletedAt: null },
      orderBy: [{ coin: "asc" }, { label: "asc" }],
      select: { id: true, coin: true, label: true, address: true, usableAfter: true },
    }),
    prisma.withdrawal.findMany({
      where: { userId },
      orderBy: { requestedAt: "desc" },
      take: HISTORY_LIMIT,
      select: recordSelect,
    }),
  ]);
  const balance = (type: "USER_AVAILABLE" | "USER_HELD", asset: Asset) => {
    const account = accounts.find((a) => a.type === type && a.asset === asset);
    return account ? decimalToBigInt(account.balance) : 0n;
  };
  const usedBy = new Map(used.map((u) => [u.coin, u._sum.amountBase ? decimalToBigInt(u._sum.amountBase) : 0n]));
  return {
    totpEnabled: user.totpEnabledAt !== null,
    coins: coins
      .filter((coin) => coin.asset !== "USD")
      .map((coin) => {
        const dailyLimitBase = decimalToBigInt(coin.dailyLimitBase);
        const usedBase = usedBy.get(coin.asset) ?? 0n;
        const feeBase = decimalToBigInt(coin.withdrawalFeeBase);
        return {
          asset: coin.asset,
          name: coin.name,
          decimals: coin.decimals,
          availableBase: balance("USER_AVAILABLE", coin.asset),
          heldBase: balance("USER_HELD", coin.asset),
          minimumBase: minimumAmountBase({ minBase: decimalToBigInt(coin.withdrawalMinBase), feeBase }),
          feeBase,
          reviewThresholdBase: decimalToBigInt(coin.reviewThresholdBase),
          dailyLimitBase,
          limitLeftBase: dailyLimitBase > usedBase ? dailyLimitBase - usedBase : 0n,
        };
      }),
    addresses: addresses.map((a) => ({ ...a, usable: a.usableAfter <= now })),
    withdrawals: withdrawals.map(record),
  };
}

// ---------------------------------------------------------------------------------------
// Admin review queue

export interface RiskHints {
  /** No earlier withdrawal of this user was sent. */
  firstWithdrawal: boolean;
  /** Nothing was sent to this address before (by this user). */
  newAddress: boolean;
  /** When the address was added to the book. */
  addressAddedAt: Date;
  accountCreatedAt: Date;
  /** Earlier sent withdrawals of the same coin: count, largest and average amount. */
  priorSentCount: number;
  largestPriorBase: bigint | null;
  averagePriorBase: bigint | null;
}

export interface QueueItem extends WithdrawalRecord {
  user: { id: string; email: string; name: string; frozenAt: Date | null; frozenReason: string | null };
  decimals: number;
  processor: string | null;
  submittedAt: Date | null;
  reviewedBy: string | null;
  hints: RiskHints;
  /** The user's other recent withdrawals, newest first. */
  history: WithdrawalRecord[];
}

export interface ReviewQueue {
  review: QueueItem[];
  toSend: QueueItem[];
  inFlight: QueueItem[];
  recent: QueueItem[];
  frozenAccounts: { id: string; email: string; name: string; frozenAt: Date; frozenReason: string | null }[];
  /** Decimals per coin, for formatting any withdrawal's amounts. */
  decimals: Record<string, number>;
}

const QUEUE_LIMIT = 100;
const USER_HISTORY_LIMIT = 10;

export async function reviewQueue(prisma: PrismaClient): Promise<ReviewQueue> {
  const select = {
    ...recordSelect,
    processor: true,
    submittedAt: true,
    reviewedBy: { select: { email: true } },
    user: { select: { id: true, email: true, name: true, frozenAt: true, frozenReason: true, createdAt: true } },
    addressEntry: { select: { label: true, createdAt: true } },
  } as const;
  const [review, toSend, inFlight, recent, frozenAccounts, coins] = await Promise.all([
    // Only those the customer confirmed by email: the others are not for an admin yet.
    prisma.withdrawal.findMany({
      where: { status: "REQUESTED", emailConfirmedAt: { not: null } },
      orderBy: { requestedAt: "asc" },
      take: QUEUE_LIMIT,
      select,
    }),
    prisma.withdrawal.findMany({
      where: { status: "APPROVED" },
      orderBy: { approvedAt: "asc" },
      take: QUEUE_LIMIT,
      select,
    }),
    prisma.withdrawal.findMany({ where: { status: "SENT" }, orderBy: { sentAt: "asc" }, take: QUEUE_LIMIT, select }),
    prisma.withdrawal.findMany({
      where: { status: { in: ["CONFIRMED", "REJECTED", "CANCELLED"] } },
      orderBy: { updatedAt: "desc" },
      take: 20,
      select,
    }),
    prisma.user.findMany({
      where: { frozenAt: { not: null } },
      orderBy: { frozenAt: "desc" },
      take: QUEUE_LIMIT,
      select: { id: true, email: true, name: true, frozenAt: true, frozenReason: true },
    }),
    prisma.coin.findMany({ select: { asset: true, decimals: true } }),
  ]);
  const all = [...review, ...toSend, ...inFlight, ...recent];
  const decimals = new Map(coins.map((c) => [c.asset, c.decimals]));
  const ids = all.map((w) => w.id);
  const userIds = [...new Set(all.map((w) => w.user.id))];

  const [hintRows, histories] = await Promise.all([
    ids.length === 0
      ? []
      : prisma.$queryRaw<
          {
            id: string;
            prior_sent_any: bigint;
            prior_to_address: bigint;
            prior_coin_count: bigint;
            prior_coin_max: string | null;
            prior_coin_sum: string | null;
          }[]
        >`
          SELECT w.id,
                 (SELECT count(*) FROM withdrawals p
                   WHERE p.user_id = w.user_id AND p.id <> w.id AND p.requested_at < w.requested_at
                     AND p.status IN ('SENT', 'CONFIRMED')) AS prior_sent_any,
                 (SELECT count(*) FROM withdrawals p
                   WHERE p.user_id = w.user_id AND p.id <> w.id AND p.requested_at < w.requested_at
                     AND p.coin = w.coin AND p.address = w.address AND p.status IN ('SENT', 'CONFIRMED')) AS prior_to_address,
                 s.n AS prior_coin_count, s.largest AS prior_coin_max, s.total AS prior_coin_sum
            FROM withdrawals w
            CROSS JOIN LATERAL (
              SELECT count(*) AS n, max(p.amount_base)::text AS largest, sum(p.amount_base)::text AS total
                FROM withdrawals p
               WHERE p.user_id = w.user_id AND p.id <> w.id AND p.requested_at < w.requested_at
                 AND p.coin = w.coin AND p.status IN ('SENT', 'CONFIRMED')) s
           WHERE w.id = ANY(${ids}::uuid[])`,
    userIds.length === 0
      ? []
      : prisma.$queryRaw<{ id: string; user_id: string }[]>`
          SELECT h.id, h.user_id FROM unnest(${userIds}::uuid[]) AS u(id)
          CROSS JOIN LATERAL (
            SELECT id, user_id FROM withdrawals WHERE user_id = u.id ORDER BY requested_at DESC LIMIT ${USER_HISTORY_LIMIT + 1}) h`,
  ]);
  const historyRows =
    histories.length === 0
      ? []
      : await prisma.withdrawal.findMany({
          where: { id: { in: histories.map((h) => h.id) } },
          orderBy: { requestedAt: "desc" },
          select: { ...recordSelect, userId: true },
        });
  const hints = new Map(hintRows.map((h) => [h.id, h]));

  const item = (row: (typeof all)[number]): QueueItem => {
    const h = hints.get(row.id);
    const count = Number(h?.prior_coin_count ?? 0n);
    return {
      ...record(row),
      user: {
        id: row.user.id,
        email: row.user.email,
        name: row.user.name,
        frozenAt: row.user.frozenAt,
        frozenReason: row.user.frozenReason,
      },
      decimals: decimals.get(row.coin) ?? 8,
      processor: row.processor,
      submittedAt: row.submittedAt,
      reviewedBy: row.reviewedBy?.email ?? null,
      hints: {
        firstWithdrawal: Number(h?.prior_sent_any ?? 0n) === 0,
        newAddress: Number(h?.prior_to_address ?? 0n) === 0,
        addressAddedAt: row.addressEntry.createdAt,
        accountCreatedAt: row.user.createdAt,
        priorSentCount: count,
        largestPriorBase: h?.prior_coin_max ? BigInt(h.prior_coin_max) : null,
        averagePriorBase: count > 0 && h?.prior_coin_sum ? BigInt(h.prior_coin_sum) / BigInt(count) : null,
      },
      history: historyRows
        .filter((r) => r.userId === row.user.id && r.id !== row.id)
        .slice(0, USER_HISTORY_LIMIT)
        .map(record),
    };
  };
  return {
    review: review.map(item),
    toSend: toSend.map(item),
    inFlight: inFlight.map(item),
    recent: recent.map(item),
    frozenAccounts: frozenAccounts.map((u) => ({ ...u, frozenAt: u.frozenAt! })),
    decimals: Object.fromEntries(decimals),
  };
}

/** "3.2× the largest earlier withdrawal" when an amount stands out; null when it does not. */
export function amountVersusHistory(
  amountBase: bigint,
  hints: Pick<RiskHints, "largestPriorBase" | "averagePriorBase">,
): string | null {
  const { largestPriorBase: largest, averagePriorBase: average } = hints;
  if (!largest || !average || largest <= 0n || average <= 0n) return null;
  const tenths = (value: bigint) => decimalText(value, 1, { minDecimals: 1 });
  if (amountBase > largest)
    return `${tenths((amountBase * 10n) / largest)}× the largest earlier withdrawal of this coin`;
  if (amountBase >= 2n * average)
    return `${tenths((amountBase * 10n) / average)}× the average earlier withdrawal of this coin`;
  return null;
}
