// The set-based payout run against a real database (PostgreSQL with DATABASE_URL, else the
// embedded PGlite): a small fleet over a month of days, every run started twice at once,
// then every payout figure recomputed with formula.ts, the ledger, the run totals, contract
// completion, a missing network snapshot, and re-runs; plus a timed 5,000-contract day.
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import { PrismaClient as GeneratedPrismaClient } from "../generated/prisma/client";
import type { Asset } from "../generated/prisma/enums";
import { balanceOf } from "../ledger/ledger";
import { maintenanceIncome, monthlyRevenue } from "../operator/analytics";
import { DAY_MS, dayText, parseDay } from "../shared/days";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import {
  btcSnapshotData,
  bulkMarket,
  createFleetListing,
  createListing,
  createUser,
  deposit,
  driftedAccounts,
  ensureBtc,
  ensureCoin,
  rigLoads,
  TH,
  unbalancedJournals,
} from "../testing/fixtures";
import { testPurchase } from "../testing/purchase";
import { itOnServer } from "../testing/server-only";
import { withTestDatabase } from "../testing/test-database";
import {
  deliveredHashrate,
  settleDay as formulaDay,
  networkHashrate,
  payoutHashrateSource,
  rigDayHashrate,
  type NetworkInputs,
  type RigDaySource,
} from "./formula";
import { storedFigures } from "./record";
import {
  failInterruptedRuns,
  PAYOUT_RUN_LOCK,
  PayoutDayError,
  settleDay,
  settleUnsettledDays,
  unsettledDays,
  type RunSummary,
} from "./run";

const MH = 10n ** 6n;
const march = (d: number) => new Date(Date.UTC(2025, 2, d));
const MARCH_DAYS = Array.from({ length: 31 }, (_, i) => i + 1);
const NO_ETC_SNAPSHOT_DAY = 20;
const CURTAILED_DAY = 15;
const DEPOSIT_USD = 1_000_000_000n; // $1,000

let t: TestDatabase;
let prisma: PrismaClient;

interface Fleet {
  contracts: Record<
    "alice" | "bob" | "carol" | "dave" | "erin",
    { id: string; customerId: string; operatorId: string; coin: Asset }
  >;
  /** Allocations as bought (before completion released them), per contract. */
  allocations: Map<string, { id: string; rigId: string; hashrateHs: bigint }[]>;
  nominal: Map<string, bigint>;
  /** `${rigId}|${day}` -> reported H/s; absent = no telemetry row. */
  telemetry: Map<string, bigint>;
  /** `${rigId}|${day}` -> accepted share work (hashes); absent = no share-day row. */
  measured: Map<string, bigint>;
  btcRigs: string[];
}
let fleet: Fleet;
const firstRuns = new Map<number, RunSummary[]>();

async function etcListing(rigsMh: bigint[]) {
  await ensureCoin(prisma, "ETC");
  return createFleetListing(prisma, {
    coin: "ETC",
    algorithm: "ETCHASH",
    facility: { name: "GPU hall", location: "Kaunas, Lithuania", countryCode: "LT", powerPriceMicroUsdPerKwh: 90_000n },
    title: "ETC GPUs",
    priceMicroUsdPerUnitDay: 2_000n,
    maintenanceFeeMicroUsdPerUnitDay: 500n,
    minDays: 1,
    maxDays: 365,
    minHashrateHs: MH,
    rig: { model: "GPU rig 8x", powerDrawW: 1800 },
    rigsHs: rigsMh.map((mh) => mh * MH),
  });
}

/** Buys from USD balance through the real purchase path, then moves the term into March 2025. */
async function buy(
  market: { listingId: string; operatorId: string },
  coin: Asset,
  hashrate: string,
  days: number,
  startDay: number,
) {
  const customer = await createUser(prisma);
  await deposit(prisma, customer.id, "USD", DEPOSIT_USD);
  const body = { listingId: market.listingId, hashrate, days, paymentMethod: "BALANCE_USD" };
  const res = await testPurchase(prisma, customer.id, body, { ip: null });
  if (!("contractId" in res.body)) throw new Error(`purchase failed: ${JSON.stringify(res.body)}`);
  const id = res.body.contractId;
  // Activated the day before the first day, as a real purchase would have been.
  const activatedAt = new Date(march(startDay).getTime() - 12 * 3_600_000);
  await prisma.contract.update({
    where: { id },
    data: { activatedAt, startDay: march(startDay), endDay: new Date(march(startDay).getTime() + (days - 1) * DAY_MS) },
  });
  await prisma.allocation.updateMany({ where: { contractId: id }, data: { createdAt: activatedAt } });
  return { id, customerId: customer.id, operatorId: market.operatorId, coin };
}

async function addTelemetry(rigId: string, day: number, reportedHs: bigint) {
  await prisma.rigTelemetry.create({
    data: { rigId, day: march(day), reportedHashrateHs: reportedHs, source: "SIMULATOR" },
  });
  fleet.telemetry.set(`${rigId}|${dayText(march(day))}`, reportedHs);
}

/** What the Stratum proxy would have recorded for a rig-day (lib/stratum/accounting.ts). */
async function addMeasured(rigId: string, day: number, acceptedWork: bigint) {
  await prisma.rigShareDay.create({
    data: {
      rigId,
      day: march(day),
      acceptedShares: acceptedWork > 0n ? 1000 : 0,
      acceptedWork: acceptedWork.toString(),
      rejectedStale: 3,
    },
  });
  fleet.measured.set(`${rigId}|${dayText(march(day))}`, acceptedWork);
}

async function addEtcSnapshot(day: number) {
  await prisma.networkSnapshot.create({
    data: {
      coin: "ETC",
      day: march(day),
      networkHashrateHs: (180_000_000_000_000n + BigInt(day) * 100_000_000_000n + 3n).toString(),
      blockTimeMs: 13_000,
      blockSubsidyBase: "2560000000000000000",
      avgFeesPerBlockBase: (10_000_000_000_000_000n + BigInt(day) * 7n).toString(),
      priceMicroUsd: 20_000_000n + BigInt(day) * 10_000n,
      source: "test",
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  prisma = t.prisma;
  // BTC rigs: 100 TH reports in full (but misses one day), 200 TH in part, 50 TH never
  // reports, 80 TH reports above its nominal (capped). Erin's 40 TH rig never reports.
  const btc = await createListing(prisma, { rigsTh: [100, 200, 50, 80] });
  const dark = await createListing(prisma, { rigsTh: [40] });
  const etc = await etcListing([500n, 300n]);
  const contracts = {
    alice: await buy(btc, "BTC", "150", 30, 1),
    bob: await buy(btc, "BTC", "120", 10, 1),
    carol: await buy(btc, "BTC", "60", 30, 5),
    dave: await buy(etc, "ETC", "400", 30, 1),
    erin: await buy(dark, "BTC", "40", 5, 1),
  };
  const allocations = new Map<string, { id: string; rigId: string; hashrateHs: bigint }[]>();
  for (const c of Object.values(contracts)) {
    const rows = await prisma.allocation.findMany({
      where: { contractId: c.id, status: "LIVE" },
      select: { id: true, rigId: true, hashrateHs: true },
    });
    allocations.set(c.id, rows);
  }
  const rigs = await prisma.rig.findMany({ select: { id: true, nominalHashrateHs: true } });
  fleet = {
    contracts,
    allocations,
    nominal: new Map(rigs.map((r) => [r.id, r.nominalHashrateHs])),
    telemetry: new Map(),
    measured: new Map(),
    btcRigs: btc.rigIds,
  };

  const [full, partial, , over] = btc.rigIds as [string, string, string, string];
  // Verified shares: the 80 TH rig mines through the proxy on days 10..20 (about 40 TH, not a
  // multiple of 86400 hashes; Bob's 10th is then MIXED with the 100 TH rig's telemetry); on
  // days 3..5 the 200 TH rig's operator types 150+ TH but its shares show 120 TH (measured
  // wins); on the 8th the 100 TH rig connected and had every share refused (measured 0,
  // although its operator reported 100 TH).
  for (let d = 10; d <= 20; d++) await addMeasured(over, d, 40n * TH * 86_400n + 86_399n + BigInt(d));
  for (let d = 3; d <= 5; d++) await addMeasured(partial, d, 120n * TH * 86_400n);
  await addMeasured(full, 8, 0n);
  const [gpuA, gpuB] = etc.rigIds as [string, string];
  for (const d of MARCH_DAYS) {
    if (d !== 7) await addTelemetry(full, d, 100n * TH);
    await addTelemetry(partial, d, (150n + BigInt(d)) * TH + 123_456_789n);
    await addTelemetry(over, d, 95n * TH);
    await addTelemetry(gpuA, d, 437_770_001n + BigInt(d) * 1_000n);
    await addTelemetry(gpuB, d, 300n * MH);
    await prisma.networkSnapshot.create({
      data: {
        coin: "BTC",
        day: march(d),
        difficulty: (150_000_000_000_000n + BigInt(d) * 1_000_000_000_000n + 7n).toString(),
        blockTimeMs: 600_000,
        blockSubsidyBase: "312500000",
        avgFeesPerBlockBase: (10_000_000n + BigInt(d) * 1_000n).toString(),
        // A price crash on the 15th: maintenance exceeds what the rigs earn (curtailed day).
        priceMicroUsd: d === CURTAILED_DAY ? 20_000_000_000n : 95_000_000_000n + BigInt(d) * 100_000_000n,
        source: "test",
      },
    });
    if (d !== NO_ETC_SNAPSHOT_DAY) await addEtcSnapshot(d);
  }
}, 300_000);

afterAll(async () => {
  await t?.drop();
});

async function payoutsCount(): Promise<number> {
  return prisma.dailyPayout.count();
}

/** Contract-days the fleet has in March (each exactly once), without Dave's 20th (no snapshot yet). */
function expectedContractDays(withDave20th: boolean): number {
  // alice 1..30, bob 1..10, carol 5..31 (27 of her 30), dave 1..30, erin 1..5
  return 30 + 10 + 27 + (withDave20th ? 30 : 29) + 5;
}

describe("a month of payouts, every day run twice at once", () => {
  it("settles each contract-day exactly once", async () => {
    for (const d of MARCH_DAYS) {
      const pair = await Promise.all([settleDay(prisma, march(d)), settleDay(prisma, march(d))]);
      firstRuns.set(d, pair);
      // One run paid the day, the other found it paid (the run lock serialises them).
      expect(Math.min(pair[0].contractsSettled, pair[1].contractsSettled)).toBe(0);
    }
    expect(await payoutsCount()).toBe(expectedContractDays(false));
    const dupes = await prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (SELECT contract_id, day FROM daily_payouts GROUP BY 1, 2 HAVING count(*) > 1) d`;
    expect(Number(dupes[0]!.n)).toBe(0);
    const runs = await prisma.payoutRun.groupBy({ by: ["status"], _count: true });
    expect(runs).toEqual([{ status: "COMPLETED", _count: 62 }]);
  });

  it("reports a day without a network snapshot and leaves those contracts unsettled", async () => {
    for (const run of firstRuns.get(NO_ETC_SNAPSHOT_DAY)!) {
      expect(run.unsettled).toEqual([{ coin: "ETC", reason: "NO_NETWORK_SNAPSHOT", contracts: 1 }]);
      expect(run.contractsUnsettled).toBe(1);
    }
    const settled = firstRuns.get(NO_ETC_SNAPSHOT_DAY)!.reduce((s, r) => s + r.contractsSettled, 0);
    expect(settled).toBe(2); // alice and carol (BTC); bob and erin ended earlier
    expect(
      await prisma.dailyPayout.count({
        where: { contractId: fleet.contracts.dave.id, day: march(NO_ETC_SNAPSHOT_DAY) },
      }),
    ).toBe(0);
    const rows = await prisma.payoutRun.findMany({
      where: { day: march(NO_ETC_SNAPSHOT_DAY) },
      select: { contractsUnsettled: true },
    });
    expect(rows.map((r) => r.contractsUnsettled)).toEqual([1, 1]);
    expect((await unsettledDays(prisma, march(31))).map(dayText)).toEqual(["2025-03-20"]);
  });

  it("a curtailed day pays no coin and charges no fee, but still credits under-delivery", async () => {
    const rows = await prisma.dailyPayout.findMany({ where: { day: march(CURTAILED_DAY) } });
    const btc = rows.filter((r) => r.coin === "BTC");
    expect(btc.length).toBe(2);
    for (const r of btc) {
      expect(r.curtailed).toBe(true);
      expect([r.grossBase, r.poolFeeBase, r.maintenanceFeeBase, r.netBase].map(decimalToBigInt)).toEqual([
        0n,
        0n,
        0n,
        0n,
      ]);
      expect(r.journalId).toBeNull();
      expect(r.underDeliveryCreditMicroUsd > 0n).toBe(r.deliveredHashrateHs < r.allocatedHashrateHs);
      // The day's own figures are kept: what it would have mined, and why that was not worth it.
      const [g, fp, m] = [r.computedGrossBase, r.computedPoolFeeBase, r.computedMaintenanceFeeBase].map(
        decimalToBigInt,
      );
      expect(g! > 0n).toBe(r.deliveredHashrateHs > 0n);
      expect(g! - fp! < m!).toBe(true);
    }
    expect(rows.find((r) => r.coin === "ETC")?.curtailed).toBe(false);
    const summary = firstRuns.get(CURTAILED_DAY)!.find((r) => r.contractsSettled > 0)!;
    expect(summary.totals.find((x) => x.coin === "BTC")).toMatchObject({
      contractsCurtailed: 2,
      minedBase: 0n,
      operatorMaintenanceBase: 0n,
      curtailedGrossBase: btc.reduce((s, r) => s + decimalToBigInt(r.computedGrossBase), 0n),
    });
    expect(summary.totals.find((x) => x.coin === "BTC")!.curtailedGrossBase > 0n).toBe(true);
  });

  it("completes contracts on their last day and frees their capacity", async () => {
    const status = async (id: string) => (await prisma.contract.findUniqueOrThrow({ where: { id } })).status;
    const { alice, bob, carol, dave, erin } = fleet.contracts;
    expect(await status(bob.id)).toBe("COMPLETED");
    expect(await status(erin.id)).toBe("COMPLETED");
    expect(await status(alice.id)).toBe("COMPLETED");
    // Dave's last day (the 30th) was paid, so he completes even though the 20th waits for data.
    expect(await status(dave.id)).toBe("COMPLETED");
    expect(await status(carol.id)).toBe("ACTIVE"); // runs into April
    const bobAllocations = await prisma.allocation.findMany({ where: { contractId: bob.id } });
    expect(bobAllocations.every((a) => a.status === "RELEASED" && a.releasedAt !== null)).toBe(true);
    const completedOn = (d: number) => firstRuns.get(d)!.reduce((s, r) => s + r.contractsCompleted, 0);
    expect(completedOn(5)).toBe(1); // erin
    expect(completedOn(10)).toBe(1); // bob
    expect(completedOn(30)).toBe(2); // alice, dave
    // Only Carol's 60 TH is still held on the BTC rigs.
    const used = (await rigLoads(prisma, fleet.btcRigs)).reduce((s, r) => s + BigInt(r.used), 0n);
    expect(used).toBe(60n * TH);
  });
});

describe("re-runs and catch-up", () => {
  it("re-running every day twice in a row pays nothing more", async () => {
    const before = await payoutsCount();
    const journals = await prisma.journalTransaction.count();
    for (const d of MARCH_DAYS) {
      for (let i = 0; i < 2; i++) {
        const run = await settleDay(prisma, march(d));
        expect(run.contractsSettled).toBe(0);
        expect(run.totals).toEqual([]);
      }
    }
    expect(await payoutsCount()).toBe(before);
    expect(await prisma.journalTransaction.count()).toBe(journals);
  });

  it("catch-up (twice, then twice at once) retries only the day still missing data", async () => {
    const before = await payoutsCount();
    const sequential = [
      ...(await settleUnsettledDays(prisma, { upTo: march(31) })),
      ...(await settleUnsettledDays(prisma, { upTo: march(31) })),
    ];
    const concurrent = (
      await Promise.all([
        settleUnsettledDays(prisma, { upTo: march(31) }),
        settleUnsettledDays(prisma, { upTo: march(31) }),
      ])
    ).flat();
    for (const run of [...sequential, ...concurrent]) {
      expect(run.day).toBe("2025-03-20");
      expect(run.contractsSettled).toBe(0);
      expect(run.unsettled).toEqual([{ coin: "ETC", reason: "NO_NETWORK_SNAPSHOT", contracts: 1 }]);
    }
    expect(sequential.length + concurrent.length).toBe(4);
    expect(await payoutsCount()).toBe(before);
  });

  it("once the snapshot arrives, catch-up pays the completed contract's missing day with its original allocation", async () => {
    await addEtcSnapshot(NO_ETC_SNAPSHOT_DAY);
    const runs = await Promise.all([
      settleUnsettledDays(prisma, { upTo: march(31) }),
      settleUnsettledDays(prisma, { upTo: march(31) }),
    ]);
    const all = runs.flat();
    expect(all.reduce((s, r) => s + r.contractsSettled, 0)).toBe(1);
    const payout = await prisma.dailyPayout.findUniqueOrThrow({
      where: { contractId_day: { contractId: fleet.contracts.dave.id, day: march(NO_ETC_SNAPSHOT_DAY) } },
    });
    expect(payout.allocatedHashrateHs).toBe(400n * MH);
    expect(await payoutsCount()).toBe(expectedContractDays(true));
    expect(await unsettledDays(prisma, march(31))).toEqual([]);
    expect(await settleUnsettledDays(prisma, { upTo: march(31) })).toEqual([]);
  });

  itOnServer(
    "while a run holds the run lock, a RUNNING row is not touched (it may be that run's)",
    "one connection holds the advisory lock while another checks it",
    async () => {
      const dead = await prisma.payoutRun.create({
        data: { day: march(3), status: "RUNNING", startedAt: new Date(Date.now() - 60 * 60_000) },
      });
      try {
        const held = await prisma.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PAYOUT_RUN_LOCK})`;
          return Promise.all([failInterruptedRuns(prisma), tx.$queryRaw`SELECT 1`]);
        });
        expect(held[0]).toEqual([]);
        expect((await prisma.payoutRun.findUniqueOrThrow({ where: { id: dead.id } })).status).toBe("RUNNING");
      } finally {
        // This test's own row (no payouts): removed, so the runs checked below are real ones.
        await prisma.payoutRun.deleteMany({ where: { id: dead.id } });
      }
    },
  );

  it("a run whose process died (row left RUNNING) is marked FAILED by the next run; a fresh RUNNING row is left alone", async () => {
    const dead = await prisma.payoutRun.create({
      data: { day: march(3), status: "RUNNING", startedAt: new Date(Date.now() - 60 * 60_000) },
    });
    const fresh = await prisma.payoutRun.create({ data: { day: march(4), status: "RUNNING" } });
    try {
      await settleDay(prisma, march(3));
      const after = await prisma.payoutRun.findUniqueOrThrow({ where: { id: dead.id } });
      expect(after).toMatchObject({ status: "FAILED", error: expect.stringContaining("Interrupted") });
      expect(after.finishedAt).not.toBeNull();
      expect((await prisma.payoutRun.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe("RUNNING");
      expect(await prisma.auditLog.count({ where: { action: "payout.run_failed", entityId: dead.id } })).toBe(1);
    } finally {
      // The two rows are this test's own (no payouts): removed, so the runs checked below are real ones.
      await prisma.payoutRun.deleteMany({ where: { id: { in: [dead.id, fresh.id] } } });
    }
  });

  it("refuses a day that has not ended yet, and writes nothing", async () => {
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const runs = await prisma.payoutRun.count();
    await expect(settleDay(prisma, today)).rejects.toBeInstanceOf(PayoutDayError);
    await expect(settleDay(prisma, new Date(Date.UTC(2025, 2, 1, 12)))).rejects.toBeInstanceOf(PayoutDayError);
    expect(await prisma.payoutRun.count()).toBe(runs);
    expect(parseDay("2025-02-30")).toBeNull();
    expect(parseDay("2025-03-01")).toEqual(march(1));
  });
});

describe("every figure, the ledger and the run totals", () => {
  it("every payout row equals formula.ts for the same inputs (SQL == formula)", async () => {
    const payouts = await prisma.dailyPayout.findMany({ include: { contract: true, allocationInputs: true } });
    const snapshots = await prisma.networkSnapshot.findMany();
    const coins = new Map((await prisma.coin.findMany()).map((c) => [c.asset, c]));
    const seen = {
      curtailed: 0,
      zeroDelivery: 0,
      capped: 0,
      missingTelemetry: 0,
      partial: 0,
      credited: 0,
      eighteenDecimals: 0,
      measured: 0,
      measuredBelowTelemetry: 0,
      mixed: 0,
      severalRigs: 0,
    };
    for (const p of payouts) {
      const key = dayText(p.day);
      const snap = snapshots.find((s) => s.coin === p.coin && dayText(s.day) === key)!;
      const network: NetworkInputs = {
        networkHashrateHs: snap.networkHashrateHs === null ? null : decimalToBigInt(snap.networkHashrateHs),
        difficulty: snap.difficulty === null ? null : decimalToBigInt(snap.difficulty),
        blockTimeMs: BigInt(snap.blockTimeMs),
        blockSubsidyBase: decimalToBigInt(snap.blockSubsidyBase),
        avgFeesPerBlockBase: decimalToBigInt(snap.avgFeesPerBlockBase),
        priceMicroUsd: snap.priceMicroUsd,
      };
      const sources: RigDaySource[] = [];
      const expectedInputs: unknown[] = [];
      const allocs = fleet.allocations.get(p.contractId)!.map((a) => {
        const telemetry = fleet.telemetry.get(`${a.rigId}|${key}`) ?? null;
        const rigDay = rigDayHashrate(fleet.measured.get(`${a.rigId}|${key}`) ?? null, telemetry);
        sources.push(rigDay.source);
        if (rigDay.source === "SHARES") seen.measured++;
        if (rigDay.source === "SHARES" && telemetry !== null && rigDay.hs! < telemetry) seen.measuredBelowTelemetry++;
        const reportedHs = rigDay.hs;
        const nominalHs = fleet.nominal.get(a.rigId)!;
        if (reportedHs === null) seen.missingTelemetry++;
        else if (reportedHs > nominalHs) seen.capped++;
        else if (reportedHs < nominalHs) seen.partial++;
        const work = fleet.measured.get(`${a.rigId}|${key}`);
        expectedInputs.push({
          allocationId: a.id,
          rigId: a.rigId,
          allocatedHashrateHs: a.hashrateHs,
          nominalHashrateHs: nominalHs,
          reportedHashrateHs: reportedHs,
          telemetryHashrateHs: telemetry,
          acceptedWork: rigDay.source === "SHARES" ? work! : null,
          source: rigDay.source,
          deliveredHashrateHs: deliveredHashrate([{ allocHs: a.hashrateHs, nominalHs, reportedHs }]),
        });
        return { allocHs: a.hashrateHs, nominalHs, reportedHs };
      });
      // Step 1's inputs are stored per allocation with the payout, as the test computed them...
      const storedInputs = p.allocationInputs
        .map((x) => ({
          allocationId: x.allocationId,
          rigId: x.rigId,
          allocatedHashrateHs: x.allocatedHashrateHs,
          nominalHashrateHs: x.nominalHashrateHs,
          reportedHashrateHs: x.reportedHashrateHs,
          telemetryHashrateHs: x.telemetryHashrateHs,
          acceptedWork: x.acceptedWork === null ? null : decimalToBigInt(x.acceptedWork),
          source: x.source,
          deliveredHashrateHs: x.deliveredHashrateHs,
        }))
        .sort((a, b) => a.allocationId.localeCompare(b.allocationId));
      expect(storedInputs).toEqual(
        (expectedInputs as { allocationId: string }[]).sort((a, b) => a.allocationId.localeCompare(b.allocationId)),
      );
      // ...and they alone give the payout's allocated and delivered hashrate and its source.
      expect(storedInputs.reduce((s, x) => s + x.allocatedHashrateHs, 0n)).toBe(p.allocatedHashrateHs);
      expect(
        deliveredHashrate(
          storedInputs.map((x) => ({
            allocHs: x.allocatedHashrateHs,
            nominalHs: x.nominalHashrateHs,
            reportedHs: x.reportedHashrateHs,
          })),
        ),
      ).toBe(p.deliveredHashrateHs);
      expect(payoutHashrateSource(storedInputs.map((x) => x.source as RigDaySource))).toBe(p.hashrateSource);
      if (storedInputs.length > 1) seen.severalRigs++;
      const allocated = allocs.reduce((s, a) => s + a.allocHs, 0n);
      const delivered = deliveredHashrate(allocs);
      const c = p.contract;
      const decimals = BigInt(coins.get(p.coin)!.decimals);
      const expected = formulaDay({
        contractedHs: allocated,
        deliveredHs: delivered,
        network,
        decimals,
        poolFeeBps: BigInt(c.poolFeeBps),
        maintenanceFeeMicroUsdPerUnitDay: c.maintenanceFeeMicroUsdPerUnitDay,
        unitHs: c.unitHs,
        dailyPriceMicroUsd: c.dailyPriceMicroUsd,
      });
      expect({
        allocated: p.allocatedHashrateHs,
        delivered: p.deliveredHashrateHs,
        network: decimalToBigInt(p.networkHashrateHs),
        blockTimeMs: p.blockTimeMs,
        subsidy: decimalToBigInt(p.blockSubsidyBase),
        fees: decimalToBigInt(p.avgFeesPerBlockBase),
        price: p.priceMicroUsd,
        decimals: BigInt(p.decimals),
        poolFeeBps: p.poolFeeBps,
        maintenanceFee: p.maintenanceFeeMicroUsdPerUnitDay,
        unitHs: p.unitHs,
        dailyPrice: p.dailyPriceMicroUsd,
        ...storedFigures(p),
        hashrateSource: p.hashrateSource,
      }).toEqual({
        allocated,
        delivered,
        network: networkHashrate(network),
        blockTimeMs: snap.blockTimeMs,
        subsidy: network.blockSubsidyBase,
        fees: network.avgFeesPerBlockBase,
        price: network.priceMicroUsd,
        decimals,
        poolFeeBps: c.poolFeeBps,
        maintenanceFee: c.maintenanceFeeMicroUsdPerUnitDay,
        unitHs: c.unitHs,
        dailyPrice: c.dailyPriceMicroUsd,
        ...expected,
        hashrateSource: payoutHashrateSource(sources),
      });
      if (p.hashrateSource === "MIXED") seen.mixed++;
      if (expected.curtailed) seen.curtailed++;
      if (delivered === 0n) seen.zeroDelivery++;
      if (expected.underDeliveryCreditMicroUsd > 0n) seen.credited++;
      if (decimals === 18n) seen.eighteenDecimals++;
    }
    expect(payouts.length).toBe(expectedContractDays(true));
    // The fleet exercised every branch of the formula.
    for (const [branch, count] of Object.entries(seen)) expect(count, branch).toBeGreaterThan(0);
  });

  it("posts one balanced PAYOUT journal per contract-day that mined, and a USD credit journal per under-delivery", async () => {
    expect(await unbalancedJournals(prisma)).toEqual([]);
    const payouts = await prisma.dailyPayout.findMany({ include: { contract: { include: { listing: true } } } });
    const journals = await prisma.journalTransaction.findMany({
      where: { referenceType: "daily_payout" },
      include: { postings: { include: { account: true } } },
    });
    const byRef = new Map(journals.map((j) => [`${j.kind}|${j.referenceId}`, j]));
    const describePosting = (p: (typeof journals)[number]["postings"][number]) =>
      `${p.account.type}:${p.asset}:${p.account.userId ?? "-"}:${decimalToBigInt(p.amount)}`;
    for (const p of payouts) {
      const gross = decimalToBigInt(p.grossBase);
      const net = decimalToBigInt(p.netBase);
      const pool = decimalToBigInt(p.poolFeeBase);
      const maintenance = decimalToBigInt(p.maintenanceFeeBase);
      const coinJournal = byRef.get(`PAYOUT|${p.id}`);
      if (gross === 0n) {
        expect(coinJournal).toBeUndefined();
        expect(p.journalId).toBeNull();
      } else {
        expect(coinJournal?.id).toBe(p.journalId);
        const expected = [
          `MINING_CLEARING:${p.coin}:-:${-gross}`,
          net > 0n ? `USER_AVAILABLE:${p.coin}:${p.contract.customerId}:${net}` : null,
          pool > 0n ? `POOL_FEES:${p.coin}:-:${pool}` : null,
          // The maintenance fee is the operator's: credited to its payable in the coin.
          maintenance > 0n ? `OPERATOR_PAYABLE:${p.coin}:${p.contract.listing.operatorId}:${maintenance}` : null,
        ].filter((x) => x !== null);
        expect(coinJournal!.postings.map(describePosting).sort()).toEqual(expected.sort());
      }
      const creditJournal = byRef.get(`UNDER_DELIVERY_CREDIT|${p.id}`);
      if (p.underDeliveryCreditMicroUsd === 0n) {
        expect(creditJournal).toBeUndefined();
        expect(p.creditJournalId).toBeNull();
      } else {
        expect(creditJournal?.id).toBe(p.creditJournalId);
        expect(creditJournal!.postings.map(describePosting).sort()).toEqual(
          [
            `OPERATOR_PAYABLE:USD:${p.contract.listing.operatorId}:${-p.underDeliveryCreditMicroUsd}`,
            `USER_AVAILABLE:USD:${p.contract.customerId}:${p.underDeliveryCreditMicroUsd}`,
          ].sort(),
        );
      }
    }
    expect(journals.length).toBe(
      payouts.filter((p) => decimalToBigInt(p.grossBase) > 0n).length +
        payouts.filter((p) => p.underDeliveryCreditMicroUsd > 0n).length,
    );
  });

  it("cached balances equal the sum of postings; customers hold their net coin and USD credits", async () => {
    expect(await driftedAccounts(prisma)).toEqual([]);
    for (const c of Object.values(fleet.contracts)) {
      const payouts = await prisma.dailyPayout.findMany({ where: { contractId: c.id } });
      const net = payouts.reduce((s, p) => s + decimalToBigInt(p.netBase), 0n);
      const credit = payouts.reduce((s, p) => s + p.underDeliveryCreditMicroUsd, 0n);
      const contract = await prisma.contract.findUniqueOrThrow({ where: { id: c.id } });
      expect(await balanceOf(prisma, { type: "USER_AVAILABLE", asset: c.coin, userId: c.customerId })).toBe(net);
      expect(await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "USD", userId: c.customerId })).toBe(
        DEPOSIT_USD - contract.totalPriceMicroUsd + credit,
      );
    }
    // Each operator's coin payable holds exactly the maintenance fees of its listings' payouts.
    const operators = new Set(Object.values(fleet.contracts).map((c) => c.operatorId));
    for (const operatorId of operators) {
      for (const coin of ["BTC", "ETC"] as const) {
        const fees = (
          await prisma.dailyPayout.findMany({ where: { coin, contract: { listing: { operatorId } } } })
        ).reduce((s, p) => s + decimalToBigInt(p.maintenanceFeeBase), 0n);
        expect(await balanceOf(prisma, { type: "OPERATOR_PAYABLE", asset: coin, userId: operatorId })).toBe(fees);
      }
    }
    expect(await balanceOf(prisma, { type: "PLATFORM_FEES", asset: "BTC", userId: null })).toBe(0n);
    // Mining clearing paid out exactly what the fleet mined.
    for (const coin of ["BTC", "ETC"] as const) {
      const mined = (await prisma.dailyPayout.findMany({ where: { coin } })).reduce(
        (s, p) => s + decimalToBigInt(p.grossBase),
        0n,
      );
      expect(await balanceOf(prisma, { type: "MINING_CLEARING", asset: coin, userId: null })).toBe(-mined);
    }
  });

  it("run totals reconcile: mined = customer net + pool fees + maintenance fees + rounding, rounding 0", async () => {
    const runs = await prisma.payoutRun.findMany({ include: { totals: true, payouts: true } });
    expect(runs.every((r) => r.status === "COMPLETED")).toBe(true);
    let totalsRows = 0;
    for (const run of runs) {
      expect(run.contractsSettled).toBe(run.payouts.length);
      for (const total of run.totals) {
        totalsRows++;
        const own = run.payouts.filter((p) => p.coin === total.coin);
        const sum = (pick: (p: (typeof own)[number]) => bigint) => own.reduce((s, p) => s + pick(p), 0n);
        const mined = decimalToBigInt(total.minedBase);
        const net = decimalToBigInt(total.customerNetBase);
        const pool = decimalToBigInt(total.poolFeesBase);
        const maintenance = decimalToBigInt(total.maintenanceFeesBase);
        const rounding = decimalToBigInt(total.roundingBase);
        expect(mined).toBe(net + pool + maintenance + rounding);
        expect(rounding).toBe(0n);
        expect(mined).toBe(sum((p) => decimalToBigInt(p.grossBase)));
        expect(net).toBe(sum((p) => decimalToBigInt(p.netBase)));
        expect(pool).toBe(sum((p) => decimalToBigInt(p.poolFeeBase)));
        expect(maintenance).toBe(sum((p) => decimalToBigInt(p.maintenanceFeeBase)));
        expect(total.underDeliveryCreditMicroUsd).toBe(sum((p) => p.underDeliveryCreditMicroUsd));
        // Every maintenance fee reached an operator (platform share 0), read back from the postings.
        expect(decimalToBigInt(total.operatorMaintenanceBase)).toBe(maintenance);
        expect(decimalToBigInt(total.curtailedGrossBase)).toBe(
          sum((p) => (p.curtailed ? decimalToBigInt(p.computedGrossBase) : 0n)),
        );
      }
      expect(run.totals.map((x) => x.coin).sort()).toEqual([...new Set(run.payouts.map((p) => p.coin))].sort());
    }
    expect(totalsRows).toBeGreaterThan(31);
    // One audit line per run, with its totals.
    const audits = await prisma.auditLog.findMany({ where: { action: "payout.run" } });
    expect(audits.length).toBe(runs.length);
    const audited = audits.find((a) => a.entityId === firstRuns.get(1)!.find((r) => r.contractsSettled > 0)!.runId)!;
    expect(audited.details).toMatchObject({
      day: "2025-03-01",
      contractsSettled: 4,
      totals: [{ coin: "BTC", roundingBase: "0" }, { coin: "ETC" }],
    });
  });
});

describe("the operator's maintenance income", () => {
  it("the operator's dashboard and monthly revenue show the fees its payable received, valued at receipt", async () => {
    const operatorId = fleet.contracts.alice.operatorId;
    const payouts = await prisma.dailyPayout.findMany({ where: { contract: { listing: { operatorId } } } });
    const paid = payouts.filter((p) => decimalToBigInt(p.maintenanceFeeBase) > 0n);
    const value = paid.reduce(
      (s, p) => s + (decimalToBigInt(p.maintenanceFeeBase) * p.priceMicroUsd) / 10n ** BigInt(p.decimals),
      0n,
    );
    expect(paid.length).toBeGreaterThan(0);
    expect(await maintenanceIncome(prisma, operatorId)).toEqual([
      {
        coin: "BTC",
        decimals: 8,
        creditedBase: paid.reduce((s, p) => s + decimalToBigInt(p.maintenanceFeeBase), 0n),
        days: paid.length,
        valueMicroUsd: value,
      },
    ]);
    const months = await monthlyRevenue(prisma, operatorId, { now: new Date(Date.UTC(2025, 3, 15)), months: 2 });
    const march = months.find((m) => m.month === "2025-03")!;
    const inMarch = paid.filter((p) => p.day.getUTCMonth() === 2);
    expect(march.maintenanceDays).toBe(inMarch.length);
    expect(march.maintenanceIncomeMicroUsd).toBe(
      inMarch.reduce(
        (s, p) => s + (decimalToBigInt(p.maintenanceFeeBase) * p.priceMicroUsd) / 10n ** BigInt(p.decimals),
        0n,
      ),
    );
  });
});

describe("computed and posted figures", () => {
  it("the database refuses a payout whose posted figures do not follow its curtailment decision", async () => {
    const curtailed = await prisma.dailyPayout.findFirstOrThrow({
      where: { curtailed: true, deliveredHashrateHs: { gt: 0 } },
    });
    const paid = await prisma.dailyPayout.findFirstOrThrow({ where: { curtailed: false, grossBase: { gt: 0 } } });
    // A curtailed day posting its would-be gross, a paid day flagged curtailed, a paid day whose
    // computed maintenance fee differs from the one posted: each is refused by a CHECK.
    await expect(
      prisma.$executeRaw`UPDATE daily_payouts SET gross_base = computed_gross_base, net_base = computed_gross_base WHERE id = ${curtailed.id}`,
    ).rejects.toThrow(/daily_payouts_(posted_follow_computed|figures_add_up)/);
    await expect(prisma.$executeRaw`UPDATE daily_payouts SET curtailed = true WHERE id = ${paid.id}`).rejects.toThrow(
      /daily_payouts_curtailment_decided/,
    );
    await expect(
      prisma.$executeRaw`UPDATE daily_payouts SET computed_maintenance_fee_base = computed_maintenance_fee_base + 1 WHERE id = ${paid.id}`,
    ).rejects.toThrow(/daily_payouts_posted_follow_computed/);
  });
});

describe("scale", () => {
  const CONTRACTS = 5_000;
  const SCALE_FLEET = { rigs: 50, rigTh: 1_000, customers: 1000, contracts: CONTRACTS, prefix: "scale" };
  const big = withTestDatabase({ timeoutMs: 300_000 });
  beforeAll(() => ensureBtc(big.prisma), 300_000);

  it(`settles ${CONTRACTS} contracts in a fixed number of statements`, async () => {
    const p = big.prisma;
    // 1,000 customers with 5 contracts of 10 TH each, 100 per rig, active since 2025-06-01.
    const market = await bulkMarket(p, SCALE_FLEET);
    await p.$executeRaw`
      INSERT INTO rig_telemetry (rig_id, day, reported_hashrate_hs, source, updated_at)
      SELECT id, '2025-06-01'::date, CASE WHEN row_number() OVER (ORDER BY id) % 5 = 0 THEN 870000000000000 ELSE 1000000000000000 END,
             'SIMULATOR'::telemetry_source, now()
        FROM rigs WHERE listing_id = ${market.listingId}::uuid`;
    await p.networkSnapshot.create({
      data: btcSnapshotData(new Date(Date.UTC(2025, 5, 1))),
    });

    // A client that logs every statement it sends, to count the run's statements.
    const logged = new GeneratedPrismaClient({
      adapter: new PrismaPg({ connectionString: big.url }),
      log: [{ emit: "event", level: "query" }],
    });
    const statements: string[] = [];
    logged.$on("query", (e) => statements.push(e.query));
    let run: RunSummary;
    try {
      run = await settleDay(logged, new Date(Date.UTC(2025, 5, 1)));
    } finally {
      await logged.$disconnect();
    }
    const rerun = await settleDay(p, new Date(Date.UTC(2025, 5, 1)));
    console.log(
      `[payouts] ${CONTRACTS} contracts settled in ${run.durationMs} ms with ${statements.length} SQL statements ` +
        `(${big.real ? "PostgreSQL" : "PGlite"}); re-run of the settled day ${rerun.durationMs} ms`,
    );
    // Interrupted-run check (begin, try-lock, update, commit), run row, statistics check
    // (+ ANALYZE), lock, due set (+ its ANALYZE), accounts, settle, complete, run update, audit,
    // commit: a fixed number, whatever the number of contracts.
    expect(statements.length).toBeLessThanOrEqual(16);
    expect(run.contractsSettled).toBe(CONTRACTS);
    expect(rerun.contractsSettled).toBe(0);
    expect(await p.dailyPayout.count()).toBe(CONTRACTS);
    expect(await unbalancedJournals(p)).toEqual([]);
    const [btc] = run.totals;
    expect(btc!.roundingBase).toBe(0n);
    expect(btc!.minedBase).toBe(btc!.customerNetBase + btc!.poolFeesBase + btc!.maintenanceFeesBase);
    // 1 in 5 rigs delivered 87 %: those contracts are credited, the others are not.
    expect(await p.dailyPayout.count({ where: { underDeliveryCreditMicroUsd: { gt: 0n } } })).toBe(CONTRACTS / 5);
  });
});
