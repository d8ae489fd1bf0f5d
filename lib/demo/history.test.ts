// The demo history: contracts bought through the real purchase and card-activation paths,
// backdated consistently, settled by the real payout run; payouts reconcile with the ledger
// and with formula.ts; the seed stays idempotent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decimalToBigInt } from "../db/decimal";
import { balanceOf } from "../ledger/ledger";
import { deliveredHashrate } from "../payouts/formula";
import { payoutRecord, recomputePayout, storedFigures } from "../payouts/record";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { unbalancedJournals } from "../testing/fixtures";
import { DEMO_HISTORY_CONTRACTS, demoSessionId } from "./history";
import { dayDate, utcDayNumber } from "./network";
import { DEMO_CUSTOMER_CREDIT_MICRO_USD, seedDemoData, type SeedSummary } from "./seed";

const TODAY = new Date("2026-11-23T15:30:00Z");
const TODAY_N = utcDayNumber(TODAY);

let t: TestDatabase;
let first: SeedSummary;

beforeAll(async () => {
  t = await createTestDatabase();
  first = await seedDemoData(t.prisma, { today: TODAY });
});
afterAll(() => t?.drop());

async function customerId() {
  return (await t.prisma.user.findUniqueOrThrow({ where: { email: "customer@hashlease.test" } })).id;
}

describe("demo history", () => {
  it("buys each contract once by test-mode card, activated and allocated on the same past instants", async () => {
    const customer = await customerId();
    const contracts = await t.prisma.contract.findMany({
      where: { customerId: customer },
      include: { allocations: true, listing: true },
    });
    expect(contracts).toHaveLength(DEMO_HISTORY_CONTRACTS.length);
    expect(new Set(contracts.map((c) => c.coin))).toEqual(new Set(["BTC", "LTC", "KAS"]));
    for (const spec of DEMO_HISTORY_CONTRACTS) {
      const c = contracts.find((x) => x.stripeCheckoutSessionId === demoSessionId(spec.key))!;
      expect(c, spec.key).toBeDefined();
      expect([c.status, c.paymentMethod, c.days]).toEqual(["ACTIVE", "CARD", spec.days]);
      const activationDay = TODAY_N - spec.activatedDaysAgo;
      expect(utcDayNumber(c.activatedAt!)).toBe(activationDay);
      expect(utcDayNumber(c.startDay!)).toBe(activationDay + 1);
      expect(utcDayNumber(c.endDay!)).toBe(activationDay + spec.days);
      expect(c.createdAt.getTime()).toBeLessThan(c.activatedAt!.getTime());
      expect(c.allocations.length).toBeGreaterThan(0);
      for (const a of c.allocations) {
        expect(a.status).toBe("LIVE");
        expect(a.createdAt.getTime()).toBe(c.createdAt.getTime());
      }
      expect(c.allocations.reduce((s, a) => s + a.hashrateHs, 0n)).toBe(c.hashrateHs);
      const payment = await t.prisma.journalTransaction.count({
        where: { kind: "STRIPE_PAYMENT", referenceType: "contract", referenceId: c.id },
      });
      expect(payment).toBe(1);
    }
  });

  it("pays exactly one payout per contract-day from the first day to yesterday", async () => {
    const customer = await customerId();
    const contracts = await t.prisma.contract.findMany({ where: { customerId: customer } });
    let expected = 0;
    for (const c of contracts) {
      const days = TODAY_N - utcDayNumber(c.startDay!);
      expected += days;
      const payouts = await t.prisma.dailyPayout.findMany({ where: { contractId: c.id }, orderBy: { day: "asc" } });
      expect(payouts.map((p) => utcDayNumber(p.day))).toEqual(
        Array.from({ length: days }, (_, i) => utcDayNumber(c.startDay!) + i),
      );
      expect(utcDayNumber(payouts.at(-1)!.day)).toBe(TODAY_N - 1);
    }
    expect(first.counts.payouts).toBe(expected);
    expect(first.created.payouts).toBe(expected);
    expect(await t.prisma.payoutRun.count({ where: { status: { not: "COMPLETED" } } })).toBe(0);
  });

  it("reconciles: journals balance, balances equal the payouts, every figure recomputes with formula.ts", async () => {
    const p = t.prisma;
    const customer = await customerId();
    expect(await unbalancedJournals(p)).toEqual([]);
    const payouts = await p.dailyPayout.findMany({
      where: { contract: { customerId: customer } },
      include: { contract: { include: { allocations: { include: { rig: true } } } } },
    });
    const netByCoin = new Map<string, bigint>();
    let credits = 0n;
    let minedSomething = 0;
    for (const row of payouts) {
      const telemetry = await p.rigTelemetry.findMany({
        where: { day: row.day, rigId: { in: row.contract.allocations.map((a) => a.rigId) } },
      });
      const hd = deliveredHashrate(
        row.contract.allocations.map((a) => ({
          allocHs: a.hashrateHs,
          nominalHs: a.rig.nominalHashrateHs,
          reportedHs: telemetry.find((x) => x.rigId === a.rigId)?.reportedHashrateHs ?? null,
        })),
      );
      expect(row.deliveredHashrateHs).toBe(hd);
      expect(row.allocatedHashrateHs).toBe(row.contract.hashrateHs);
      // Steps 2-7 again with formula.ts from the inputs stored on the row.
      const figures = recomputePayout(payoutRecord(row));
      expect(storedFigures(row)).toEqual(figures);
      netByCoin.set(row.coin, (netByCoin.get(row.coin) ?? 0n) + figures.netBase);
      credits += figures.underDeliveryCreditMicroUsd;
      if (figures.netBase > 0n) minedSomething += 1;
    }
    // Realistic demo: most days that are not curtailed mine something (outages are the exception).
    const curtailed = payouts.filter((row) => row.curtailed);
    expect(minedSomething).toBeGreaterThan((payouts.length - curtailed.length) * 0.8);
    // The branches the dashboard and the admin run page explain: a curtailed day (with what it
    // would have mined), a contract over several rigs, and a rig-day without telemetry.
    expect(curtailed.length).toBeGreaterThan(0);
    expect(curtailed.every((row) => decimalToBigInt(row.computedGrossBase) > 0n)).toBe(true);
    expect(payouts.some((row) => row.contract.allocations.length > 1)).toBe(true);
    const inputs = await p.dailyPayoutAllocation.findMany({
      where: { payout: { contract: { customerId: customer } } },
    });
    expect(inputs.some((x) => x.source === "NONE" && x.reportedHashrateHs === null)).toBe(true);
    for (const [coin, net] of netByCoin) {
      expect(await balanceOf(p, { type: "USER_AVAILABLE", asset: coin as "BTC", userId: customer })).toBe(net);
    }
    expect(await balanceOf(p, { type: "USER_AVAILABLE", asset: "USD", userId: customer })).toBe(
      DEMO_CUSTOMER_CREDIT_MICRO_USD + credits,
    );
    const totals = await p.payoutRunTotal.findMany();
    for (const total of totals) {
      expect(decimalToBigInt(total.minedBase)).toBe(
        decimalToBigInt(total.customerNetBase) +
          decimalToBigInt(total.poolFeesBase) +
          decimalToBigInt(total.maintenanceFeesBase) +
          decimalToBigInt(total.roundingBase),
      );
    }
  });

  it("changes nothing when seeded again the same day, and settles the next day when seeded a day later", async () => {
    const p = t.prisma;
    const before = {
      postings: await p.posting.count(),
      payouts: await p.dailyPayout.count(),
      contracts: await p.contract.count(),
      telemetry: await p.rigTelemetry.count(),
    };
    const again = await seedDemoData(p, { today: TODAY });
    expect(again.created).toEqual({
      coins: 0,
      users: 0,
      facilities: 0,
      rigs: 0,
      listings: 0,
      snapshots: 0,
      contracts: 0,
      telemetry: 0,
      payouts: 0,
      withdrawals: 0,
    });
    expect({
      postings: await p.posting.count(),
      payouts: await p.dailyPayout.count(),
      contracts: await p.contract.count(),
      telemetry: await p.rigTelemetry.count(),
    }).toEqual(before);

    const tomorrow = await seedDemoData(p, { today: new Date(TODAY.getTime() + 86_400_000) });
    expect(tomorrow.created.contracts).toBe(0);
    expect(tomorrow.created.payouts).toBe(DEMO_HISTORY_CONTRACTS.length);
    expect(await p.dailyPayout.count({ where: { day: dayDate(TODAY_N) } })).toBe(DEMO_HISTORY_CONTRACTS.length);
  });
});
