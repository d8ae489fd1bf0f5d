// Fixtures for the operator tests: an operator with a facility, rigs, a listing, and
// contracts holding allocations, written straight to the database.
import type { PrismaClient } from "../db/client";
import type { AllocationStatus, RigStatus } from "../generated/prisma/enums";
import { createUser, ensureBtc, TH } from "./fixtures";

export { TH };

let serial = 0;

export async function createOperator(prisma: PrismaClient, facilityName = "Main Hall") {
  await ensureBtc(prisma);
  const operator = await createUser(prisma, ["OPERATOR"]);
  const facility = await prisma.facility.create({
    data: {
      operatorId: operator.id,
      name: facilityName,
      location: "Luleå, Sweden",
      countryCode: "SE",
      powerPriceMicroUsdPerKwh: 38_000n,
    },
  });
  return { operatorId: operator.id, facilityId: facility.id };
}

export async function addRig(
  prisma: PrismaClient,
  facilityId: string,
  options: { th: number; listingId?: string | null; status?: RigStatus; algorithm?: "SHA256" | "SCRYPT" },
) {
  serial += 1;
  const rig = await prisma.rig.create({
    data: {
      facilityId,
      listingId: options.listingId ?? null,
      model: "Antminer S21",
      serialNumber: `FX-${Date.now()}-${serial}`,
      algorithm: options.algorithm ?? "SHA256",
      nominalHashrateHs: BigInt(options.th) * TH,
      powerDrawW: 3500,
      status: options.status ?? "ACTIVE",
    },
  });
  return rig.id;
}

export async function addListing(
  prisma: PrismaClient,
  operatorId: string,
  status: "DRAFT" | "PUBLISHED" = "PUBLISHED",
) {
  const listing = await prisma.listing.create({
    data: {
      operatorId,
      coin: "BTC",
      algorithm: "SHA256",
      title: `Fleet ${Date.now()}-${serial}`,
      priceMicroUsdPerUnitDay: 19_500n,
      maintenanceFeeMicroUsdPerUnitDay: 16_000n,
      minDays: 1,
      maxDays: 365,
      minHashrateHs: TH,
      status,
    },
  });
  return listing.id;
}

/** An operator with a facility and a published listing backed by one active rig per entry of `rigsTh` (TH/s). */
export async function createFleet(prisma: PrismaClient, rigsTh: number[]) {
  const { operatorId, facilityId } = await createOperator(prisma);
  const listingId = await addListing(prisma, operatorId);
  const rigIds: string[] = [];
  for (const th of rigsTh) rigIds.push(await addRig(prisma, facilityId, { th, listingId }));
  return { operatorId, facilityId, listingId, rigIds };
}

/** A contract on the listing whose hashrate sits on the given rigs (TH/s per rig). */
export async function addContract(
  prisma: PrismaClient,
  listingId: string,
  slices: { rigId: string; th: number }[],
  status: AllocationStatus = "LIVE",
) {
  const customer = await createUser(prisma);
  const hashrateHs = slices.reduce((sum, s) => sum + BigInt(s.th) * TH, 0n);
  const contract = await prisma.contract.create({
    data: {
      customerId: customer.id,
      listingId,
      coin: "BTC",
      hashrateHs,
      days: 30,
      priceMicroUsdPerUnitDay: 19_500n,
      maintenanceFeeMicroUsdPerUnitDay: 16_000n,
      unitHs: TH,
      poolFeeBps: 150,
      dailyPriceMicroUsd: 1n,
      totalPriceMicroUsd: 30n,
      paymentMethod: status === "LIVE" ? "BALANCE_USD" : "CARD",
      status: status === "LIVE" ? "ACTIVE" : "PENDING_PAYMENT",
    },
  });
  await prisma.allocation.createMany({
    data: slices.map((s) => ({ contractId: contract.id, rigId: s.rigId, hashrateHs: BigInt(s.th) * TH, status })),
  });
  return contract.id;
}

/** Held (RESERVED + LIVE) hashrate per rig, in TH/s as numbers for readable assertions. */
export async function heldTh(prisma: PrismaClient, rigIds: string[]): Promise<number[]> {
  const rows = await prisma.allocation.groupBy({
    by: ["rigId"],
    where: { rigId: { in: rigIds }, status: { in: ["RESERVED", "LIVE"] } },
    _sum: { hashrateHs: true },
  });
  return rigIds.map((id) => Number((rows.find((r) => r.rigId === id)?._sum.hashrateHs ?? 0n) / TH));
}

/** Rigs whose RESERVED + LIVE allocations exceed their nominal hashrate (must be none). */
export async function overAllocatedRigs(prisma: PrismaClient) {
  return prisma.$queryRaw<{ id: string }[]>`
    SELECT r.id FROM rigs r JOIN allocations a ON a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')
     GROUP BY r.id HAVING sum(a.hashrate_hs) > max(r.nominal_hashrate_hs)`;
}
