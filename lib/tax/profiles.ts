// The tax profile per user and year (DESIGN.md "Tax ledger"): hobby or business, changeable
// until the user locks the year; locking is final. Each change is one transaction with its
// audit line. Years in the future cannot be chosen yet; a year without a choice is hobby.
import { z } from "zod";
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import type { TaxProfileKind } from "../generated/prisma/enums";
import { refuse, refuseField, type Result } from "../shared/result";
import { FIRST_TAX_YEAR } from "./queries";

export type ProfileResult = Result<{ year: number; kind: TaxProfileKind; lockedAt: Date | null }, "INVALID" | "LOCKED">;

function yearSchema(now: Date) {
  return z.coerce
    .number({ message: "Choose a tax year." })
    .int("Choose a tax year.")
    .min(FIRST_TAX_YEAR, `Tax years start at ${FIRST_TAX_YEAR}.`)
    .max(now.getUTCFullYear(), "That tax year has not started yet.");
}

const kindSchema = z.enum(["HOBBY", "BUSINESS"], { message: "Choose hobby or business." });

export interface ProfileInput {
  userId: string;
  year: unknown;
  ip?: string | null;
  now?: Date;
}

/** Sets the year's kind unless the year is locked. */
export async function setTaxProfileKind(
  prisma: PrismaClient,
  input: ProfileInput & { kind: unknown },
): Promise<ProfileResult> {
  const now = input.now ?? new Date();
  const year = yearSchema(now).safeParse(input.year);
  if (!year.success) return refuseField("INVALID", "year", year.error.issues[0]!.message);
  const kind = kindSchema.safeParse(input.kind);
  if (!kind.success) return refuseField("INVALID", "kind", kind.error.issues[0]!.message);
  return prisma.$transaction(async (tx) => {
    // One statement: a locked row is never changed, whatever runs concurrently.
    const rows = await tx.$queryRaw<{ kind: TaxProfileKind; previous: TaxProfileKind | null }[]>`
      WITH before AS (SELECT kind FROM tax_profiles WHERE user_id = ${input.userId}::uuid AND year = ${year.data} FOR UPDATE)
      INSERT INTO tax_profiles AS p (user_id, year, kind)
      VALUES (${input.userId}::uuid, ${year.data}, ${kind.data}::tax_profile_kind)
      ON CONFLICT (user_id, year) DO UPDATE SET kind = EXCLUDED.kind, updated_at = now()
       WHERE p.locked_at IS NULL
      RETURNING p.kind, (SELECT kind FROM before) AS previous`;
    const row = rows[0];
    if (!row) return refuse("LOCKED", `${year.data} is locked: its profile can no longer change.`);
    if (row.previous !== row.kind) {
      await appendAudit(tx, {
        actorId: input.userId,
        action: "tax.profile_set",
        entityType: "tax_profile",
        entityId: `${input.userId}:${year.data}`,
        ip: input.ip ?? null,
        details: { year: year.data, kind: row.kind, previous: row.previous ?? "HOBBY (default)" },
      });
    }
    return { ok: true as const, year: year.data, kind: row.kind, lockedAt: null };
  });
}

/**
 * Locks the year with its current kind (hobby when none was chosen). Final: there is no
 * unlock. `expectedKind` is the kind the user saw when confirming; a different stored kind
 * (changed in another tab) refuses instead of locking what the user did not see.
 */
export async function lockTaxYear(
  prisma: PrismaClient,
  input: ProfileInput & { expectedKind: unknown },
): Promise<ProfileResult> {
  const now = input.now ?? new Date();
  const year = yearSchema(now).safeParse(input.year);
  if (!year.success) return refuseField("INVALID", "year", year.error.issues[0]!.message);
  const expected = kindSchema.safeParse(input.expectedKind);
  if (!expected.success) return refuseField("INVALID", "kind", expected.error.issues[0]!.message);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO tax_profiles (user_id, year, kind) VALUES (${input.userId}::uuid, ${year.data}, 'HOBBY')
      ON CONFLICT (user_id, year) DO NOTHING`;
    const [row] = await tx.$queryRaw<{ kind: TaxProfileKind; locked_at: Date | null }[]>`
      SELECT kind, locked_at FROM tax_profiles WHERE user_id = ${input.userId}::uuid AND year = ${year.data} FOR UPDATE`;
    if (!row) throw new Error("tax profile row vanished inside its transaction");
    if (row.locked_at) return refuse("LOCKED", `${year.data} is already locked.`);
    if (row.kind !== expected.data) {
      return refuseField(
        "INVALID",
        "kind",
        `${year.data} is now set to ${row.kind === "BUSINESS" ? "business" : "hobby"} (changed elsewhere); review it, then lock again.`,
      );
    }
    await tx.taxProfile.update({
      where: { userId_year: { userId: input.userId, year: year.data } },
      data: { lockedAt: now },
    });
    await appendAudit(tx, {
      actorId: input.userId,
      action: "tax.year_locked",
      entityType: "tax_profile",
      entityId: `${input.userId}:${year.data}`,
      ip: input.ip ?? null,
      details: { year: year.data, kind: row.kind },
    });
    return { ok: true as const, year: year.data, kind: row.kind, lockedAt: now };
  });
}
