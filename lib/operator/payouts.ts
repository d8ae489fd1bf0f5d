// Payouts of the operator's USD payable (DESIGN.md "Ledger", "Withdrawals and 2FA", "Audit"):
// the operator's share of contract sales, less under-delivery credits, paid to the operator's
// verified bank account through its Stripe Connect account (a transfer from the platform's Stripe
// balance; Stripe then pays the connected account's bank on its payout schedule).
//
// Flow, each step one transaction with its journal (where value moves) and its audit line:
//   request  -> IN_REVIEW (from the review threshold) or APPROVED   OPERATOR_PAYOUT_REQUEST
//               OPERATOR_PAYABLE -amount, WITHDRAWALS_IN_FLIGHT +amount (the amount is held)
//   review   IN_REVIEW -> APPROVED (no value moves) | REJECTED      OPERATOR_PAYOUT_RETURN
//   send     APPROVED: Stripe transfer (idempotency key = the payout id), then
//            -> PAID    OPERATOR_PAYOUT_PAID    WITHDRAWALS_IN_FLIGHT -amount, STRIPE_CLEARING +amount
//            -> FAILED  OPERATOR_PAYOUT_RETURN  WITHDRAWALS_IN_FLIGHT -amount, OPERATOR_PAYABLE +amount
// STRIPE_CLEARING is debit-normal (its negative balance is the money the platform holds at
// Stripe, lib/contracts/checkout.ts): the transfer takes money out of it. Every journal balances,
// so no step creates money; each journal kind is unique per payout (journal_transactions' unique
// (kind, reference_type, reference_id)), so a hold is spent or returned at most once.
//
// Request checks, with the operator's user row locked (concurrent requests of one operator queue
// and see each other's holds): account not frozen, operator role, a linked payout account,
// whole cents, amount >= minimum, amount <= the payable's balance, the rolling 24 h limit
// (open and paid payouts count; rejected and failed ones do not), and last a fresh TOTP code (a
// refusal for any other reason does not use the code up). The payable is never taken below
// zero by a payout: the balance is read again after the hold, in the same transaction, so an
// under-delivery credit posted meanwhile by a payout run rolls the request back instead.
// (Under-delivery credits themselves may take the payable below zero — the operator then owes
// the platform — as they always could; a payout then waits for new sales.)
// Idempotency: the Idempotency-Key covers the amount (not the code); the same key replays the
// first payout, and the (operator_id, idempotency_key) unique index has the last word.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/audit";
import { totpRefusalCode, verifyUserTotp, type TotpCheck, type TotpRefusalCode } from "../auth/totp";
import type { PrismaClient, Tx } from "../db/client";
import type { OperatorPayoutStatus } from "../generated/prisma/enums";
import { checkIdempotencyKey, runIdempotent, type IdempotencyRefusalCode } from "../idempotency/idempotency";
import { InsufficientFundsError, postJournal, type AccountRef } from "../ledger/ledger";
import type { Stripe } from "../payments/stripe";
import { DAY_MS } from "../shared/days";
import { parseDecimal } from "../shared/decimal";
import { refuse, refuseField, type Refusal } from "../shared/result";
import { isWholeCents, usdCents, usdExact } from "../shared/usd";

export const OPERATOR_PAYOUT_SCOPE = "operator-payout.request";
export const PAYOUT_LIMIT_WINDOW_MS = DAY_MS;
const MICRO_PER_CENT = 10_000n;

export interface PayoutTerms {
  minMicroUsd: bigint;
  /** From this amount an admin reviews the payout first. */
  reviewThresholdMicroUsd: bigint;
  dailyLimitMicroUsd: bigint;
}

/** $1 minimum (Stripe's transfers take from 1 cent; below $1 the bank fee would dominate), review from $1,000, $10,000 per 24 h. */
export const PAYOUT_TERMS: PayoutTerms = {
  minMicroUsd: 1_000_000n,
  reviewThresholdMicroUsd: 1_000_000_000n,
  dailyLimitMicroUsd: 10_000_000_000n,
};

/** A platform's own review threshold (whole dollars and cents, at least the minimum); default $1,000. */
export const REVIEW_THRESHOLD_ENV = "OPERATOR_PAYOUT_REVIEW_FROM_USD";

/** The payout terms of this instance: PAYOUT_TERMS, with the review threshold from the environment if set. */
export function payoutTerms(env: Record<string, string | undefined> = process.env): PayoutTerms {
  const raw = env[REVIEW_THRESHOLD_ENV]?.trim();
  if (!raw) return PAYOUT_TERMS;
  const cents = parseDecimal(raw, 2, { maxWholeDigits: 12 });
  const threshold = cents.ok ? cents.value * MICRO_PER_CENT : 0n;
  if (threshold < PAYOUT_TERMS.minMicroUsd) {
    throw new Error(
      `${REVIEW_THRESHOLD_ENV} must be a US dollar amount of at least $1.00, e.g. 1000.00 (got "${raw}")`,
    );
  }
  return { ...PAYOUT_TERMS, reviewThresholdMicroUsd: threshold };
}

/** An amount in a message or a journal line: to the cent when it is whole cents (every payout is), exactly otherwise. */
function usdText(microUsd: bigint): string {
  return isWholeCents(microUsd) ? usdCents(microUsd) : usdExact(microUsd);
}

function payable(operatorId: string): AccountRef {
  return { type: "OPERATOR_PAYABLE", asset: "USD", userId: operatorId };
}
const IN_FLIGHT: AccountRef = { type: "WITHDRAWALS_IN_FLIGHT", asset: "USD", userId: null };
const STRIPE_CLEARING: AccountRef = { type: "STRIPE_CLEARING", asset: "USD", userId: null };

export type OperatorPayoutView = {
  id: string;
  amountMicroUsd: string;
  status: OperatorPayoutStatus;
  reviewRequired: boolean;
  bankLast4: string;
  requestedAt: string;
};

function view(row: {
  id: string;
  amountMicroUsd: bigint;
  status: OperatorPayoutStatus;
  reviewRequired: boolean;
  bankLast4: string;
  requestedAt: Date;
}): OperatorPayoutView {
  return {
    id: row.id,
    amountMicroUsd: row.amountMicroUsd.toString(),
    status: row.status,
    reviewRequired: row.reviewRequired,
    bankLast4: row.bankLast4,
    requestedAt: row.requestedAt.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------
// The payout account (Stripe Connect)

export type LinkRefusalCode = "INVALID_REQUEST" | "PAYOUT_ACCOUNT_UNUSABLE" | "PAYOUT_ACCOUNT_TAKEN" | TotpRefusalCode;

export const linkAccountSchema = z.object({
  stripeAccountId: z
    .string({ error: "Enter your Stripe account id (acct_…)." })
    .trim()
    .regex(/^acct_[A-Za-z0-9]{1,64}$/, "Enter your Stripe account id (acct_…)."),
  totpCode: z
    .string({ error: "Enter the code from your authenticator app." })
    .trim()
    .min(1, "Enter the 6-digit code from your authenticator app."),
});

/**
 * Links the operator's Stripe Connect account after Stripe's hosted onboarding: kept only if
 * Stripe says it can be paid (transfers capability active, payouts enabled) and a bank account
 * is on file, whose last four digits are shown on every payout. Where the money goes is as
 * sensitive as a payout itself, so a fresh TOTP code is checked last (a refusal for any other
 * reason does not use the code up; a wrong code's failed attempt is committed all the same).
 */
export async function linkPayoutAccount(
  prisma: PrismaClient,
  stripe: Stripe,
  input: {
    operatorId: string;
    body: unknown;
    ip?: string | null;
    now?: Date;
    verifyTotp?: TotpVerifier;
  },
): Promise<{ ok: true; bankLast4: string } | Refusal<LinkRefusalCode>> {
  const now = input.now ?? new Date();
  const verifyTotp = input.verifyTotp ?? ((tx, userId, code, at) => verifyUserTotp(tx, userId, code, at));
  const parsed = linkAccountSchema.safeParse(input.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuseField("INVALID_REQUEST", issue?.path[0]?.toString() ?? "form", issue?.message ?? "Invalid account.");
  }
  const id = parsed.data.stripeAccountId;
  let account: Stripe.Account;
  try {
    account = await stripe.accounts.retrieve(id);
  } catch {
    return refuseField("PAYOUT_ACCOUNT_UNUSABLE", "stripeAccountId", "Stripe does not know this account.");
  }
  const bank = account.external_accounts?.data.find((a): a is Stripe.BankAccount => a.object === "bank_account");
  if (!account.payouts_enabled || account.capabilities?.transfers !== "active" || !bank) {
    return refuseField(
      "PAYOUT_ACCOUNT_UNUSABLE",
      "stripeAccountId",
      "This Stripe account cannot receive payouts yet: finish Stripe's onboarding (identity and a bank account).",
    );
  }
  return prisma.$transaction(async (tx) => {
    const other = await tx.operatorPayoutAccount.findUnique({ where: { stripeAccountId: id } });
    if (other && other.operatorId !== input.operatorId) {
      return refuseField(
        "PAYOUT_ACCOUNT_TAKEN",
        "stripeAccountId",
        "This Stripe account is linked to another operator.",
      );
    }
    const totp = await verifyTotp(tx, input.operatorId, parsed.data.totpCode, now);
    if (!totp.ok) {
      const message =
        totp.reason === "NOT_ENABLED"
          ? "Turn on two-factor authentication before linking a payout account."
          : totp.message;
      return refuseField(totpRefusalCode(totp.reason), "totpCode", message);
    }
    await recordPayoutAccount(tx, {
      operatorId: input.operatorId,
      stripeAccountId: id,
      bankName: bank.bank_name ?? "Bank account",
      bankLast4: bank.last4,
      ip: input.ip ?? null,
    });
    return { ok: true as const, bankLast4: bank.last4 };
  });
}

/** Stores (or replaces) the operator's verified payout account, with its audit line. */
export async function recordPayoutAccount(
  tx: Tx,
  input: { operatorId: string; stripeAccountId: string; bankName: string; bankLast4: string; ip: string | null },
): Promise<void> {
  const data = { stripeAccountId: input.stripeAccountId, bankName: input.bankName, bankLast4: input.bankLast4 };
  await tx.operatorPayoutAccount.upsert({
    where: { operatorId: input.operatorId },
    create: { operatorId: input.operatorId, ...data },
    update: { ...data, linkedAt: new Date() },
  });
  await appendAudit(tx, {
    actorId: input.operatorId,
    action: "operator_payout_account.linked",
    entityType: "user",
    entityId: input.operatorId,
    ip: input.ip,
    details: data,
  });
}

// ---------------------------------------------------------------------------------------
// Request

export type PayoutRefusalCode =
  | IdempotencyRefusalCode
  | "INVALID_REQUEST"
  | "ACCOUNT_NOT_FOUND"
  | "ACCOUNT_FROZEN"
  | "FORBIDDEN"
  | "PAYOUT_ACCOUNT_MISSING"
  | TotpRefusalCode
  | "BELOW_MINIMUM"
  | "INSUFFICIENT_FUNDS"
  | "DAILY_LIMIT_EXCEEDED";
export type PayoutRefusal = Refusal<PayoutRefusalCode>;
export type PayoutOutcome = { ok: true; replayed: boolean; payout: OperatorPayoutView } | PayoutRefusal;

export const payoutRequestSchema = z.object({
  amount: z.string({ error: "Enter an amount." }).trim().min(1, "Enter an amount.").max(30, "The amount is too long."),
  totpCode: z
    .string({ error: "Enter the code from your authenticator app." })
    .trim()
    .min(1, "Enter the 6-digit code from your authenticator app."),
});

export type TotpVerifier = (tx: Tx, userId: string, code: string, now: Date) => Promise<TotpCheck>;

export interface RequestPayoutInput {
  operatorId: string;
  body: unknown;
  idempotencyKey: string | null;
  ip?: string | null;
  now?: Date;
  terms?: PayoutTerms;
  verifyTotp?: TotpVerifier;
}

export async function requestOperatorPayout(prisma: PrismaClient, input: RequestPayoutInput): Promise<PayoutOutcome> {
  const now = input.now ?? new Date();
  const terms = input.terms ?? payoutTerms();
  const verifyTotp = input.verifyTotp ?? ((tx, userId, code, at) => verifyUserTotp(tx, userId, code, at));
  const checked = checkIdempotencyKey(input.idempotencyKey, "payout");
  if (!checked.ok) return refuse(checked.code, checked.message);
  const parsed = payoutRequestSchema.safeParse(input.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuseField("INVALID_REQUEST", issue?.path[0]?.toString() ?? "form", issue?.message ?? "Invalid payout.");
  }
  const cents = parseDecimal(parsed.data.amount.replace(/^\$/, ""), 2, { maxWholeDigits: 12 });
  if (!cents.ok) {
    const message =
      cents.reason === "fractionTooLong" ? "Pay out whole cents." : "Enter an amount in US dollars, e.g. 12.50.";
    return refuseField("INVALID_REQUEST", "amount", message);
  }
  const amount = cents.value * MICRO_PER_CENT;
  if (amount < terms.minMicroUsd) {
    return refuseField("BELOW_MINIMUM", "amount", `The minimum payout is ${usdText(terms.minMicroUsd)}.`);
  }
  const key = checked.key;
  let outcome;
  try {
    outcome = await runIdempotent<
      { payout: OperatorPayoutView } | { error: { code: string; message: string; field?: string } }
    >(
      prisma,
      {
        userId: input.operatorId,
        scope: OPERATOR_PAYOUT_SCOPE,
        key,
        request: { amountMicroUsd: amount.toString() },
        now,
        lockFirst: async (tx) => {
          await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${input.operatorId}::uuid FOR NO KEY UPDATE`;
        },
        transaction: { maxWait: 15_000, timeout: 30_000 },
      },
      async (tx) => {
        const result = await requestInTransaction(tx, {
          operatorId: input.operatorId,
          key,
          amount,
          totpCode: parsed.data.totpCode,
          now,
          ip: input.ip ?? null,
          terms,
          verifyTotp,
        });
        if (result.ok) return { status: 201, body: { payout: result.payout } };
        const field = result.fieldErrors ? Object.keys(result.fieldErrors)[0] : undefined;
        // Refusals are not stored: a corrected retry with the same key runs again (a wrong
        // code's failed attempt is committed all the same).
        return {
          status: 0,
          body: { error: { code: result.code, message: result.message, ...(field ? { field } : {}) } },
          forget: true,
        };
      },
    );
  } catch (error) {
    if (error instanceof InsufficientFundsError || error instanceof PayableOverdrawnError) {
      return refuseField("INSUFFICIENT_FUNDS", "amount", "Your payable does not cover this payout.");
    }
    throw error;
  }
  if ("payout" in outcome.body) return { ok: true, replayed: outcome.replayed, payout: outcome.body.payout };
  const error: { code: string; message: string; field?: string } = outcome.body.error;
  const code = error.code as PayoutRefusalCode;
  return error.field ? refuseField(code, error.field, error.message) : refuse(code, error.message);
}

class PayableOverdrawnError extends Error {}

async function requestInTransaction(
  tx: Tx,
  ctx: {
    operatorId: string;
    key: string;
    amount: bigint;
    totpCode: string;
    now: Date;
    ip: string | null;
    terms: PayoutTerms;
    verifyTotp: TotpVerifier;
  },
): Promise<{ ok: true; payout: OperatorPayoutView } | PayoutRefusal> {
  const { operatorId, amount, now, terms } = ctx;
  const user = await tx.user.findUnique({ where: { id: operatorId }, select: { frozenAt: true, roles: true } });
  if (!user) return refuse("ACCOUNT_NOT_FOUND", "Sign in again to request a payout.");
  if (user.frozenAt) return refuse("ACCOUNT_FROZEN", "Your account is frozen: payouts are disabled. Contact support.");
  if (!user.roles.includes("OPERATOR")) return refuse("FORBIDDEN", "Only operators have a payable to pay out.");
  const earlier = await tx.operatorPayout.findFirst({
    where: { operatorId, idempotencyKey: ctx.key },
    select: { id: true },
  });
  if (earlier) {
    return refuse(
      "IDEMPOTENCY_KEY_EXPIRED",
      "This Idempotency-Key made a payout more than 24 hours ago: send a new key for a new payout.",
    );
  }
  const account = await tx.operatorPayoutAccount.findUnique({ where: { operatorId } });
  if (!account)
    return refuse("PAYOUT_ACCOUNT_MISSING", "Link a verified bank account (Stripe) before requesting a payout.");

  const [row] = await tx.$queryRaw<{ balance: string }[]>`
    SELECT balance::text AS balance FROM ledger_accounts
     WHERE type = 'OPERATOR_PAYABLE' AND asset = 'USD' AND user_id = ${operatorId}::uuid`;
  const balance = BigInt(row?.balance ?? "0");
  if (amount > balance) {
    const text = balance > 0n ? usdText(balance) : "$0.00";
    return refuseField("INSUFFICIENT_FUNDS", "amount", `Your payable is ${text}: it does not cover this payout.`);
  }
  const since = new Date(now.getTime() - PAYOUT_LIMIT_WINDOW_MS);
  const [window] = await tx.$queryRaw<{ total: string }[]>`
    SELECT COALESCE(sum(amount_micro_usd), 0)::text AS total FROM operator_payouts
     WHERE operator_id = ${operatorId}::uuid AND requested_at > ${since} AND status NOT IN ('REJECTED', 'FAILED')`;
  const used = BigInt(window?.total ?? "0");
  if (used + amount > terms.dailyLimitMicroUsd) {
    const left = terms.dailyLimitMicroUsd > used ? terms.dailyLimitMicroUsd - used : 0n;
    return refuseField(
      "DAILY_LIMIT_EXCEEDED",
      "amount",
      `This exceeds the payout limit of ${usdText(terms.dailyLimitMicroUsd)} per 24 hours: ${usdText(left)} left now.`,
    );
  }
  // Last, so a refusal above does not use up the code.
  const totp = await ctx.verifyTotp(tx, operatorId, ctx.totpCode, now);
  if (!totp.ok) {
    const message =
      totp.reason === "NOT_ENABLED" ? "Turn on two-factor authentication before requesting a payout." : totp.message;
    return refuseField(totpRefusalCode(totp.reason), "totpCode", message);
  }

  const reviewRequired = amount >= terms.reviewThresholdMicroUsd;
  const created = await tx.operatorPayout.create({
    data: {
      id: randomUUID(),
      operatorId,
      amountMicroUsd: amount,
      status: reviewRequired ? "IN_REVIEW" : "APPROVED",
      reviewRequired,
      stripeAccountId: account.stripeAccountId,
      bankLast4: account.bankLast4,
      idempotencyKey: ctx.key,
      requestedAt: now,
    },
  });
  await postJournal(tx, {
    kind: "OPERATOR_PAYOUT_REQUEST",
    description: `Payout of ${usdText(amount)} to bank account ••${account.bankLast4} requested: held`,
    referenceType: "operator_payout",
    referenceId: created.id,
    postings: [
      { account: payable(operatorId), amount: -amount },
      { account: IN_FLIGHT, amount },
    ],
  });
  // The payable's row was locked by the posting: this read is current. A concurrent
  // under-delivery credit took it below the amount: roll back, never leave it negative.
  const [after] = await tx.$queryRaw<{ balance: string }[]>`
    SELECT balance::text AS balance FROM ledger_accounts
     WHERE type = 'OPERATOR_PAYABLE' AND asset = 'USD' AND user_id = ${operatorId}::uuid`;
  if (BigInt(after?.balance ?? "0") < 0n) throw new PayableOverdrawnError();
  await appendAudit(tx, {
    actorId: operatorId,
    action: "operator_payout.requested",
    entityType: "operator_payout",
    entityId: created.id,
    ip: ctx.ip,
    details: {
      amountMicroUsd: amount.toString(),
      stripeAccountId: account.stripeAccountId,
      bankLast4: account.bankLast4,
      reviewRequired,
    },
  });
  return { ok: true, payout: view(created) };
}

// ---------------------------------------------------------------------------------------
// Review, settle, fail

export type TransitionRefusalCode = "NOT_FOUND" | "CONFLICT" | "FORBIDDEN";

/** Locks the payout row; the transition is decided on what it says now. */
async function lockPayout(tx: Tx, payoutId: string) {
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM operator_payouts WHERE id = ${payoutId}::uuid FOR UPDATE`;
  if (rows.length === 0) return null;
  return tx.operatorPayout.findUniqueOrThrow({ where: { id: payoutId } });
}

async function returnToPayable(
  tx: Tx,
  payout: { id: string; operatorId: string; amountMicroUsd: bigint },
  why: string,
) {
  await postJournal(tx, {
    kind: "OPERATOR_PAYOUT_RETURN",
    description: `Payout of ${usdText(payout.amountMicroUsd)} ${why}: returned to the payable`,
    referenceType: "operator_payout",
    referenceId: payout.id,
    postings: [
      { account: IN_FLIGHT, amount: -payout.amountMicroUsd },
      { account: payable(payout.operatorId), amount: payout.amountMicroUsd },
    ],
  });
}

/** An admin approves (it is then sent) or rejects (the hold returns to the payable) a payout in review. */
export async function reviewOperatorPayout(
  prisma: PrismaClient,
  input: {
    adminId: string;
    payoutId: string;
    decision: "approve" | "reject";
    reason?: string;
    ip?: string | null;
    now?: Date;
  },
): Promise<{ ok: true; status: OperatorPayoutStatus } | Refusal<TransitionRefusalCode>> {
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const payout = await lockPayout(tx, input.payoutId);
    if (!payout) return refuse("NOT_FOUND", "Payout not found.");
    if (payout.operatorId === input.adminId) return refuse("FORBIDDEN", "You cannot review your own payout.");
    if (payout.status !== "IN_REVIEW")
      return refuse("CONFLICT", `This payout is ${payout.status.toLowerCase()}, not in review.`);
    const reason = input.reason?.trim() || null;
    if (input.decision === "reject" && !reason) return refuse("CONFLICT", "Give the reason for rejecting the payout.");
    const status = input.decision === "approve" ? "APPROVED" : "REJECTED";
    await tx.operatorPayout.update({
      where: { id: payout.id },
      data: {
        status,
        reviewedById: input.adminId,
        reviewReason: reason,
        reviewedAt: now,
        closedAt: status === "REJECTED" ? now : null,
      },
    });
    if (status === "REJECTED") await returnToPayable(tx, payout, "rejected");
    await appendAudit(tx, {
      actorId: input.adminId,
      action: status === "APPROVED" ? "operator_payout.approved" : "operator_payout.rejected",
      entityType: "operator_payout",
      entityId: payout.id,
      ip: input.ip ?? null,
      details: { operatorId: payout.operatorId, amountMicroUsd: payout.amountMicroUsd.toString(), reason },
    });
    return { ok: true as const, status };
  });
}

/** Stripe made the transfer: the held amount leaves the platform's Stripe balance. */
export async function settleOperatorPayout(
  prisma: PrismaClient,
  input: { payoutId: string; stripeTransferId: string; now?: Date },
): Promise<{ ok: true } | Refusal<TransitionRefusalCode>> {
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const payout = await lockPayout(tx, input.payoutId);
    if (!payout) return refuse("NOT_FOUND", "Payout not found.");
    if (payout.status === "PAID" && payout.stripeTransferId === input.stripeTransferId) return { ok: true as const };
    if (payout.status !== "APPROVED")
      return refuse("CONFLICT", `This payout is ${payout.status.toLowerCase()}, not approved.`);
    await tx.operatorPayout.update({
      where: { id: payout.id },
      data: { status: "PAID", stripeTransferId: input.stripeTransferId, closedAt: now },
    });
    await postJournal(tx, {
      kind: "OPERATOR_PAYOUT_PAID",
      description: `Payout of ${usdText(payout.amountMicroUsd)} paid to bank account ••${payout.bankLast4} (${input.stripeTransferId})`,
      referenceType: "operator_payout",
      referenceId: payout.id,
      postings: [
        { account: IN_FLIGHT, amount: -payout.amountMicroUsd },
        { account: STRIPE_CLEARING, amount: payout.amountMicroUsd },
      ],
    });
    await appendAudit(tx, {
      actorId: null,
      action: "operator_payout.paid",
      entityType: "operator_payout",
      entityId: payout.id,
      details: { stripeTransferId: input.stripeTransferId, amountMicroUsd: payout.amountMicroUsd.toString() },
    });
    return { ok: true as const };
  });
}

/** Stripe refused the transfer for good: the held amount returns to the payable. */
export async function failOperatorPayout(
  prisma: PrismaClient,
  input: { payoutId: string; reason: string; now?: Date },
): Promise<{ ok: true } | Refusal<TransitionRefusalCode>> {
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const payout = await lockPayout(tx, input.payoutId);
    if (!payout) return refuse("NOT_FOUND", "Payout not found.");
    if (payout.status !== "APPROVED")
      return refuse("CONFLICT", `This payout is ${payout.status.toLowerCase()}, not approved.`);
    const reason = input.reason.slice(0, 500);
    await tx.operatorPayout.update({
      where: { id: payout.id },
      data: { status: "FAILED", failureReason: reason, closedAt: now },
    });
    await returnToPayable(tx, payout, "failed");
    await appendAudit(tx, {
      actorId: null,
      action: "operator_payout.failed",
      entityType: "operator_payout",
      entityId: payout.id,
      details: { reason, amountMicroUsd: payout.amountMicroUsd.toString() },
    });
    return { ok: true as const };
  });
}

/**
 * Sends one approved payout as a Stripe transfer to the operator's connected account. The
 * Stripe idempotency key is the payout's id, so a retry after a crash between Stripe's answer and
 * our commit gets the same transfer, never a second one. Stripe's refusal (4xx: e.g. the account
 * lost its transfers capability) fails the payout and returns the money; an outage or 5xx
 * leaves it approved for the next attempt.
 */
export async function sendOperatorPayout(
  prisma: PrismaClient,
  stripe: Stripe,
  payoutId: string,
): Promise<"paid" | "failed" | "retry" | "skipped"> {
  const payout = await prisma.operatorPayout.findUnique({ where: { id: payoutId } });
  if (!payout || payout.status !== "APPROVED") return "skipped";
  let transfer: Stripe.Transfer;
  try {
    transfer = await stripe.transfers.create(
      {
        amount: Number(payout.amountMicroUsd / MICRO_PER_CENT),
        currency: "usd",
        destination: payout.stripeAccountId,
        metadata: { operatorPayoutId: payout.id },
      },
      { idempotencyKey: `operator-payout-${payout.id}` },
    );
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode ?? 0;
    if (status >= 400 && status < 500 && status !== 409 && status !== 429) {
      const message = error instanceof Error ? error.message : "Stripe refused the transfer.";
      const failed = await failOperatorPayout(prisma, { payoutId, reason: message });
      return failed.ok ? "failed" : "skipped";
    }
    return "retry";
  }
  const settled = await settleOperatorPayout(prisma, { payoutId, stripeTransferId: transfer.id });
  return settled.ok ? "paid" : "skipped";
}

/** Sends every approved payout, oldest first (the job's body); counts per result. */
export async function sendApprovedOperatorPayouts(
  prisma: PrismaClient,
  stripe: Stripe,
  limit = 100,
): Promise<Record<"paid" | "failed" | "retry" | "skipped", number>> {
  const due = await prisma.operatorPayout.findMany({
    where: { status: "APPROVED" },
    orderBy: { requestedAt: "asc" },
    take: limit,
    select: { id: true },
  });
  const counts = { paid: 0, failed: 0, retry: 0, skipped: 0 };
  for (const { id } of due) counts[await sendOperatorPayout(prisma, stripe, id)] += 1;
  return counts;
}

/** The operator's payouts, newest first. */
export async function operatorPayouts(prisma: PrismaClient, operatorId: string, take = 20) {
  return prisma.operatorPayout.findMany({ where: { operatorId }, orderBy: { requestedAt: "desc" }, take });
}

/** The admin's queue (/admin/withdrawals): payouts in review, oldest first, with their operator and payable. */
export async function operatorPayoutQueue(prisma: PrismaClient, take = 50) {
  const rows = await prisma.operatorPayout.findMany({
    where: { status: { in: ["IN_REVIEW", "APPROVED"] } },
    orderBy: { requestedAt: "asc" },
    take,
    include: { operator: { select: { id: true, name: true, email: true, frozenAt: true } } },
  });
  return {
    review: rows.filter((r) => r.status === "IN_REVIEW"),
    toSend: rows.filter((r) => r.status === "APPROVED"),
  };
}
