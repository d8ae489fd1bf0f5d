import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMarketplace } from "../marketplace/listings";
import { parseInput } from "../shared/result";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { ensureCoin } from "../testing/fixtures";
import { addContract, addListing, addRig, createOperator, TH } from "../testing/operator-fixtures";
import { createListing, listingInputSchema, setListingPublished, updateListing } from "./listings";
import { operatorListings } from "./queries";
import { changeRigStatus } from "./rig-status";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.prisma.coin.create({
    data: {
      asset: "LTC",
      name: "Litecoin",
      algorithm: "SCRYPT",
      decimals: 8,
      difficultyBased: true,
      poolFeeBps: 200,
      hashrateUnitHs: 10n ** 9n,
      hashrateUnitLabel: "GH/s",
      withdrawalMinBase: "10000000",
      withdrawalFeeBase: "50000",
      reviewThresholdBase: "10000000000",
      dailyLimitBase: "200000000000",
    },
  });
});
afterAll(async () => {
  await t.drop();
});

function terms(raw: Record<string, unknown> = {}) {
  const parsed = parseInput(listingInputSchema, {
    coin: "BTC",
    title: "S21 fleet",
    price: "0.0195",
    maintenanceFee: "0.016",
    minDays: "30",
    maxDays: "365",
    minHashrate: "0.5",
    rigIds: [],
    ...raw,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.value;
}

describe("listing terms", () => {
  it("validates prices to the micro-dollar, durations and the minimum order", () => {
    expect(terms()).toMatchObject({ price: 19_500n, maintenanceFee: 16_000n, minDays: 30, maxDays: 365 });
    const bad = parseInput(listingInputSchema, {
      coin: "USD",
      title: "x",
      price: "0.0000001",
      maintenanceFee: "-1",
      minDays: "30",
      maxDays: "7",
      minHashrate: "",
      rigIds: ["not-a-uuid"],
    });
    expect(bad).toMatchObject({
      ok: false,
      fieldErrors: {
        coin: "Choose the coin.",
        title: "Enter a title of at least 3 characters.",
        price: "The price can have at most 6 decimals (a millionth of a dollar).",
        maintenanceFee: expect.stringContaining("amount in US dollars"),
        minHashrate: "Enter the minimum order.",
        rigIds: "Choose rigs from the list.",
      },
    });
    const range = parseInput(listingInputSchema, {
      ...terms(),
      price: "1",
      maintenanceFee: "0",
      minDays: "30",
      maxDays: "7",
      minHashrate: "1",
    });
    expect(range).toMatchObject({
      ok: false,
      fieldErrors: { maxDays: "The maximum duration must not be shorter than the minimum." },
    });
  });

  it("creates a DRAFT with the coin's algorithm, the minimum order in the coin's unit, and its rigs", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const rigs = [await addRig(t.prisma, facilityId, { th: 100 }), await addRig(t.prisma, facilityId, { th: 200 })];
    const created = await createListing(t.prisma, { operatorId, input: terms({ rigIds: rigs }) });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const listing = await t.prisma.listing.findUniqueOrThrow({
      where: { id: created.listingId },
      include: { rigs: true },
    });
    expect(listing).toMatchObject({
      status: "DRAFT",
      coin: "BTC",
      algorithm: "SHA256",
      minHashrateHs: TH / 2n,
      priceMicroUsdPerUnitDay: 19_500n,
    });
    expect(listing.rigs.map((r) => r.id).sort()).toEqual([...rigs].sort());
    const [row] = await operatorListings(t.prisma, operatorId, created.listingId);
    expect(row).toMatchObject({ totalHs: 300n * TH, freeHs: 300n * TH, liveHs: 0n, reservedHs: 0n, activeRigs: 2 });
  });

  it("the minimum order must be whole H/s in the coin's unit", async () => {
    const { operatorId } = await createOperator(t.prisma);
    expect(
      await createListing(t.prisma, { operatorId, input: terms({ minHashrate: "0.0000000000001" }) }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { minHashrate: "Use at most 12 decimals in TH/s." },
    });
  });
});

describe("backing rigs", () => {
  it("only the operator's own rigs, of the coin's algorithm, not backing another listing, not retired", async () => {
    const a = await createOperator(t.prisma);
    const b = await createOperator(t.prisma);
    const foreign = await addRig(t.prisma, b.facilityId, { th: 100 });
    const scrypt = await addRig(t.prisma, a.facilityId, { th: 100, algorithm: "SCRYPT" });
    const other = await addListing(t.prisma, a.operatorId, "DRAFT");
    const taken = await addRig(t.prisma, a.facilityId, { th: 100, listingId: other });
    const retired = await addRig(t.prisma, a.facilityId, { th: 100, status: "RETIRED" });
    for (const rigId of [foreign, scrypt, taken, retired]) {
      const result = await createListing(t.prisma, { operatorId: a.operatorId, input: terms({ rigIds: [rigId] }) });
      expect(result, rigId).toMatchObject({ ok: false, fieldErrors: { rigIds: expect.any(String) } });
    }
    expect(await t.prisma.listing.count({ where: { operatorId: a.operatorId } })).toBe(1);
    // The coin decides: the Scrypt rig backs an LTC listing.
    expect(
      await createListing(t.prisma, {
        operatorId: a.operatorId,
        input: terms({ coin: "LTC", minHashrate: "0.5", rigIds: [scrypt] }),
      }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("a rig carrying contracts cannot leave its listing; a free one can", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId, "DRAFT");
    const busy = await addRig(t.prisma, facilityId, { th: 100, listingId });
    const idle = await addRig(t.prisma, facilityId, { th: 100, listingId });
    await addContract(t.prisma, listingId, [{ rigId: busy, th: 10 }], "RESERVED");
    expect(await updateListing(t.prisma, { operatorId, listingId, input: terms({ rigIds: [idle] }) })).toMatchObject({
      ok: false,
      fieldErrors: { rigIds: expect.stringContaining("cannot leave this listing") },
    });
    expect(
      await updateListing(t.prisma, { operatorId, listingId, input: terms({ rigIds: [busy], title: "Busy only" }) }),
    ).toMatchObject({ ok: true });
    const rigs = await t.prisma.rig.findMany({ where: { id: { in: [busy, idle] } } });
    expect(rigs.find((r) => r.id === idle)!.listingId).toBeNull();
    expect(rigs.find((r) => r.id === busy)!.listingId).toBe(listingId);
  });

  it("the coin cannot change once contracts were sold", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId, "DRAFT");
    const rigId = await addRig(t.prisma, facilityId, { th: 100, listingId });
    await addContract(t.prisma, listingId, [{ rigId, th: 10 }]);
    await ensureCoin(t.prisma, "BCH");
    expect(
      await updateListing(t.prisma, { operatorId, listingId, input: terms({ coin: "BCH", rigIds: [rigId] }) }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { coin: expect.stringContaining("cannot change") },
    });
  });
});

describe("publishing", () => {
  it("needs an active rig; then the listing is on the marketplace; unpublishing takes it off", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const created = await createListing(t.prisma, { operatorId, input: terms({ title: "Publish me" }) });
    if (!created.ok) throw new Error("listing not created");
    const { listingId } = created;
    expect(await setListingPublished(t.prisma, { operatorId, listingId, published: true })).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });

    const down = await addRig(t.prisma, facilityId, { th: 100, status: "MAINTENANCE" });
    expect(
      await updateListing(t.prisma, { operatorId, listingId, input: terms({ title: "Publish me", rigIds: [down] }) }),
    ).toMatchObject({ ok: true });
    expect(await setListingPublished(t.prisma, { operatorId, listingId, published: true })).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });

    const up = await addRig(t.prisma, facilityId, { th: 100 });
    expect(
      await updateListing(t.prisma, {
        operatorId,
        listingId,
        input: terms({ title: "Publish me", rigIds: [down, up] }),
      }),
    ).toMatchObject({ ok: true });
    expect(await setListingPublished(t.prisma, { operatorId, listingId, published: true })).toEqual({
      ok: true,
      listingId,
      status: "PUBLISHED",
      changed: true,
    });
    const market = await listMarketplace(t.prisma, { sort: "price_asc", page: 1, pageSize: 100 });
    expect(market.rows.map((r) => r.id)).toContain(listingId);

    // A published listing keeps an active rig.
    expect(
      await updateListing(t.prisma, { operatorId, listingId, input: terms({ title: "Publish me", rigIds: [down] }) }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { rigIds: expect.stringContaining("needs at least one active rig") },
    });

    expect(await setListingPublished(t.prisma, { operatorId, listingId, published: false })).toMatchObject({
      ok: true,
      status: "UNPUBLISHED",
    });
    expect(
      (await listMarketplace(t.prisma, { sort: "price_asc", page: 1, pageSize: 100 })).rows.map((r) => r.id),
    ).not.toContain(listingId);
    const audit = await t.prisma.auditLog.findMany({
      where: { actorId: operatorId, entityId: listingId },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "listing.created",
      "listing.updated",
      "listing.updated",
      "listing.published",
      "listing.unpublished",
    ]);
  });

  it("shows live, reserved, free and stranded capacity", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    const [a, b, c] = [
      await addRig(t.prisma, facilityId, { th: 100, listingId }),
      await addRig(t.prisma, facilityId, { th: 100, listingId }),
      await addRig(t.prisma, facilityId, { th: 50, listingId }),
    ];
    await addContract(t.prisma, listingId, [{ rigId: a, th: 60 }]);
    await addContract(t.prisma, listingId, [{ rigId: b, th: 100 }]);
    await addContract(t.prisma, listingId, [{ rigId: c, th: 30 }], "RESERVED");
    expect((await operatorListings(t.prisma, operatorId, listingId))[0]).toMatchObject({
      totalHs: 250n * TH,
      liveHs: 160n * TH,
      reservedHs: 30n * TH,
      freeHs: 60n * TH,
      strandedHs: 0n,
    });
    // b goes offline: 40 moves to a and 20 to c, 40 stays stranded on b.
    expect(await changeRigStatus(t.prisma, { operatorId, rigId: b, status: "OFFLINE" })).toMatchObject({ ok: true });
    expect((await operatorListings(t.prisma, operatorId, listingId))[0]).toMatchObject({
      totalHs: 150n * TH,
      liveHs: 120n * TH,
      reservedHs: 30n * TH,
      freeHs: 0n,
      strandedHs: 40n * TH,
      activeRigs: 2,
      rigs: 3,
    });
  });
});

describe("ownership", () => {
  it("operator B cannot edit, publish or unpublish operator A's listing", async () => {
    const a = await createOperator(t.prisma);
    const b = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, a.operatorId, "PUBLISHED");
    await addRig(t.prisma, a.facilityId, { th: 100, listingId });
    expect(
      await updateListing(t.prisma, { operatorId: b.operatorId, listingId, input: terms({ title: "Mine now" }) }),
    ).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(
      await setListingPublished(t.prisma, { operatorId: b.operatorId, listingId, published: false }),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await operatorListings(t.prisma, b.operatorId, listingId)).toEqual([]);
    const listing = await t.prisma.listing.findUniqueOrThrow({ where: { id: listingId } });
    expect(listing).toMatchObject({ status: "PUBLISHED", operatorId: a.operatorId });
    expect(listing.title).not.toBe("Mine now");
  });

  it("operator B cannot attach operator A's rig to B's own listing", async () => {
    const a = await createOperator(t.prisma);
    const b = await createOperator(t.prisma);
    const rigId = await addRig(t.prisma, a.facilityId, { th: 100 });
    const listingId = await addListing(t.prisma, b.operatorId, "DRAFT");
    expect(
      await updateListing(t.prisma, { operatorId: b.operatorId, listingId, input: terms({ rigIds: [rigId] }) }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { rigIds: "One of the chosen rigs is not among yours." },
    });
    expect((await t.prisma.rig.findUniqueOrThrow({ where: { id: rigId } })).listingId).toBeNull();
  });
});
