// What customers and operators see of verified delivery, from share rows written through the
// real ShareLedger: 10-minute buckets scaled by the allocation and capped at nominal (as the
// payout run counts a day), online/offline after 10 minutes, ownership.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { addContract, addListing, addRig, createOperator, TH } from "../testing/operator-fixtures";
import { ShareLedger } from "./accounting";
import { contractVerifiedHashrate, rigStratumView, rigVerifiedHashrate } from "./queries";

let t: TestDatabase;
let operatorId: string;
let rigA: string;
let rigB: string;
let contractId: string;
let customerId: string;
const NOW = new Date(Date.UTC(2026, 11, 5, 12, 0, 0));
const at = (minutesAgo: number) => NOW.getTime() - minutesAgo * 60_000;

beforeAll(async () => {
  t = await createTestDatabase();
  const op = await createOperator(t.prisma);
  operatorId = op.operatorId;
  const listingId = await addListing(t.prisma, operatorId);
  rigA = await addRig(t.prisma, op.facilityId, { th: 100, listingId });
  rigB = await addRig(t.prisma, op.facilityId, { th: 100, listingId });
  contractId = await addContract(t.prisma, listingId, [
    { rigId: rigA, th: 50 },
    { rigId: rigB, th: 10 },
  ]);
  customerId = (await t.prisma.contract.findUniqueOrThrow({ where: { id: contractId } })).customerId;
  const ledger = new ShareLedger(t.prisma);
  // Rig A: 80 TH/s over the bucket 12:00-10 .. 12:00 (work = 80 TH x 600 s, in 3 minutes of it).
  ledger.accept(rigA, 20n * TH * 600n, at(9));
  ledger.accept(rigA, 30n * TH * 600n, at(5));
  ledger.accept(rigA, 30n * TH * 600n, at(1));
  ledger.reject(rigA, "stale", at(1));
  // Rig B reports 250 TH/s (over its 100 TH nominal: capped) in the bucket before.
  ledger.accept(rigB, 250n * TH * 600n, at(15));
  ledger.reject(rigB, "low_difficulty", at(15));
  await ledger.flush();
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

describe("contractVerifiedHashrate", () => {
  it("scales each rig by the allocation, caps at nominal, buckets by 10 minutes", async () => {
    const v = (await contractVerifiedHashrate(t.prisma, customerId, contractId, { hours: 1, now: NOW }))!;
    expect(v.points).toHaveLength(6);
    expect(v.points.at(-1)).toEqual({ at: new Date(at(10)), hashrateHs: (50n * 80n * TH) / 100n });
    expect(v.points.at(-2)).toEqual({ at: new Date(at(20)), hashrateHs: 10n * TH }); // 10 x min(250, 100) / 100
    expect(v.points.slice(0, 4).every((p) => p.hashrateHs === 0n)).toBe(true);
    expect(v.counts).toMatchObject({ accepted: 4, stale: 1, lowDifficulty: 1 });
    expect([v.measuredRigs, v.rigs]).toEqual([2, 2]);
  });

  it("is null for someone else's contract", async () => {
    expect(await contractVerifiedHashrate(t.prisma, operatorId, contractId, { now: NOW })).toBeNull();
  });
});

describe("rigStratumView", () => {
  it("is online within 10 minutes of the last accepted share, with today's counts", async () => {
    const v = (await rigStratumView(t.prisma, operatorId, rigA, NOW))!;
    expect(v.online).toBe(true);
    expect(v.lastShareAt).toEqual(new Date(at(1)));
    expect(v.liveHashrateHs).toBe(80n * TH);
    expect(v.today).toMatchObject({ accepted: 3, stale: 1, hashrateHs: (80n * TH * 600n) / 43_200n });
    const later = (await rigStratumView(t.prisma, operatorId, rigA, new Date(at(-11))))!;
    expect(later.online).toBe(false);
    expect(later.liveHashrateHs).toBe(0n);
  });

  it("the rig's own series is uncapped and bucketed by 10 minutes", async () => {
    const points = (await rigVerifiedHashrate(t.prisma, operatorId, rigB, { hours: 1, now: NOW }))!;
    expect(points.map((p) => p.hashrateHs)).toEqual([0n, 0n, 0n, 0n, 250n * TH, 0n]);
  });

  it("is null for another operator's rig", async () => {
    const other = await createOperator(t.prisma, "Elsewhere");
    expect(await rigStratumView(t.prisma, other.operatorId, rigA, NOW)).toBeNull();
  });
});
