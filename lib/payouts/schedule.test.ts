// The scheduled payout job: catches up every unsettled day up to yesterday, is cheap and
// quiet when there is nothing to do, and two workers racing it (two app instances, each with
// its own connection pool) pay every contract-day exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../jobs/worker";
import { dayText } from "../shared/days";
import { createTestDatabaseWithSecondClient } from "../testing/database";
import { unbalancedJournals } from "../testing/fixtures";
import { addListing, addRig, createOperator } from "../testing/operator-fixtures";
import { btcSnapshot, reportTelemetry, soldContract, utcDay } from "../testing/payout-fixtures";
import { runScheduledPayouts, settlementClock } from "./schedule";

/** Noon of the test's UTC day: past the share-flush grace whenever the suite runs. */
const noonToday = () => new Date(utcDay(0).getTime() + 12 * 3_600_000);

let t: Awaited<ReturnType<typeof createTestDatabaseWithSecondClient>>;
beforeAll(async () => {
  t = await createTestDatabaseWithSecondClient();
});
afterAll(() => t.drop());

describe("the settle-payouts job", () => {
  it("is scheduled every 10 minutes", () => {
    expect(jobs.find((j) => j.name === "settle-payouts")?.everyMs).toBe(600_000);
  });

  it("settles a day only 2 minutes after it ended, when every proxy has written its last shares", () => {
    const midnight = Date.UTC(2026, 11, 5);
    expect(dayText(settlementClock(new Date(midnight + 60_000)))).toBe("2026-12-04");
    expect(dayText(settlementClock(new Date(midnight + 120_000)))).toBe("2026-12-05");
  });

  it("two workers racing settle each contract-day once, then find nothing to do", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    const rigA = await addRig(t.prisma, facilityId, { th: 100, listingId });
    const rigB = await addRig(t.prisma, facilityId, { th: 100, listingId });
    const days = [utcDay(-4), utcDay(-3), utcDay(-2), utcDay(-1)];
    for (const day of days) await btcSnapshot(t.prisma, day);
    for (const day of days) {
      await reportTelemetry(t.prisma, rigA, day, 100);
      await reportTelemetry(t.prisma, rigB, day, 80);
    }
    // 3 contracts: 4 + 3 + 2 = 9 contract-days up to yesterday; a fourth starts today (not due yet).
    const sell = (slices: { rigId: string; th: number }[], startDay: Date) =>
      soldContract(t.prisma, { listingId, operatorId, slices, startDay, days: 10 });
    const contracts = [
      await sell([{ rigId: rigA, th: 30 }], days[0]!),
      await sell([{ rigId: rigB, th: 50 }], days[1]!),
      await sell(
        [
          { rigId: rigA, th: 20 },
          { rigId: rigB, th: 20 },
        ],
        days[2]!,
      ),
      await sell([{ rigId: rigA, th: 10 }], utcDay(0)),
    ];

    const logs: string[][] = [[], []];
    const settled = await Promise.all([
      runScheduledPayouts(t.prisma, { now: noonToday(), log: (line) => logs[0]!.push(line) }),
      runScheduledPayouts(t.second, { now: noonToday(), log: (line) => logs[1]!.push(line) }),
    ]);
    expect(settled[0]! + settled[1]!).toBe(9);

    const perDay = await t.prisma.$queryRaw<{ contract_id: string; day: string; n: number }[]>`
      SELECT contract_id::text, day::text, count(*)::int AS n FROM daily_payouts GROUP BY contract_id, day ORDER BY day, contract_id`;
    expect(perDay.every((r) => r.n === 1)).toBe(true);
    expect(perDay).toHaveLength(9);
    const byContract = (id: string) => perDay.filter((r) => r.contract_id === id).map((r) => r.day);
    expect(byContract(contracts[0]!.contractId)).toEqual(days.map(dayText));
    expect(byContract(contracts[1]!.contractId)).toEqual(days.slice(1).map(dayText));
    expect(byContract(contracts[2]!.contractId)).toEqual(days.slice(2).map(dayText));
    expect(byContract(contracts[3]!.contractId)).toEqual([]);
    // One PAYOUT journal per paid contract-day (all mined something), none twice; ledger balanced.
    const journals = await t.prisma.journalTransaction.count({ where: { kind: "PAYOUT" } });
    expect(journals).toBe(9);
    expect(await unbalancedJournals(t.prisma)).toEqual([]);

    // Each worker logged the days it ran; together they name every day, with its figures.
    const all = [...logs[0]!, ...logs[1]!];
    for (const day of days)
      expect(all.some((line) => line.startsWith(`[payouts] ${dayText(day)}: settled `))).toBe(true);
    expect(all.filter((line) => /settled [1-9]/.test(line)).length).toBe(4);

    // Nothing left: both workers return 0 without creating runs.
    const runsBefore = await t.prisma.payoutRun.count();
    expect(
      await Promise.all([
        runScheduledPayouts(t.prisma, { now: noonToday(), log: () => {} }),
        runScheduledPayouts(t.second, { now: noonToday(), log: () => {} }),
      ]),
    ).toEqual([0, 0]);
    expect(await t.prisma.payoutRun.count()).toBe(runsBefore);
  });
});
