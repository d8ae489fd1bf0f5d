// Buying a contract, in the caller's one transaction: validate the terms, lock the listing's
// active rigs (always in id order, so concurrent buyers queue instead of deadlocking), plan
// the allocation over their free capacity, write the contract and its allocations, and for
// balance payments post the journal at once. Card purchases only reserve the capacity for
// RESERVATION_MS; the Stripe webhook activates them (lib/contracts/checkout.ts).
// The database refuses an oversold rig or a negative balance even if this code were wrong.
import { z } from "zod";
import { appendAudit } from "../audit/audit";
import type { Tx } from "../db/client";
import { planAllocation, totalFree } from "../allocation/plan";
import { postJournal, type PostingInput } from "../ledger/ledger";
import type { Asset, PaymentMethod } from "../generated/prisma/enums";
import { cardCharge, coinAmountForUsd, formatInUnit, parseHashrate, priceContract } from "./pricing";

export const RESERVATION_MS = 30 * 60 * 1000;
const DAY_MS = 86_400_000;

export const purchaseRequestSchema = z.object({
  listingId: z.uuid({ error: "Choose a listing." }),
  hashrate: z.string({ error: "Enter a hashrate." }).trim().min(1, "Enter a hashrate.").max(40, "Hashrate is too long."),
  days: z.coerce
    .number({ error: "Enter the number of days." })
    .int("Days must be a whole number.")
    .min(1, "A contract lasts at least 1 day.")
    .max(3650, "A contract lasts at most 3650 days."),
  paymentMethod: z.enum(["CARD", "BALANCE_USD", "BALANCE_COIN"], { error: "Choose how to pay." }),
});
export type PurchaseRequest = z.infer<typeof purchaseRequestSchema>;

export type PurchaseFailureCode =
  | "LISTING_UNAVAILABLE"
  | "INVALID_TERMS"
  | "NOT_ENOUGH_CAPACITY"
  | "INSUFFICIENT_FUNDS"
  | "NO_PRICE";

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
      reservedUntil: string | null;
    }
  | { ok: false; code: PurchaseFailureCode; message: string; field?: "hashrate" | "days" | "paymentMethod" };

/** HTTP status for each failure (4xx: the request can be corrected or retried later). */
export const purchaseFailureStatus: Record<PurchaseFailureCode, number> = {
  LISTING_UNAVAILABLE: 404,
  INVALID_TERMS: 422,
  NOT_ENOUGH_CAPACITY: 409,
  INSUFFICIENT_FUNDS: 409,
  NO_PRICE: 409,
};

export function utcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** A contract starts on the UTC day after activation and runs `days` days. */
export function contractTerm(activatedAt: Date, days: number): { startDay: Date; endDay: Date } {
  const startDay = new Date(utcDay(activatedAt).getTime() + DAY_MS);
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

async function lockedBalance(tx: Tx, userId: string, asset: Asset): Promise<bigint> {
  const rows = await tx.$queryRaw<{ balance: string }[]>`
    SELECT balance::text AS balance FROM ledger_accounts
     WHERE type = 'USER_AVAILABLE' AND asset = ${asset}::asset AND user_id = ${userId}::uuid
     FOR UPDATE`;
  return rows[0] ? BigInt(rows[0].balance) : 0n;
}

export async function latestCoinPrice(tx: Tx, coin: Asset, asOf: Date): Promise<bigint | null> {
  const snapshot = await tx.networkSnapshot.findFirst({
    where: { coin, day: { lte: utcDay(asOf) } },
    orderBy: { day: "desc" },
    select: { priceMicroUsd: true },
  });
  return snapshot?.priceMicroUsd ?? null;
}

export async function purchaseContract(
  tx: Tx,
  input: { customerId: string; request: PurchaseRequest; now?: Date; ip?: string | null },
): Promise<PurchaseResult> {
  const now = input.now ?? new Date();
  const { request } = input;
  const listing = await tx.listing.findUnique({ where: { id: request.listingId }, include: { coinConfig: true } });
  if (!listing || listing.status !== "PUBLISHED") {
    return { ok: false, code: "LISTING_UNAVAILABLE", message: "This listing is not for sale." };
  }
  if (listing.operatorId === input.customerId) {
    return { ok: false, code: "INVALID_TERMS", message: "You cannot buy capacity from your own listing." };
  }
  const unitHs = listing.coinConfig.hashrateUnitHs;
  const unit = listing.coinConfig.hashrateUnitLabel;
  const hashrateHs = parseHashrate(request.hashrate, unitHs);
  if (hashrateHs === null || hashrateHs <= 0n) {
    return { ok: false, code: "INVALID_TERMS", field: "hashrate", message: `Enter the hashrate as a number of ${unit}, e.g. 10 or 2.5.` };
  }
  if (hashrateHs < listing.minHashrateHs) {
    return { ok: false, code: "INVALID_TERMS", field: "hashrate", message: `The minimum order is ${formatInUnit(listing.minHashrateHs, unitHs)} ${unit}.` };
  }
  if (request.days < listing.minDays || request.days > listing.maxDays) {
    return {
      ok: false,
      code: "INVALID_TERMS",
      field: "days",
      message: `This listing runs ${listing.minDays} to ${listing.maxDays} days.`,
    };
  }

  const rigs = await lockListingRigs(tx, listing.id);
  const capacity = rigs.map((r) => ({ rigId: r.id, freeHs: r.nominal - r.used }));
  const plan = planAllocation(capacity, hashrateHs);
  if (!plan) {
    return {
      ok: false,
      code: "NOT_ENOUGH_CAPACITY",
      field: "hashrate",
      message: `Not enough capacity: ${formatInUnit(totalFree(capacity), unitHs)} ${unit} is available on this listing right now.`,
    };
  }

  const price = priceContract(hashrateHs, BigInt(request.days), listing.priceMicroUsdPerUnitDay, unitHs);
  const ledger: PostingInput[] = [];
  let paidCoinBase: bigint | null = null;
  let chargedCents: bigint | null = null;
  let chargeRoundingMicroUsd: bigint | null = null;
  const operatorPayable = { type: "OPERATOR_PAYABLE" as const, asset: "USD" as const, userId: listing.operatorId };

  if (request.paymentMethod === "BALANCE_USD") {
    if ((await lockedBalance(tx, input.customerId, "USD")) < price.totalPriceMicroUsd) {
      return { ok: false, code: "INSUFFICIENT_FUNDS", field: "paymentMethod", message: "Your USD balance does not cover this contract." };
    }
    ledger.push(
      { account: { type: "USER_AVAILABLE", asset: "USD", userId: input.customerId }, amount: -price.totalPriceMicroUsd },
      { account: operatorPayable, amount: price.operatorShareMicroUsd },
      { account: { type: "PLATFORM_REVENUE", asset: "USD", userId: null }, amount: price.platformFeeMicroUsd },
    );
  } else if (request.paymentMethod === "BALANCE_COIN") {
    const coinPrice = await latestCoinPrice(tx, listing.coin, now);
    if (!coinPrice) return { ok: false, code: "NO_PRICE", message: `No ${listing.coin} price is known yet; pay in USD or by card.` };
    paidCoinBase = coinAmountForUsd(price.totalPriceMicroUsd, coinPrice, BigInt(listing.coinConfig.decimals));
    if ((await lockedBalance(tx, input.customerId, listing.coin)) < paidCoinBase) {
      return {
        ok: false,
        code: "INSUFFICIENT_FUNDS",
        field: "paymentMethod",
        message: `Your ${listing.coin} balance does not cover this contract.`,
      };
    }
    // The platform takes the coin at the day's price and pays the operator in USD.
    ledger.push(
      { account: { type: "USER_AVAILABLE", asset: listing.coin, userId: input.customerId }, amount: -paidCoinBase },
      { account: { type: "PLATFORM_REVENUE", asset: listing.coin, userId: null }, amount: paidCoinBase },
      { account: { type: "PLATFORM_REVENUE", asset: "USD", userId: null }, amount: -price.operatorShareMicroUsd },
      { account: operatorPayable, amount: price.operatorShareMicroUsd },
    );
  } else {
    const charge = cardCharge(price.totalPriceMicroUsd);
    chargedCents = charge.cents;
    chargeRoundingMicroUsd = charge.roundingMicroUsd;
  }

  const card = request.paymentMethod === "CARD";
  const reservedUntil = card ? new Date(now.getTime() + RESERVATION_MS) : null;
  const term = card ? null : contractTerm(now, request.days);
  const contract = await tx.contract.create({
    data: {
      customerId: input.customerId,
      listingId: listing.id,
      coin: listing.coin,
      hashrateHs,
      days: request.days,
      priceMicroUsdPerUnitDay: listing.priceMicroUsdPerUnitDay,
      maintenanceFeeMicroUsdPerUnitDay: listing.maintenanceFeeMicroUsdPerUnitDay,
      unitHs,
      poolFeeBps: listing.coinConfig.poolFeeBps,
      dailyPriceMicroUsd: price.dailyPriceMicroUsd,
      totalPriceMicroUsd: price.totalPriceMicroUsd,
      platformFeeMicroUsd: price.platformFeeMicroUsd,
      paymentMethod: request.paymentMethod,
      chargedCents,
      chargeRoundingMicroUsd,
      status: card ? "PENDING_PAYMENT" : "ACTIVE",
      reservedUntil,
      activatedAt: card ? null : now,
      startDay: term?.startDay ?? null,
      endDay: term?.endDay ?? null,
    },
    select: { id: true },
  });
  await tx.allocation.createMany({
    data: plan.map((p) => ({ contractId: contract.id, rigId: p.rigId, hashrateHs: p.hashrateHs, status: card ? "RESERVED" : "LIVE" })),
  });
  if (ledger.length) {
    await postJournal(tx, {
      kind: "CONTRACT_PURCHASE",
      description: `Contract ${contract.id}: ${request.days} days of ${hashrateHs} H/s on "${listing.title}"`,
      referenceType: "contract",
      referenceId: contract.id,
      postings: ledger,
    });
  }
  await appendAudit(tx, {
    actorId: input.customerId,
    action: card ? "contract.reserved" : "contract.purchased",
    entityType: "contract",
    entityId: contract.id,
    ip: input.ip ?? null,
    details: {
      listingId: listing.id,
      hashrateHs: hashrateHs.toString(),
      days: request.days,
      paymentMethod: request.paymentMethod,
      totalPriceMicroUsd: price.totalPriceMicroUsd.toString(),
      paidCoinBase: paidCoinBase?.toString() ?? null,
      chargedCents: chargedCents?.toString() ?? null,
    },
  });
  return {
    ok: true,
    contractId: contract.id,
    status: card ? "PENDING_PAYMENT" : "ACTIVE",
    paymentMethod: request.paymentMethod,
    hashrateHs: hashrateHs.toString(),
    days: request.days,
    totalPriceMicroUsd: price.totalPriceMicroUsd.toString(),
    chargedCents: chargedCents?.toString() ?? null,
    paidCoinBase: paidCoinBase?.toString() ?? null,
    reservedUntil: reservedUntil?.toISOString() ?? null,
  };
}

