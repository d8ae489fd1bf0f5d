// What every core function in lib/ answers: success with its data, or a refusal a form or an API
// edge can show. One shape everywhere: `{ ok: false, code, message, fieldErrors? }`. The code is a
// word of the domain ("NOT_FOUND", "INSUFFICIENT_BALANCE", ...); the HTTP status for it is chosen
// at the API edge from one table (lib/api/error-codes.ts), never inside lib/. Refusals are
// returned, not thrown, and never say whether someone else's object exists.
import type { z } from "zod";

/** The first message per field; form-level messages under "form". */
export type FieldErrors = Record<string, string>;

export type Refusal<C extends string = string> = {
  ok: false;
  code: C;
  message: string;
  fieldErrors?: FieldErrors;
};

/** Success with its data (spread beside `ok: true`), or a refusal. */
export type Result<T extends object = object, C extends string = string> = ({ ok: true } & T) | Refusal<C>;

export function refuse<C extends string>(code: C, message: string, fieldErrors?: FieldErrors): Refusal<C> {
  return { ok: false, code, message, ...(fieldErrors && Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}) };
}

/** A refusal about one field: the message is shown at the form's top and beside the field. */
export function refuseField<C extends string>(code: C, field: string, message: string): Refusal<C> {
  return refuse(code, message, { [field]: message });
}

export function notFound(what: string): Refusal<"NOT_FOUND"> {
  return refuse("NOT_FOUND", `${what} was not found among yours.`);
}

export function invalid(message: string, fieldErrors?: FieldErrors): Refusal<"INVALID"> {
  return refuse("INVALID", message, fieldErrors);
}

export function conflict(message: string, fieldErrors?: FieldErrors): Refusal<"CONFLICT"> {
  return refuse("CONFLICT", message, fieldErrors);
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

/** Parses raw input; a refusal listing every bad field, or the typed value. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { ok: true; value: z.output<S> } | Refusal<"INVALID"> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fieldErrors = zodFieldErrors(parsed.error);
  const count = Object.keys(fieldErrors).length;
  return invalid(
    count === 1 ? "Check the field marked below." : `Check the ${count} fields marked below.`,
    fieldErrors,
  );
}
