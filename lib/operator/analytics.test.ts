// Operator analytics on a small fixture whose every figure is computed by hand: capacity use
// per facility, delivery per rig over 30 days, money per month (ledger sales, payouts'
// contract-days, delivered rental and credits), the telemetry sheet; nothing of another
// operator leaks in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleDay } from "../payouts/run";
import { dayText } from "../shared/days";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { addContract, addListing, addRig, createOperator, TH } from "../testing/operator-fixtures";
import { btcSnapshot, reportTelemetry, soldContract, utcDay } from "../testing/payout-fixtures";
import {
  facilityUtilisation,
  monthlyRevenue,
  rigDeliveryRatios,
  telemetrySheet,
  utilisationBps,
  utilisationByAlgorithm,
  yesterdayUtc,
} from "./analytics";

let t: TestDatabase;
const f = {} as {
  operatorId: string;
  alpha: string;
  beta: string;
  gamma: string;
  r1: string;
  r2: string;
  r3: string;
  r4: string;
  contractId: string;
};
const d = (offset: number) => utcDay(offset);

beforeAll(async () => {
  t = await createTestDatabase();
  const p = t.prisma;
  const { operatorId, facilityId: alpha } = await createOperator(p, "Alpha");
  const beta = (
    await p.facility.create({
      data: { operatorId, name: "Beta", location: "Kiruna", countryCode: "SE", powerPriceMicroUsdPerKwh: 40_000n },
    })
  ).id;
  const gamma = (
    await p.facility.create({
      data: { operatorId, name: "Gamma", location: "Boden", countryCode: "SE", powerPriceMicroUsdPerKwh: 40_000n },
    })
  ).id;
  const listingId = await addListing(p, operatorId);
  const r1 = await addRig(p, alpha, { th: 100, listingId });
  const r2 = await addRig(p, alpha, { th: 100, listingId });
  const r3 = await addRig(p, alpha, { th: 50, listingId });
  const r4 = await addRig(p, beta, { th: 200 });

  for (const day of [d(-2), d(-1)]) await btcSnapshot(p, day);
  // c1: 60 TH/s on r1 for 5 days from d-2, $1.17 a day, paid from balance.
  const c1 = await soldContract(p, {
    listingId,
    operatorId,
    slices: [{ rigId: r1, th: 60 }],
    startDay: d(-2),
    days: 5,
  });
  await addContract(p, listingId, [{ rigId: r2, th: 20 }], "RESERVED");
  await addContract(p, listingId, [{ rigId: r3, th: 10 }]);
  await p.rig.update({ where: { id: r3 }, data: { status: "MAINTENANCE" } });

  await reportTelemetry(p, r1, d(-3), 120);
  await reportTelemetry(p, r1, d(-2), 90);
  await reportTelemetry(p, r1, d(-1), 100);
  await reportTelemetry(p, r2, d(-1), 80);
  await reportTelemetry(p, r4, d(-5), 0);

  // Another operator with sales, telemetry and payouts on the same days: must never show.
  const other = await createOperator(p, "Alpha");
  const otherListing = await addListing(p, other.operatorId);
  const otherRig = await addRig(p, other.facilityId, { th: 100, listingId: otherListing });
  await soldContract(p, {
    listingId: otherListing,
    operatorId: other.operatorId,
    slices: [{ rigId: otherRig, th: 100 }],
    startDay: d(-2),
    days: 2,
  });
  await reportTelemetry(p, otherRig, d(-2), 10);

  await settleDay(p, d(-2));
  await settleDay(p, d(-1));
  Object.assign(f, { operatorId, alpha, beta, gamma, r1, r2, r3, r4, contractId: c1.contractId });
});
afterAll(async () => {
  await t.drop();
});

describe("capacity use per facility", () => {
  it("counts live and reserved on active rigs against their nominal; stranded apart; empty facilities honest", async () => {
    const rows = await facilityUtilisation(t.prisma, f.operatorId);
    expect(rows.map((r) => r.algorithm)).toEqual(["SHA256", "SHA256", null]);
    expect(
      rows.map((r) => [
        r.name,
        r.rigs,
        r.activeRigs,
        r.totalHs,
        r.liveHs,
        r.reservedHs,
        r.strandedHs,
        r.utilisationBps,
      ]),
    ).toEqual([
      // (60 + 20) / 200 = 40 %
      ["Alpha", 3, 2, 200n * TH, 60n * TH, 20n * TH, 10n * TH, 4_000],
      ["Beta", 1, 1, 200n * TH, 0n, 0n, 0n, 0],
      ["Gamma", 0, 0, 0n, 0n, 0n, 0n, null],
    ]);
    expect(utilisationBps(2n, 3n)).toBe(6_666);
  });
});

describe("capacity use per algorithm", () => {
  it("adds hashrates of one algorithm across facilities and never across algorithms", () => {
    const row = (
      name: string,
      algorithm: "SHA256" | "RANDOMX" | null,
      totalHs: bigint,
      liveHs: bigint,
      reservedHs = 0n,
    ) => ({
      facilityId: name,
      name,
      algorithm,
      rigs: 1,
      activeRigs: 1,
      totalHs,
      liveHs,
      reservedHs,
      strandedHs: 0n,
      utilisationBps: null,
    });
    const kH = 1_000n;
    expect(
      utilisationByAlgorithm([
        row("Luleå", "SHA256", 3_250_000n * TH, 0n),
        row("Luleå", "RANDOMX", 100n * kH, 10n * kH),
        row("Reykjanes", "SHA256", 1_350_000n * TH, 460_000n * TH, 1_000n * TH),
        row("Empty", null, 0n, 0n),
      ]),
    ).toEqual([
      // 10 kH/s of 100 kH/s: 10 %, not 10 kH/s of petahashes.
      { algorithm: "RANDOMX", totalHs: 100n * kH, allocatedHs: 10n * kH, utilisationBps: 1_000 },
      { algorithm: "SHA256", totalHs: 4_600_000n * TH, allocatedHs: 461_000n * TH, utilisationBps: 1_002 },
    ]);
  });
});

describe("delivery per rig", () => {
  it("ratio over reported days with reports capped at nominal, worst first, flags below 95 %", async () => {
    const page = await rigDeliveryRatios(t.prisma, f.operatorId);
    expect(page.to).toBe(dayText(yesterdayUtc()));
    expect(page.days).toHaveLength(30);
    expect([page.total, page.flaggedTotal]).toEqual([4, 2]);
    expect(page.rigs.map((r) => [r.rigId, r.daysReported, r.deliveryBps, r.flagged])).toEqual([
      [f.r4, 1, 0, true],
      [f.r2, 1, 8_000, true],
      // (min(120,100) + 90 + 100) / 300 = 96.66 %
      [f.r1, 3, 9_666, false],
      [f.r3, 0, null, false],
    ]);
    const r1 = page.rigs.find((r) => r.rigId === f.r1)!;
    expect(r1.liveHs).toBe(60n * TH);
    expect(r1.series.slice(26)).toEqual([null, 12_000, 9_000, 10_000]);
    expect(r1.series.slice(0, 26).every((v) => v === null)).toBe(true);
    const r4 = page.rigs.find((r) => r.rigId === f.r4)!;
    expect(r4.series[25]).toBe(0);
  });

  it("pages and narrows to one rig", async () => {
    const second = await rigDeliveryRatios(t.prisma, f.operatorId, { page: 2, pageSize: 2 });
    expect([second.total, second.rigs.map((r) => r.rigId)]).toEqual([4, [f.r1, f.r3]]);
    const beyond = await rigDeliveryRatios(t.prisma, f.operatorId, { page: 9, pageSize: 2 });
    expect([beyond.total, beyond.rigs]).toEqual([4, []]);
    const one = await rigDeliveryRatios(t.prisma, f.operatorId, { rigId: f.r2 });
    expect(one.rigs.map((r) => r.rigId)).toEqual([f.r2]);
  });
});

describe("money per month", () => {
  it("sales from the ledger, contract-days, delivered rental and credits from the payouts", async () => {
    const rows = await monthlyRevenue(t.prisma, f.operatorId);
    // Sales: $5.85 total minus the 3 % platform fee rounded up ($0.1755) = $5.6745, this month.
    // d-2: 54 of 60 TH/s delivered (90 %): credit floor(6 * 1,170,000 / 60) = 117,000; d-1: full.
    const expected = new Map<
      string,
      { sales: bigint; days: number; delivered: bigint; credits: bigint; credited: number }
    >();
    const add = (
      month: string,
      v: Partial<{ sales: bigint; days: number; delivered: bigint; credits: bigint; credited: number }>,
    ) => {
      const e = expected.get(month) ?? { sales: 0n, days: 0, delivered: 0n, credits: 0n, credited: 0 };
      expected.set(month, {
        sales: e.sales + (v.sales ?? 0n),
        days: e.days + (v.days ?? 0),
        delivered: e.delivered + (v.delivered ?? 0n),
        credits: e.credits + (v.credits ?? 0n),
        credited: e.credited + (v.credited ?? 0),
      });
    };
    add(new Date().toISOString().slice(0, 7), { sales: 5_674_500n });
    add(dayText(d(-2)).slice(0, 7), { days: 1, delivered: 1_170_000n - 117_000n, credits: 117_000n, credited: 1 });
    add(dayText(d(-1)).slice(0, 7), { days: 1, delivered: 1_170_000n });
    const want = [...expected.entries()].sort(([a], [b]) => (a < b ? 1 : -1));
    expect(
      rows.map((r) => [
        r.month,
        r.salesMicroUsd,
        r.contractDays,
        r.deliveredMicroUsd,
        r.underDeliveryCreditMicroUsd,
        r.creditedDays,
      ]),
    ).toEqual(want.map(([month, e]) => [month, e.sales, e.days, e.delivered, e.credits, e.credited]));
    // The credits equal what the payouts took from the operator's payable (the ledger agrees).
    const [ledger] = await t.prisma.$queryRaw<{ credits: string }[]>`
      SELECT COALESCE(-sum(p.amount), 0)::text AS credits FROM postings p
        JOIN journal_transactions j ON j.id = p.journal_id AND j.kind = 'UNDER_DELIVERY_CREDIT'
        JOIN ledger_accounts a ON a.id = p.account_id AND a.type = 'OPERATOR_PAYABLE' AND a.user_id = ${f.operatorId}::uuid`;
    expect(BigInt(ledger!.credits)).toBe(rows.reduce((s, r) => s + r.underDeliveryCreditMicroUsd, 0n));
  });

  it("is empty for an operator without sales or payouts", async () => {
    const { operatorId } = await createOperator(t.prisma, "Empty");
    expect(await monthlyRevenue(t.prisma, operatorId)).toEqual([]);
    expect((await rigDeliveryRatios(t.prisma, operatorId)).rigs).toEqual([]);
  });
});

describe("the telemetry sheet of a day", () => {
  it("lists every rig of the operator with the day's report and whether the day is settled for it", async () => {
    const { rows, total } = await telemetrySheet(t.prisma, f.operatorId, d(-2));
    expect(total).toBe(4);
    expect(rows.map((r) => [r.facilityName, r.rigId, r.reportedHashrateHs, r.settled])).toEqual([
      ["Alpha", f.r1, 90n * TH, true],
      ["Alpha", f.r2, null, false],
      ["Alpha", f.r3, null, false],
      ["Beta", f.r4, null, false],
    ]);
    const one = await telemetrySheet(t.prisma, f.operatorId, d(-1), { rigId: f.r2 });
    expect(one.rows.map((r) => [r.rigId, r.reportedHashrateHs, r.source, r.settled])).toEqual([
      [f.r2, 80n * TH, "SIMULATOR", false],
    ]);
  });
});
