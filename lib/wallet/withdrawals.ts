// Withdrawals (DESIGN.md "Withdrawals and 2FA", "Ledger"): a state machine in which every
// step is one database transaction holding one balanced journal (where value moves) and one
// audit line.
//
//   requested ──> approved ──> sent ──> confirmed
//       │            │
//       ├─> cancelled (by the user)       hold released: USER_HELD -> USER_AVAILABLE
//       └────────────┴─> rejected (by an admin, with a reason; not once sent)
//
// Money, per coin, in base units (the coin's `withdrawalFeeBase` is the network fee):
//   request  (WITHDRAWAL_REQUEST)  USER_AVAILABLE -amount, USER_HELD +amount
//   release  (WITHDRAWAL_RELEASE)  USER_HELD -amount, USER_AVAILABLE +amount
//   send     (WITHDRAWAL_SEND)     USER_HELD -amount, WITHDRAWALS_IN_FLIGHT +amount
//   confirm  (WITHDRAWAL_CONFIRM)  WITHDRAWALS_IN_FLIGHT -amount, MINING_CLEARING +net,
//                                  PLATFORM_FEES +fee
// The user pays the network fee out of the amount: `amount` leaves the balance, `net =
// amount - fee` arrives at the address. On confirmation the net leaves the platform's coin
// custody (MINING_CLEARING, the account the coins came in through, is debit-normal: its
// negative balance is the coins the platform holds) and the fee is platform fee income that
// pays the miners' fee of the on-chain transaction. Approval moves no value (the funds stay
// held), so it has an audit line and no journal. Each journal kind is unique per withdrawal
// (journal_transactions (kind, reference_type, reference_id)), so a hold is released or
// spent at most once even if two transitions raced past the row lock.
//
// Checks on request, in one transaction with the user's row locked (so concurrent requests
// of one user queue, and the balance and daily-limit checks see each other's holds): account
// not frozen, an address from the user's own book that passed validation and whose 48 h lock
// is over, amount >= the coin's minimum and > the fee, amount <= available, the daily limit,
// and last a fresh TOTP code (so a refusal for any other reason does not use up the code).
// The daily limit is per user per coin over a rolling 24 hours (not the UTC day, which would
// allow twice the limit across midnight); requested, approved, sent and confirmed
// withdrawals count, cancelled and rejected ones do not. The database refuses a negative
// balance and any transition outside the flow (migration 20261125080000) even if this code
// were wrong.
import { z } from "zod";
import type { PrismaClient, Tx } from "../db/client";
import { appendAudit } from "../audit/audit";
import { verifyUserTotp, type TotpCheck } from "../auth/totp";
import { bigIntToDecimal, decimalToBigInt } from "../db/decimal";
import type { Prisma } from "../generated/prisma/client";
import type { Asset, WithdrawalStatus } from "../generated/prisma/enums";
import { isValidIdempotencyKey, runIdempotent } from "../idempotency/idempotency";
import { InsufficientFundsError, isNegativeBalanceError, postJournal, type AccountRef } from "../ledger/ledger";
import { usableAddress } from "./address-book";
import { WITHDRAWAL_COINS } from "./addresses";
import { retryOnDeadlock } from "../db/errors";
import { coinText, minimumAmountBase, parseCoinAmount } from "./amounts";
import { refuse, refuseField, type Refusal } from "../shared/result";

export const WITHDRAWAL_SCOPE = "withdrawal.request";
export const DAILY_LIMIT_WINDOW_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------
// Injected checks: the 2FA code and the address book. Defaults are the real ones.

/** Checks (and records) a TOTP code inside the caller's transaction; see lib/auth/totp.ts. */
export type TotpVerifier = (tx: Tx, userId: string, code: string, now: Date) => Promise<TotpCheck>;

export type AddressCheck = { ok: true; address: string } | { ok: false; message: string };
/** The user's own address for this coin, if it may receive a withdrawal at `now` (default: the address book's). */
export type UsableAddressLookup = (tx: Tx, userId: string, addressId: string, coin: Asset, now: Date) => Promise<AddressCheck>;

export interface WithdrawalChecks {
  verifyTotp: TotpVerifier;
  usableAddress: UsableAddressLookup;
}

export const defaultChecks: WithdrawalChecks = {
  verifyTotp: (tx, userId, code, now) => verifyUserTotp(tx, userId, code, now),
  usableAddress,
};

// ---------------------------------------------------------------------------------------
// Views and results

/** A withdrawal as the browser and the idempotency store see it: amounts as base-unit strings. */
export type WithdrawalView = {
  id: string;
  coin: Asset;
  status: WithdrawalStatus;
  address: string;
  amountBase: string;
  networkFeeBase: string;
  netBase: string;
  reviewRequired: boolean;
  reviewReason: string | null;
  txid: string | null;
  requestedAt: string;
};

type WithdrawalRow = {
  id: string;
  userId: string;
  coin: Asset;
  address: string;
  amountBase: Prisma.Decimal;
  networkFeeBase: Prisma.Decimal;
  netBase: Prisma.Decimal;
  status: WithdrawalStatus;
  reviewRequired: boolean;
  reviewReason: string | null;
  txid: string | null;
  requestedAt: Date;
};

export function withdrawalView(row: WithdrawalRow): WithdrawalView {
  return {
    id: row.id,
    coin: row.coin,
    status: row.status,
    address: row.address,
    amountBase: decimalToBigInt(row.amountBase).toString(),
    networkFeeBase: decimalToBigInt(row.networkFeeBase).toString(),
    netBase: decimalToBigInt(row.netBase).toString(),
    reviewRequired: row.reviewRequired,
    reviewReason: row.reviewReason,
    txid: row.txid,
    requestedAt: row.requestedAt.toISOString(),
  };
}

export type RequestRefusalCode =
  | "IDEMPOTENCY_KEY_REQUIRED"
  | "IDEMPOTENCY_KEY_INVALID"
  | "IDEMPOTENCY_KEY_REUSED"
  | "IDEMPOTENCY_KEY_EXPIRED"
  | "INVALID_REQUEST"
  | "ACCOUNT_NOT_FOUND"
  | "ACCOUNT_FROZEN"
  | "TOTP_NOT_ENABLED"
  | "TOTP_INVALID"
  | "TOTP_REPLAYED"
  | "TOTP_LOCKED"
  | "ADDRESS_UNUSABLE"
  | "BELOW_MINIMUM"
  | "INSUFFICIENT_FUNDS"
  | "DAILY_LIMIT_EXCEEDED";

export { coinText, minimumAmountBase, parseCoinAmount };

export type RequestField = "coin" | "addressId" | "amount" | "totpCode";

/** The HTTP status of each code is the API edge's (lib/api/error-codes.ts). */
export type RequestRefusal = Refusal<RequestRefusalCode>;
export type RequestOutcome = { ok: true; status: 200 | 201; replayed: boolean; withdrawal: WithdrawalView } | RequestRefusal;

/** A refusal; one about a field carries the message beside that field too. */
function refusal(code: RequestRefusalCode, message: string, field?: RequestField): RequestRefusal {
  return field ? refuseField(code, field, message) : refuse(code, message);
}

const TOTP_CODES: Record<Exclude<TotpCheck, { ok: true }>["reason"], RequestRefusalCode> = {
  NOT_ENABLED: "TOTP_NOT_ENABLED",
  INVALID: "TOTP_INVALID",
  REPLAYED: "TOTP_REPLAYED",
  LOCKED: "TOTP_LOCKED",
};

// ---------------------------------------------------------------------------------------
// Amounts

export interface CoinWithdrawalTerms {
  asset: Asset;
  decimals: number;
  minBase: bigint;
  feeBase: bigint;
  reviewThresholdBase: bigint;
  dailyLimitBase: bigint;
}

export async function coinWithdrawalTerms(db: Pick<Tx, "coin">, coin: Asset): Promise<CoinWithdrawalTerms | null> {
  const row = await db.coin.findUnique({ where: { asset: coin } });
  if (!row) return null;
  return {
    asset: row.asset,
    decimals: row.decimals,
    minBase: decimalToBigInt(row.withdrawalMinBase),
    feeBase: decimalToBigInt(row.withdrawalFeeBase),
    reviewThresholdBase: decimalToBigInt(row.reviewThresholdBase),
    dailyLimitBase: decimalToBigInt(row.dailyLimitBase),
  };
}

// ---------------------------------------------------------------------------------------
// Request

export const withdrawalRequestSchema = z.object({
  coin: z.enum(WITHDRAWAL_COINS, { error: "Choose a coin." }),
  addressId: z.uuid({ error: "Choose an address from your address book." }),
  amount: z.string({ error: "Enter an amount." }).trim().min(1, "Enter an amount.").max(60, "The amount is too long."),
  totpCode: z.string({ error: "Enter the code from your authenticator app." }).trim().min(1, "Enter the 6-digit code from your authenticator app."),
});
export type WithdrawalRequestBody = z.input<typeof withdrawalRequestSchema>;

export interface RequestWithdrawalInput {
  userId: string;
  body: unknown;
  idempotencyKey: string | null;
  ip?: string | null;
  now?: Date;
  checks?: WithdrawalChecks;
}

export async function requestWithdrawal(prisma: PrismaClient, input: RequestWithdrawalInput): Promise<RequestOutcome> {
  const checks = input.checks ?? defaultChecks;
  const now = input.now ?? new Date();
  if (!input.idempotencyKey) return refusal("IDEMPOTENCY_KEY_REQUIRED", "Send an Idempotency-Key with every withdrawal.");
  if (!isValidIdempotencyKey(input.idempotencyKey)) {
    return refusal("IDEMPOTENCY_KEY_INVALID", "Idempotency-Key must be 8-128 letters, digits, '-' or '_'.");
  }
  const parsed = withdrawalRequestSchema.safeParse(input.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0]?.toString() as RequestField | undefined;
    return refusal("INVALID_REQUEST", issue?.message ?? "Invalid withdrawal request.", field);
  }
  const body = parsed.data;
  const terms = await coinWithdrawalTerms(prisma, body.coin);
  if (!terms) return refusal("INVALID_REQUEST", `${body.coin} cannot be withdrawn.`, "coin");
  const amount = parseCoinAmount(body.amount, terms.decimals);
  if (!amount.ok) return refusal("INVALID_REQUEST", amount.message, "amount");
  const amountBase = amount.value;
  const minimum = minimumAmountBase(terms);
  if (amountBase < minimum) {
    return refusal("BELOW_MINIMUM", `The minimum ${body.coin} withdrawal is ${coinText(minimum, terms.decimals)} ${body.coin}.`, "amount");
  }

  // The code is not part of the request: a retry with a fresh code is the same withdrawal.
  const request = { coin: body.coin, addressId: body.addressId, amountBase: amountBase.toString() };
  let outcome;
  try {
    outcome = await runIdempotent<{ withdrawal: WithdrawalView } | { error: { code: string; message: string; fieldErrors?: Record<string, string> } }>(
      prisma,
      {
        userId: input.userId,
        scope: WITHDRAWAL_SCOPE,
        key: input.idempotencyKey,
        request,
        now,
        // One queue per user, entered before the key is claimed: the balance and limit checks
        // see every earlier request's hold, and the TOTP check's own row lock cannot deadlock.
        lockFirst: async (tx) => {
          await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${input.userId}::uuid FOR NO KEY UPDATE`;
        },
        // A burst of one user's requests queues on that lock: wait for a connection and the
        // lock longer than Prisma's 2 s / 5 s defaults rather than fail the later ones.
        transaction: { maxWait: 15_000, timeout: 30_000 },
      },
      async (tx) => {
        const result = await requestInTransaction(tx, checks, { userId: input.userId, key: input.idempotencyKey!, terms, amountBase, body, now, ip: input.ip ?? null });
        if (result.ok) return { status: 201, body: { withdrawal: result.withdrawal } };
        // Refusals are not stored (so never replayed, and their status is never read): the retry
        // after fixing the cause runs again. A wrong code's failed attempt is committed all the
        // same (forget commits the transaction).
        const { code, message, fieldErrors } = result;
        return { status: 0, body: { error: { code, message, ...(fieldErrors ? { fieldErrors } : {}) } }, forget: true };
      },
    );
  } catch (error) {
    // Backstop: the database refused the overdraft (a concurrent debit outside this queue).
    if (error instanceof InsufficientFundsError || isNegativeBalanceError(error)) {
      return refusal("INSUFFICIENT_FUNDS", "Your available balance does not cover this withdrawal.", "amount");
    }
    throw error;
  }
  if ("withdrawal" in outcome.body) {
    return { ok: true, status: outcome.replayed ? 200 : 201, replayed: outcome.replayed, withdrawal: outcome.body.withdrawal };
  }
  const error: { code: string; message: string; fieldErrors?: Record<string, string> } = outcome.body.error;
  return refuse(error.code as RequestRefusalCode, error.message, error.fieldErrors);
}

interface RequestContext {
  userId: string;
  key: string;
  terms: CoinWithdrawalTerms;
  amountBase: bigint;
  body: z.output<typeof withdrawalRequestSchema>;
  now: Date;
  ip: string | null;
}

async function requestInTransaction(
  tx: Tx,
  checks: WithdrawalChecks,
  ctx: RequestContext,
): Promise<{ ok: true; withdrawal: WithdrawalView } | RequestRefusal> {
  const { userId, terms, amountBase, body, now } = ctx;
  const coin = body.coin;
  // The user row is locked (lockFirst), so this read and the checks below are current.
  const [user] = await tx.$queryRaw<{ frozen_at: Date | null }[]>`SELECT frozen_at FROM users WHERE id = ${userId}::uuid`;
  if (!user) return refusal("ACCOUNT_NOT_FOUND", "Sign in again to withdraw.");
  if (user.frozen_at) return refusal("ACCOUNT_FROZEN", "Your account is frozen: withdrawals are disabled. Contact support.");

  // A key is remembered for 24 h; after that the same key would be a new request, but the
  // withdrawal it made keeps the key for good: refuse instead of tripping the unique index.
  const earlier = await tx.withdrawal.findFirst({ where: { userId, idempotencyKey: ctx.key }, select: { id: true } });
  if (earlier) {
    return refusal("IDEMPOTENCY_KEY_EXPIRED", "This Idempotency-Key made a withdrawal more than 24 hours ago: send a new key for a new withdrawal.");
  }

  const address = await checks.usableAddress(tx, userId, body.addressId, coin, now);
  if (!address.ok) return refusal("ADDRESS_UNUSABLE", address.message, "addressId");

  const [available] = await tx.$queryRaw<{ balance: string }[]>`
    SELECT balance::text AS balance FROM ledger_accounts
     WHERE type = 'USER_AVAILABLE' AND asset = ${coin}::asset AND user_id = ${userId}::uuid`;
  const availableBase = available ? BigInt(available.balance) : 0n;
  if (amountBase > availableBase) {
    return refusal("INSUFFICIENT_FUNDS", `Your available balance is ${coinText(availableBase, terms.decimals)} ${coin}: it does not cover this withdrawal.`, "amount");
  }

  const since = new Date(now.getTime() - DAILY_LIMIT_WINDOW_MS);
  const [window] = await tx.$queryRaw<{ total: string }[]>`
    SELECT COALESCE(sum(amount_base), 0)::text AS total FROM withdrawals
     WHERE user_id = ${userId}::uuid AND coin = ${coin}::asset AND requested_at > ${since}
       AND status NOT IN ('CANCELLED', 'REJECTED')`;
  const usedBase = BigInt(window?.total ?? "0");
  if (usedBase + amountBase > terms.dailyLimitBase) {
    const left = terms.dailyLimitBase > usedBase ? terms.dailyLimitBase - usedBase : 0n;
    return refusal(
      "DAILY_LIMIT_EXCEEDED",
      `This exceeds your ${coin} withdrawal limit of ${coinText(terms.dailyLimitBase, terms.decimals)} ${coin} per 24 hours: ` +
        `${coinText(left, terms.decimals)} ${coin} left now.`,
      "amount",
    );
  }

  // Last, so a refusal above does not use up the code.
  const totp = await checks.verifyTotp(tx, userId, body.totpCode, now);
  if (!totp.ok) {
    const message = totp.reason === "NOT_ENABLED" ? "Turn on two-factor authentication before withdrawing." : totp.message;
    return refusal(TOTP_CODES[totp.reason], message, "totpCode");
  }

  const reviewRequired = amountBase >= terms.reviewThresholdBase;
  const feeBase = terms.feeBase;
  const created = await tx.withdrawal.create({
    data: {
      userId,
      coin,
      addressId: body.addressId,
      address: address.address,
      amountBase: bigIntToDecimal(amountBase),
      networkFeeBase: bigIntToDecimal(feeBase),
      netBase: bigIntToDecimal(amountBase - feeBase),
      status: "REQUESTED",
      reviewRequired,
      idempotencyKey: ctx.key,
      requestedAt: now,
    },
  });
  await postJournal(tx, {
    kind: "WITHDRAWAL_REQUEST",
    description: `Withdrawal of ${coinText(amountBase, terms.decimals)} ${coin} requested: funds held`,
    referenceType: "withdrawal",
    referenceId: created.id,
    postings: [
      { account: userAccount("USER_AVAILABLE", coin, userId), amount: -amountBase },
      { account: userAccount("USER_HELD", coin, userId), amount: amountBase },
    ],
  });
  await appendAudit(tx, {
    actorId: userId,
    action: "withdrawal.requested",
    entityType: "withdrawal",
    entityId: created.id,
    ip: ctx.ip,
    details: {
      coin,
      amountBase: amountBase.toString(),
      networkFeeBase: feeBase.toString(),
      netBase: (amountBase - feeBase).toString(),
      addressId: body.addressId,
      address: address.address,
      reviewRequired,
    },
  });
  if (reviewRequired) return { ok: true, withdrawal: withdrawalView(created) };
  const approved = await tx.withdrawal.update({ where: { id: created.id }, data: { status: "APPROVED", approvedAt: now } });
  await appendAudit(tx, {
    actorId: null,
    action: "withdrawal.approved",
    entityType: "withdrawal",
    entityId: created.id,
    details: { automatic: true, reason: `below the ${coin} review threshold of ${terms.reviewThresholdBase} base units` },
  });
  return { ok: true, withdrawal: withdrawalView(approved) };
}

function userAccount(type: "USER_AVAILABLE" | "USER_HELD", asset: Asset, userId: string): AccountRef {
  return { type, asset, userId };
}

function platformAccount(type: "WITHDRAWALS_IN_FLIGHT" | "MINING_CLEARING" | "PLATFORM_FEES", asset: Asset): AccountRef {
  return { type, asset, userId: null };
}

// ---------------------------------------------------------------------------------------
// Transitions after the request

export type TransitionRefusalCode = "NOT_FOUND" | "ILLEGAL_TRANSITION" | "INVALID" | "FORBIDDEN";
export type TransitionResult = { ok: true; withdrawal: WithdrawalView } | { ok: false; code: TransitionRefusalCode; message: string; field?: string };

const STATE_WORDS: Record<WithdrawalStatus, string> = {
  REQUESTED: "is waiting for review",
  APPROVED: "is approved and waiting to be sent",
  SENT: "has already been sent",
  CONFIRMED: "is already confirmed",
  REJECTED: "was rejected",
  CANCELLED: "was cancelled",
};

interface LockedWithdrawal {
  id: string;
  user_id: string;
  coin: Asset;
  status: WithdrawalStatus;
  amount_base: string;
  network_fee_base: string;
  net_base: string;
  processor: string | null;
  frozen_at: Date | null;
}

async function lockWithdrawal(tx: Tx, withdrawalId: string): Promise<LockedWithdrawal | null> {
  const [row] = await tx.$queryRaw<LockedWithdrawal[]>`
    SELECT w.id, w.user_id, w.coin, w.status, w.amount_base::text AS amount_base,
           w.network_fee_base::text AS network_fee_base, w.net_base::text AS net_base, w.processor, u.frozen_at
      FROM withdrawals w JOIN users u ON u.id = w.user_id
     WHERE w.id = ${withdrawalId}::uuid
       FOR UPDATE OF w`;
  return row ?? null;
}

const uuid = z.uuid();

interface TransitionSpec {
  withdrawalId: string;
  /** States this transition may start from. */
  from: WithdrawalStatus[];
  /** What the refusal says is not possible, e.g. "cancelled". */
  verb: string;
  /** Ownership and other preconditions; a refusal, or null to go on. */
  guard?: (row: LockedWithdrawal) => { code: TransitionRefusalCode; message: string } | null;
  apply: (tx: Tx, row: LockedWithdrawal) => Promise<void>;
}

async function transition(prisma: PrismaClient, spec: TransitionSpec): Promise<TransitionResult> {
  if (!uuid.safeParse(spec.withdrawalId).success) return { ok: false, code: "NOT_FOUND", message: "This withdrawal was not found." };
  // The withdrawal row is locked first, the ledger accounts after; another transaction holding
  // one of those accounts and then asking for this withdrawal makes a deadlock, and PostgreSQL
  // rolls one side back: the transition is run again rather than failing the admin's or the
  // processor's click.
  return retryOnDeadlock(() => transitionOnce(prisma, spec));
}

async function transitionOnce(prisma: PrismaClient, spec: TransitionSpec): Promise<TransitionResult> {
  return prisma.$transaction(async (tx) => {
    const row = await lockWithdrawal(tx, spec.withdrawalId);
    if (!row) return { ok: false as const, code: "NOT_FOUND" as const, message: "This withdrawal was not found." };
    const refused = spec.guard?.(row);
    if (refused) return { ok: false as const, ...refused };
    if (!spec.from.includes(row.status)) {
      return { ok: false as const, code: "ILLEGAL_TRANSITION" as const, message: `This withdrawal ${STATE_WORDS[row.status]}: it cannot be ${spec.verb}.` };
    }
    await spec.apply(tx, row);
    const updated = await tx.withdrawal.findUniqueOrThrow({ where: { id: row.id } });
    return { ok: true as const, withdrawal: withdrawalView(updated) };
  });
}

async function releaseHold(tx: Tx, row: LockedWithdrawal, why: string): Promise<void> {
  const amount = BigInt(row.amount_base);
  await postJournal(tx, {
    kind: "WITHDRAWAL_RELEASE",
    description: `Withdrawal ${why}: hold released`,
    referenceType: "withdrawal",
    referenceId: row.id,
    postings: [
      { account: userAccount("USER_HELD", row.coin, row.user_id), amount: -amount },
      { account: userAccount("USER_AVAILABLE", row.coin, row.user_id), amount },
    ],
  });
}

export interface ActorInput {
  withdrawalId: string;
  ip?: string | null;
  now?: Date;
}

/** The owner cancels while the withdrawal still waits for review (nothing is sent then). */
export function cancelWithdrawal(prisma: PrismaClient, input: ActorInput & { userId: string }): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["REQUESTED"],
    verb: "cancelled",
    guard: (row) => (row.user_id === input.userId ? null : { code: "NOT_FOUND", message: "This withdrawal was not found." }),
    apply: async (tx, row) => {
      await releaseHold(tx, row, "cancelled by the customer");
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "CANCELLED", closedAt: now } });
      await appendAudit(tx, { actorId: input.userId, action: "withdrawal.cancelled", entityType: "withdrawal", entityId: row.id, ip: input.ip ?? null, details: {} });
    },
  });
}

function notOwnWithdrawal(adminId: string) {
  return (row: LockedWithdrawal) =>
    row.user_id === adminId ? { code: "FORBIDDEN" as const, message: "You cannot review your own withdrawal: another admin must." } : null;
}

/** An admin approves a withdrawal waiting for review (never their own; not for a frozen account). */
export function approveWithdrawal(prisma: PrismaClient, input: ActorInput & { adminId: string }): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["REQUESTED"],
    verb: "approved",
    guard: (row) =>
      notOwnWithdrawal(input.adminId)(row) ??
      (row.frozen_at ? { code: "FORBIDDEN", message: "The account is frozen: unfreeze it first, or reject the withdrawal." } : null),
    apply: async (tx, row) => {
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "APPROVED", approvedAt: now, reviewedById: input.adminId } });
      await appendAudit(tx, { actorId: input.adminId, action: "withdrawal.approved", entityType: "withdrawal", entityId: row.id, ip: input.ip ?? null, details: { automatic: false } });
    },
  });
}

export const reviewReasonSchema = z
  .string({ error: "Give a reason." })
  .trim()
  .min(3, "Give a reason the customer will see (at least 3 characters).")
  .max(500, "Keep the reason under 500 characters.");

/** An admin rejects a withdrawal not yet sent, with a reason the customer sees; the hold is released. */
export function rejectWithdrawal(prisma: PrismaClient, input: ActorInput & { adminId: string; reason: string }): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  const reason = reviewReasonSchema.safeParse(input.reason);
  if (!reason.success) return Promise.resolve({ ok: false, code: "INVALID", message: reason.error.issues[0]!.message, field: "reason" });
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["REQUESTED", "APPROVED"],
    verb: "rejected",
    guard: (row) =>
      notOwnWithdrawal(input.adminId)(row) ??
      (row.processor && row.processor !== MANUAL_PROCESSOR_NAME
        ? { code: "ILLEGAL_TRANSITION", message: `The ${row.processor} processor has taken this withdrawal: it may already be on its way.` }
        : null),
    apply: async (tx, row) => {
      await releaseHold(tx, row, "rejected");
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "REJECTED", closedAt: now, reviewedById: input.adminId, reviewReason: reason.data } });
      await appendAudit(tx, { actorId: input.adminId, action: "withdrawal.rejected", entityType: "withdrawal", entityId: row.id, ip: input.ip ?? null, details: { reason: reason.data, from: row.status } });
    },
  });
}

/** A transaction id: 64 hex digits (BTC family, KAS, XMR), with 0x for ETC. Stored lower-case. */
export function normalizeTxid(coin: Asset, text: string): string | null {
  const value = text.trim().toLowerCase();
  if (coin === "ETC") return /^0x[0-9a-f]{64}$/.test(value) ? value : null;
  return /^[0-9a-f]{64}$/.test(value) ? value : null;
}

export type SendActor = { adminId: string } | { processor: string };

/** Records that an approved withdrawal was broadcast with `txid`: held funds -> in flight. */
export function markWithdrawalSent(prisma: PrismaClient, input: ActorInput & { by: SendActor; txid: string }): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["APPROVED"],
    verb: "marked sent",
    guard: (row) => {
      if ("adminId" in input.by) {
        const own = notOwnWithdrawal(input.by.adminId)(row);
        if (own) return own;
        if (row.processor && row.processor !== MANUAL_PROCESSOR_NAME) {
          return { code: "FORBIDDEN", message: `The ${row.processor} processor sends this withdrawal; it records the txid itself.` };
        }
      } else if (row.processor !== input.by.processor) {
        return { code: "FORBIDDEN", message: `This withdrawal was not handed to the ${input.by.processor} processor.` };
      }
      return normalizeTxid(row.coin, input.txid)
        ? null
        : { code: "INVALID", message: row.coin === "ETC" ? "Enter the transaction id: 0x and 64 hex digits." : "Enter the transaction id: 64 hex digits." };
    },
    apply: async (tx, row) => {
      const txid = normalizeTxid(row.coin, input.txid)!;
      const amount = BigInt(row.amount_base);
      await postJournal(tx, {
        kind: "WITHDRAWAL_SEND",
        description: `Withdrawal sent in ${txid}`,
        referenceType: "withdrawal",
        referenceId: row.id,
        postings: [
          { account: userAccount("USER_HELD", row.coin, row.user_id), amount: -amount },
          { account: platformAccount("WITHDRAWALS_IN_FLIGHT", row.coin), amount },
        ],
      });
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "SENT", txid, sentAt: now } });
      await appendAudit(tx, {
        actorId: "adminId" in input.by ? input.by.adminId : null,
        action: "withdrawal.sent",
        entityType: "withdrawal",
        entityId: row.id,
        ip: input.ip ?? null,
        details: { txid, ...("processor" in input.by ? { processor: input.by.processor } : {}) },
      });
    },
  });
}

/** Records the on-chain confirmation: the net leaves the platform's custody, the fee is income. */
export function markWithdrawalConfirmed(prisma: PrismaClient, input: ActorInput & { adminId: string }): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["SENT"],
    verb: "marked confirmed",
    apply: async (tx, row) => {
      const amount = BigInt(row.amount_base);
      const fee = BigInt(row.network_fee_base);
      const net = BigInt(row.net_base);
      await postJournal(tx, {
        kind: "WITHDRAWAL_CONFIRM",
        description: "Withdrawal confirmed on chain",
        referenceType: "withdrawal",
        referenceId: row.id,
        postings: [
          { account: platformAccount("WITHDRAWALS_IN_FLIGHT", row.coin), amount: -amount },
          { account: platformAccount("MINING_CLEARING", row.coin), amount: net },
          ...(fee > 0n ? [{ account: platformAccount("PLATFORM_FEES", row.coin), amount: fee }] : []),
        ],
      });
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "CONFIRMED", confirmedAt: now } });
      await appendAudit(tx, { actorId: input.adminId, action: "withdrawal.confirmed", entityType: "withdrawal", entityId: row.id, ip: input.ip ?? null, details: {} });
    },
  });
}

// ---------------------------------------------------------------------------------------
// Processors: who sends approved withdrawals. The state machine does not care which runs.

export interface ProcessorWithdrawal {
  id: string;
  coin: Asset;
  address: string;
  netBase: bigint;
}

export type ProcessorOutcome = { status: "queued" } | { status: "sent"; txid: string };

export interface WithdrawalProcessor {
  name: string;
  /** Hands over one approved withdrawal: broadcast it ("sent" with the txid) or queue it for later. */
  submit(withdrawal: ProcessorWithdrawal): Promise<ProcessorOutcome>;
}

export const MANUAL_PROCESSOR_NAME = "manual";

/**
 * No chain node is reachable from the platform: approved withdrawals are recorded for an
 * admin, who sends them from the custody wallet and marks them sent with the txid.
 */
export const manualProcessor: WithdrawalProcessor = {
  name: MANUAL_PROCESSOR_NAME,
  async submit() {
    return { status: "queued" };
  },
};

/**
 * Hands approved withdrawals no processor has taken yet (oldest approval first, frozen
 * accounts skipped) to `processor`. Claims rows with SKIP LOCKED so any number of workers
 * share the queue; returns how many were handed over.
 */
export async function processApprovedWithdrawals(prisma: PrismaClient, processor: WithdrawalProcessor, limit = 50): Promise<number> {
  const claimed = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; coin: Asset; address: string; net_base: string }[]>`
      UPDATE withdrawals w SET processor = ${processor.name}, submitted_at = now(), updated_at = now()
       WHERE w.id IN (
         SELECT x.id FROM withdrawals x JOIN users u ON u.id = x.user_id
          WHERE x.status = 'APPROVED' AND x.submitted_at IS NULL AND u.frozen_at IS NULL
          ORDER BY x.approved_at LIMIT ${limit}
            FOR UPDATE OF x SKIP LOCKED)
      RETURNING w.id, w.coin, w.address, w.net_base::text AS net_base`;
    for (const row of rows) {
      await appendAudit(tx, { actorId: null, action: "withdrawal.submitted", entityType: "withdrawal", entityId: row.id, details: { processor: processor.name } });
    }
    return rows;
  });
  for (const row of claimed) {
    let outcome: ProcessorOutcome;
    try {
      outcome = await processor.submit({ id: row.id, coin: row.coin, address: row.address, netBase: BigInt(row.net_base) });
    } catch (error) {
      // Not handed over: back to the queue for the next round.
      await prisma.$transaction(async (tx) => {
        await tx.withdrawal.updateMany({ where: { id: row.id, status: "APPROVED" }, data: { processor: null, submittedAt: null } });
        await appendAudit(tx, {
          actorId: null,
          action: "withdrawal.submit_failed",
          entityType: "withdrawal",
          entityId: row.id,
          details: { processor: processor.name, error: error instanceof Error ? error.message : String(error) },
        });
      });
      continue;
    }
    if (outcome.status === "sent") {
      await markWithdrawalSent(prisma, { withdrawalId: row.id, by: { processor: processor.name }, txid: outcome.txid });
    }
  }
  return claimed.length;
}

// ---------------------------------------------------------------------------------------
// Freezing accounts

export interface FreezeInput {
  adminId: string;
  userId: string;
  ip?: string | null;
  now?: Date;
}

export type FreezeResult = { ok: true } | { ok: false; code: "NOT_FOUND" | "INVALID" | "FORBIDDEN" | "UNCHANGED"; message: string; field?: string };

/** Freezes an account: no sign-in, no withdrawal request, approved ones are not processed. */
export async function freezeAccount(prisma: PrismaClient, input: FreezeInput & { reason: string }): Promise<FreezeResult> {
  const reason = reviewReasonSchema.safeParse(input.reason);
  if (!reason.success) return { ok: false, code: "INVALID", message: reason.error.issues[0]!.message, field: "reason" };
  if (input.adminId === input.userId) return { ok: false, code: "FORBIDDEN", message: "You cannot freeze your own account." };
  if (!uuid.safeParse(input.userId).success) return { ok: false, code: "NOT_FOUND", message: "This account was not found." };
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ frozen_at: Date | null }[]>`SELECT frozen_at FROM users WHERE id = ${input.userId}::uuid FOR UPDATE`;
    if (!row) return { ok: false as const, code: "NOT_FOUND" as const, message: "This account was not found." };
    if (row.frozen_at) return { ok: false as const, code: "UNCHANGED" as const, message: "This account is already frozen." };
    await tx.user.update({ where: { id: input.userId }, data: { frozenAt: now, frozenReason: reason.data } });
    await appendAudit(tx, { actorId: input.adminId, action: "account.frozen", entityType: "user", entityId: input.userId, ip: input.ip ?? null, details: { reason: reason.data } });
    return { ok: true as const };
  });
}

export async function unfreezeAccount(prisma: PrismaClient, input: FreezeInput): Promise<FreezeResult> {
  if (!uuid.safeParse(input.userId).success) return { ok: false, code: "NOT_FOUND", message: "This account was not found." };
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ frozen_at: Date | null; frozen_reason: string | null }[]>`
      SELECT frozen_at, frozen_reason FROM users WHERE id = ${input.userId}::uuid FOR UPDATE`;
    if (!row) return { ok: false as const, code: "NOT_FOUND" as const, message: "This account was not found." };
    if (!row.frozen_at) return { ok: false as const, code: "UNCHANGED" as const, message: "This account is not frozen." };
    await tx.user.update({ where: { id: input.userId }, data: { frozenAt: null, frozenReason: null } });
    await appendAudit(tx, {
      actorId: input.adminId,
      action: "account.unfrozen",
      entityType: "user",
      entityId: input.userId,
      ip: input.ip ?? null,
      details: { frozenAt: row.frozen_at.toISOString(), frozenReason: row.frozen_reason },
    });
    return { ok: true as const };
  });
}
