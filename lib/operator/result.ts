// What every operator core function answers: success with its data, or a refusal the form
// can show (a message and, where it belongs to a field, the field's message). Refusals never
// say whether another operator's object exists: someone else's rig is simply "not found".
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type Refusal = {
  ok: false;
  code: "NOT_FOUND" | "INVALID" | "CONFLICT";
  message: string;
  fieldErrors?: FieldErrors;
};

export type OperatorResult<T extends object = object> = ({ ok: true } & T) | Refusal;

export function notFound(what: string): Refusal {
  return { ok: false, code: "NOT_FOUND", message: `${what} was not found among yours.` };
}

export function invalid(message: string, fieldErrors?: FieldErrors): Refusal {
  return { ok: false, code: "INVALID", message, ...(fieldErrors ? { fieldErrors } : {}) };
}

export function conflict(message: string, fieldErrors?: FieldErrors): Refusal {
  return { ok: false, code: "CONFLICT", message, ...(fieldErrors ? { fieldErrors } : {}) };
}

/** The first message per field of a failed zod parse; form-level issues under "form". */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Parses raw form input; a refusal listing every bad field, or the typed value. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): { ok: true; value: z.output<S> } | Refusal {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fieldErrors = zodFieldErrors(parsed.error);
  const count = Object.keys(fieldErrors).length;
  return invalid(count === 1 ? "Check the field marked below." : `Check the ${count} fields marked below.`, fieldErrors);
}

/** Prisma's unique-constraint violation (P2002), whatever adapter raised it. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; cause?: { code?: unknown }; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return e.code === "P2002" || e.code === "23505" || e.cause?.code === "23505" || e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}

/**
 * Runs `transaction` (one whole database transaction) again when PostgreSQL picked it as a
 * deadlock's victim: it was rolled back whole, so nothing of the attempt remains. Other errors,
 * and a deadlock on the last attempt, are thrown.
 */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error;
    }
  }
}

/**
 * PostgreSQL gave up one of two transactions that waited on each other (40P01); retrying is safe.
 * Prisma reports it inside an interactive transaction as P2034 ("TransactionWriteConflict").
 */
export function isDeadlock(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  return (
    e.code === "40P01" ||
    e.code === "P2034" ||
    e.cause?.code === "40P01" ||
    (typeof e.message === "string" && e.message.includes("deadlock detected"))
  );
}
