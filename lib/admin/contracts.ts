// The admin's contract view: the purchase (customer, listing, price, payment method), the
// payment (Stripe checkout session and the events that acted on it, every ledger journal of
// the contract with its postings), the reservation and allocation history, every payout (a
// page at a time) and the contract's audit lines. Search by contract id or customer email.
import type { PrismaClient } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import type { ContractStatus } from "../generated/prisma/enums";
import { auditLineHead } from "./audit-log";
import { assetDecimals } from "./ledger";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ContractSearchRow {
  id: string;
  customerEmail: string;
  listingTitle: string;
  coin: string;
  hashrateHs: bigint;
  days: number;
  totalPriceMicroUsd: bigint;
  paymentMethod: string;
  status: ContractStatus;
  createdAt: Date;
}

export async function searchContracts(
  prisma: PrismaClient,
  filter: { q?: string; status?: ContractStatus },
  options: { page: number; pageSize: number },
): Promise<{ rows: ContractSearchRow[]; total: number }> {
  const q = filter.q?.trim().toLowerCase() ?? "";
  const where = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(q === ""
      ? {}
      : UUID.test(q)
        ? { OR: [{ id: q }, { customerId: q }, { listingId: q }] }
        : { customer: { email: { contains: q } } }),
  };
  const [total, rows] = await Promise.all([
    prisma.contract.count({ where }),
    prisma.contract.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      include: { customer: { select: { email: true } }, listing: { select: { title: true } } },
    }),
  ]);
  return {
    total,
    rows: rows.map((c) => ({
      id: c.id,
      customerEmail: c.customer.email,
      listingTitle: c.listing.title,
      coin: c.coin,
      hashrateHs: c.hashrateHs,
      days: c.days,
      totalPriceMicroUsd: c.totalPriceMicroUsd,
      paymentMethod: c.paymentMethod,
      status: c.status,
      createdAt: c.createdAt,
    })),
  };
}

export interface JournalView {
  id: string;
  kind: string;
  description: string;
  createdAt: Date;
  postings: {
    id: bigint;
    accountId: string;
    accountType: string;
    asset: string;
    userEmail: string | null;
    amount: bigint;
    decimals: number;
  }[];
}

export interface ContractView {
  contract: {
    id: string;
    status: ContractStatus;
    coin: string;
    hashrateHs: bigint;
    days: number;
    unitHs: bigint;
    priceMicroUsdPerUnitDay: bigint;
    maintenanceFeeMicroUsdPerUnitDay: bigint;
    poolFeeBps: number;
    dailyPriceMicroUsd: bigint;
    totalPriceMicroUsd: bigint;
    platformFeeMicroUsd: bigint;
    paymentMethod: string;
    chargedCents: bigint | null;
    chargeRoundingMicroUsd: bigint | null;
    stripeCheckoutSessionId: string | null;
    reservedUntil: Date | null;
    activatedAt: Date | null;
    startDay: Date | null;
    endDay: Date | null;
    createdAt: Date;
  };
  customer: { id: string; email: string; name: string };
  listing: { id: string; title: string; operatorId: string; operatorEmail: string; unitLabel: string };
  decimals: number;
  journals: JournalView[];
  stripeEvents: { id: string; type: string; processedAt: Date }[];
  allocations: {
    id: string;
    rigId: string;
    rigModel: string;
    rigSerial: string;
    hashrateHs: bigint;
    status: string;
    createdAt: Date;
    releasedAt: Date | null;
  }[];
  payouts: {
    total: number;
    rows: {
      id: bigint;
      day: Date;
      deliveredHashrateHs: bigint;
      allocatedHashrateHs: bigint;
      netBase: bigint;
      curtailed: boolean;
      underDeliveryCreditMicroUsd: bigint;
      runId: string;
    }[];
    netTotalBase: bigint;
    creditTotalMicroUsd: bigint;
    /** Sums over every paid day: what was delivered against what was allocated. */
    deliveredTotalHs: bigint;
    allocatedTotalHs: bigint;
  };
  audit: { id: bigint; seq: bigint | null; at: Date; action: string; actorEmail: string | null; details: unknown }[];
}

export async function contractView(
  prisma: PrismaClient,
  contractId: string,
  options: { payoutPage: number; payoutPageSize: number },
): Promise<ContractView | null> {
  if (!UUID.test(contractId)) return null;
  const contract = await prisma.contract.findUnique({
    where: { id: contractId },
    include: {
      customer: { select: { id: true, email: true, name: true } },
      listing: { select: { id: true, title: true, operatorId: true, operator: { select: { email: true } } } },
    },
  });
  if (!contract) return null;
  const [coin, journals, allocations, payoutCount, payoutSums, payouts, audit, decimals] = await Promise.all([
    prisma.coin.findUnique({ where: { asset: contract.coin }, select: { decimals: true, hashrateUnitLabel: true } }),
    prisma.journalTransaction.findMany({
      where: { referenceType: "contract", referenceId: contract.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: {
        postings: {
          orderBy: { id: "asc" },
          include: { account: { select: { type: true, user: { select: { email: true } } } } },
        },
      },
    }),
    prisma.allocation.findMany({
      where: { contractId: contract.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { rig: { select: { model: true, serialNumber: true } } },
    }),
    prisma.dailyPayout.count({ where: { contractId: contract.id } }),
    prisma.dailyPayout.aggregate({
      where: { contractId: contract.id },
      _sum: { netBase: true, underDeliveryCreditMicroUsd: true, deliveredHashrateHs: true, allocatedHashrateHs: true },
    }),
    prisma.dailyPayout.findMany({
      where: { contractId: contract.id },
      orderBy: { day: "desc" },
      skip: (options.payoutPage - 1) * options.payoutPageSize,
      take: options.payoutPageSize,
      select: {
        id: true,
        day: true,
        deliveredHashrateHs: true,
        allocatedHashrateHs: true,
        netBase: true,
        curtailed: true,
        underDeliveryCreditMicroUsd: true,
        runId: true,
      },
    }),
    prisma.auditLog.findMany({
      where: { entityType: "contract", entityId: contract.id },
      orderBy: { id: "asc" },
      take: 200,
      include: { actor: { select: { email: true } } },
    }),
    assetDecimals(prisma),
  ]);
  // The Stripe events that acted on this contract name themselves in its audit lines.
  const eventIds = [
    ...new Set(
      audit
        .map((a) => (a.details as { eventId?: unknown } | null)?.eventId)
        .filter((id): id is string => typeof id === "string"),
    ),
  ];
  const stripeEvents = eventIds.length
    ? await prisma.stripeEvent.findMany({
        where: { id: { in: eventIds } },
        select: { id: true, type: true, processedAt: true },
        orderBy: { processedAt: "asc" },
      })
    : [];
  return {
    contract: {
      id: contract.id,
      status: contract.status,
      coin: contract.coin,
      hashrateHs: contract.hashrateHs,
      days: contract.days,
      unitHs: contract.unitHs,
      priceMicroUsdPerUnitDay: contract.priceMicroUsdPerUnitDay,
      maintenanceFeeMicroUsdPerUnitDay: contract.maintenanceFeeMicroUsdPerUnitDay,
      poolFeeBps: contract.poolFeeBps,
      dailyPriceMicroUsd: contract.dailyPriceMicroUsd,
      totalPriceMicroUsd: contract.totalPriceMicroUsd,
      platformFeeMicroUsd: contract.platformFeeMicroUsd,
      paymentMethod: contract.paymentMethod,
      chargedCents: contract.chargedCents,
      chargeRoundingMicroUsd: contract.chargeRoundingMicroUsd,
      stripeCheckoutSessionId: contract.stripeCheckoutSessionId,
      reservedUntil: contract.reservedUntil,
      activatedAt: contract.activatedAt,
      startDay: contract.startDay,
      endDay: contract.endDay,
      createdAt: contract.createdAt,
    },
    customer: contract.customer,
    listing: {
      id: contract.listing.id,
      title: contract.listing.title,
      operatorId: contract.listing.operatorId,
      operatorEmail: contract.listing.operator.email,
      unitLabel: coin?.hashrateUnitLabel ?? "H/s",
    },
    decimals: coin?.decimals ?? 0,
    journals: journals.map((j) => ({
      id: j.id,
      kind: j.kind,
      description: j.description,
      createdAt: j.createdAt,
      postings: j.postings.map((p) => ({
        id: p.id,
        accountId: p.accountId,
        accountType: p.account.type,
        asset: p.asset,
        userEmail: p.account.user?.email ?? null,
        amount: decimalToBigInt(p.amount),
        decimals: decimals.get(p.asset) ?? 0,
      })),
    })),
    stripeEvents,
    allocations: allocations.map((a) => ({
      id: a.id,
      rigId: a.rigId,
      rigModel: a.rig.model,
      rigSerial: a.rig.serialNumber,
      hashrateHs: a.hashrateHs,
      status: a.status,
      createdAt: a.createdAt,
      releasedAt: a.releasedAt,
    })),
    payouts: {
      total: payoutCount,
      netTotalBase: payoutSums._sum.netBase ? decimalToBigInt(payoutSums._sum.netBase) : 0n,
      creditTotalMicroUsd: payoutSums._sum.underDeliveryCreditMicroUsd ?? 0n,
      deliveredTotalHs: payoutSums._sum.deliveredHashrateHs ?? 0n,
      allocatedTotalHs: payoutSums._sum.allocatedHashrateHs ?? 0n,
      rows: payouts.map((p) => ({ ...p, netBase: decimalToBigInt(p.netBase) })),
    },
    audit: audit.map((a) => ({ ...auditLineHead(a), details: a.details })),
  };
}
