// The one way to write a server action behind a form, the counterpart of lib/api/handler.ts for
// routes. In order: authenticate and check the role (anonymous -> sign-in and back, wrong role ->
// 403) -> read the FormData into an object -> validate it with zod (field errors and the values
// to refill) -> read the client IP -> call one core function (one transaction, its own audit
// line) -> map its refusal to the form state, or revalidate/redirect/answer on success. The
// identity always comes from the session, never from the form. Only unexpected failures throw.
//
//   export const createFacilityAction = formAction({
//     role: "OPERATOR",
//     path: "/operator/facilities/new",
//     schema: facilityInputSchema,
//     run: ({ user, ip, input }) => createFacility(db(), { operatorId: user.id, input, ip }),
//     done: { revalidate: "/operator", redirect: "/operator?notice=facility-created" },
//   });
//
// Bound arguments (`action.bind(null, rigId)`) come before the state and the FormData and reach
// `path`, `run` and `done` as `args`.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { FormState, FormValues } from "@/components/forms/form-state";
import { requireRole, requireUser, type CurrentUser } from "@/lib/auth/session";
import type { Role } from "@/lib/generated/prisma/enums";
import { requestIp } from "@/lib/http/next";
import { parseInput, type FieldErrors, type Refusal, type Result } from "@/lib/shared/result";

/** A role, any signed-in account ("USER"), or no session at all ("ANYONE": sign-up). */
export type ActionAudience = Role | "USER" | "ANYONE";
type UserFor<W extends ActionAudience> = W extends "ANYONE" ? null : CurrentUser;

export interface ActionContext<W extends ActionAudience, I, A extends unknown[]> {
  user: UserFor<W>;
  ip: string | null;
  input: I;
  args: A;
  formData: FormData;
  /** What was submitted, as it refills the form (secret fields left out). */
  values: FormValues;
}

/** Reads what the schema does not: several rows of one sheet, names only known at run time. */
export type FormReader = (formData: FormData) => Record<string, unknown>;

type Ok<T> = { ok: true } & T;

export interface DoneSpec<T, A extends unknown[]> {
  /** Paths whose cached pages change. */
  revalidate?: string | readonly string[] | ((result: Ok<T>, args: A) => readonly string[]);
  /** Where to go on success (a redirect ends the action). */
  redirect?: string | ((result: Ok<T>, args: A) => string);
  /** The sentence shown on success when the action stays on the page. */
  message?: string | ((result: Ok<T>, args: A) => string);
}

export interface FormActionSpec<W extends ActionAudience, S extends z.ZodType, T extends object, E extends object, A extends unknown[]> {
  role: W;
  /** The page the action belongs to: sign-in comes back here. */
  path: string | ((...args: A) => string);
  schema: S;
  /** Reads the FormData into the object the schema validates; default: the schema's fields. */
  read?: FormReader;
  /** Fields never sent back to refill the form (passwords, codes). */
  secret?: readonly string[];
  /** The sentence above the field errors when the input is invalid (default: "Check the field marked below."). */
  invalidMessage?: (fieldErrors: FieldErrors) => string;
  run: (ctx: ActionContext<W, z.output<S>, A>) => Promise<Result<T>>;
  /** Extras for a refusal's form state (e.g. a link to turn 2FA on); revalidate here too if the refusal changed state. */
  refused?: (refusal: Refusal, ctx: ActionContext<W, z.output<S>, A>) => Partial<FormState<E>> | void;
  done: DoneSpec<T, A> | ((result: Ok<T>, ctx: ActionContext<W, z.output<S>, A>) => FormState<E> | Promise<FormState<E>>);
}

export type FormActionFn<E extends object, A extends unknown[]> = (...params: [...A, FormState<E>, FormData]) => Promise<FormState<E>>;

/** Unwraps optional/default/nullable wrappers to the field's own schema. */
function fieldType(schema: z.ZodType): z.ZodType {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) {
    inner = inner.unwrap() as z.ZodType;
  }
  return inner;
}

/** The fields of an object schema (through pipes and refinements), each read as text, text[] or File. */
function schemaReader(schema: z.ZodType): FormReader {
  let shapeOwner: z.ZodType = schema;
  while (shapeOwner instanceof z.ZodPipe) shapeOwner = shapeOwner.in as z.ZodType;
  if (!(shapeOwner instanceof z.ZodObject)) throw new Error("formAction: give `read` for a schema that is not an object");
  const fields = Object.entries(shapeOwner.shape as Record<string, z.ZodType>);
  return (formData) =>
    Object.fromEntries(
      fields.map(([name, field]) => {
        if (fieldType(field) instanceof z.ZodArray) return [name, formData.getAll(name).filter((v) => typeof v === "string")];
        const value = formData.get(name);
        return [name, value instanceof File ? value : typeof value === "string" ? value : ""];
      }),
    );
}

/** What refills the form: the text fields as submitted, without the secret ones. */
function refillValues(raw: Record<string, unknown>, secret: readonly string[]): FormValues {
  const values: FormValues = {};
  for (const [name, value] of Object.entries(raw)) {
    if (secret.includes(name)) continue;
    if (typeof value === "string") values[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) values[name] = value;
  }
  return values;
}

async function signedIn(audience: ActionAudience, path: string): Promise<CurrentUser | null> {
  if (audience === "ANYONE") return null;
  if (audience === "USER") return requireUser(path);
  return requireRole(audience, path);
}

export function refusedState<E extends object>(refusal: Refusal, values: FormValues, extra?: Partial<FormState<E>> | void): FormState<E> {
  return { status: "error", message: refusal.message, fieldErrors: refusal.fieldErrors ?? {}, values, ...extra } as FormState<E>;
}

export function formAction<W extends ActionAudience, S extends z.ZodType, T extends object, E extends object = object, A extends unknown[] = []>(
  spec: FormActionSpec<W, S, T, E, A>,
): FormActionFn<E, A> {
  const read = spec.read ?? schemaReader(spec.schema);
  const secret = spec.secret ?? [];
  return async (...params: [...A, FormState<E>, FormData]) => {
    const formData = params[params.length - 1] as FormData;
    const args = params.slice(0, -2) as unknown as A;
    const path = typeof spec.path === "function" ? spec.path(...args) : spec.path;
    const user = (await signedIn(spec.role, path)) as UserFor<W>;
    const raw = formData instanceof FormData ? read(formData) : {};
    const values = refillValues(raw, secret);
    const parsed = parseInput(spec.schema, raw);
    const base = { user, args, formData, values, ip: null as string | null };
    if (!parsed.ok) {
      const message = spec.invalidMessage ? spec.invalidMessage(parsed.fieldErrors ?? {}) : parsed.message;
      return refusedState<E>({ ...parsed, message }, values, spec.refused?.(parsed, { ...base, input: undefined as z.output<S> }));
    }
    const ctx: ActionContext<W, z.output<S>, A> = { ...base, input: parsed.value, ip: await requestIp() };
    const result = await spec.run(ctx);
    if (!result.ok) return refusedState<E>(result, values, spec.refused?.(result, ctx));
    const ok = result as Ok<T>;
    if (typeof spec.done === "function") return spec.done(ok, ctx);
    const { revalidate, redirect: to, message } = spec.done;
    const paths = typeof revalidate === "function" ? revalidate(ok, args) : typeof revalidate === "string" ? [revalidate] : (revalidate ?? []);
    for (const p of paths) revalidatePath(p);
    if (to) redirect(typeof to === "function" ? to(ok, args) : to);
    const sentence = typeof message === "function" ? message(ok, args) : message;
    return { status: "done", fieldErrors: {}, values: {}, ...(sentence ? { message: sentence } : {}) } as FormState<E>;
  };
}

/** Revalidates each path (for `done` functions that build their own answer). */
export function revalidate(...paths: string[]): void {
  for (const p of paths) revalidatePath(p);
}
