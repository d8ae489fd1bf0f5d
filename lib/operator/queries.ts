// Read models for the operator's pages, always scoped to one operator: a listing, rig or
// facility of someone else is simply not found. Capacity is aggregated in SQL.
import type { PrismaClient } from "../db/client";
import type { Algorithm, AllocationStatus, Asset, ListingStatus, RigStatus } from "../generated/prisma/enums";

export interface ListingCapacityBreakdown {
  /** Nominal hashrate of the listing's ACTIVE rigs, H/s. */
  totalHs: bigint;
  /** LIVE allocations on those rigs (sold and paid). */
  liveHs: bigint;
  /** RESERVED allocations on those rigs (card checkouts pending). */
  reservedHs: bigint;
  /** Per ACTIVE rig, nominal minus live and reserved, floored at 0, summed. */
  freeHs: bigint;
  /** Contracts' hashrate still on rigs of the listing that are out of service. */
  strandedHs: bigint;
  activeRigs: number;
  rigs: number;
}

export interface OperatorListingRow extends ListingCapacityBreakdown {
  id: string;
  title: string;
  coin: Asset;
  algorithm: Algorithm;
  status: ListingStatus;
  priceMicroUsdPerUnitDay: bigint;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
  minDays: number;
  maxDays: number;
  minHashrateHs: bigint;
  unitHs: bigint;
  unitLabel: string;
  poolFeeBps: number;
}

interface ListingRowSql {
  id: string;
  title: string;
  coin: Asset;
  algorithm: Algorithm;
  status: ListingStatus;
  price: bigint;
  fee: bigint;
  min_days: number;
  max_days: number;
  min_hashrate_hs: bigint;
  unit_hs: bigint;
  unit_label: string;
  pool_fee_bps: number;
  total_hs: string;
  live_hs: string;
  reserved_hs: string;
  free_hs: string;
  stranded_hs: string;
  active_rigs: number;
  rigs: number;
}

/** The operator's listings (one, when `listingId` is given), newest first, with capacity. */
export async function operatorListings(
  prisma: PrismaClient,
  operatorId: string,
  listingId?: string,
): Promise<OperatorListingRow[]> {
  const rows = await prisma.$queryRaw<ListingRowSql[]>`
    SELECT l.id, l.title, l.coin::text AS coin, l.algorithm::text AS algorithm, l.status::text AS status,
           l.price_micro_usd_per_unit_day AS price, l.maintenance_fee_micro_usd_per_unit_day AS fee,
           l.min_days, l.max_days, l.min_hashrate_hs,
           c.hashrate_unit_hs AS unit_hs, c.hashrate_unit_label AS unit_label, c.pool_fee_bps,
           COALESCE(cap.total_hs, 0)::text AS total_hs, COALESCE(cap.live_hs, 0)::text AS live_hs,
           COALESCE(cap.reserved_hs, 0)::text AS reserved_hs, COALESCE(cap.free_hs, 0)::text AS free_hs,
           COALESCE(cap.stranded_hs, 0)::text AS stranded_hs,
           COALESCE(cap.active_rigs, 0)::int AS active_rigs, COALESCE(cap.rigs, 0)::int AS rigs
      FROM listings l
      JOIN coins c ON c.asset = l.coin
      LEFT JOIN LATERAL (
        SELECT sum(r.nominal_hashrate_hs) FILTER (WHERE r.status = 'ACTIVE') AS total_hs,
               sum(u.live) FILTER (WHERE r.status = 'ACTIVE') AS live_hs,
               sum(u.reserved) FILTER (WHERE r.status = 'ACTIVE') AS reserved_hs,
               sum(GREATEST(r.nominal_hashrate_hs - u.live - u.reserved, 0)) FILTER (WHERE r.status = 'ACTIVE') AS free_hs,
               sum(u.live + u.reserved) FILTER (WHERE r.status <> 'ACTIVE') AS stranded_hs,
               count(*) FILTER (WHERE r.status = 'ACTIVE') AS active_rigs,
               count(*) AS rigs
          FROM rigs r
          CROSS JOIN LATERAL (
            SELECT COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status = 'LIVE'), 0) AS live,
                   COALESCE(sum(a.hashrate_hs) FILTER (WHERE a.status = 'RESERVED'), 0) AS reserved
              FROM allocations a
             WHERE a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')
          ) u
         WHERE r.listing_id = l.id
      ) cap ON true
     WHERE l.operator_id = ${operatorId}::uuid
       AND (${listingId ?? null}::uuid IS NULL OR l.id = ${listingId ?? null}::uuid)
     ORDER BY l.created_at DESC, l.id`;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    coin: r.coin,
    algorithm: r.algorithm,
    status: r.status,
    priceMicroUsdPerUnitDay: BigInt(r.price),
    maintenanceFeeMicroUsdPerUnitDay: BigInt(r.fee),
    minDays: r.min_days,
    maxDays: r.max_days,
    minHashrateHs: BigInt(r.min_hashrate_hs),
    unitHs: BigInt(r.unit_hs),
    unitLabel: r.unit_label,
    poolFeeBps: r.pool_fee_bps,
    totalHs: BigInt(r.total_hs),
    liveHs: BigInt(r.live_hs),
    reservedHs: BigInt(r.reserved_hs),
    freeHs: BigInt(r.free_hs),
    strandedHs: BigInt(r.stranded_hs),
    activeRigs: r.active_rigs,
    rigs: r.rigs,
  }));
}

export interface StrandedRow {
  rigId: string;
  model: string;
  serialNumber: string;
  rigStatus: RigStatus;
  listingTitle: string | null;
  contractId: string;
  allocationStatus: AllocationStatus;
  hashrateHs: bigint;
}

/**
 * Contracts' hashrate that sits on the operator's rigs out of service (MAINTENANCE, OFFLINE,
 * RETIRED): it could not be moved, so those contracts are under-delivered until it can.
 */
export async function strandedHashrate(prisma: PrismaClient, operatorId: string): Promise<StrandedRow[]> {
  const rows = await prisma.$queryRaw<
    {
      rig_id: string;
      model: string;
      serial_number: string;
      rig_status: RigStatus;
      listing_title: string | null;
      contract_id: string;
      allocation_status: AllocationStatus;
      hashrate_hs: string;
    }[]
  >`
    SELECT r.id AS rig_id, r.model, r.serial_number, r.status::text AS rig_status, l.title AS listing_title,
           a.contract_id, a.status::text AS allocation_status, sum(a.hashrate_hs)::text AS hashrate_hs
      FROM allocations a
      JOIN rigs r ON r.id = a.rig_id
      JOIN facilities f ON f.id = r.facility_id
      LEFT JOIN listings l ON l.id = r.listing_id
     WHERE f.operator_id = ${operatorId}::uuid AND r.status <> 'ACTIVE' AND a.status IN ('RESERVED', 'LIVE')
     GROUP BY r.id, l.title, a.contract_id, a.status
     ORDER BY r.model, r.serial_number, a.contract_id, a.status`;
  return rows.map((r) => ({
    rigId: r.rig_id,
    model: r.model,
    serialNumber: r.serial_number,
    rigStatus: r.rig_status,
    listingTitle: r.listing_title,
    contractId: r.contract_id,
    allocationStatus: r.allocation_status,
    hashrateHs: BigInt(r.hashrate_hs),
  }));
}

/** Facilities with their rigs, for the overview. */
export async function operatorFacilities(prisma: PrismaClient, operatorId: string) {
  return prisma.facility.findMany({
    where: { operatorId },
    orderBy: [{ name: "asc" }],
    select: {
      id: true,
      name: true,
      location: true,
      countryCode: true,
      powerPriceMicroUsdPerKwh: true,
      rigs: {
        orderBy: [{ model: "asc" }, { serialNumber: "asc" }],
        select: {
          id: true,
          model: true,
          serialNumber: true,
          algorithm: true,
          nominalHashrateHs: true,
          powerDrawW: true,
          status: true,
          listing: { select: { id: true, title: true } },
        },
      },
    },
  });
}

export async function operatorFacility(prisma: PrismaClient, operatorId: string, facilityId: string) {
  return prisma.facility.findFirst({ where: { id: facilityId, operatorId } });
}

export async function facilityChoices(prisma: PrismaClient, operatorId: string) {
  return prisma.facility.findMany({
    where: { operatorId },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}

/** One rig of the operator with where it is, what it backs and what contracts hold on it. */
export async function operatorRig(prisma: PrismaClient, operatorId: string, rigId: string) {
  const rig = await prisma.rig.findFirst({
    where: { id: rigId, facility: { operatorId } },
    include: { facility: { select: { id: true, name: true } }, listing: { select: { id: true, title: true } } },
  });
  if (!rig) return null;
  const held = await prisma.allocation.groupBy({
    by: ["status"],
    where: { rigId, status: { in: ["RESERVED", "LIVE"] } },
    _sum: { hashrateHs: true },
  });
  const sum = (status: AllocationStatus) => held.find((h) => h.status === status)?._sum.hashrateHs ?? 0n;
  return { ...rig, liveHs: sum("LIVE"), reservedHs: sum("RESERVED") };
}

export interface RigChoice {
  id: string;
  model: string;
  serialNumber: string;
  algorithm: Algorithm;
  status: RigStatus;
  nominalHashrateHs: bigint;
  facilityName: string;
  /** Backs the listing being edited. */
  selected: boolean;
  /** Carries RESERVED or LIVE allocations (cannot leave its listing). */
  carriesContracts: boolean;
}

/**
 * Rigs the operator can back `listingId` with (or a new listing, when null): their own rigs
 * that back no other listing and are not retired, plus whatever already backs it.
 */
export async function rigChoices(
  prisma: PrismaClient,
  operatorId: string,
  listingId: string | null,
): Promise<RigChoice[]> {
  const rigs = await prisma.rig.findMany({
    where: {
      facility: { operatorId },
      OR: [{ listingId: null, status: { not: "RETIRED" } }, ...(listingId ? [{ listingId }] : [])],
    },
    orderBy: [{ algorithm: "asc" }, { model: "asc" }, { serialNumber: "asc" }],
    select: {
      id: true,
      model: true,
      serialNumber: true,
      algorithm: true,
      status: true,
      nominalHashrateHs: true,
      listingId: true,
      facility: { select: { name: true } },
    },
  });
  const carrying = listingId
    ? await prisma.allocation.findMany({
        where: { rig: { listingId }, status: { in: ["RESERVED", "LIVE"] } },
        distinct: ["rigId"],
        select: { rigId: true },
      })
    : [];
  const carries = new Set(carrying.map((c) => c.rigId));
  return rigs.map((r) => ({
    id: r.id,
    model: r.model,
    serialNumber: r.serialNumber,
    algorithm: r.algorithm,
    status: r.status,
    nominalHashrateHs: r.nominalHashrateHs,
    facilityName: r.facility.name,
    selected: listingId !== null && r.listingId === listingId,
    carriesContracts: carries.has(r.id),
  }));
}

/** Coins a listing can sell, with the algorithm each implies and its pricing unit. */
export async function listingCoins(prisma: PrismaClient) {
  return prisma.coin.findMany({
    where: { asset: { not: "USD" } },
    orderBy: { asset: "asc" },
    select: {
      asset: true,
      name: true,
      algorithm: true,
      hashrateUnitHs: true,
      hashrateUnitLabel: true,
      poolFeeBps: true,
    },
  });
}
