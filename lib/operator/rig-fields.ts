// What a rig is made of, validated the same way whether it comes from the form or from a
// CSV row: model, serial number, algorithm, nominal hashrate in a unit, power draw, status.
import { z } from "zod";
import { Algorithm, RigStatus } from "../generated/prisma/enums";
import { HASHRATE_UNIT_LABELS, hashrateUnit, parseHashrateInUnit } from "./units";

export const ALGORITHMS = Object.values(Algorithm) as Algorithm[];
export const RIG_STATUSES = Object.values(RigStatus) as RigStatus[];
/** A rig enters the inventory in one of these; RETIRED only ever follows service. */
export const NEW_RIG_STATUSES = ["ACTIVE", "MAINTENANCE", "OFFLINE"] as const satisfies readonly RigStatus[];
export const MAX_POWER_W = 1_000_000;

/** "SHA-256", "sha256", "kHeavyHash", "Random X" -> the enum value; null otherwise. */
export function algorithmFromText(text: string): Algorithm | null {
  const key = text
    .trim()
    .toUpperCase()
    .replace(/[\s_-]/g, "");
  return ALGORITHMS.find((a) => a === key) ?? null;
}

const text = (what: string, max: number) =>
  z
    .string({ error: `Enter the ${what}.` })
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(max, `Use at most ${max} characters for the ${what}.`)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, `The ${what} contains characters that cannot be printed.`);

const algorithm = z.string({ error: "Choose the algorithm." }).transform((value, ctx) => {
  const parsed = algorithmFromText(value);
  if (!parsed) {
    ctx.addIssue({ code: "custom", message: "Choose the algorithm: SHA256, SCRYPT, KHEAVYHASH, ETCHASH or RANDOMX." });
    return z.NEVER;
  }
  return parsed;
});

const powerW = z.string({ error: "Enter the power draw in watts." }).transform((value, ctx) => {
  const trimmed = value.trim();
  if (!/^\d{1,7}$/.test(trimmed)) {
    ctx.addIssue({ code: "custom", message: "Enter the power draw as a whole number of watts, e.g. 3510." });
    return z.NEVER;
  }
  const watts = Number(trimmed);
  if (watts < 1 || watts > MAX_POWER_W) {
    ctx.addIssue({
      code: "custom",
      message: `The power draw must be between 1 and ${MAX_POWER_W.toLocaleString("en-US")} W.`,
    });
    return z.NEVER;
  }
  return watts;
});

const newStatus = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const status = (value ?? "").trim().toUpperCase();
    if (status === "") return "ACTIVE" as const;
    const allowed = NEW_RIG_STATUSES.find((s) => s === status);
    if (!allowed) {
      ctx.addIssue({
        code: "custom",
        message:
          status === "RETIRED"
            ? "A new rig cannot start out retired."
            : "Choose the status: ACTIVE, MAINTENANCE or OFFLINE.",
      });
      return z.NEVER;
    }
    return allowed;
  });

const hashrateUnitField = z.string({ error: "Choose the hashrate unit." }).transform((value, ctx) => {
  const unit = hashrateUnit(value);
  if (!unit) {
    ctx.addIssue({ code: "custom", message: `Choose the hashrate unit: ${HASHRATE_UNIT_LABELS.join(", ")}.` });
    return z.NEVER;
  }
  return unit.label;
});

const rigSpecShape = {
  model: text("model", 100),
  serialNumber: text("serial number", 100),
  algorithm,
  nominalHashrate: z.string({ error: "Enter the nominal hashrate." }),
  hashrateUnit: hashrateUnitField,
  powerW,
};

export const rigSpecSchema = z.object(rigSpecShape);
export const newRigSchema = z.object({
  ...rigSpecShape,
  facilityId: z.uuid({ error: "Choose the facility." }),
  status: newStatus,
});
export const rigEditSchema = z.object({ ...rigSpecShape, facilityId: z.uuid({ error: "Choose the facility." }) });

type WithHashrateHs<T> = Omit<T, "nominalHashrate"> & { nominalHashrateHs: bigint };
export type RigSpec = WithHashrateHs<z.output<typeof rigSpecSchema>>;
export type NewRigInput = WithHashrateHs<z.output<typeof newRigSchema>>;
export type RigEditInput = WithHashrateHs<z.output<typeof rigEditSchema>>;

/**
 * Parses a rig's fields with one of the schemas above and the nominal hashrate in its unit
 * to exact H/s. Every bad field is reported at once, the hashrate too whenever its unit is
 * readable (a zod transform would only run once all other fields are fine).
 */
export function parseRigFields<S extends typeof rigSpecSchema | typeof newRigSchema | typeof rigEditSchema>(
  schema: S,
  raw: Record<string, unknown>,
): { ok: true; value: WithHashrateHs<z.output<S>> } | { ok: false; fieldErrors: Record<string, string> } {
  const parsed = schema.safeParse(raw);
  const fieldErrors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
  }
  let nominalHashrateHs: bigint | null = null;
  const unit = typeof raw.hashrateUnit === "string" ? hashrateUnit(raw.hashrateUnit) : null;
  if (unit && !fieldErrors.nominalHashrate) {
    const hashrate = parseHashrateInUnit(
      typeof raw.nominalHashrate === "string" ? raw.nominalHashrate : "",
      unit.label,
    );
    if (hashrate.ok) nominalHashrateHs = hashrate.value;
    else fieldErrors.nominalHashrate = hashrate.message;
  }
  if (!parsed.success || nominalHashrateHs === null) return { ok: false, fieldErrors };
  const { nominalHashrate: _text, ...rest } = parsed.data;
  return { ok: true, value: { ...rest, nominalHashrateHs } as WithHashrateHs<z.output<S>> };
}

export const rigStatusSchema = z.object({
  status: z.enum(RIG_STATUSES, { error: "Choose a status." }),
});

/** The CSV's status column: empty means ACTIVE. */
export const csvStatusSchema = newStatus;
