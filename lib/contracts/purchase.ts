// Buying a contract: validate the terms, lock the listing's active rigs (always in id order,
// so concurrent buyers queue instead of deadlocking), plan the allocation over their free
// capacity, write the contract and its allocations, the audit line, and for balance payments
// post the journal at once. Card purchases only reserve the capacity for RESERVATION_MS; the
// Stripe webhook activates them (lib/contracts/checkout.ts).
// All of it is one PL/pgSQL function, purchase_contract (migration
// 20261125050000_purchase_function), called in one statement: a purchase is one round trip,
// so rig locks and the platform revenue account are held only as long as the database works.
// Its plan is plan_allocation, checked equal to lib/allocation/plan.ts by plan-sql.test.ts; its
// prices, messages, key rules and session checks follow the TypeScript rules they replaced
// (purchase-statement.test.ts pins them to ./pricing.ts, formatInUnit and runIdempotent).
// The database refuses an oversold rig or a negative balance even if this code were wrong.
import { z } from "zod";
import { EMAIL_UNVERIFIED_MESSAGE } from "../auth/messages";
import { LAST_SEEN_THROTTLE_MS, SESSION_MAX_AGE_S } from "../auth/session-limits";
import type { PrismaClient, Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Asset, PaymentMethod } from "../generated/prisma/enums";
import { IDEMPOTENCY_TTL_MS } from "../idempotency/idempotency";
import { DAY_MS, startOfUtcDay } from "../shared/days";
import { refuse, refuseField, type Refusal } from "../shared/result";
import { PLATFORM_FEE_BPS } from "./pricing";

/** Coins a balance purchase can be paid with (every asset but USD). */
export const PAY_COINS = ["BTC", "LTC", "DOGE", "BCH", "KAS", "ETC", "XMR"] as const satisfies readonly Exclude<
  Asset,
  "USD"
>[];
export type PayCoin = (typeof PAY_COINS)[number];

export const RESERVATION_MS = 30 * 60 * 1000;

export const purchaseRequestSchema = z.object({
  listingId: z.uuid({ error: "Choose a listing." }),
  hashrate: z
    .string({ error: "Enter a hashrate." })
    .trim()
    .min(1, "Enter a hashrate.")
    .max(40, "Hashrate is too long."),
  days: z.coerce
    .number({ error: "Enter the number of days." })
    .int("Days must be a whole number.")
    .min(1, "A contract lasts at least 1 day.")
    .max(3650, "A contract lasts at most 3650 days."),
  paymentMethod: z.enum(["CARD", "BALANCE_USD", "BALANCE_COIN"], { error: "Choose how to pay." }),
  /** BALANCE_COIN: the coin paid with (any coin the customer holds); absent means the listing's coin. */
  payCoin: z.enum(PAY_COINS, { error: "Choose a coin to pay with." }).optional(),
});
export type PurchaseRequest = z.infer<typeof purchaseRequestSchema>;

export type PurchaseFailureCode =
  "LISTING_UNAVAILABLE" | "INVALID_TERMS" | "NOT_ENOUGH_CAPACITY" | "INSUFFICIENT_FUNDS" | "NO_PRICE";

export type PurchaseResult =
  | {
      ok: true;
      contractId: string;
      status: "ACTIVE" | "PENDING_PAYMENT";
      paymentMethod: PaymentMethod;
      hashrateHs: string;
      days: number;
      totalPriceMicroUsd: string;
      chargedCents: string | null;
      paidCoinBase: string | null;
      /** Coin-balance purchases: the coin paid, its base units, the rate (micro-USD per whole coin) and its day. */
      paidAsset: PayCoin | null;
      paidAmountBase: string | null;
      rateMicroUsd: string | null;
      rateDay: string | null;
      reservedUntil: string | null;
    }
  | Refusal<PurchaseFailureCode>;

export type PurchaseFailureField = "hashrate" | "days" | "paymentMethod";

/** A contract starts on the UTC day after activation and runs `days` days. */
export function contractTerm(activatedAt: Date, days: number): { startDay: Date; endDay: Date } {
  const startDay = new Date(startOfUtcDay(activatedAt).getTime() + DAY_MS);
  return { startDay, endDay: new Date(startDay.getTime() + (days - 1) * DAY_MS) };
}

interface RigRow {
  id: string;
  nominal: bigint;
  used: bigint;
}

/** Locks the listing's ACTIVE rigs (id order) and returns their free capacity. */
export async function lockListingRigs(tx: Tx, listingId: string): Promise<RigRow[]> {
  const rigs = await tx.$queryRaw<{ id: string; nominal: bigint }[]>`
    SELECT id, nominal_hashrate_hs AS nominal FROM rigs
     WHERE listing_id = ${listingId}::uuid AND status = 'ACTIVE'
     ORDER BY id FOR UPDATE`;
  if (rigs.length === 0) return [];
  const used = await tx.$queryRaw<{ rig_id: string; used: string }[]>`
    SELECT rig_id, sum(hashrate_hs)::text AS used FROM allocations
     WHERE rig_id = ANY(${rigs.map((r) => r.id)}::uuid[]) AND status IN ('RESERVED', 'LIVE')
     GROUP BY rig_id`;
  const usedByRig = new Map(used.map((u) => [u.rig_id, BigInt(u.used)]));
  return rigs.map((r) => ({ id: r.id, nominal: BigInt(r.nominal), used: usedByRig.get(r.id) ?? 0n }));
}

export interface PurchaseCall {
  customerId: string;
  request: PurchaseRequest;
  now?: Date;
  ip?: string | null;
  /** Sign-in instant (ms) of the caller's session: the account is checked in the same statement. */
  sessionAuthAt?: number;
  /**
   * The caller's server-side session (user_sessions.id): when given, the same statement also
   * requires it to be the customer's, unrevoked and live (401 otherwise, nothing stored), and
   * moves its last_seen_at at most once a minute.
   */
  sessionId?: string;
  /** Claim this key (scope contract.purchase) and store the answer, as runIdempotent does. */
  idempotency?: { key: string; requestHash: string };
  /** Refuse (403 EMAIL_UNVERIFIED, nothing stored) while the customer's address is unproven. */
  requireVerifiedEmail?: boolean;
}

export interface PurchaseAnswer {
  status: number;
  /** The JSON answer: a PurchaseResult's fields on success, else { error: { code, message, field } }. */
  body: Record<string, unknown>;
  replayed: boolean;
}

const NIL_UUID = "00000000-0000-0000-0000-000000000000";
/** A malformed id matches no session instead of failing the uuid cast. */
function sessionIdOrNil(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id : NIL_UUID;
}
/** purchase_contract's own answer to a signed-out caller, for an ended session. */
const SESSION_ENDED_ANSWER = JSON.stringify({
  status: 401,
  replayed: false,
  body: { error: { code: "UNAUTHENTICATED", message: "Sign in to buy a contract." } },
});

/** The answer to an account whose email address is not verified yet (no key is claimed). */
const EMAIL_UNVERIFIED_ANSWER = JSON.stringify({
  status: 403,
  replayed: false,
  body: { error: { code: "EMAIL_UNVERIFIED", message: EMAIL_UNVERIFIED_MESSAGE.buy } },
});

/**
 * Runs purchase_contract in one statement: its own transaction, or the caller's `tx`. With a
 * session id the statement first checks that session's row (the function is only evaluated
 * when it is live: CASE evaluates only the branch it takes for a volatile function); with
 * requireVerifiedEmail it also requires the account's address to be verified (an account that
 * does not exist falls through to the function's own 401).
 */
export async function callPurchase(db: PrismaClient | Tx, input: PurchaseCall): Promise<PurchaseAnswer> {
  const { request } = input;
  const now = input.now ?? new Date();
  const authAt = input.sessionAuthAt === undefined ? null : new Date(input.sessionAuthAt);
  const call = Prisma.sql`purchase_contract(
      ${input.customerId}::uuid, ${authAt}::timestamptz,
      ${input.idempotency?.key ?? null}::text, ${input.idempotency?.requestHash ?? null}::text,
      ${`${IDEMPOTENCY_TTL_MS} milliseconds`}::interval,
      ${request.listingId}::uuid, ${request.hashrate.trim()}::text, ${request.days}::integer,
      ${request.paymentMethod}::payment_method, ${`${RESERVATION_MS} milliseconds`}::interval,
      ${Number(PLATFORM_FEE_BPS)}::integer, ${input.ip ?? null}::text, ${now}::timestamptz,
      ${request.payCoin ?? null}::asset)`;
  const gated = input.requireVerifiedEmail
    ? Prisma.sql`CASE WHEN EXISTS (
        SELECT 1 FROM users WHERE id = ${input.customerId}::uuid AND email_verified_at IS NULL
      ) THEN ${EMAIL_UNVERIFIED_ANSWER}::jsonb ELSE ${call} END`
    : call;
  const rows =
    input.sessionId === undefined
      ? await db.$queryRaw<{ answer: PurchaseAnswer | string }[]>`SELECT ${gated} AS answer`
      : await db.$queryRaw<{ answer: PurchaseAnswer | string }[]>`
    WITH live AS (
      SELECT id FROM user_sessions
       WHERE id = ${sessionIdOrNil(input.sessionId)}::uuid AND user_id = ${input.customerId}::uuid
         AND revoked_at IS NULL AND last_seen_at > ${new Date(now.getTime() - SESSION_MAX_AGE_S * 1000)}
    ), seen AS (
      UPDATE user_sessions s SET last_seen_at = ${now} FROM live
       WHERE s.id = live.id AND s.last_seen_at <= ${new Date(now.getTime() - LAST_SEEN_THROTTLE_MS)}
    )
    SELECT CASE WHEN EXISTS (SELECT 1 FROM live) THEN ${gated} ELSE ${SESSION_ENDED_ANSWER}::jsonb END AS answer`;
  const answer = rows[0]?.answer;
  if (!answer) throw new Error("purchase_contract returned nothing");
  return typeof answer === "string" ? (JSON.parse(answer) as PurchaseAnswer) : answer;
}

/** One purchase inside the caller's transaction (no idempotency key, no session check). */
export async function purchaseContract(
  tx: Tx,
  input: Omit<PurchaseCall, "idempotency" | "sessionAuthAt">,
): Promise<PurchaseResult> {
  const answer = await callPurchase(tx, input);
  if (answer.status === 201) return answer.body as Extract<PurchaseResult, { ok: true }>;
  const error = (
    answer.body as { error: { code: PurchaseFailureCode; message: string; field: PurchaseFailureField | null } }
  ).error;
  return error.field ? refuseField(error.code, error.field, error.message) : refuse(error.code, error.message);
}
