// Demo history: the demo customer bought a few contracts about three weeks ago, the rigs have
// reported telemetry since, and the payout run has settled every day up to yesterday, so the
// embedded demo opens on a dashboard with real payouts. Everything goes through the real code
// paths: purchaseContract (allocation over the listing's free capacity, oversell guard) paid
// by a test-mode card checkout (activatePaidCheckout: STRIPE_PAYMENT journal, term), the
// telemetry simulator (lib/demo/telemetry.ts) and settleUnsettledDays (lib/payouts/run.ts).
//
// Paying by card leaves the customer's $250 demo credit untouched for trying a balance
// purchase. The activation instant is moved back `activatedDaysAgo` days by passing it as the
// purchase's and activation's clock; the rows whose timestamps come from the database clock
// (the contract's and its allocations' created_at) are set to the same past instants, so the
// payout run counts the allocations from the first day on. Journals and audit lines are
// append-only and keep the instant the seed ran.
//
// Idempotent: each demo contract carries a fixed checkout session id (unique column); an
// existing one is never bought again, whatever happened to it since.
//
// The history exercises the payout branches the dashboard and the admin run page explain
// (issue 22): the LTC contract is larger than one L9 (20 GH/s on 16 GH/s rigs), so it is spread
// over several rigs; one of its rigs reports nothing on DEMO_TELEMETRY_GAP_DAYS_AGO (a rig-day
// without telemetry: delivered 0 for that allocation, under-delivery credited); and a KAS
// contract on Reykjanes' KS5 Pro, whose maintenance fee is near KAS hashprice at Icelandic power
// prices, is curtailed on the days hashprice falls below it (bought while the listing was
// published; the seed puts the listing back to draft, where the catalog keeps it).
import { activatePaidCheckout } from "../contracts/checkout";
import { purchaseContract } from "../contracts/purchase";
import type { PrismaClient, Tx } from "../db/client";
import { settleUnsettledDays } from "../payouts/run";
import { dayDate, utcDayNumber } from "./network";
import { simulateDemoTelemetry } from "./telemetry";

export const DEMO_CUSTOMER_EMAIL = "customer@hashlease.test";

export interface DemoHistoryContract {
  /** Stable key; the checkout session id is derived from it. */
  key: string;
  /** lib/demo/catalog.ts listing key. */
  listingKey: string;
  /** In the coin's pricing unit (TH/s for BTC and KAS, GH/s for LTC). */
  hashrate: string;
  days: number;
  activatedDaysAgo: number;
  /** Minutes after UTC midnight of the activation day. */
  activatedAtMinute: number;
  /** The listing is a draft in the catalog: published for this purchase only, then back to draft. */
  boughtWhilePublished?: boolean;
}

export const DEMO_HISTORY_CONTRACTS: readonly DemoHistoryContract[] = [
  {
    key: "btc-abilene-s21",
    listingKey: "abi-s21",
    hashrate: "20",
    days: 90,
    activatedDaysAgo: 22,
    activatedAtMinute: 9 * 60 + 14,
  },
  {
    key: "ltc-abilene-l9",
    listingKey: "abi-l9",
    hashrate: "20",
    days: 30,
    activatedDaysAgo: 22,
    activatedAtMinute: 9 * 60 + 31,
  },
  {
    key: "kas-hernandarias-ks5pro",
    listingKey: "her-ks5pro",
    hashrate: "5",
    days: 30,
    activatedDaysAgo: 15,
    activatedAtMinute: 18 * 60 + 2,
  },
  {
    // Marginal at Icelandic power prices: curtailed whenever KAS hashprice dips below the fee.
    key: "kas-reykjanes-ks5pro",
    listingKey: "rey-ks5pro",
    hashrate: "2",
    days: 30,
    activatedDaysAgo: 22,
    activatedAtMinute: 10 * 60 + 5,
    boughtWhilePublished: true,
  },
];

/** Days of simulated telemetry the seed writes before today (covers the history). */
export const DEMO_TELEMETRY_DAYS = 30;

/** The day (this many days before today) one rig of the LTC contract reports nothing. */
export const DEMO_TELEMETRY_GAP_DAYS_AGO = 10;
const GAP_CONTRACT_KEY = "ltc-abilene-l9";

export function demoSessionId(key: string): string {
  return `cs_test_demo_history_${key}`;
}

export const DEMO_HISTORY_SESSION_IDS = DEMO_HISTORY_CONTRACTS.map((c) => demoSessionId(c.key));

/**
 * Buys and activates the demo customer's history contracts that do not exist yet, inside the
 * seed's transaction. `listingIdOf` maps a catalog listing key to its row id. Returns the
 * contracts created.
 */
export async function ensureDemoContracts(
  tx: Tx,
  input: { customerId: string; listingIdOf: (key: string) => string; today: Date; log: (msg: string) => void },
): Promise<number> {
  const existing = await tx.contract.findMany({
    where: { stripeCheckoutSessionId: { in: DEMO_HISTORY_SESSION_IDS } },
    select: { stripeCheckoutSessionId: true },
  });
  const have = new Set(existing.map((c) => c.stripeCheckoutSessionId));
  let created = 0;
  for (const spec of DEMO_HISTORY_CONTRACTS) {
    const sessionId = demoSessionId(spec.key);
    if (have.has(sessionId)) continue;
    const activatedAt = new Date(
      dayDate(utcDayNumber(input.today) - spec.activatedDaysAgo).getTime() + spec.activatedAtMinute * 60_000,
    );
    const orderedAt = new Date(activatedAt.getTime() - 3 * 60_000);
    const listingId = input.listingIdOf(spec.listingKey);
    const draft = spec.boughtWhilePublished
      ? await tx.listing.findUnique({ where: { id: listingId }, select: { status: true } })
      : null;
    if (draft?.status === "DRAFT") await tx.listing.update({ where: { id: listingId }, data: { status: "PUBLISHED" } });
    const result = await purchaseContract(tx, {
      customerId: input.customerId,
      request: {
        listingId,
        hashrate: spec.hashrate,
        days: spec.days,
        paymentMethod: "CARD",
      },
      now: orderedAt,
    });
    if (draft?.status === "DRAFT") await tx.listing.update({ where: { id: listingId }, data: { status: "DRAFT" } });
    if (!result.ok) {
      // A live demo may have sold the capacity meanwhile: the history is a nicety, not a must.
      input.log(`demo history: ${spec.key} not bought (${result.code}: ${result.message})`);
      continue;
    }
    await tx.contract.update({
      where: { id: result.contractId },
      data: { stripeCheckoutSessionId: sessionId, createdAt: orderedAt },
    });
    await tx.allocation.updateMany({ where: { contractId: result.contractId }, data: { createdAt: orderedAt } });
    const activation = await activatePaidCheckout(tx, {
      sessionId,
      amountPaidCents: BigInt(result.chargedCents!),
      eventId: `evt_demo_history_${spec.key}`,
      now: activatedAt,
    });
    if (activation.outcome !== "activated")
      throw new Error(`demo contract ${spec.key} not activated: ${activation.outcome}`);
    created += 1;
  }
  if (created > 0) input.log(`demo history: ${created} contract(s) bought`);
  return created;
}

export interface HistoryProgress {
  telemetryCreated: number;
  payoutsCreated: number;
  runs: number;
}

/**
 * After the seed's transaction: telemetry for the last DEMO_TELEMETRY_DAYS days and today (the
 * day in progress is written ahead, see lib/demo/live.ts), then every unsettled day up to
 * yesterday settled by the real payout run.
 */
export async function advanceDemoHistory(
  prisma: PrismaClient,
  today: Date,
  log: (msg: string) => void,
): Promise<HistoryProgress> {
  const todayNumber = utcDayNumber(today);
  // The LTC contract's first rig (by serial) reports nothing on the gap day.
  const gapRig = await prisma.allocation.findFirst({
    where: { contract: { stripeCheckoutSessionId: demoSessionId(GAP_CONTRACT_KEY) } },
    orderBy: { rig: { serialNumber: "asc" } },
    select: { rigId: true },
  });
  const telemetryCreated = await simulateDemoTelemetry(prisma, {
    from: dayDate(todayNumber - DEMO_TELEMETRY_DAYS),
    to: dayDate(todayNumber),
    gaps: gapRig ? [{ rigId: gapRig.rigId, day: dayDate(todayNumber - DEMO_TELEMETRY_GAP_DAYS_AGO) }] : [],
  });
  const runs = await settleUnsettledDays(prisma, { now: today });
  const payoutsCreated = runs.reduce((sum, run) => sum + run.contractsSettled, 0);
  log(
    `demo history: ${telemetryCreated} telemetry rows, ${runs.length} payout run(s) settling ${payoutsCreated} contract-day(s)`,
  );
  return { telemetryCreated, payoutsCreated, runs: runs.length };
}
