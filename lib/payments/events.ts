// Stripe webhook events, applied exactly once: the event id is stored in the same
// transaction as its effect, so a replay finds it and does nothing, and a failure stores
// nothing (Stripe retries). Unknown event types are stored and otherwise ignored.
import { activatePaidCheckout, releaseCheckout } from "../contracts/checkout";
import type { PrismaClient } from "../db/client";

export interface StripeEventLike {
  id: string;
  type: string;
  data: { object: unknown };
}

interface SessionLike {
  id: string;
  payment_status?: string;
  amount_total?: number | null;
}

export type EventResult = { duplicate: true } | { duplicate: false; effect: string };

export async function applyStripeEvent(prisma: PrismaClient, event: StripeEventLike): Promise<EventResult> {
  return prisma.$transaction(async (tx) => {
    const stored = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO stripe_events (id, type, payload) VALUES (${event.id}, ${event.type}, ${JSON.stringify(event)}::jsonb)
      ON CONFLICT (id) DO NOTHING RETURNING id`;
    if (stored.length === 0) return { duplicate: true as const };
    const session = event.data.object as SessionLike;
    switch (event.type) {
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded": {
        if (session.payment_status !== "paid") return { duplicate: false as const, effect: "awaiting_payment" };
        const outcome = await activatePaidCheckout(tx, {
          sessionId: session.id,
          amountPaidCents: BigInt(session.amount_total ?? 0),
          eventId: event.id,
        });
        return { duplicate: false as const, effect: outcome.outcome };
      }
      case "checkout.session.expired":
      case "checkout.session.async_payment_failed": {
        const effect = await releaseCheckout(tx, { sessionId: session.id, reason: "EXPIRED", eventId: event.id });
        return { duplicate: false as const, effect };
      }
      default:
        return { duplicate: false as const, effect: "ignored" };
    }
  });
}
