// An operator's listings: terms (coin, title, price and maintenance fee per pricing unit per
// day, duration range, minimum order), the rigs that back it, and publishing.
// Rules:
//  - the coin fixes the algorithm (coins.algorithm); every backing rig runs it;
//  - a rig backs at most one listing; only the operator's own, not retired, rigs;
//  - a rig that carries RESERVED or LIVE allocations cannot leave its listing;
//  - the coin cannot change once the listing has contracts (they were sold in that coin);
//  - publishing needs at least one ACTIVE rig, and a published listing keeps one.
// Locks: the listing row, then the rigs concerned in id order (the order purchases use).
import { z } from "zod";
import type { PrismaClient, Tx } from "../db/client";
import { Asset, type Algorithm, type ListingStatus } from "../generated/prisma/enums";
import { decimalText, microUsdText, parseDecimal, powerOfTenDecimals } from "../shared/decimal";
import { conflict, invalid, notFound, type FieldErrors } from "../shared/result";
import { operatorAudit } from "./audit";
import type { OperatorListingRow } from "./queries";
import type { OperatorResult } from "./result";
import { parseUsd } from "./units";

export const LISTING_COINS = (Object.values(Asset) as Asset[]).filter((a) => a !== "USD");
export const MAX_LISTING_DAYS = 3650;

const usd = (what: string, allowZero: boolean) =>
  z.string({ error: `Enter ${what.toLowerCase()}.` }).transform((text, ctx) => {
    const parsed = parseUsd(text, { what, allowZero });
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.value;
  });

const days = (what: string) =>
  z.string({ error: `Enter the ${what}.` }).transform((text, ctx) => {
    const trimmed = text.trim();
    const value = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : NaN;
    if (!(value >= 1 && value <= MAX_LISTING_DAYS)) {
      ctx.addIssue({
        code: "custom",
        message: `The ${what} must be a whole number of days from 1 to ${MAX_LISTING_DAYS}.`,
      });
      return z.NEVER;
    }
    return value;
  });

export const listingInputSchema = z
  .object({
    coin: z.enum(LISTING_COINS, { error: "Choose the coin." }),
    title: z
      .string({ error: "Enter a title." })
      .trim()
      .min(3, "Enter a title of at least 3 characters.")
      .max(120, "Use at most 120 characters for the title.")
      .regex(/^[^\p{Cc}\p{Cf}]*$/u, "The title contains characters that cannot be printed."),
    price: usd("The price", false),
    maintenanceFee: usd("The maintenance fee", true),
    minDays: days("minimum duration"),
    maxDays: days("maximum duration"),
    /** In the coin's pricing unit; converted by the core, which knows the unit. */
    minHashrate: z.string({ error: "Enter the minimum order." }).trim().min(1, "Enter the minimum order."),
    rigIds: z
      .array(z.uuid({ error: "Choose rigs from the list." }))
      .max(10_000)
      .default([]),
  })
  .superRefine((input, ctx) => {
    if (input.maxDays < input.minDays) {
      ctx.addIssue({
        code: "custom",
        path: ["maxDays"],
        message: "The maximum duration must not be shorter than the minimum.",
      });
    }
  });
export type ListingInput = z.output<typeof listingInputSchema>;

export interface ListingSaved {
  listingId: string;
}

interface CoinConfig {
  asset: Asset;
  algorithm: Algorithm;
  hashrateUnitHs: bigint;
  hashrateUnitLabel: string;
}

/** The minimum order typed in the coin's unit, as H/s (whole, positive). */
function minHashrateHs(text: string, coin: CoinConfig): { ok: true; value: bigint } | { ok: false; message: string } {
  const decimals = powerOfTenDecimals(coin.hashrateUnitHs);
  const parsed = parseDecimal(text, decimals);
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        parsed.reason === "format"
          ? `Enter the minimum order in ${coin.hashrateUnitLabel} as a number, e.g. 1 or 0.5.`
          : `Use at most ${decimals} decimals in ${coin.hashrateUnitLabel}.`,
    };
  }
  if (parsed.value <= 0n) return { ok: false, message: "The minimum order must be more than 0." };
  if (parsed.value > 10n ** 18n) return { ok: false, message: "The minimum order is too large." };
  return { ok: true, value: parsed.value };
}

interface LockedRig {
  id: string;
  listing_id: string | null;
  status: string;
  algorithm: Algorithm;
  model: string;
  serial_number: string;
  operator_id: string;
}

const rigName = (r: { model: string; serial_number: string }) => `${r.model} ${r.serial_number}`;

/**
 * Locks the listing's current rigs and the requested ones (id order) and checks the new set.
 * Returns the rig ids to attach and to detach, or the refusal.
 */
async function planRigChange(
  tx: Tx,
  args: {
    operatorId: string;
    listingId: string | null;
    listingTitle?: string;
    status: ListingStatus;
    algorithm: Algorithm;
    rigIds: string[];
  },
): Promise<
  { ok: true; attach: string[]; detach: string[]; activeAfter: number } | { ok: false; fieldErrors: FieldErrors }
> {
  const wanted = [...new Set(args.rigIds)];
  const rigs = await tx.$queryRaw<LockedRig[]>`
    SELECT r.id, r.listing_id, r.status::text AS status, r.algorithm::text AS algorithm, r.model, r.serial_number, f.operator_id
      FROM rigs r JOIN facilities f ON f.id = r.facility_id
     WHERE r.id = ANY(${wanted}::uuid[]) OR r.listing_id = ${args.listingId}::uuid
     ORDER BY r.id
       FOR UPDATE OF r`;
  // Read after the locks, in a statement of its own: it sees allocations committed by a
  // purchase that held these rigs while this transaction waited.
  const held = rigs.length
    ? await tx.$queryRaw<{ rig_id: string }[]>`
        SELECT DISTINCT rig_id FROM allocations
         WHERE rig_id = ANY(${rigs.map((r) => r.id)}::uuid[]) AND status IN ('RESERVED', 'LIVE')`
    : [];
  const carriesContracts = new Set(held.map((h) => h.rig_id));
  const byId = new Map(rigs.map((r) => [r.id, r]));
  const problems: string[] = [];
  const attach: string[] = [];
  let activeAfter = 0;
  for (const id of wanted) {
    const rig = byId.get(id);
    if (!rig || rig.operator_id !== args.operatorId) {
      problems.push("One of the chosen rigs is not among yours.");
      continue;
    }
    if (rig.listing_id !== null && rig.listing_id !== args.listingId) {
      problems.push(`${rigName(rig)} already backs another listing.`);
      continue;
    }
    if (rig.algorithm !== args.algorithm) {
      problems.push(`${rigName(rig)} runs ${rig.algorithm}; this listing's coin needs ${args.algorithm}.`);
      continue;
    }
    if (rig.status === "RETIRED" && rig.listing_id === null) {
      problems.push(`${rigName(rig)} is retired.`);
      continue;
    }
    if (rig.status === "ACTIVE") activeAfter += 1;
    if (rig.listing_id === null) attach.push(id);
  }
  const detach: string[] = [];
  for (const rig of rigs) {
    if (rig.listing_id === null || rig.listing_id !== args.listingId || wanted.includes(rig.id)) continue;
    if (carriesContracts.has(rig.id)) {
      problems.push(`${rigName(rig)} carries contracts' hashrate, so it cannot leave this listing.`);
      continue;
    }
    detach.push(rig.id);
  }
  if (problems.length === 0 && args.status === "PUBLISHED" && activeAfter === 0) {
    problems.push("A published listing needs at least one active rig. Keep one, or unpublish the listing first.");
  }
  if (problems.length) return { ok: false, fieldErrors: { rigIds: [...new Set(problems)].join(" ") } };
  return { ok: true, attach, detach, activeAfter };
}

async function applyRigChange(tx: Tx, listingId: string, attach: string[], detach: string[]): Promise<void> {
  if (attach.length) await tx.rig.updateMany({ where: { id: { in: attach } }, data: { listingId } });
  if (detach.length) await tx.rig.updateMany({ where: { id: { in: detach }, listingId }, data: { listingId: null } });
}

async function coinConfig(tx: Tx, coin: Asset): Promise<CoinConfig | null> {
  return tx.coin.findUnique({
    where: { asset: coin },
    select: { asset: true, algorithm: true, hashrateUnitHs: true, hashrateUnitLabel: true },
  });
}

function terms(input: ListingInput, coin: CoinConfig, minHs: bigint) {
  return {
    coin: coin.asset,
    algorithm: coin.algorithm,
    title: input.title,
    priceMicroUsdPerUnitDay: input.price,
    maintenanceFeeMicroUsdPerUnitDay: input.maintenanceFee,
    minDays: input.minDays,
    maxDays: input.maxDays,
    minHashrateHs: minHs,
  };
}

function auditTerms(t: ReturnType<typeof terms>) {
  return {
    ...t,
    priceMicroUsdPerUnitDay: t.priceMicroUsdPerUnitDay.toString(),
    maintenanceFeeMicroUsdPerUnitDay: t.maintenanceFeeMicroUsdPerUnitDay.toString(),
    minHashrateHs: t.minHashrateHs.toString(),
  };
}

/** A new listing, as a DRAFT, with its backing rigs. */
export async function createListing(
  prisma: PrismaClient,
  args: { operatorId: string; input: ListingInput; ip?: string | null },
): Promise<OperatorResult<ListingSaved>> {
  const { operatorId, input } = args;
  return prisma.$transaction(async (tx) => {
    const coin = await coinConfig(tx, input.coin);
    if (!coin) return invalid("Check the coin.", { coin: "This coin is not offered on Hashlease." });
    const minHs = minHashrateHs(input.minHashrate, coin);
    if (!minHs.ok) return invalid("Check the minimum order.", { minHashrate: minHs.message });
    const plan = await planRigChange(tx, {
      operatorId,
      listingId: null,
      status: "DRAFT",
      algorithm: coin.algorithm,
      rigIds: input.rigIds,
    });
    if (!plan.ok) return invalid("Check the rigs.", plan.fieldErrors);
    const data = terms(input, coin, minHs.value);
    const listing = await tx.listing.create({ data: { ...data, operatorId, status: "DRAFT" }, select: { id: true } });
    await applyRigChange(tx, listing.id, plan.attach, []);
    await operatorAudit(tx, args, "listing.created", ["listing", listing.id], {
      ...auditTerms(data),
      rigIds: plan.attach,
    });
    return { ok: true as const, listingId: listing.id };
  });
}

/** New terms and backing rigs for an operator's listing; contracts keep the terms they were sold with. */
export async function updateListing(
  prisma: PrismaClient,
  args: { operatorId: string; listingId: string; input: ListingInput; ip?: string | null },
): Promise<OperatorResult<ListingSaved>> {
  const { operatorId, listingId, input } = args;
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM listings WHERE id = ${listingId}::uuid AND operator_id = ${operatorId}::uuid FOR UPDATE`;
    if (locked.length === 0) return notFound("This listing");
    const before = await tx.listing.findUniqueOrThrow({
      where: { id: listingId },
      include: { rigs: { select: { id: true } } },
    });
    const coin = await coinConfig(tx, input.coin);
    if (!coin) return invalid("Check the coin.", { coin: "This coin is not offered on Hashlease." });
    if (coin.asset !== before.coin && (await tx.contract.count({ where: { listingId } })) > 0) {
      return invalid("Check the coin.", {
        coin: `Contracts were sold on this listing in ${before.coin}; its coin cannot change.`,
      });
    }
    const minHs = minHashrateHs(input.minHashrate, coin);
    if (!minHs.ok) return invalid("Check the minimum order.", { minHashrate: minHs.message });
    const plan = await planRigChange(tx, {
      operatorId,
      listingId,
      status: before.status,
      algorithm: coin.algorithm,
      rigIds: input.rigIds,
    });
    if (!plan.ok) return invalid("Check the rigs.", plan.fieldErrors);
    const data = terms(input, coin, minHs.value);
    await tx.listing.update({ where: { id: listingId }, data });
    await applyRigChange(tx, listingId, plan.attach, plan.detach);
    await operatorAudit(tx, args, "listing.updated", ["listing", listingId], {
      before: auditTerms({
        coin: before.coin,
        algorithm: before.algorithm,
        title: before.title,
        priceMicroUsdPerUnitDay: before.priceMicroUsdPerUnitDay,
        maintenanceFeeMicroUsdPerUnitDay: before.maintenanceFeeMicroUsdPerUnitDay,
        minDays: before.minDays,
        maxDays: before.maxDays,
        minHashrateHs: before.minHashrateHs,
      }),
      after: auditTerms(data),
      rigsBefore: before.rigs.map((r) => r.id).sort(),
      attached: plan.attach,
      detached: plan.detach,
    });
    return { ok: true as const, listingId };
  });
}

export interface ListingStatusSaved {
  listingId: string;
  status: ListingStatus;
  changed: boolean;
}

/** Publishes (needs an ACTIVE backing rig) or unpublishes a listing; sold contracts are untouched. */
export async function setListingPublished(
  prisma: PrismaClient,
  args: { operatorId: string; listingId: string; published: boolean; ip?: string | null },
): Promise<OperatorResult<ListingStatusSaved>> {
  const { operatorId, listingId, published } = args;
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ status: ListingStatus }[]>`
      SELECT status::text AS status FROM listings WHERE id = ${listingId}::uuid AND operator_id = ${operatorId}::uuid FOR UPDATE`;
    const current = rows[0];
    if (!current) return notFound("This listing");
    const target: ListingStatus = published ? "PUBLISHED" : "UNPUBLISHED";
    if (current.status === target || (!published && current.status === "DRAFT")) {
      return { ok: true as const, listingId, status: current.status, changed: false };
    }
    if (published) {
      // Rig status changes lock the rig rows; a share lock here keeps them from leaving
      // ACTIVE while the listing goes live.
      const active = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM rigs WHERE listing_id = ${listingId}::uuid AND status = 'ACTIVE' ORDER BY id FOR SHARE`;
      if (active.length === 0) {
        return conflict("Add at least one active rig to this listing before publishing it.");
      }
    }
    await tx.listing.update({ where: { id: listingId }, data: { status: target } });
    await operatorAudit(tx, args, published ? "listing.published" : "listing.unpublished", ["listing", listingId], {
      from: current.status,
      to: target,
    });
    return { ok: true as const, listingId, status: target, changed: true };
  });
}

/** Form text for an existing listing. */
export function listingFormValues(
  listing: Pick<
    OperatorListingRow,
    | "coin"
    | "title"
    | "priceMicroUsdPerUnitDay"
    | "maintenanceFeeMicroUsdPerUnitDay"
    | "minDays"
    | "maxDays"
    | "minHashrateHs"
    | "unitHs"
  > & { rigIds: string[] },
) {
  return {
    coin: listing.coin,
    title: listing.title,
    price: microUsdText(listing.priceMicroUsdPerUnitDay),
    maintenanceFee: microUsdText(listing.maintenanceFeeMicroUsdPerUnitDay),
    minDays: String(listing.minDays),
    maxDays: String(listing.maxDays),
    minHashrate: decimalText(listing.minHashrateHs, powerOfTenDecimals(listing.unitHs)),
    rigIds: listing.rigIds,
  };
}
