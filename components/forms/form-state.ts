// What every form's server action answers, shared by the actions (app/_lib/form-action.ts) and
// the client forms: a status, a sentence for the whole form, the message per field and the
// values to refill after a refusal. A form adds its own display-ready extras (recovery codes
// shown once, rows imported, lines of a run) as optional fields. Only text crosses to the
// browser: no BigInt, no dates, no database rows, and never a password or a 2FA code.
import type { FieldErrors } from "@/lib/shared/result";

export type FormValues = Record<string, string | string[]>;

export type FormState<Extra extends object = object> = {
  status: "idle" | "error" | "done";
  /** A sentence for the whole form: what went wrong, or what was done. */
  message?: string;
  fieldErrors: FieldErrors;
  /** What was submitted, to refill the fields after an error. */
  values: FormValues;
} & Extra;

/** The state before the first submit. Extras are optional, so it fits every form. */
export function initialFormState<Extra extends object = object>(): FormState<Extra> {
  return { status: "idle", fieldErrors: {}, values: {} } as FormState<Extra>;
}

/** The submitted value of a field after a refusal, else the initial one. */
export function fieldValue(state: FormState, initial: FormValues, name: string): string {
  const value = state.status === "error" && name in state.values ? state.values[name] : initial[name];
  return typeof value === "string" ? value : "";
}

/**
 * The value and error readers a form's fields use: the refill after a refusal, else the initial value.
 * `field(name)` is a field's whole binding (id `${idPrefix}${name}`, name, value to show, error), to
 * spread on a TextField or SelectField.
 */
export function fieldReaders(state: FormState, initial: FormValues, idPrefix = "") {
  const value = (name: string) => fieldValue(state, initial, name);
  const error = (name: string) => (state.status === "error" ? state.fieldErrors[name] : undefined);
  const field = (name: string) => ({ id: `${idPrefix}${name}`, name, defaultValue: value(name), error: error(name) });
  return { value, error, field };
}
