// Withdrawal requests (DESIGN.md "Withdrawals and 2FA", "Ledger"): the first step of the
// state machine in withdrawal-transitions.ts. A request is one database transaction holding
// the withdrawal row, its balanced journal (WITHDRAWAL_REQUEST: the amount moves from
// USER_AVAILABLE to USER_HELD; see withdrawal-ledger.ts), its audit line and the mail with its
// single-use 30-minute confirmation link (withdrawal-confirmation.ts). The withdrawal then waits
// for that link (status REQUESTED, email_confirmed_at NULL, funds held): only the click approves
// it below the coin's review threshold or puts it in the review queue; unconfirmed, it is
// cancelled after confirm_by. The idempotency key covers coin, address and amount (not the
// code); refusals are not stored.
//
// Checks on request, in one transaction with the user's row locked (so concurrent requests
// of one user queue, and the balance and daily-limit checks see each other's holds): account
// not frozen, its withdrawals not frozen ("this wasn't me", withdrawal-freeze.ts), an address
// from the user's own book that passed validation and whose 48 h lock is over, amount >= the
// coin's minimum and > the fee, amount <= available, the daily limit, and last a fresh TOTP code
// (so a refusal for any other reason does not use up the code).
// The daily limit is per user per coin over a rolling 24 hours (not the UTC day, which would
// allow twice the limit across midnight); requested, approved, sent and confirmed
// withdrawals count, cancelled and rejected ones do not. The database refuses a negative
// balance and any transition outside the flow (migration 20261125080000) even if this code
// were wrong.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/audit";
import { EMAIL_UNVERIFIED_MESSAGE } from "../auth/messages";
import { totpRefusalCode, verifyUserTotp, type TotpCheck, type TotpRefusalCode } from "../auth/totp";
import type { PrismaClient, Tx } from "../db/client";
import { bigIntToDecimal, decimalToBigInt } from "../db/decimal";
import type { Asset } from "../generated/prisma/enums";
import { checkIdempotencyKey, runIdempotent, type IdempotencyRefusalCode } from "../idempotency/idempotency";
import { InsufficientFundsError, isNegativeBalanceError, postJournal } from "../ledger/ledger";
import { getSecrets } from "../secrets";
import { DAY_MS } from "../shared/days";
import { refuse, refuseField, type Refusal } from "../shared/result";
import { usableAddress } from "./address-book";
import { WITHDRAWAL_COINS } from "./addresses";
import { coinText, minimumAmountBase, parseCoinAmount } from "./amounts";
import { mailWithdrawalLink } from "./withdrawal-confirmation";
import { userAccount } from "./withdrawal-ledger";
import { withdrawalView, type WithdrawalView } from "./withdrawal-view";

export const WITHDRAWAL_SCOPE = "withdrawal.request";
export const DAILY_LIMIT_WINDOW_MS = DAY_MS;
export const WITHDRAWALS_FROZEN_MESSAGE =
  "Withdrawals from your account are frozen: someone used the “this wasn't me” link of a new-address notice. An admin must look at your account and lift the freeze; contact support.";

// ---------------------------------------------------------------------------------------
// Injected checks: the 2FA code and the address book. Defaults are the real ones.

/** Checks (and records) a TOTP code inside the caller's transaction; see lib/auth/totp.ts. */
export type TotpVerifier = (tx: Tx, userId: string, code: string, now: Date) => Promise<TotpCheck>;

export type AddressCheck = { ok: true; address: string } | { ok: false; message: string };
/** The user's own address for this coin, if it may receive a withdrawal at `now` (default: the address book's). */
export type UsableAddressLookup = (
  tx: Tx,
  userId: string,
  addressId: string,
  coin: Asset,
  now: Date,
) => Promise<AddressCheck>;

export interface WithdrawalChecks {
  verifyTotp: TotpVerifier;
  usableAddress: UsableAddressLookup;
}

export const defaultChecks: WithdrawalChecks = {
  verifyTotp: (tx, userId, code, now) => verifyUserTotp(tx, userId, code, now),
  usableAddress,
};

// ---------------------------------------------------------------------------------------
// Results

export type RequestRefusalCode =
  | IdempotencyRefusalCode
  | "INVALID_REQUEST"
  | "ACCOUNT_NOT_FOUND"
  | "ACCOUNT_FROZEN"
  | "WITHDRAWALS_FROZEN"
  | "EMAIL_UNVERIFIED"
  | TotpRefusalCode
  | "ADDRESS_UNUSABLE"
  | "BELOW_MINIMUM"
  | "INSUFFICIENT_FUNDS"
  | "DAILY_LIMIT_EXCEEDED";

export { coinText, minimumAmountBase, parseCoinAmount };

export type RequestField = "coin" | "addressId" | "amount" | "totpCode";

/** The HTTP status of each code is the API edge's (lib/api/error-codes.ts). */
export type RequestRefusal = Refusal<RequestRefusalCode>;
export type RequestOutcome =
  { ok: true; status: 200 | 201; replayed: boolean; withdrawal: WithdrawalView } | RequestRefusal;

/** A refusal; one about a field carries the message beside that field too. */
function refusal(code: RequestRefusalCode, message: string, field?: RequestField): RequestRefusal {
  return field ? refuseField(code, field, message) : refuse(code, message);
}

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
  totpCode: z
    .string({ error: "Enter the code from your authenticator app." })
    .trim()
    .min(1, "Enter the 6-digit code from your authenticator app."),
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
  const checked = checkIdempotencyKey(input.idempotencyKey, "withdrawal");
  if (!checked.ok) return refusal(checked.code, checked.message);
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
    return refusal(
      "BELOW_MINIMUM",
      `The minimum ${body.coin} withdrawal is ${coinText(minimum, terms.decimals)} ${body.coin}.`,
      "amount",
    );
  }

  const { authSecret } = await getSecrets();
  // The code is not part of the request: a retry with a fresh code is the same withdrawal.
  const request = { coin: body.coin, addressId: body.addressId, amountBase: amountBase.toString() };
  let outcome;
  try {
    outcome = await runIdempotent<
      | { withdrawal: WithdrawalView }
      | { error: { code: string; message: string; fieldErrors?: Record<string, string> } }
    >(
      prisma,
      {
        userId: input.userId,
        scope: WITHDRAWAL_SCOPE,
        key: checked.key,
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
        const result = await requestInTransaction(tx, checks, {
          userId: input.userId,
          key: checked.key,
          terms,
          amountBase,
          body,
          now,
          ip: input.ip ?? null,
          authSecret,
        });
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
    return {
      ok: true,
      status: outcome.replayed ? 200 : 201,
      replayed: outcome.replayed,
      withdrawal: outcome.body.withdrawal,
    };
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
  authSecret: string;
}

async function requestInTransaction(
  tx: Tx,
  checks: WithdrawalChecks,
  ctx: RequestContext,
): Promise<{ ok: true; withdrawal: WithdrawalView } | RequestRefusal> {
  const { userId, terms, amountBase, body, now } = ctx;
  const coin = body.coin;
  // The user row is locked (lockFirst), so this read and the checks below are current.
  const [user] = await tx.$queryRaw<
    { frozen_at: Date | null; withdrawals_frozen_at: Date | null; verified: boolean }[]
  >`SELECT frozen_at, withdrawals_frozen_at, email_verified_at IS NOT NULL AS verified FROM users WHERE id = ${userId}::uuid`;
  if (!user) return refusal("ACCOUNT_NOT_FOUND", "Sign in again to withdraw.");
  if (user.frozen_at)
    return refusal("ACCOUNT_FROZEN", "Your account is frozen: withdrawals are disabled. Contact support.");
  // The "this wasn't me" link of a new-address notice (withdrawal-freeze.ts).
  if (user.withdrawals_frozen_at) return refusal("WITHDRAWALS_FROZEN", WITHDRAWALS_FROZEN_MESSAGE);
  if (!user.verified) return refusal("EMAIL_UNVERIFIED", EMAIL_UNVERIFIED_MESSAGE.withdraw);

  // A key is remembered for 24 h; after that the same key would be a new request, but the
  // withdrawal it made keeps the key for good: refuse instead of tripping the unique index.
  const earlier = await tx.withdrawal.findFirst({ where: { userId, idempotencyKey: ctx.key }, select: { id: true } });
  if (earlier) {
    return refusal(
      "IDEMPOTENCY_KEY_EXPIRED",
      "This Idempotency-Key made a withdrawal more than 24 hours ago: send a new key for a new withdrawal.",
    );
  }

  const address = await checks.usableAddress(tx, userId, body.addressId, coin, now);
  if (!address.ok) return refusal("ADDRESS_UNUSABLE", address.message, "addressId");

  const [available] = await tx.$queryRaw<{ balance: string }[]>`
    SELECT balance::text AS balance FROM ledger_accounts
     WHERE type = 'USER_AVAILABLE' AND asset = ${coin}::asset AND user_id = ${userId}::uuid`;
  const availableBase = available ? BigInt(available.balance) : 0n;
  if (amountBase > availableBase) {
    return refusal(
      "INSUFFICIENT_FUNDS",
      `Your available balance is ${coinText(availableBase, terms.decimals)} ${coin}: it does not cover this withdrawal.`,
      "amount",
    );
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
    const message =
      totp.reason === "NOT_ENABLED" ? "Turn on two-factor authentication before withdrawing." : totp.message;
    return refusal(totpRefusalCode(totp.reason), message, "totpCode");
  }

  const reviewRequired = amountBase >= terms.reviewThresholdBase;
  const feeBase = terms.feeBase;
  const { email } = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const withdrawalId = randomUUID();
  // The link first (it names the row by id), so the row is written with its deadline.
  const confirmBy = await mailWithdrawalLink(tx, ctx.authSecret, {
    withdrawalId,
    userId,
    to: email,
    coin,
    decimals: terms.decimals,
    amountBase,
    feeBase,
    address: address.address,
  });
  const created = await tx.withdrawal.create({
    data: {
      id: withdrawalId,
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
      emailConfirmedAt: null,
      confirmBy,
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
  // Approval or review waits for the emailed link (confirmWithdrawalByLink).
  return { ok: true, withdrawal: withdrawalView(created) };
}
