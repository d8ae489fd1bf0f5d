import { describe, expect, it } from "vitest";
import { parseInput } from "../shared/result";
import { addContract, addListing, addRig, createOperator, TH } from "../testing/operator-fixtures";
import { withTestDatabase } from "../testing/test-database";
import { createFacility, facilityInputSchema, updateFacility } from "./facilities";
import { newRigSchema, parseRigFields, rigEditSchema } from "./rig-fields";
import { createRig, updateRig } from "./rigs";

const t = withTestDatabase();

function facility(raw: Record<string, string>) {
  const parsed = parseInput(facilityInputSchema, {
    name: "North Hall",
    location: "Luleå, Sweden",
    countryCode: "se",
    powerPrice: "0.038",
    ...raw,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.value;
}

let serial = 0;
function rigFields(raw: Record<string, string>) {
  serial += 1;
  return {
    model: "Antminer S21 Pro",
    serialNumber: `INV-${Date.now()}-${serial}`,
    algorithm: "SHA256",
    nominalHashrate: "234",
    hashrateUnit: "TH/s",
    powerW: "3510",
    status: "ACTIVE",
    facilityId: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    ...raw,
  };
}

function newRig(raw: Record<string, string>) {
  const parsed = parseRigFields(newRigSchema, rigFields(raw));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.value;
}

function rigEdit(raw: Record<string, string>) {
  const parsed = parseRigFields(rigEditSchema, rigFields(raw));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.value;
}

describe("facilities", () => {
  it("creates and edits a facility with an exact power price, audited", async () => {
    const { operatorId } = await createOperator(t.prisma);
    const created = await createFacility(t.prisma, { operatorId, input: facility({ powerPrice: "0.0415" }) });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const row = await t.prisma.facility.findUniqueOrThrow({ where: { id: created.facilityId } });
    expect(row).toMatchObject({ name: "North Hall", countryCode: "SE", powerPriceMicroUsdPerKwh: 41_500n });

    const updated = await updateFacility(t.prisma, {
      operatorId,
      facilityId: created.facilityId,
      input: facility({ name: "Reykjanes", countryCode: "is", powerPrice: "0.042" }),
    });
    expect(updated).toEqual({ ok: true, facilityId: created.facilityId });
    expect(await t.prisma.facility.findUniqueOrThrow({ where: { id: created.facilityId } })).toMatchObject({
      name: "Reykjanes",
      countryCode: "IS",
      powerPriceMicroUsdPerKwh: 42_000n,
    });
    const audit = await t.prisma.auditLog.findMany({ where: { actorId: operatorId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["facility.created", "facility.updated"]);
  });

  it("a name is unique per operator, not across operators", async () => {
    const a = await createOperator(t.prisma, "Shared Name");
    const b = await createOperator(t.prisma, "Other");
    expect(
      await createFacility(t.prisma, { operatorId: a.operatorId, input: facility({ name: "Shared Name" }) }),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
      fieldErrors: { name: "You already have a facility named “Shared Name”." },
    });
    expect(
      await createFacility(t.prisma, { operatorId: b.operatorId, input: facility({ name: "Shared Name" }) }),
    ).toMatchObject({ ok: true });
    expect(
      await updateFacility(t.prisma, {
        operatorId: b.operatorId,
        facilityId: b.facilityId,
        input: facility({ name: "Shared Name" }),
      }),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
  });

  it("operator B cannot edit operator A's facility", async () => {
    const a = await createOperator(t.prisma, "A's hall");
    const b = await createOperator(t.prisma);
    expect(
      await updateFacility(t.prisma, {
        operatorId: b.operatorId,
        facilityId: a.facilityId,
        input: facility({ name: "Taken over" }),
      }),
    ).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect((await t.prisma.facility.findUniqueOrThrow({ where: { id: a.facilityId } })).name).toBe("A's hall");
  });
});

describe("rigs", () => {
  it("adds a rig with the exact hashrate, and edits it", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const created = await createRig(t.prisma, {
      operatorId,
      input: { ...newRig({ nominalHashrate: "234.5" }), facilityId },
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(await t.prisma.rig.findUniqueOrThrow({ where: { id: created.rigId } })).toMatchObject({
      nominalHashrateHs: 234_500_000_000_000n,
      powerDrawW: 3510,
      status: "ACTIVE",
      listingId: null,
    });
    const edited = await updateRig(t.prisma, {
      operatorId,
      rigId: created.rigId,
      input: {
        ...rigEdit({ nominalHashrate: "16", hashrateUnit: "GH/s", algorithm: "scrypt", model: "Antminer L9" }),
        facilityId,
      },
    });
    expect(edited).toEqual({ ok: true, rigId: created.rigId });
    expect(await t.prisma.rig.findUniqueOrThrow({ where: { id: created.rigId } })).toMatchObject({
      model: "Antminer L9",
      algorithm: "SCRYPT",
      nominalHashrateHs: 16_000_000_000n,
    });
  });

  it("refuses a registered serial, someone else's facility, and the status RETIRED on arrival", async () => {
    const a = await createOperator(t.prisma);
    const b = await createOperator(t.prisma);
    const input = newRig({});
    expect(
      await createRig(t.prisma, { operatorId: a.operatorId, input: { ...input, facilityId: a.facilityId } }),
    ).toMatchObject({ ok: true });
    expect(
      await createRig(t.prisma, { operatorId: a.operatorId, input: { ...input, facilityId: a.facilityId } }),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
      fieldErrors: { serialNumber: expect.stringContaining("already registered") },
    });
    expect(
      await createRig(t.prisma, { operatorId: b.operatorId, input: { ...newRig({}), facilityId: a.facilityId } }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { facilityId: "Choose one of your facilities." },
    });
    expect(
      parseRigFields(newRigSchema, { ...rigFields({ status: "RETIRED" }), facilityId: a.facilityId }),
    ).toMatchObject({ ok: false });
  });

  it("operator B cannot edit operator A's rig, nor move it into B's facility", async () => {
    const a = await createOperator(t.prisma);
    const b = await createOperator(t.prisma);
    const rigId = await addRig(t.prisma, a.facilityId, { th: 100 });
    expect(
      await updateRig(t.prisma, {
        operatorId: b.operatorId,
        rigId,
        input: { ...rigEdit({}), facilityId: b.facilityId },
      }),
    ).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(
      await updateRig(t.prisma, {
        operatorId: a.operatorId,
        rigId,
        input: { ...rigEdit({}), facilityId: b.facilityId },
      }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { facilityId: "Choose one of your facilities." },
    });
    expect((await t.prisma.rig.findUniqueOrThrow({ where: { id: rigId } })).facilityId).toBe(a.facilityId);
  });

  it("keeps a listed rig's algorithm and a nominal hashrate above what contracts hold", async () => {
    const { operatorId, facilityId } = await createOperator(t.prisma);
    const listingId = await addListing(t.prisma, operatorId);
    const rigId = await addRig(t.prisma, facilityId, { th: 100, listingId });
    await addContract(t.prisma, listingId, [{ rigId, th: 60 }]);
    expect(
      await updateRig(t.prisma, {
        operatorId,
        rigId,
        input: { ...rigEdit({ algorithm: "SCRYPT", nominalHashrate: "100" }), facilityId },
      }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { algorithm: expect.stringContaining("remove it from the listing") },
    });
    expect(
      await updateRig(t.prisma, { operatorId, rigId, input: { ...rigEdit({ nominalHashrate: "59.9" }), facilityId } }),
    ).toMatchObject({
      ok: false,
      fieldErrors: {
        nominalHashrate: "Contracts hold 60 TH/s on this rig; its nominal hashrate cannot go below that.",
      },
    });
    expect(
      await updateRig(t.prisma, { operatorId, rigId, input: { ...rigEdit({ nominalHashrate: "60" }), facilityId } }),
    ).toMatchObject({ ok: true });
    expect((await t.prisma.rig.findUniqueOrThrow({ where: { id: rigId } })).nominalHashrateHs).toBe(60n * TH);
  });
});
