// Facilities: an operator's hosting sites with their power price. A name is unique per
// operator (the database enforces it too); the country is an ISO 3166-1 alpha-2 code.
import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { microUsdText } from "../shared/decimal";
import { conflict, notFound } from "../shared/result";
import { operatorAudit } from "./audit";
import type { OperatorResult } from "./result";
import { parsePowerPrice } from "./units";

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** "se" -> "SE" when it names a country or territory; null otherwise. */
export function countryCode(text: string): string | null {
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return null;
  // Intl also names user-assigned codes (QO, ZZ, XA..XZ) and the exceptionally reserved ones
  // (UK, EU, AC ...), which are not countries in ISO 3166-1; Kosovo's XK is in common use.
  if (code !== "XK" && /^(AA|Q[M-Z]|X[A-Z]|ZZ|AC|CP|CQ|DG|EA|EU|EZ|FX|IC|SU|TA|UK|UN)$/.test(code)) return null;
  return regionNames.of(code) ? code : null;
}

export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}

export const facilityInputSchema = z.object({
  name: z.string().trim().min(1, "Enter the facility's name.").max(100, "Use at most 100 characters for the name."),
  location: z
    .string()
    .trim()
    .min(1, "Enter where the facility is, e.g. Luleå, Sweden.")
    .max(200, "Use at most 200 characters for the location."),
  countryCode: z.string().transform((text, ctx) => {
    const code = countryCode(text);
    if (!code) {
      ctx.addIssue({ code: "custom", message: "Enter the country as its 2-letter ISO code, e.g. SE for Sweden." });
      return z.NEVER;
    }
    return code;
  }),
  powerPrice: z.string().transform((text, ctx) => {
    const parsed = parsePowerPrice(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.value;
  }),
});
export type FacilityInput = z.output<typeof facilityInputSchema>;

export interface FacilitySaved {
  facilityId: string;
}

const nameTaken = (name: string) =>
  conflict("You already have a facility with this name.", { name: `You already have a facility named “${name}”.` });

export async function createFacility(
  prisma: PrismaClient,
  args: { operatorId: string; input: FacilityInput; ip?: string | null },
): Promise<OperatorResult<FacilitySaved>> {
  const { operatorId, input } = args;
  try {
    return await prisma.$transaction(async (tx) => {
      const facility = await tx.facility.create({
        data: {
          operatorId,
          name: input.name,
          location: input.location,
          countryCode: input.countryCode,
          powerPriceMicroUsdPerKwh: input.powerPrice,
        },
        select: { id: true },
      });
      await operatorAudit(tx, args, "facility.created", ["facility", facility.id], {
        name: input.name,
        location: input.location,
        countryCode: input.countryCode,
        powerPriceMicroUsdPerKwh: input.powerPrice.toString(),
      });
      return { ok: true as const, facilityId: facility.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(input.name);
    throw error;
  }
}

export async function updateFacility(
  prisma: PrismaClient,
  args: { operatorId: string; facilityId: string; input: FacilityInput; ip?: string | null },
): Promise<OperatorResult<FacilitySaved>> {
  const { operatorId, facilityId, input } = args;
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.facility.findFirst({ where: { id: facilityId, operatorId } });
      if (!before) return notFound("This facility");
      await tx.facility.update({
        where: { id: facilityId },
        data: {
          name: input.name,
          location: input.location,
          countryCode: input.countryCode,
          powerPriceMicroUsdPerKwh: input.powerPrice,
        },
      });
      await operatorAudit(tx, args, "facility.updated", ["facility", facilityId], {
        before: {
          name: before.name,
          location: before.location,
          countryCode: before.countryCode,
          powerPriceMicroUsdPerKwh: before.powerPriceMicroUsdPerKwh.toString(),
        },
        after: {
          name: input.name,
          location: input.location,
          countryCode: input.countryCode,
          powerPriceMicroUsdPerKwh: input.powerPrice.toString(),
        },
      });
      return { ok: true as const, facilityId };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(input.name);
    throw error;
  }
}

/** Form text for an existing facility. */
export function facilityFormValues(facility: {
  name: string;
  location: string;
  countryCode: string;
  powerPriceMicroUsdPerKwh: bigint;
}) {
  return {
    name: facility.name,
    location: facility.location,
    countryCode: facility.countryCode,
    powerPrice: microUsdText(facility.powerPriceMicroUsdPerKwh),
  };
}
