// The admin side of payouts on a real database: only admins may run days; bad days get clear
// messages; re-running a settled day pays nothing twice; catch-up settles what is left; the
// read models reconcile each run and recompute each payout from its stored inputs; and a
// snapshot correction after payouts leaves them as they were and says how many there are.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../db/client";
import { balanceOf } from "../ledger/ledger";
import { parseSnapshot } from "../network/fields";
import { saveSnapshot, snapshotCoins } from "../network/snapshots";
import { DAY_MS, dayText } from "../shared/days";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { btcSnapshotData, createListing, createUser, deposit, TH } from "../testing/fixtures";
import { testPurchase } from "../testing/purchase";
import { findRun, listRuns, payoutAudit, rerunDay, runPayouts, settleableDay, settleAllUnsettled } from "./admin";

const NOW = new Date("2026-11-23T09:15:00Z");
const day = (back: number) => new Date(Date.UTC(2026, 10, 23 - back));

let t: TestDatabase;
let prisma: PrismaClient;
let adminId: string;
let operatorId: string;
let contract: { id: string; customerId: string };
let rigIds: string[];

async function btcSnapshot(back: number, priceMicroUsd: bigint) {
  await prisma.networkSnapshot.create({
    data: btcSnapshotData(day(back), priceMicroUsd),
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  prisma = t.prisma;
  adminId = (await createUser(prisma, ["ADMIN"])).id;
  const market = await createListing(prisma, { rigsTh: [100, 100] });
  operatorId = market.operatorId;
  rigIds = market.rigIds;
  const customer = await createUser(prisma);
  await deposit(prisma, customer.id, "USD", 1_000_000_000n);
  const body = { listingId: market.listingId, hashrate: "150", days: 30, paymentMethod: "BALANCE_USD" };
  const res = await testPurchase(prisma, customer.id, body, { ip: null });
  if (!("contractId" in res.body)) throw new Error(`purchase failed: ${JSON.stringify(res.body)}`);
  contract = { id: res.body.contractId, customerId: customer.id };
  // The term starts three days ago (activated the day before), as run.test.ts moves terms.
  const activatedAt = new Date(day(3).getTime() - 12 * 3_600_000);
  await prisma.contract.update({
    where: { id: contract.id },
    data: { activatedAt, startDay: day(3), endDay: new Date(day(3).getTime() + 29 * DAY_MS) },
  });
  await prisma.allocation.updateMany({ where: { contractId: contract.id }, data: { createdAt: activatedAt } });
  // Rig 1 reports 90 % of its nominal on every day; rig 2 never reports (under-delivery).
  for (const back of [3, 2, 1]) {
    await prisma.rigTelemetry.create({
      data: { rigId: rigIds[0]!, day: day(back), reportedHashrateHs: 90n * TH, source: "SIMULATOR" },
    });
  }
  await btcSnapshot(3, 95_000_000_000n);
  await btcSnapshot(1, 96_000_000_000n);
  // Day 2 has no snapshot yet: its run leaves the contract unsettled.
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

describe("which days can be settled", () => {
  it("explains malformed, today's and future days", () => {
    expect(settleableDay("", NOW)).toMatchObject({
      ok: false,
      message: "Enter the UTC day to settle as YYYY-MM-DD, e.g. 2026-11-22.",
    });
    expect(settleableDay("2026-02-29", NOW)).toMatchObject({
      ok: false,
      message: "“2026-02-29” is not a calendar day; write it as YYYY-MM-DD, e.g. 2026-11-22.",
    });
    expect(settleableDay("yesterday", NOW)).toMatchObject({ ok: false, code: "INVALID" });
    expect(settleableDay("2026-11-23", NOW)).toMatchObject({
      ok: false,
      message: "2026-11-23 is today (UTC) and has not ended yet; the latest day that can be settled is 2026-11-22.",
    });
    expect(settleableDay("2026-12-01", NOW)).toMatchObject({
      ok: false,
      message: "2026-12-01 is in the future; the latest day that can be settled is 2026-11-22.",
    });
    expect(settleableDay(" 2026-11-22 ", NOW)).toEqual({ ok: true, day: day(1) });
  });
});

describe("re-running a day", () => {
  it("is refused to non-admins and starts no run", async () => {
    const customer = await createUser(prisma, ["CUSTOMER", "OPERATOR"]);
    for (const actorId of [customer.id, operatorId, "00000000-0000-4000-8000-000000000000"]) {
      expect(await rerunDay(prisma, { actorId, day: dayText(day(1)), now: NOW })).toEqual({
        ok: false,
        code: "FORBIDDEN",
        message: "Only an admin can do this.",
      });
      expect(await settleAllUnsettled(prisma, { actorId, now: NOW })).toMatchObject({
        ok: false,
        code: "FORBIDDEN",
        summaries: [],
      });
    }
    expect(await prisma.payoutRun.count()).toBe(0);
    expect(await prisma.dailyPayout.count()).toBe(0);
  });

  it("refuses a bad day with its message", async () => {
    expect(await rerunDay(prisma, { actorId: adminId, day: "2026-11-23", now: NOW })).toMatchObject({
      ok: false,
      code: "INVALID",
      message: expect.stringContaining("is today"),
    });
    expect(await rerunDay(prisma, { actorId: adminId, day: "2026-11-31", now: NOW })).toMatchObject({
      ok: false,
      code: "INVALID",
    });
    expect(await prisma.payoutRun.count()).toBe(0);
  });

  it("settles a day once: a second run pays nothing twice", async () => {
    const first = await rerunDay(prisma, { actorId: adminId, day: dayText(day(1)), now: NOW });
    if (!first.ok) throw new Error(first.message);
    expect(first.summary).toMatchObject({ day: dayText(day(1)), contractsSettled: 1, contractsUnsettled: 0 });
    expect(first).toMatchObject({ payoutsBefore: 0, payoutsAfter: 1 });
    const usd = await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "USD", userId: contract.customerId });
    const btc = await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "BTC", userId: contract.customerId });
    expect(btc).toBeGreaterThan(0n);

    const second = await rerunDay(prisma, { actorId: adminId, day: dayText(day(1)), now: NOW });
    if (!second.ok) throw new Error(second.message);
    expect(second.summary).toMatchObject({ contractsSettled: 0, totals: [] });
    expect(second).toMatchObject({ payoutsBefore: 1, payoutsAfter: 1 });
    expect(await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "USD", userId: contract.customerId })).toBe(usd);
    expect(await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "BTC", userId: contract.customerId })).toBe(btc);

    const audits = await prisma.auditLog.findMany({ where: { action: "payout.run" }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.actorId)).toEqual([adminId, adminId]);
  });

  it("catches up the unsettled days once their snapshot exists", async () => {
    const first = await settleAllUnsettled(prisma, { actorId: adminId, now: NOW });
    if (!first.ok) throw new Error(first.message);
    // Day 3 settles; day 2 has no snapshot and stays unsettled.
    expect(first.summaries.map((s) => [s.day, s.contractsSettled, s.contractsUnsettled])).toEqual([
      [dayText(day(3)), 1, 0],
      [dayText(day(2)), 0, 1],
    ]);
    expect(first.summaries[1]!.unsettled).toEqual([{ coin: "BTC", reason: "NO_NETWORK_SNAPSHOT", contracts: 1 }]);

    await btcSnapshot(2, 95_500_000_000n);
    const second = await settleAllUnsettled(prisma, { actorId: adminId, now: NOW });
    if (!second.ok) throw new Error(second.message);
    expect(second.summaries.map((s) => [s.day, s.contractsSettled])).toEqual([[dayText(day(2)), 1]]);
    expect(await prisma.dailyPayout.count({ where: { contractId: contract.id } })).toBe(3);
  });
});

describe("inspecting runs and payouts", () => {
  it("lists runs newest first with a reconciliation per coin from the stored totals", async () => {
    const { rows, total } = await listRuns(prisma, { page: 1, pageSize: 3 });
    expect(total).toBe(5);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      day: day(2),
      status: "COMPLETED",
      contractsSettled: 1,
      contractsCurtailed: 0,
      contractsUnsettled: 0,
    });
    expect(rows[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(rows[0]!.reconciliation).toHaveLength(1);
    const r = rows[0]!.reconciliation[0]!;
    expect(r).toMatchObject({ coin: "BTC", decimals: 8, balanced: true, roundingBase: 0n });
    expect(r.minedBase).toBe(r.customerNetBase + r.poolFeesBase + r.maintenanceFeesBase);
    // 150 TH bought, part of it on a rig that never reports: a credit is owed.
    expect(r.underDeliveryCreditMicroUsd).toBeGreaterThan(0n);
    const page2 = await listRuns(prisma, { page: 2, pageSize: 3 });
    expect(page2.rows.map((x) => x.id)).not.toContain(rows[0]!.id);
    expect(page2.rows).toHaveLength(2);
  });

  it("flags a run whose stored totals do not add up", async () => {
    const { rows } = await listRuns(prisma, { page: 1, pageSize: 1 });
    const run = rows[0]!;
    // Only a forged row can disagree; the check must notice it.
    await prisma.$executeRaw`UPDATE payout_run_totals SET pool_fees_base = pool_fees_base + 1 WHERE run_id = ${run.id}::uuid`;
    expect((await findRun(prisma, run.id))!.reconciliation[0]!.balanced).toBe(false);
    await prisma.$executeRaw`UPDATE payout_run_totals SET pool_fees_base = pool_fees_base - 1 WHERE run_id = ${run.id}::uuid`;
    expect((await findRun(prisma, run.id))!.reconciliation[0]!.balanced).toBe(true);
  });

  it("drills down to a run's payouts and recomputes one from its stored inputs", async () => {
    const run = (await listRuns(prisma, { page: 1, pageSize: 10 })).rows.find(
      (r) => r.day.getTime() === day(1).getTime() && r.contractsSettled === 1,
    )!;
    const { rows, total } = await runPayouts(prisma, run.id, { page: 1, pageSize: 10 });
    expect(total).toBe(1);
    // Only the reporting rig delivers, 90 % of the contract's share of it.
    const onReporting = await prisma.allocation.findFirstOrThrow({
      where: { contractId: contract.id, rigId: rigIds[0]! },
    });
    const delivered = (onReporting.hashrateHs * 90n) / 100n;
    expect(delivered).toBeGreaterThan(0n);
    expect(rows[0]).toMatchObject({
      contractId: contract.id,
      coin: "BTC",
      allocatedHashrateHs: 150n * TH,
      deliveredHashrateHs: delivered,
      curtailed: false,
    });

    const audit = await payoutAudit(prisma, rows[0]!.id);
    expect(audit!.matches).toBe(true);
    expect(audit!.recomputed.netBase).toBe(rows[0]!.netBase);
    expect(audit!.allocatedNowHs).toBe(150n * TH);
    expect(audit!.deliveredNowHs).toBe(delivered);
    expect(audit!.allocations.filter((a) => a.reportedHs === null)).toHaveLength(1);

    // A stored figure altered behind the run's back no longer matches its recomputation.
    await prisma.$executeRaw`ALTER TABLE daily_payouts DISABLE TRIGGER USER`;
    try {
      await prisma.$executeRaw`UPDATE daily_payouts SET usd_value_at_receipt_micro_usd = usd_value_at_receipt_micro_usd + 1 WHERE id = ${rows[0]!.id}`;
      expect((await payoutAudit(prisma, rows[0]!.id))!.matches).toBe(false);
    } finally {
      await prisma.$executeRaw`UPDATE daily_payouts SET usd_value_at_receipt_micro_usd = usd_value_at_receipt_micro_usd - 1 WHERE id = ${rows[0]!.id}`;
      await prisma.$executeRaw`ALTER TABLE daily_payouts ENABLE TRIGGER USER`;
    }
    expect(await payoutAudit(prisma, 999_999_999n)).toBeNull();
  });

  it("keeps settled payouts as they were when their day's snapshot is corrected, and says how many", async () => {
    const before = await prisma.dailyPayout.findFirstOrThrow({ where: { contractId: contract.id, day: day(1) } });
    const parsed = parseSnapshot(
      {
        coin: "BTC",
        day: dayText(day(1)),
        difficulty: "150000000000000",
        blockTime: "600",
        blockSubsidy: "3.125",
        avgFees: "0.1",
        price: "120,000",
        source: "corrected",
      },
      await snapshotCoins(prisma),
      NOW,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
    const saved = await saveSnapshot(prisma, { actorId: adminId, snapshot: parsed.value });
    expect(saved).toMatchObject({ ok: true, outcome: "updated", payoutsOnDay: 1 });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "network_snapshot.corrected" } });
    expect(audit.details).toMatchObject({
      payoutsOnDay: 1,
      before: { priceMicroUsd: "96000000000" },
      after: { priceMicroUsd: "120000000000" },
    });

    const after = await prisma.dailyPayout.findFirstOrThrow({ where: { id: before.id } });
    expect(after).toEqual(before);
    // A re-run of the corrected day still pays nothing twice.
    const rerun = await rerunDay(prisma, { actorId: adminId, day: dayText(day(1)), now: NOW });
    expect(rerun).toMatchObject({ ok: true, summary: { contractsSettled: 0 }, payoutsAfter: 1 });
  });
});
