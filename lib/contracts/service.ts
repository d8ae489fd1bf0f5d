// The purchase as one business operation for any entry point (the listing page's panel,
// the JSON route, later the HMAC API): validate, run once per idempotency key in one
// statement (lib/contracts/purchase.ts callPurchase: the key is claimed and the answer stored
// in the purchase's own transaction, with runIdempotent's rules), then — for card payments,
// outside the transaction — open the checkout.
import { randomUUID } from "node:crypto";
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { IDEMPOTENCY_KEY_INVALID_MESSAGE, isValidIdempotencyKey, requestHash } from "../idempotency/idempotency";
import { isNegativeBalanceError } from "../ledger/ledger";
import { CARD_PAYMENTS_UNAVAILABLE_MESSAGE, type CardPayments } from "../payments/config";
import { checkoutSessionUrl, createCheckoutSession, expireCheckoutSession } from "../payments/stripe";
import { refuse, type Result } from "../shared/result";
import { releaseCheckout } from "./checkout";
import { callPurchase, purchaseRequestSchema, RESERVATION_MS, type PurchaseResult } from "./purchase";

export const TEST_SESSION_PREFIX = "cs_test_local_";

export type PurchaseResponseBody =
  | (Omit<Extract<PurchaseResult, { ok: true }>, "status"> & {
      /** COMPLETED / ACTIVE only when a retried card purchase was paid meanwhile. */
      status: "ACTIVE" | "PENDING_PAYMENT" | "COMPLETED";
      checkoutUrl: string | null;
      checkoutMode: "stripe" | "test" | null;
    })
  | { error: { code: string; message: string; field?: string } };

export interface PurchaseContext {
  prisma: PrismaClient;
  user: { id: string; email: string };
  /**
   * The sign-in instant (ms) of the session the request came with: the purchase statement
   * itself then checks the account (not frozen, session not revoked, CUSTOMER role) and
   * answers 401/403. Omitted when the caller has already checked the account.
   */
  sessionAuthAt?: number;
  /** The session's user_sessions row, checked in the same statement (with sessionAuthAt). */
  sessionId?: string;
  idempotencyKey: string | null;
  body: unknown;
  ip: string | null;
  /**
   * How a card purchase is paid (lib/payments/config.ts cardPayments): Stripe, the test-mode
   * checkout, or null — card purchases refused with CARD_PAYMENTS_UNAVAILABLE before anything
   * is reserved.
   */
  card: CardPayments;
  /** Absolute origin for Stripe's return URLs, e.g. http://localhost:3000. */
  origin: string;
}

function error(status: number, code: string, message: string, field?: string) {
  return { status, body: { error: { code, message, ...(field ? { field } : {}) } } as PurchaseResponseBody };
}

export async function executePurchase(ctx: PurchaseContext): Promise<{ status: number; body: PurchaseResponseBody }> {
  if (!ctx.idempotencyKey)
    return error(400, "IDEMPOTENCY_KEY_REQUIRED", "Send an Idempotency-Key with every purchase.");
  const parsed = purchaseRequestSchema.safeParse(ctx.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return error(422, "INVALID_REQUEST", issue?.message ?? "Invalid purchase request.", issue?.path[0]?.toString());
  }
  if (!isValidIdempotencyKey(ctx.idempotencyKey)) {
    return error(422, "IDEMPOTENCY_KEY_INVALID", IDEMPOTENCY_KEY_INVALID_MESSAGE);
  }
  if (parsed.data.paymentMethod === "CARD" && ctx.card === null) {
    return error(409, "CARD_PAYMENTS_UNAVAILABLE", CARD_PAYMENTS_UNAVAILABLE_MESSAGE, "paymentMethod");
  }
  // One statement: session check, key claim (or replay), the purchase and its stored answer.
  let outcome;
  try {
    outcome = await callPurchase(ctx.prisma, {
      customerId: ctx.user.id,
      request: parsed.data,
      ip: ctx.ip,
      sessionAuthAt: ctx.sessionAuthAt,
      sessionId: ctx.sessionId,
      idempotency: { key: ctx.idempotencyKey, requestHash: requestHash(parsed.data) },
      requireVerifiedEmail: true,
    });
  } catch (e) {
    if (isNegativeBalanceError(e))
      return error(409, "INSUFFICIENT_FUNDS", "Your balance does not cover this contract.", "paymentMethod");
    throw e;
  }
  if (outcome.status >= 400) return { status: outcome.status, body: outcome.body as PurchaseResponseBody };
  const contract = outcome.body as Extract<PurchaseResult, { ok: true }>;
  if (contract.status !== "PENDING_PAYMENT") {
    return { status: outcome.replayed ? 200 : 201, body: { ...contract, checkoutUrl: null, checkoutMode: null } };
  }
  const checkout = await openCheckout(ctx, contract.contractId);
  if (!checkout.ok) {
    // A retry of a card purchase whose checkout has closed since: answer what became of it.
    if (outcome.replayed) {
      const now = await ctx.prisma.contract.findFirst({
        where: { id: contract.contractId, customerId: ctx.user.id },
        select: { status: true },
      });
      if (now?.status === "ACTIVE" || now?.status === "COMPLETED") {
        return { status: 200, body: { ...contract, status: now.status, checkoutUrl: null, checkoutMode: null } };
      }
      if (now?.status === "EXPIRED" || now?.status === "CANCELLED") {
        return error(
          409,
          "RESERVATION_CLOSED",
          "Your earlier reservation for these terms has closed without payment. Buy again to reserve the capacity anew.",
        );
      }
    }
    if (checkout.code === "CARD_PAYMENTS_UNAVAILABLE")
      return error(409, checkout.code, checkout.message, "paymentMethod");
    return error(502, "CHECKOUT_UNAVAILABLE", checkout.message);
  }
  return {
    status: outcome.replayed ? 200 : 201,
    body: { ...contract, checkoutUrl: checkout.url, checkoutMode: checkout.mode },
  };
}

/** Opens (or finds again) the checkout for a pending contract. */
export async function openCheckout(
  ctx: Pick<PurchaseContext, "prisma" | "user" | "card" | "origin">,
  contractId: string,
): Promise<
  Result<
    { url: string; mode: "stripe" | "test" },
    "RESERVATION_CLOSED" | "CHECKOUT_CLOSED" | "CHECKOUT_UNAVAILABLE" | "CARD_PAYMENTS_UNAVAILABLE"
  >
> {
  const contract = await ctx.prisma.contract.findFirst({
    where: { id: contractId, customerId: ctx.user.id },
    include: { listing: { select: { title: true } } },
  });
  if (!contract || contract.status !== "PENDING_PAYMENT" || contract.chargedCents === null) {
    return refuse("RESERVATION_CLOSED", RESERVATION_CLOSED_MESSAGE);
  }
  if (ctx.card === null) return refuse("CARD_PAYMENTS_UNAVAILABLE", CARD_PAYMENTS_UNAVAILABLE_MESSAGE);
  if (ctx.card === "test") {
    const sessionId = contract.stripeCheckoutSessionId ?? `${TEST_SESSION_PREFIX}${contract.id}`;
    if (!contract.stripeCheckoutSessionId) {
      await ctx.prisma.contract.updateMany({
        where: { id: contract.id, stripeCheckoutSessionId: null },
        data: { stripeCheckoutSessionId: sessionId },
      });
    }
    return { ok: true, url: `/checkout/test/${contract.id}`, mode: "test" };
  }
  try {
    if (contract.stripeCheckoutSessionId) {
      const url = await checkoutSessionUrl(ctx.card, contract.stripeCheckoutSessionId);
      return url ? { ok: true, url, mode: "stripe" } : refuse("CHECKOUT_CLOSED", "This checkout has closed.");
    }
    const reservedUntil = contract.reservedUntil ?? new Date(Date.now() + RESERVATION_MS);
    const session = await createCheckoutSession(ctx.card, {
      contractId: contract.id,
      cents: contract.chargedCents,
      productName: `Hashrate contract — ${contract.listing.title} (${contract.days} days)`,
      customerEmail: ctx.user.email,
      successUrl: `${ctx.origin}/dashboard?purchased=${contract.id}`,
      cancelUrl: `${ctx.origin}/marketplace/${contract.listingId}?checkout=cancelled`,
      // Stripe's minimum is 30 minutes from now; the reservation job may release earlier, and
      // a payment after that re-reserves or is credited to the balance.
      expiresAt: new Date(Math.max(reservedUntil.getTime(), Date.now() + RESERVATION_MS) + 60_000),
    });
    await ctx.prisma.contract.updateMany({
      where: { id: contract.id, stripeCheckoutSessionId: null },
      data: { stripeCheckoutSessionId: session.id },
    });
    return { ok: true, url: session.url, mode: "stripe" };
  } catch (e) {
    await cancelReservation(
      ctx.prisma,
      contract.id,
      `checkout could not be opened: ${e instanceof Error ? e.message : String(e)}`,
    );
    return refuse(
      "CHECKOUT_UNAVAILABLE",
      "Card payment is unavailable right now; your reservation was released. Try again or pay from balance.",
    );
  }
}

const RESERVATION_CLOSED_MESSAGE = "This reservation is no longer waiting for payment.";

/**
 * The customer gives up a card checkout they have not paid. With Stripe, the session is expired
 * there first, so it can no longer be paid; then the reservation is released and audited as
 * theirs, in one transaction. A checkout paid meanwhile is left to its webhook (it activates).
 */
export async function cancelCheckout(
  ctx: Pick<PurchaseContext, "prisma" | "user" | "card" | "ip">,
  contractId: string,
): Promise<Result<{ contractId: string }, "RESERVATION_CLOSED" | "CHECKOUT_UNAVAILABLE">> {
  const contract = await ctx.prisma.contract.findFirst({
    where: { id: contractId, customerId: ctx.user.id },
    select: { id: true, status: true, stripeCheckoutSessionId: true },
  });
  if (!contract || contract.status !== "PENDING_PAYMENT")
    return refuse("RESERVATION_CLOSED", RESERVATION_CLOSED_MESSAGE);
  const actor = { userId: ctx.user.id, ip: ctx.ip };
  const sessionId = contract.stripeCheckoutSessionId;
  if (!sessionId) {
    // No checkout was ever opened for it: nothing can be paid.
    await cancelReservation(ctx.prisma, contract.id, "cancelled by the customer", actor);
    return { ok: true, contractId: contract.id };
  }
  if (ctx.card !== null && ctx.card !== "test" && !sessionId.startsWith(TEST_SESSION_PREFIX)) {
    let state: "expired" | "complete";
    try {
      state = await expireCheckoutSession(ctx.card, sessionId);
    } catch {
      return refuse(
        "CHECKOUT_UNAVAILABLE",
        "Stripe could not be reached to close the checkout; nothing was charged. Try again in a minute.",
      );
    }
    if (state === "complete") {
      return refuse("RESERVATION_CLOSED", "This checkout was paid: the contract activates as Stripe confirms it.");
    }
  }
  const outcome = await ctx.prisma.$transaction((tx) =>
    releaseCheckout(tx, { sessionId, reason: "CANCELLED", eventId: newEventId(), actor }),
  );
  return outcome === "released"
    ? { ok: true, contractId: contract.id }
    : refuse("RESERVATION_CLOSED", RESERVATION_CLOSED_MESSAGE);
}

/** Releases a pending reservation that can no longer be paid (e.g. Stripe unreachable), or that its customer gave up. */
export async function cancelReservation(
  prisma: PrismaClient,
  contractId: string,
  reason: string,
  actor: { userId: string; ip: string | null } | null = null,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const updated = await tx.contract.updateMany({
      where: { id: contractId, status: "PENDING_PAYMENT" },
      data: { status: "CANCELLED", reservedUntil: null },
    });
    if (updated.count === 0) return;
    await tx.allocation.updateMany({
      where: { contractId, status: "RESERVED" },
      data: { status: "RELEASED", releasedAt: new Date() },
    });
    await appendAudit(tx, {
      actorId: actor?.userId ?? null,
      action: "contract.reservation_cancelled",
      entityType: "contract",
      entityId: contractId,
      ip: actor?.ip ?? null,
      details: { reason },
    });
  });
}

export function newEventId(): string {
  return `evt_local_${randomUUID().replaceAll("-", "")}`;
}
