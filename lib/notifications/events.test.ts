// The operator and customer notices of lib/notifications/events.ts on real PostgreSQL: each fires
// once for its event (the in-app notice, and the mail unless the kind's email is off), never for
// a non-event, and two workers racing a job (two connection pools, as two app instances) still
// write exactly one notice per event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activatePaidCheckout } from "../contracts/checkout";
import { purchaseContract } from "../contracts/purchase";
import { settleDay } from "../payouts/run";
import { DAY_MS, formatInstantUtc } from "../shared/days";
import { decimalText } from "../shared/decimal";
import { createTestDatabaseWithSecondClient } from "../testing/database";
import { createListing, createUser, deposit, TH } from "../testing/fixtures";
import { addListing, addRig, createOperator } from "../testing/operator-fixtures";
import { btcSnapshot, reportTelemetry, soldContract, utcDay } from "../testing/payout-fixtures";
import { itOnServer } from "../testing/server-only";
import {
  notifyContractsBought,
  notifyContractsEnding,
  notifyListingsSoldOut,
  notifyPayoutDigests,
  notifyRigsOffline,
  OFFLINE_AFTER_MS,
} from "./events";
import type { NotificationKind } from "./kinds";

let t: Awaited<ReturnType<typeof createTestDatabaseWithSecondClient>>;
beforeAll(async () => {
  t = await createTestDatabaseWithSecondClient();
});
afterAll(() => t.drop());

const MINUTE = 60_000;

async function notices(userId: string, kind: NotificationKind) {
  return t.prisma.notification.findMany({ where: { userId, kind }, orderBy: { createdAt: "asc" } });
}
async function mails(userId: string, kind: NotificationKind) {
  return t.prisma.mailOutbox.findMany({ where: { userId, kind } });
}

async function buyWithBalance(listingId: string, th: number, days = 30) {
  const buyer = await createUser(t.prisma);
  await deposit(t.prisma, buyer.id, "USD", 1_000_000_000n);
  const result = await t.prisma.$transaction((tx) =>
    purchaseContract(tx, {
      customerId: buyer.id,
      request: { listingId, hashrate: String(th), days, paymentMethod: "BALANCE_USD" },
    }),
  );
  if (!result.ok) throw new Error(result.message);
  return result;
}

async function buyByCard(listingId: string, th: number) {
  const buyer = await createUser(t.prisma);
  const result = await t.prisma.$transaction((tx) =>
    purchaseContract(tx, {
      customerId: buyer.id,
      request: { listingId, hashrate: String(th), days: 30, paymentMethod: "CARD" },
    }),
  );
  if (!result.ok) throw new Error(result.message);
  const sessionId = `cs_test_events_${result.contractId}`;
  await t.prisma.contract.update({ where: { id: result.contractId }, data: { stripeCheckoutSessionId: sessionId } });
  return {
    contractId: result.contractId,
    pay: () =>
      t.prisma.$transaction((tx) =>
        activatePaidCheckout(tx, {
          sessionId,
          amountPaidCents: BigInt(result.chargedCents!),
          eventId: `evt_events_${result.contractId}`,
        }),
      ),
  };
}

describe("contract bought", () => {
  it("tells the operator once per contract, at activation: at once for balance, after payment for card", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const listing = await t.prisma.listing.findUniqueOrThrow({ where: { id: market.listingId } });
    await buyWithBalance(market.listingId, 2.5, 30);
    const card = await buyByCard(market.listingId, 4);

    await notifyContractsBought(t.prisma);
    let seen = await notices(market.operatorId, "operator.contract_bought");
    expect(seen.map((n) => n.body)).toEqual([`A customer bought 2.5 TH/s for 30 days from "${listing.title}".`]);
    expect(seen[0]!.link).toBe(`/operator/listings/${market.listingId}`);
    expect(await mails(market.operatorId, "operator.contract_bought")).toHaveLength(1);

    // The card contract is only reserved: no notice until its payment activates it.
    await notifyContractsBought(t.prisma);
    expect(await notices(market.operatorId, "operator.contract_bought")).toHaveLength(1);
    expect((await card.pay()).outcome).toBe("activated");
    await notifyContractsBought(t.prisma);
    await notifyContractsBought(t.prisma);
    seen = await notices(market.operatorId, "operator.contract_bought");
    expect(seen.map((n) => n.title)).toEqual(["A contract was bought", "A contract was bought"]);
    expect(seen[1]!.body).toContain("4 TH/s for 30 days");
    expect(await mails(market.operatorId, "operator.contract_bought")).toHaveLength(2);
    const marked = await t.prisma.contract.count({
      where: { listingId: market.listingId, operatorNotifiedAt: { not: null } },
    });
    expect(marked).toBe(2);
  });

  it("marks a contract activated long ago without telling anyone: it is history, not news", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    const rigId = await addRig(t.prisma, facilityId, { th: 100, listingId });
    const old = await soldContract(t.prisma, {
      listingId,
      operatorId,
      slices: [{ rigId, th: 10 }],
      startDay: utcDay(-5),
      days: 30,
    });
    await notifyContractsBought(t.prisma);
    expect(await notices(operatorId, "operator.contract_bought")).toHaveLength(0);
    const row = await t.prisma.contract.findUniqueOrThrow({ where: { id: old.contractId } });
    expect(row.operatorNotifiedAt).not.toBeNull();
  });

  itOnServer("two workers racing tell the operator of each contract once", "two connection pools at once", async () => {
    const market = await createListing(t.prisma, { rigsTh: [200] });
    for (let i = 0; i < 6; i++) await buyWithBalance(market.listingId, 3);
    const [a, b] = await Promise.all([notifyContractsBought(t.prisma), notifyContractsBought(t.second)]);
    const seen = await notices(market.operatorId, "operator.contract_bought");
    expect(seen).toHaveLength(6);
    expect(await mails(market.operatorId, "operator.contract_bought")).toHaveLength(6);
    expect(a + b).toBeGreaterThanOrEqual(6);
  });
});

describe("listing sold out", () => {
  it("tells the operator once when a purchase leaves less than the minimum, again only after capacity came back", async () => {
    const market = await createListing(t.prisma, { rigsTh: [10] });
    await buyWithBalance(market.listingId, 5);
    await notifyListingsSoldOut(t.prisma);
    expect(await notices(market.operatorId, "operator.listing_sold_out")).toHaveLength(0);

    // 0.5 TH/s left, below the 1 TH/s minimum: nothing more can be sold.
    const last = await buyWithBalance(market.listingId, 4.5);
    await notifyListingsSoldOut(t.prisma);
    await notifyListingsSoldOut(t.prisma);
    const seen = await notices(market.operatorId, "operator.listing_sold_out");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.link).toBe(`/operator/listings/${market.listingId}`);
    expect(await mails(market.operatorId, "operator.listing_sold_out")).toHaveLength(1);

    // Capacity comes back (the contract's allocation released), then sells out again.
    await t.prisma.allocation.updateMany({
      where: { contractId: last.contractId },
      data: { status: "RELEASED", releasedAt: new Date() },
    });
    await t.prisma.contract.update({ where: { id: last.contractId }, data: { status: "CANCELLED" } });
    await notifyListingsSoldOut(t.prisma);
    expect(await t.prisma.listingSoldOutNotice.count({ where: { listingId: market.listingId } })).toBe(0);
    expect(await notices(market.operatorId, "operator.listing_sold_out")).toHaveLength(1);
    await buyWithBalance(market.listingId, 5);
    await notifyListingsSoldOut(t.prisma);
    expect(await notices(market.operatorId, "operator.listing_sold_out")).toHaveLength(2);
  });

  it("says nothing of a listing with free capacity, nor of an empty one that never sold", async () => {
    const market = await createListing(t.prisma, { rigsTh: [10] });
    await buyWithBalance(market.listingId, 8);
    const { operatorId } = await createOperator(t.prisma);
    await addListing(t.prisma, operatorId);
    await notifyListingsSoldOut(t.prisma);
    expect(await notices(market.operatorId, "operator.listing_sold_out")).toHaveLength(0);
    expect(await notices(operatorId, "operator.listing_sold_out")).toHaveLength(0);
  });

  itOnServer("two workers racing tell the operator of a sell-out once", "two connection pools at once", async () => {
    const markets = [];
    for (let i = 0; i < 4; i++) {
      const market = await createListing(t.prisma, { rigsTh: [5] });
      await buyWithBalance(market.listingId, 5);
      markets.push(market);
    }
    await Promise.all([notifyListingsSoldOut(t.prisma), notifyListingsSoldOut(t.second)]);
    for (const market of markets) expect(await notices(market.operatorId, "operator.listing_sold_out")).toHaveLength(1);
  });
});

describe("rig offline", () => {
  /** A rig carrying a contract in its term today; `proxy`: it has a Stratum login. */
  async function owingRig(proxy: boolean) {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    const rigId = await addRig(t.prisma, facilityId, { th: 100, listingId });
    if (proxy) {
      await t.prisma.rigStratumCredential.create({
        data: { rigId, workerName: `w-${rigId.slice(0, 12)}`, secretSha256: "0".repeat(64) },
      });
    }
    await soldContract(t.prisma, {
      listingId,
      operatorId,
      slices: [{ rigId, th: 40 }],
      startDay: utcDay(-3),
      days: 30,
    });
    return { operatorId, rigId };
  }

  async function share(rigId: string, at: Date) {
    const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
    await t.prisma.rigShareDay.upsert({
      where: { rigId_day: { rigId, day } },
      update: { lastShareAt: at, acceptedShares: { increment: 1 } },
      create: { rigId, day, lastShareAt: at, acceptedShares: 1 },
    });
  }

  it("tells the operator once per outage of a proxy rig, and again after it came back and went away", async () => {
    const now = new Date();
    const { operatorId, rigId } = await owingRig(true);
    const rig = await t.prisma.rig.findUniqueOrThrow({ where: { id: rigId } });
    const lastShare = new Date(now.getTime() - 40 * MINUTE);
    await share(rigId, lastShare);

    await notifyRigsOffline(t.prisma, now);
    await notifyRigsOffline(t.prisma, new Date(now.getTime() + 10 * MINUTE));
    let seen = await notices(operatorId, "operator.rig_offline");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.title).toBe("A rig went offline");
    expect(seen[0]!.body).toContain(`Rig ${rig.serialNumber} (Antminer S21) has sent no shares or telemetry since`);
    expect(seen[0]!.body).toContain(formatInstantUtc(lastShare));
    expect(seen[0]!.link).toBe(`/operator/rigs/${rigId}`);
    expect(await mails(operatorId, "operator.rig_offline")).toHaveLength(1);

    // Back: a share arrives. Nothing is sent while it mines.
    const back = new Date(now.getTime() + 12 * MINUTE);
    await share(rigId, back);
    await notifyRigsOffline(t.prisma, new Date(now.getTime() + 20 * MINUTE));
    expect(await t.prisma.rigOfflineNotice.count({ where: { rigId } })).toBe(0);
    expect(await notices(operatorId, "operator.rig_offline")).toHaveLength(1);

    // Away again for longer than the threshold: a second notice, since its last share.
    await notifyRigsOffline(t.prisma, new Date(back.getTime() + OFFLINE_AFTER_MS + MINUTE));
    seen = await notices(operatorId, "operator.rig_offline");
    expect(seen).toHaveLength(2);
    expect(seen[1]!.body).toContain(formatInstantUtc(back));
  });

  it("says nothing of a mining rig, a rig that owes nothing, or a rig taken out of service", async () => {
    const now = new Date();
    const mining = await owingRig(true);
    await share(mining.rigId, new Date(now.getTime() - 5 * MINUTE));
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    await addRig(t.prisma, facilityId, { th: 100, listingId }); // no contract, no data
    const serviced = await owingRig(true);
    await t.prisma.rig.update({ where: { id: serviced.rigId }, data: { status: "MAINTENANCE" } });

    await notifyRigsOffline(t.prisma, now);
    expect(await notices(mining.operatorId, "operator.rig_offline")).toHaveLength(0);
    expect(await notices(operatorId, "operator.rig_offline")).toHaveLength(0);
    expect(await notices(serviced.operatorId, "operator.rig_offline")).toHaveLength(0);
  });

  it("gives a telemetry-only rig until its next report is due: yesterday's figure keeps it online", async () => {
    const now = new Date(utcDay(0).getTime() + 12 * 3_600_000);
    const reporting = await owingRig(false);
    await reportTelemetry(t.prisma, reporting.rigId, utcDay(-1), 40);
    const silent = await owingRig(false);
    await reportTelemetry(t.prisma, silent.rigId, utcDay(-3), 40);
    // A report of 0 H/s is no sign of life.
    await reportTelemetry(t.prisma, silent.rigId, utcDay(-2), 0);

    await notifyRigsOffline(t.prisma, now);
    expect(await notices(reporting.operatorId, "operator.rig_offline")).toHaveLength(0);
    const seen = await notices(silent.operatorId, "operator.rig_offline");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toContain(formatInstantUtc(utcDay(-2)));
  });

  itOnServer("two workers racing tell the operator of an outage once", "two connection pools at once", async () => {
    const now = new Date();
    const rigs = [await owingRig(true), await owingRig(true), await owingRig(true)];
    for (const rig of rigs) await share(rig.rigId, new Date(now.getTime() - 2 * 3_600_000));
    await Promise.all([notifyRigsOffline(t.prisma, now), notifyRigsOffline(t.second, now)]);
    for (const rig of rigs) {
      expect(await notices(rig.operatorId, "operator.rig_offline")).toHaveLength(1);
      expect(await mails(rig.operatorId, "operator.rig_offline")).toHaveLength(1);
    }
  });
});

describe("contract ending", () => {
  async function contractEnding(lastDay: Date, days: number) {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    const rigId = await addRig(t.prisma, facilityId, { th: 100, listingId });
    return soldContract(t.prisma, {
      listingId,
      operatorId,
      slices: [{ rigId, th: 12 }],
      startDay: new Date(lastDay.getTime() - (days - 1) * DAY_MS),
      days,
    });
  }

  it("tells the customer once, the day before the last day; not earlier, and not for a one-day contract", async () => {
    const endsTomorrow = await contractEnding(utcDay(1), 10);
    const endsToday = await contractEnding(utcDay(0), 10);
    const endsLater = await contractEnding(utcDay(3), 10);
    const oneDay = await contractEnding(utcDay(1), 1);

    await notifyContractsEnding(t.prisma);
    await notifyContractsEnding(t.prisma);
    const seen = await notices(endsTomorrow.customerId, "customer.contract_ending");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toMatch(
      /^Your contract for 12 TH\/s \(".+"\) mines its last day on \d{4}-\d{2}-\d{2} \(UTC\)/,
    );
    expect(seen[0]!.body).toContain(utcDay(1).toISOString().slice(0, 10));
    expect(seen[0]!.link).toBe(`/dashboard/contracts/${endsTomorrow.contractId}`);
    expect(await mails(endsTomorrow.customerId, "customer.contract_ending")).toHaveLength(1);
    expect(await notices(endsToday.customerId, "customer.contract_ending")).toHaveLength(1);
    expect(await notices(endsLater.customerId, "customer.contract_ending")).toHaveLength(0);
    expect(await notices(oneDay.customerId, "customer.contract_ending")).toHaveLength(0);

    // Two days later the later one is due.
    await notifyContractsEnding(t.prisma, new Date(Date.now() + 2 * DAY_MS));
    expect(await notices(endsLater.customerId, "customer.contract_ending")).toHaveLength(1);
    expect(await notices(endsTomorrow.customerId, "customer.contract_ending")).toHaveLength(1);
  });

  itOnServer("two workers racing tell each customer once", "two connection pools at once", async () => {
    const contracts = [];
    for (let i = 0; i < 5; i++) contracts.push(await contractEnding(utcDay(1), 7));
    await Promise.all([notifyContractsEnding(t.prisma), notifyContractsEnding(t.second)]);
    for (const c of contracts) {
      expect(await notices(c.customerId, "customer.contract_ending")).toHaveLength(1);
      expect(await mails(c.customerId, "customer.contract_ending")).toHaveLength(1);
    }
  });
});

describe("payout digest", () => {
  it("after a settled day, one digest per customer with the day's net per coin and its contracts; in-app only by default", async () => {
    const day = utcDay(-1);
    await btcSnapshot(t.prisma, day);
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    const rigA = await addRig(t.prisma, facilityId, { th: 100, listingId });
    const rigB = await addRig(t.prisma, facilityId, { th: 100, listingId });
    await reportTelemetry(t.prisma, rigA, day, 100);
    await reportTelemetry(t.prisma, rigB, day, 90);
    const sell = (rigId: string, th: number, startDay: Date) =>
      soldContract(t.prisma, { listingId, operatorId, slices: [{ rigId, th }], startDay, days: 10 });
    const first = await sell(rigA, 30, utcDay(-2));
    const other = await sell(rigB, 50, utcDay(-1));
    // The first customer's second contract on the same day.
    const secondContract = await t.prisma.contract.findUniqueOrThrow({ where: { id: first.contractId } });
    const twin = await t.prisma.contract.create({
      data: {
        ...secondContract,
        id: undefined,
        stripeCheckoutSessionId: null,
        operatorNotifiedAt: null,
        createdAt: undefined,
        updatedAt: undefined,
      },
    });
    await t.prisma.allocation.create({
      data: {
        contractId: twin.id,
        rigId: rigB,
        hashrateHs: 20n * TH,
        status: "LIVE",
        createdAt: new Date(utcDay(-3).getTime()),
      },
    });

    // Nothing before the day is settled.
    expect(await notifyPayoutDigests(t.prisma)).toBe(0);
    await settleDay(t.prisma, day);
    await Promise.all([notifyPayoutDigests(t.prisma), notifyPayoutDigests(t.second)]);
    // A second run of the day (nothing left to pay) and another pass add nothing.
    await settleDay(t.prisma, day);
    await notifyPayoutDigests(t.prisma);

    for (const [customerId, contracts] of [
      [first.customerId, 2],
      [other.customerId, 1],
    ] as const) {
      const payouts = await t.prisma.dailyPayout.findMany({ where: { day, contract: { customerId } } });
      expect(payouts).toHaveLength(contracts);
      const net = payouts.reduce((sum, p) => sum + BigInt(p.netBase.toFixed()), 0n);
      expect(net).toBeGreaterThan(0n);
      const seen = await notices(customerId, "customer.payout_digest");
      expect(seen).toHaveLength(1);
      expect(seen[0]!.title).toBe(`Your payouts for ${day.toISOString().slice(0, 10)}`);
      expect(seen[0]!.body).toBe(
        `${contracts} contract(s) paid ${decimalText(net, 8, { group: true })} BTC for ${day.toISOString().slice(0, 10)} (UTC), net of pool and maintenance fees.`,
      );
      // The kind's email is off unless the customer turns it on.
      expect(await mails(customerId, "customer.payout_digest")).toHaveLength(0);
    }
    expect(await t.prisma.payoutDigest.count({ where: { day } })).toBeGreaterThanOrEqual(2);
    expect(await t.prisma.payoutRun.count({ where: { day, status: "COMPLETED", digestedAt: null } })).toBe(0);
  });

  it("a customer who turned the digest email on also gets the mail; a day long past gets no digest", async () => {
    const day = utcDay(-6);
    await btcSnapshot(t.prisma, day);
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    const rigId = await addRig(t.prisma, facilityId, { th: 100, listingId });
    await reportTelemetry(t.prisma, rigId, day, 100);
    const old = await soldContract(t.prisma, {
      listingId,
      operatorId,
      slices: [{ rigId, th: 10 }],
      startDay: day,
      days: 1,
    });
    await settleDay(t.prisma, day);
    await notifyPayoutDigests(t.prisma);
    expect(await notices(old.customerId, "customer.payout_digest")).toHaveLength(0);

    const yesterday = utcDay(-1);
    await btcSnapshot(t.prisma, yesterday);
    await reportTelemetry(t.prisma, rigId, yesterday, 100);
    const fresh = await soldContract(t.prisma, {
      listingId,
      operatorId,
      slices: [{ rigId, th: 10 }],
      startDay: yesterday,
      days: 3,
    });
    await t.prisma.notificationPreference.create({
      data: { userId: fresh.customerId, kind: "customer.payout_digest", email: true },
    });
    await settleDay(t.prisma, yesterday);
    await notifyPayoutDigests(t.prisma);
    expect(await notices(fresh.customerId, "customer.payout_digest")).toHaveLength(1);
    expect(await mails(fresh.customerId, "customer.payout_digest")).toHaveLength(1);
  });
});
