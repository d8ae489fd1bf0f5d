// Card purchases after checkout: activation exactly once when payment arrives, release of
// the reservation when the checkout expires or is cancelled, and the scheduled expiry of
// reservations older than 30 minutes. Payment that arrives after its reservation lapsed
// re-reserves capacity if there is some; otherwise the money is credited to the customer's
// USD balance (never lost, never kept without a contract).
import { planAllocation } from "../allocation/plan";
import { appendAudit } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";
import { postJournal, type PostingInput } from "../ledger/ledger";
import { MICRO_USD_PER_CENT } from "./pricing";
import { contractTerm, lockListingRigs } from "./purchase";

export type ActivationOutcome =
  | { outcome: "activated"; contractId: string }
  | { outcome: "already_active"; contractId: string }
  | { outcome: "credited_to_balance"; contractId: string; reason: string }
  | { outcome: "unknown_session" };

interface ContractRow {
  id: string;
  customer_id: string;
  listing_id: string;
  status: string;
  hashrate_hs: bigint;
  days: number;
  total_price_micro_usd: bigint;
  platform_fee_micro_usd: bigint;
  charged_cents: bigint | null;
}

async function lockContractBySession(tx: Tx, sessionId: string): Promise<ContractRow | null> {
  const rows = await tx.$queryRaw<ContractRow[]>`
    SELECT id, customer_id, listing_id, status::text AS status, hashrate_hs, days, total_price_micro_usd,
           platform_fee_micro_usd, charged_cents
      FROM contracts WHERE stripe_checkout_session_id = ${sessionId} FOR UPDATE`;
  return rows[0] ?? null;
}

/** Re-reserves a lapsed contract's hashrate on its listing, if the capacity is still free. */
async function reallocate(tx: Tx, contract: ContractRow): Promise<boolean> {
  const rigs = await lockListingRigs(tx, contract.listing_id);
  const plan = planAllocation(
    rigs.map((r) => ({ rigId: r.id, freeHs: r.nominal - r.used })),
    BigInt(contract.hashrate_hs),
  );
  if (!plan) return false;
  await tx.allocation.createMany({
    data: plan.map((p) => ({
      contractId: contract.id,
      rigId: p.rigId,
      hashrateHs: p.hashrateHs,
      status: "LIVE" as const,
    })),
  });
  return true;
}

/**
 * `checkout.session.completed` (or the test-mode checkout): activates the contract behind the
 * session once. Replays and late or out-of-order events are harmless: the contract row is
 * locked, its status decides, and the payment journal is unique per contract.
 */
export async function activatePaidCheckout(
  tx: Tx,
  input: { sessionId: string; amountPaidCents: bigint; eventId: string; now?: Date },
): Promise<ActivationOutcome> {
  const now = input.now ?? new Date();
  const contract = await lockContractBySession(tx, input.sessionId);
  if (!contract) return { outcome: "unknown_session" };
  if (contract.status === "ACTIVE" || contract.status === "COMPLETED") {
    return { outcome: "already_active", contractId: contract.id };
  }
  // Another event for the same session (e.g. async_payment_succeeded after completed) after
  // the payment was already credited to the balance: nothing more to do.
  const settled = await tx.journalTransaction.findFirst({
    where: { kind: "STRIPE_PAYMENT", referenceType: "contract", referenceId: contract.id },
    select: { id: true },
  });
  if (settled) return { outcome: "credited_to_balance", contractId: contract.id, reason: "payment already settled" };
  const listing = await tx.listing.findUniqueOrThrow({
    where: { id: contract.listing_id },
    select: { operatorId: true },
  });
  const charged = input.amountPaidCents * MICRO_USD_PER_CENT;
  const clearing = { type: "STRIPE_CLEARING" as const, asset: "USD" as const, userId: null };

  let creditReason: string | null = null;
  if (contract.charged_cents === null || BigInt(contract.charged_cents) !== input.amountPaidCents) {
    creditReason = `amount paid (${input.amountPaidCents} cents) differs from the price charged (${contract.charged_cents} cents)`;
  } else if (contract.status === "PENDING_PAYMENT") {
    await tx.allocation.updateMany({
      where: { contractId: contract.id, status: "RESERVED" },
      data: { status: "LIVE" },
    });
  } else if (!(await reallocate(tx, contract))) {
    creditReason = "the reservation lapsed before payment and the capacity was sold meanwhile";
  }

  if (creditReason) {
    await postJournal(tx, {
      kind: "STRIPE_PAYMENT",
      description: `Card payment for contract ${contract.id} credited to balance: ${creditReason}`,
      referenceType: "contract",
      referenceId: contract.id,
      postings: [
        { account: clearing, amount: -charged },
        { account: { type: "USER_AVAILABLE", asset: "USD", userId: contract.customer_id }, amount: charged },
      ],
    });
    await appendAudit(tx, {
      actorId: null,
      action: "contract.payment_credited",
      entityType: "contract",
      entityId: contract.id,
      details: {
        eventId: input.eventId,
        sessionId: input.sessionId,
        reason: creditReason,
        amountMicroUsd: charged.toString(),
      },
    });
    return { outcome: "credited_to_balance", contractId: contract.id, reason: creditReason };
  }

  const total = BigInt(contract.total_price_micro_usd);
  const fee = BigInt(contract.platform_fee_micro_usd);
  const postings: PostingInput[] = [
    { account: clearing, amount: -charged },
    { account: { type: "OPERATOR_PAYABLE", asset: "USD", userId: listing.operatorId }, amount: total - fee },
    { account: { type: "PLATFORM_REVENUE", asset: "USD", userId: null }, amount: fee },
  ];
  if (charged !== total)
    postings.push({ account: { type: "ROUNDING", asset: "USD", userId: null }, amount: charged - total });
  await postJournal(tx, {
    kind: "STRIPE_PAYMENT",
    description: `Card payment for contract ${contract.id}`,
    referenceType: "contract",
    referenceId: contract.id,
    postings: postings.filter((p) => p.amount !== 0n),
  });
  const term = contractTerm(now, contract.days);
  await tx.contract.update({
    where: { id: contract.id },
    data: { status: "ACTIVE", activatedAt: now, startDay: term.startDay, endDay: term.endDay, reservedUntil: null },
  });
  await appendAudit(tx, {
    actorId: null,
    action: "contract.activated",
    entityType: "contract",
    entityId: contract.id,
    details: { eventId: input.eventId, sessionId: input.sessionId, chargedMicroUsd: charged.toString() },
  });
  return { outcome: "activated", contractId: contract.id };
}

/**
 * Releases a pending contract's reserved capacity (checkout expired or cancelled): by Stripe's
 * event (no actor), or by the customer giving it up (`actor`, their id and IP in the audit line).
 */
export async function releaseCheckout(
  tx: Tx,
  input: {
    sessionId: string;
    reason: "EXPIRED" | "CANCELLED";
    eventId: string;
    actor?: { userId: string; ip: string | null };
  },
): Promise<"released" | "not_pending" | "unknown_session"> {
  const contract = await lockContractBySession(tx, input.sessionId);
  if (!contract) return "unknown_session";
  if (contract.status !== "PENDING_PAYMENT") return "not_pending";
  await tx.allocation.updateMany({
    where: { contractId: contract.id, status: "RESERVED" },
    data: { status: "RELEASED", releasedAt: new Date() },
  });
  await tx.contract.update({ where: { id: contract.id }, data: { status: input.reason, reservedUntil: null } });
  await appendAudit(tx, {
    actorId: input.actor?.userId ?? null,
    action: input.reason === "EXPIRED" ? "contract.reservation_expired" : "contract.reservation_cancelled",
    entityType: "contract",
    entityId: contract.id,
    ip: input.actor?.ip ?? null,
    details: { eventId: input.eventId, sessionId: input.sessionId, ...(input.actor ? { by: "customer" } : {}) },
  });
  return "released";
}

/**
 * The scheduled job: every reservation past its 30 minutes is released, set-based, in one
 * transaction. Safe to run from any number of workers at once (rows are claimed with
 * SKIP LOCKED, so each contract is expired by exactly one of them).
 */
export async function expireReservations(prisma: PrismaClient, now = new Date()): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const expired = await tx.$queryRaw<{ id: string }[]>`
      UPDATE contracts SET status = 'EXPIRED', reserved_until = NULL, updated_at = now()
       WHERE id IN (
         SELECT id FROM contracts
          WHERE status = 'PENDING_PAYMENT' AND reserved_until <= ${now}
          FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    if (expired.length === 0) return 0;
    const ids = expired.map((e) => e.id);
    await tx.$executeRaw`
      UPDATE allocations SET status = 'RELEASED', released_at = now()
       WHERE contract_id = ANY(${ids}::uuid[]) AND status = 'RESERVED'`;
    await appendAudit(tx, {
      actorId: null,
      action: "contract.reservations_expired",
      entityType: "contract",
      details: { contractIds: ids },
    });
    return ids.length;
  });
}
