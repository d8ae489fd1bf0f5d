import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../audit/audit";
import { purchaseContract } from "../contracts/purchase";
import { createUser } from "../testing/fixtures";
import {
  addContract,
  addListing,
  addRig,
  createFleet,
  createOperator,
  heldTh,
  overAllocatedRigs,
  TH,
} from "../testing/operator-fixtures";
import { withTestDatabase } from "../testing/test-database";
import { changeRigStatus } from "./rig-status";

const t = withTestDatabase({
  atEnd: async (prisma) => {
    // The capacity invariant holds after every scenario, and the audit chain is intact.
    expect(await overAllocatedRigs(prisma)).toEqual([]);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  },
});

const market = (rigsTh: number[]) => createFleet(t.prisma, rigsTh);

async function allocationsOf(contractId: string) {
  return t.prisma.allocation.findMany({ where: { contractId }, orderBy: { createdAt: "asc" } });
}

describe("taking a rig out of service moves its allocations", () => {
  it("full move: every contract lands on free capacity of the listing's active rigs", async () => {
    const m = await market([100, 100, 100]);
    const [a, b, c] = m.rigIds as [string, string, string];
    const live = await addContract(t.prisma, m.listingId, [{ rigId: a, th: 40 }]);
    const reserved = await addContract(t.prisma, m.listingId, [{ rigId: a, th: 30 }], "RESERVED");
    await addContract(t.prisma, m.listingId, [{ rigId: b, th: 50 }]);

    const result = await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "OFFLINE" });
    expect(result).toMatchObject({ ok: true, from: "ACTIVE", to: "OFFLINE", changed: true, stranded: [] });
    if (!result.ok) return;
    expect(result.moves.map((mv) => [mv.contractId, mv.status, mv.strandedHs])).toEqual([
      [live, "LIVE", 0n],
      [reserved, "RESERVED", 0n],
    ]);
    expect(await heldTh(t.prisma, [a, b, c])).toEqual([0, 50, 70]);

    // The old allocation is RELEASED with a timestamp; the new ones keep contract and status.
    const liveAllocations = await allocationsOf(live);
    expect(liveAllocations.map((x) => [x.rigId, x.status, x.hashrateHs])).toEqual([
      [a, "RELEASED", 40n * TH],
      [c, "LIVE", 40n * TH],
    ]);
    expect(liveAllocations[0]!.releasedAt).toBeInstanceOf(Date);
    const reservedAllocations = await allocationsOf(reserved);
    expect(reservedAllocations.filter((x) => x.status !== "RELEASED").map((x) => [x.rigId, x.status])).toEqual([
      [c, "RESERVED"],
    ]);

    const rig = await t.prisma.rig.findUniqueOrThrow({ where: { id: a } });
    expect(rig.status).toBe("OFFLINE");
    const audit = await t.prisma.auditLog.findMany({ where: { actorId: m.operatorId }, orderBy: { id: "asc" } });
    expect(audit.map((l) => l.action)).toEqual(["allocation.moved", "allocation.moved", "rig.status_changed"]);
    expect(audit[2]!.details).toMatchObject({
      from: "ACTIVE",
      to: "OFFLINE",
      movedAllocations: 2,
      movedHs: String(70n * TH),
      stranded: [],
    });
  });

  it("partial move: an allocation is split over several rigs and the rest stays", async () => {
    const m = await market([100, 100, 100]);
    const [a, b, c] = m.rigIds as [string, string, string];
    const contract = await addContract(t.prisma, m.listingId, [{ rigId: a, th: 100 }]);
    await addContract(t.prisma, m.listingId, [{ rigId: b, th: 70 }]);
    await addContract(t.prisma, m.listingId, [{ rigId: c, th: 60 }]);

    const result = await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "MAINTENANCE" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // 40 free on c and 30 on b: 70 move (most free first), 30 stay on a.
    expect(result.moves).toHaveLength(1);
    expect(result.moves[0]!.to.map((x) => [x.rigId, x.hashrateHs])).toEqual([
      [c, 40n * TH],
      [b, 30n * TH],
    ]);
    expect(result.moves[0]!.strandedHs).toBe(30n * TH);
    expect(result.stranded).toEqual([
      { contractId: contract, allocationId: expect.any(String), status: "LIVE", hashrateHs: 30n * TH },
    ]);
    expect(await heldTh(t.prisma, [a, b, c])).toEqual([30, 100, 100]);
    const held = (await allocationsOf(contract)).filter((x) => x.status === "LIVE");
    expect(held.reduce((sum, x) => sum + x.hashrateHs, 0n)).toBe(100n * TH);
  });

  it("nothing movable: the listing is full, allocations stay and are reported", async () => {
    const m = await market([50, 50]);
    const [a, b] = m.rigIds as [string, string];
    const first = await addContract(t.prisma, m.listingId, [{ rigId: a, th: 20 }]);
    const second = await addContract(t.prisma, m.listingId, [{ rigId: a, th: 30 }], "RESERVED");
    await addContract(t.prisma, m.listingId, [{ rigId: b, th: 50 }]);

    const result = await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "RETIRED" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.moves).toEqual([]);
    expect(result.stranded.map((s) => [s.contractId, s.status, s.hashrateHs])).toEqual([
      [first, "LIVE", 20n * TH],
      [second, "RESERVED", 30n * TH],
    ]);
    expect(await heldTh(t.prisma, [a, b])).toEqual([50, 50]);
    expect(
      await t.prisma.allocation.count({ where: { contractId: { in: [first, second] }, status: "RELEASED" } }),
    ).toBe(0);
  });

  it("only ACTIVE rigs of the same listing receive, and a rig without a listing moves nothing", async () => {
    const m = await market([100, 100]);
    const [a, b] = m.rigIds as [string, string];
    const down = await addRig(t.prisma, m.facilityId, { th: 100, listingId: m.listingId, status: "MAINTENANCE" });
    const otherListing = await addListing(t.prisma, m.operatorId);
    const elsewhere = await addRig(t.prisma, m.facilityId, { th: 100, listingId: otherListing });
    await addContract(t.prisma, m.listingId, [{ rigId: b, th: 100 }]);
    const contract = await addContract(t.prisma, m.listingId, [{ rigId: a, th: 10 }]);

    const result = await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "OFFLINE" });
    expect(result).toMatchObject({ ok: true, moves: [], stranded: [{ contractId: contract, hashrateHs: 10n * TH }] });
    expect(await heldTh(t.prisma, [a, b, down, elsewhere])).toEqual([10, 100, 0, 0]);

    const loose = await addRig(t.prisma, m.facilityId, { th: 100 });
    expect(
      await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: loose, status: "OFFLINE" }),
    ).toMatchObject({
      ok: true,
      changed: true,
      moves: [],
      stranded: [],
    });
  });

  it("moves again on a later change, back to ACTIVE moves nothing, RETIRED is final", async () => {
    const m = await market([100, 100]);
    const [a, b] = m.rigIds as [string, string];
    await addContract(t.prisma, m.listingId, [{ rigId: b, th: 100 }]);
    const contract = await addContract(t.prisma, m.listingId, [{ rigId: a, th: 60 }]);
    expect(
      await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "MAINTENANCE" }),
    ).toMatchObject({
      ok: true,
      stranded: [{ contractId: contract, hashrateHs: 60n * TH }],
    });
    // Capacity appears (another rig joins the listing); going OFFLINE moves the contract there.
    const c = await addRig(t.prisma, m.facilityId, { th: 100, listingId: m.listingId });
    expect(await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "OFFLINE" })).toMatchObject({
      ok: true,
      stranded: [],
    });
    expect(await heldTh(t.prisma, [a, b, c])).toEqual([0, 100, 60]);

    expect(await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "ACTIVE" })).toMatchObject({
      ok: true,
      from: "OFFLINE",
      to: "ACTIVE",
      moves: [],
    });
    expect(await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "ACTIVE" })).toMatchObject({
      ok: true,
      changed: false,
    });
    expect(await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "RETIRED" })).toMatchObject({
      ok: true,
    });
    expect(await changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "ACTIVE" })).toMatchObject({
      ok: false,
      code: "INVALID",
    });
    expect((await t.prisma.rig.findUniqueOrThrow({ where: { id: a } })).status).toBe("RETIRED");
  });

  it("keeps the invariant when moves race purchases-like inserts on the same listing", async () => {
    const m = await market([100, 100, 100, 100]);
    const [a, b, c, d] = m.rigIds as [string, string, string, string];
    for (const rigId of [a, b]) await addContract(t.prisma, m.listingId, [{ rigId, th: 90 }]);
    await Promise.all([
      changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "OFFLINE" }),
      changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: b, status: "OFFLINE" }),
    ]);
    const held = await heldTh(t.prisma, [a, b, c, d]);
    expect(held[0]! + held[1]! + held[2]! + held[3]!).toBe(180);
    expect(held[2]).toBeLessThanOrEqual(100);
    expect(held[3]).toBeLessThanOrEqual(100);
    expect(await overAllocatedRigs(t.prisma)).toEqual([]);
  });
});

describe("concurrency with purchases", () => {
  it("status changes and card purchases on one listing interleave without deadlock or overselling", async () => {
    const m = await market([100, 100, 100, 100]);
    const [a, b] = m.rigIds as [string, string];
    await addContract(t.prisma, m.listingId, [{ rigId: a, th: 80 }]);
    await addContract(t.prisma, m.listingId, [{ rigId: b, th: 80 }]);
    const buyers = await Promise.all(Array.from({ length: 16 }, () => createUser(t.prisma)));
    const purchases = buyers.map((buyer) =>
      t.prisma.$transaction((tx) =>
        purchaseContract(tx, {
          customerId: buyer.id,
          request: { listingId: m.listingId, hashrate: "15", days: 30, paymentMethod: "CARD" },
        }),
      ),
    );
    const changes = [
      changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: a, status: "OFFLINE" }),
      changeRigStatus(t.prisma, { operatorId: m.operatorId, rigId: b, status: "MAINTENANCE" }),
    ];
    const [bought, changed] = await Promise.all([Promise.all(purchases), Promise.all(changes)]);
    expect(changed.every((c) => c.ok)).toBe(true);
    const sold = bought.filter((p) => p.ok).length;
    // 400 TH/s nominal, 160 held before: whatever sold and moved, no rig is over its nominal
    // and every contract's hashrate is still held (on active rigs or stranded).
    expect(await overAllocatedRigs(t.prisma)).toEqual([]);
    const held = await heldTh(t.prisma, m.rigIds);
    expect(held.reduce((x, y) => x + y, 0)).toBe(160 + sold * 15);
  });
});

describe("ownership", () => {
  it("another operator's rig is not found and stays as it was", async () => {
    const m = await market([100]);
    const intruder = await createOperator(t.prisma);
    const result = await changeRigStatus(t.prisma, {
      operatorId: intruder.operatorId,
      rigId: m.rigIds[0]!,
      status: "RETIRED",
    });
    expect(result).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect((await t.prisma.rig.findUniqueOrThrow({ where: { id: m.rigIds[0]! } })).status).toBe("ACTIVE");
  });
});
