// Fixtures for tests that need settled days: a sold contract (its purchase journal credits the
// operator's payable, its allocations in force since the day before its term) and a BTC
// network snapshot for a day. Written straight to the database through the ledger core.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/client";
import { postJournal } from "../ledger/ledger";
import { DAY_MS, dayText, startOfUtcDay } from "../shared/days";
import { btcSnapshotData, createUser, deposit, TH } from "./fixtures";

export function utcDay(offsetDays: number, now: Date = new Date()): Date {
  return new Date(startOfUtcDay(now).getTime() + offsetDays * DAY_MS);
}

/** A BTC snapshot for `day` (the values of ensureBtc's). */
export async function btcSnapshot(prisma: PrismaClient, day: Date): Promise<void> {
  await prisma.networkSnapshot.upsert({
    where: { coin_day: { coin: "BTC", day } },
    update: {},
    create: btcSnapshotData(day),
  });
}

/** What a sold contract costs per TH/s and day. */
const PRICE_MICRO_USD_PER_TH_DAY = 19_500n;

export interface SoldContract {
  contractId: string;
  customerId: string;
  hashrateHs: bigint;
  dailyPriceMicroUsd: bigint;
  totalPriceMicroUsd: bigint;
  platformFeeMicroUsd: bigint;
}

/**
 * An ACTIVE BTC contract on `listingId` with `slices` (TH/s per rig), paid from USD balance:
 * a CONTRACT_PURCHASE journal moves the price from the customer to the operator's payable
 * (minus a platform fee) and the platform. The term is `days` days from `startDay`; the
 * allocations exist since noon of the day before it.
 */
export async function soldContract(
  prisma: PrismaClient,
  args: {
    listingId: string;
    operatorId: string;
    slices: { rigId: string; th: number }[];
    startDay: Date;
    days: number;
    /** Default: the contract's price, 19,500 µUSD per TH/s and day. */
    dailyPriceMicroUsd?: bigint;
  },
): Promise<SoldContract> {
  const customer = await createUser(prisma);
  const hashrateHs = args.slices.reduce((sum, s) => sum + BigInt(s.th) * TH, 0n);
  const dailyPriceMicroUsd = args.dailyPriceMicroUsd ?? (hashrateHs / TH) * PRICE_MICRO_USD_PER_TH_DAY;
  const total = dailyPriceMicroUsd * BigInt(args.days);
  const fee = (total * 300n + 9_999n) / 10_000n;
  await deposit(prisma, customer.id, "USD", total);
  const activatedAt = new Date(args.startDay.getTime() - 12 * 3_600_000);
  const contract = await prisma.contract.create({
    data: {
      customerId: customer.id,
      listingId: args.listingId,
      coin: "BTC",
      hashrateHs,
      days: args.days,
      priceMicroUsdPerUnitDay: PRICE_MICRO_USD_PER_TH_DAY,
      maintenanceFeeMicroUsdPerUnitDay: 16_000n,
      unitHs: TH,
      poolFeeBps: 150,
      dailyPriceMicroUsd,
      totalPriceMicroUsd: total,
      platformFeeMicroUsd: fee,
      paymentMethod: "BALANCE_USD",
      status: "ACTIVE",
      activatedAt,
      startDay: args.startDay,
      endDay: new Date(args.startDay.getTime() + (args.days - 1) * DAY_MS),
    },
  });
  await prisma.allocation.createMany({
    data: args.slices.map((s) => ({
      contractId: contract.id,
      rigId: s.rigId,
      hashrateHs: BigInt(s.th) * TH,
      status: "LIVE" as const,
      createdAt: activatedAt,
    })),
  });
  await prisma.$transaction((tx) =>
    postJournal(tx, {
      kind: "CONTRACT_PURCHASE",
      description: `test purchase ${randomBytes(4).toString("hex")} from ${dayText(args.startDay)}`,
      referenceType: "contract",
      referenceId: contract.id,
      postings: [
        { account: { type: "USER_AVAILABLE", asset: "USD", userId: customer.id }, amount: -total },
        { account: { type: "OPERATOR_PAYABLE", asset: "USD", userId: args.operatorId }, amount: total - fee },
        { account: { type: "PLATFORM_REVENUE", asset: "USD", userId: null }, amount: fee },
      ],
    }),
  );
  return {
    contractId: contract.id,
    customerId: customer.id,
    hashrateHs,
    dailyPriceMicroUsd,
    totalPriceMicroUsd: total,
    platformFeeMicroUsd: fee,
  };
}

/** Telemetry straight into the table (the simulator's way), for fixtures. */
export async function reportTelemetry(
  prisma: PrismaClient,
  rigId: string,
  day: Date,
  th: number | bigint,
): Promise<void> {
  const hs = typeof th === "bigint" ? th : BigInt(th) * TH;
  await prisma.rigTelemetry.upsert({
    where: { rigId_day: { rigId, day } },
    update: { reportedHashrateHs: hs },
    create: { rigId, day, reportedHashrateHs: hs, source: "SIMULATOR" },
  });
}
