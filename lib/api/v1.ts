// What the /api/v1 route handlers share: the read models as the API shows them (bigints and
// numerics as decimal strings, days as YYYY-MM-DD), refusal mapping from the core functions'
// results to ApiError, and joinedClient, which lets a core function that opens its own
// transaction run inside the pipeline's idempotency transaction (one transaction per call:
// the business writes and the stored answer commit together or not at all).
import type { PrismaClient, Tx } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import type { Prisma } from "../generated/prisma/client";
import { dayText } from "../shared/days";
import { decimalText, powerOfTenDecimals } from "../shared/decimal";
import type { Refusal } from "../shared/result";
import { refusalStatus } from "./error-codes";
import { ApiError } from "./errors";

/**
 * `tx` seen as a client whose `$transaction(fn)` runs `fn` in `tx` itself: the core function's
 * transaction joins the caller's. Only for core functions whose transaction is a plain
 * `$transaction(async (tx) => ...)` (options such as timeouts are the outer transaction's).
 */
export function joinedClient(tx: Tx): PrismaClient {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "$transaction") {
        return (fn: unknown) => {
          if (typeof fn !== "function") throw new Error("joinedClient supports interactive transactions only");
          return (fn as (tx: Tx) => Promise<unknown>)(target);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  }) as unknown as PrismaClient;
}

export function requireTx(tx: Tx | null): Tx {
  if (!tx) throw new Error("this route must run in the pipeline's idempotency transaction");
  return tx;
}

/** A core refusal code (UPPER_CASE) as the API's lower_snake_case code. */
export function apiCode(code: string): string {
  return code.toLowerCase();
}

export function refusal(status: number, code: string, message: string): never {
  throw new ApiError(status, apiCode(code), message);
}

/** A core refusal (lib/shared/result.ts) as an ApiError: its status from lib/api/error-codes.ts, field messages appended. */
/** "field: message" for each field error, in order. */
function fieldErrorDetails(fieldErrors: Record<string, string>): string[] {
  return Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`);
}

/** A 422 "invalid" answer listing the form parser's field errors. */
export function invalidFields(fieldErrors: Record<string, string>): never {
  throw new ApiError(422, "invalid", fieldErrorDetails(fieldErrors).join(" "));
}

export function operatorRefusal(result: Refusal): never {
  const status = refusalStatus(result.code);
  const details = result.fieldErrors ? fieldErrorDetails(result.fieldErrors) : [];
  refusal(status, result.code, details.length > 0 ? `${result.message} ${details.join(" ")}` : result.message);
}

const text = (value: bigint | number | Prisma.Decimal | null): string | null =>
  value === null ? null : typeof value === "object" ? decimalToBigInt(value).toString() : value.toString();
const str = (value: bigint | number | Prisma.Decimal): string => text(value)!;

export function dayOrNull(day: Date | null): string | null {
  return day ? dayText(day) : null;
}

export const contractSelect = {
  id: true,
  listingId: true,
  coin: true,
  status: true,
  paymentMethod: true,
  hashrateHs: true,
  days: true,
  priceMicroUsdPerUnitDay: true,
  maintenanceFeeMicroUsdPerUnitDay: true,
  unitHs: true,
  poolFeeBps: true,
  dailyPriceMicroUsd: true,
  totalPriceMicroUsd: true,
  startDay: true,
  endDay: true,
  activatedAt: true,
  createdAt: true,
} as const;

type ContractRow = Prisma.ContractGetPayload<{ select: typeof contractSelect }>;

export function contractView(c: ContractRow) {
  return {
    id: c.id,
    listingId: c.listingId,
    coin: c.coin,
    status: c.status,
    paymentMethod: c.paymentMethod,
    hashrateHs: str(c.hashrateHs),
    days: c.days,
    priceMicroUsdPerUnitDay: str(c.priceMicroUsdPerUnitDay),
    maintenanceFeeMicroUsdPerUnitDay: str(c.maintenanceFeeMicroUsdPerUnitDay),
    unitHs: str(c.unitHs),
    poolFeeBps: c.poolFeeBps,
    dailyPriceMicroUsd: str(c.dailyPriceMicroUsd),
    totalPriceMicroUsd: str(c.totalPriceMicroUsd),
    startDay: dayOrNull(c.startDay),
    endDay: dayOrNull(c.endDay),
    activatedAt: c.activatedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}

type ContractView = ReturnType<typeof contractView>;

/**
 * The customer's contracts as contractView shapes them (GET /api/v1/contracts), newest first, at
 * most 1,000: one raw statement whose columns arrive as the API's text already (no Prisma query
 * compilation or BigInt/Date mapping). v1.test.ts checks it equals contractView of the same rows.
 */
export async function listContractViews(prisma: PrismaClient, customerId: string): Promise<ContractView[]> {
  return prisma.$queryRaw<ContractView[]>`
    SELECT id::text AS "id", listing_id::text AS "listingId", coin::text AS "coin", status::text AS "status",
           payment_method::text AS "paymentMethod", hashrate_hs::text AS "hashrateHs", days AS "days",
           price_micro_usd_per_unit_day::text AS "priceMicroUsdPerUnitDay",
           maintenance_fee_micro_usd_per_unit_day::text AS "maintenanceFeeMicroUsdPerUnitDay",
           unit_hs::text AS "unitHs", pool_fee_bps AS "poolFeeBps", daily_price_micro_usd::text AS "dailyPriceMicroUsd",
           total_price_micro_usd::text AS "totalPriceMicroUsd",
           to_char(start_day, 'YYYY-MM-DD') AS "startDay", to_char(end_day, 'YYYY-MM-DD') AS "endDay",
           to_char(activated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "activatedAt",
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
      FROM contracts WHERE customer_id = ${customerId}::uuid
     ORDER BY created_at DESC, id ASC
     LIMIT 1000`;
}

type PayoutRow = Prisma.DailyPayoutGetPayload<object>;

export function payoutView(p: PayoutRow) {
  return {
    id: str(p.id),
    contractId: p.contractId,
    runId: p.runId,
    day: dayText(p.day),
    coin: p.coin,
    allocatedHashrateHs: str(p.allocatedHashrateHs),
    deliveredHashrateHs: str(p.deliveredHashrateHs),
    networkHashrateHs: str(p.networkHashrateHs),
    blockTimeMs: p.blockTimeMs,
    blockSubsidyBase: str(p.blockSubsidyBase),
    avgFeesPerBlockBase: str(p.avgFeesPerBlockBase),
    priceMicroUsd: str(p.priceMicroUsd),
    decimals: p.decimals,
    poolFeeBps: p.poolFeeBps,
    maintenanceFeeMicroUsdPerUnitDay: str(p.maintenanceFeeMicroUsdPerUnitDay),
    unitHs: str(p.unitHs),
    dailyPriceMicroUsd: str(p.dailyPriceMicroUsd),
    grossBase: str(p.grossBase),
    poolFeeBase: str(p.poolFeeBase),
    maintenanceFeeBase: str(p.maintenanceFeeBase),
    netBase: str(p.netBase),
    curtailed: p.curtailed,
    hashrateSource: p.hashrateSource,
    underDeliveryCreditMicroUsd: str(p.underDeliveryCreditMicroUsd),
    usdValueAtReceiptMicroUsd: str(p.usdValueAtReceiptMicroUsd),
  };
}

export interface PayoutFilter {
  customerId: string;
  contractId?: string;
  from: Date | null;
  to: Date | null;
  limit: number;
}

type PayoutView = ReturnType<typeof payoutView>;

/**
 * The customer's payouts as payoutView shapes them (GET /api/v1/payouts), newest day first: one
 * raw statement whose columns arrive as the API's text already, so the up to 1,000 rows skip
 * Prisma's query compilation and its Decimal/BigInt objects (bench:floor: most of the route's CPU
 * was that mapping). v1.test.ts checks it equals payoutView of the same rows.
 */
export async function listPayoutViews(prisma: PrismaClient, filter: PayoutFilter): Promise<PayoutView[]> {
  // UTC day text: a Date parameter would be cast to date in the session's time zone.
  const from = filter.from ? dayText(filter.from) : null;
  const to = filter.to ? dayText(filter.to) : null;
  const rows = await prisma.$queryRaw<
    (Omit<PayoutView, "blockTimeMs" | "decimals" | "poolFeeBps" | "curtailed"> & {
      blockTimeMs: number;
      decimals: number;
      poolFeeBps: number;
      curtailed: boolean;
    })[]
  >`
    SELECT p.id::text AS "id", p.contract_id::text AS "contractId", p.run_id::text AS "runId",
           to_char(p.day, 'YYYY-MM-DD') AS "day", p.coin::text AS "coin",
           p.allocated_hashrate_hs::text AS "allocatedHashrateHs", p.delivered_hashrate_hs::text AS "deliveredHashrateHs",
           p.network_hashrate_hs::text AS "networkHashrateHs", p.block_time_ms AS "blockTimeMs",
           p.block_subsidy_base::text AS "blockSubsidyBase", p.avg_fees_per_block_base::text AS "avgFeesPerBlockBase",
           p.price_micro_usd::text AS "priceMicroUsd", p.decimals AS "decimals", p.pool_fee_bps AS "poolFeeBps",
           p.maintenance_fee_micro_usd_per_unit_day::text AS "maintenanceFeeMicroUsdPerUnitDay",
           p.unit_hs::text AS "unitHs", p.daily_price_micro_usd::text AS "dailyPriceMicroUsd",
           p.gross_base::text AS "grossBase", p.pool_fee_base::text AS "poolFeeBase",
           p.maintenance_fee_base::text AS "maintenanceFeeBase", p.net_base::text AS "netBase",
           p.curtailed AS "curtailed", p.hashrate_source::text AS "hashrateSource",
           p.under_delivery_credit_micro_usd::text AS "underDeliveryCreditMicroUsd",
           p.usd_value_at_receipt_micro_usd::text AS "usdValueAtReceiptMicroUsd"
      FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id
     WHERE c.customer_id = ${filter.customerId}::uuid
       AND (${filter.contractId ?? null}::uuid IS NULL OR p.contract_id = ${filter.contractId ?? null}::uuid)
       AND (${from}::date IS NULL OR p.day >= ${from}::date)
       AND (${to}::date IS NULL OR p.day <= ${to}::date)
     ORDER BY p.day DESC, p.contract_id ASC
     LIMIT ${filter.limit}`;
  return rows as PayoutView[];
}

/** 10-minute verified-hashrate buckets (lib/stratum/queries.ts) as the API sends them. */
export function hashratePointsView(points: { at: Date; hashrateHs: bigint }[]) {
  return points.map((p) => ({ at: p.at.toISOString(), hashrateHs: str(p.hashrateHs) }));
}

export function listingView(l: {
  id: string;
  title: string;
  coin: string;
  algorithm: string;
  status?: string;
  priceMicroUsdPerUnitDay: bigint;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
  unitHs: bigint;
  unitLabel: string;
  minDays: number;
  maxDays: number;
  minHashrateHs: bigint;
  totalHs: bigint;
  freeHs: bigint;
  activeRigs: number;
}) {
  return {
    id: l.id,
    title: l.title,
    coin: l.coin,
    algorithm: l.algorithm,
    status: l.status ?? "PUBLISHED",
    priceMicroUsdPerUnitDay: str(l.priceMicroUsdPerUnitDay),
    maintenanceFeeMicroUsdPerUnitDay: str(l.maintenanceFeeMicroUsdPerUnitDay),
    unitHs: str(l.unitHs),
    unitLabel: l.unitLabel,
    minDays: l.minDays,
    maxDays: l.maxDays,
    minHashrateHs: str(l.minHashrateHs),
    totalHs: str(l.totalHs),
    freeHs: str(l.freeHs),
    activeRigs: l.activeRigs,
  };
}

export function rigView(r: {
  id: string;
  facilityId: string;
  listingId: string | null;
  model: string;
  serialNumber: string;
  algorithm: string;
  nominalHashrateHs: bigint;
  powerDrawW: number;
  status: string;
}) {
  return { ...r, nominalHashrateHs: str(r.nominalHashrateHs) };
}

/** `value` base units of a unit of `unitHs` H/s (a power of ten), as exact decimal text: "2.5". */
export function inUnitText(value: bigint, unitHs: bigint): string {
  return decimalText(value, powerOfTenDecimals(unitHs));
}

export { text as amountText };
