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
// `path`, `run` and `done` as `args`. A core refusal of another shape is mapped in `run`
// (asResult/asRefusal); `refused` adds a form's extras to it. objectAction is the same steps
// for an action a client calls with an object; `authenticate` is the first step on its own.
//
// `twoFactor: "approve withdrawals"` marks an action that moves money or decides about it: right
// after the role check, lib/auth/two-factor-guard.ts refuses an account without 2FA, or a session
// signed in without a code, with "Turn on two-factor authentication to approve withdrawals." and
// `twoFactorRequired` (the form links to the 2FA settings); nothing is parsed or run. The marked
// actions are listed by twoFactorPurpose (lib/security/two-factor-actions.test.ts checks that
// every admin and operator action is marked or exempt with a reason).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { FormState, FormValues } from "@/components/forms/form-state";
import { requireRole, requireUser, type CurrentUser } from "@/lib/auth/session";
import { requireTwoFactor } from "@/lib/auth/two-factor-guard";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { requestIp } from "@/lib/http/next";
import { parseInput, refuse, type FieldErrors, type Refusal } from "@/lib/shared/result";

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

/** What a core answers: success with its data, or a refusal (possibly with extras of its own). */
export type Outcome = ({ ok: true } & object) | Refusal;
type Ok<O> = Extract<O, { ok: true }>;
type No<O> = Extract<O, { ok: false }>;

export interface DoneSpec<O, A extends unknown[], C> {
  /** Paths whose cached pages change. */
  revalidate?: string | readonly string[] | ((result: Ok<O>, args: A, ctx: C) => readonly string[]);
  /** Where to go on success (a redirect ends the action). */
  redirect?: string | ((result: Ok<O>, args: A, ctx: C) => string);
  /** The sentence shown on success when the action stays on the page. */
  message?: string | ((result: Ok<O>, args: A, ctx: C) => string);
}

export interface FormActionSpec<
  W extends ActionAudience,
  S extends z.ZodType,
  O extends Outcome,
  E extends object,
  A extends unknown[],
> {
  role: W;
  /** The page the action belongs to: sign-in comes back here. */
  path: string | ((...args: A) => string);
  /** The page when a field of the form names it (a hidden user id); overrides `path`. */
  pathOf?: (formData: FormData) => string;
  schema: S;
  /**
   * What the action does with money, as the refusal says it ("approve withdrawals"): the account
   * needs 2FA on and a session signed in with a code (lib/auth/two-factor-guard.ts). Not for "ANYONE".
   */
  twoFactor?: W extends "ANYONE" ? never : string;
  /** Reads the FormData into the object the schema validates; default: the schema's fields. */
  read?: FormReader;
  /** Fields never sent back to refill the form (passwords, codes). */
  secret?: readonly string[];
  /** The sentence above the field errors when the input is invalid (default: "Check the field marked below."). */
  invalidMessage?: (fieldErrors: FieldErrors) => string;
  /** Calls one core function; a refusal of another shape is mapped here (see asRefusal). */
  run: (ctx: ActionContext<W, z.output<S>, A>) => Promise<O>;
  /** Extras for the core's refusal (e.g. a link to turn 2FA on); revalidate here too if the refusal changed state. */
  refused?: (
    refusal: No<O>,
    ctx: ActionContext<W, z.output<S>, A>,
  ) => Partial<FormState<E>> | void | Promise<Partial<FormState<E>> | void>;
  done:
    | DoneSpec<O, A, ActionContext<W, z.output<S>, A>>
    | ((result: Ok<O>, ctx: ActionContext<W, z.output<S>, A>) => FormState<E> | Promise<FormState<E>>);
}

export type FormActionFn<E extends object, A extends unknown[]> = (
  ...params: [...A, FormState<E>, FormData]
) => Promise<FormState<E>>;

/** Unwraps optional/default/nullable/catch wrappers to the field's own schema. */
function fieldType(schema: z.ZodType): z.ZodType {
  let inner: z.ZodType = schema;
  while (
    inner instanceof z.ZodOptional ||
    inner instanceof z.ZodDefault ||
    inner instanceof z.ZodNullable ||
    inner instanceof z.ZodCatch
  ) {
    inner = inner.unwrap() as z.ZodType;
  }
  return inner;
}

/** The fields of an object schema (through pipes and refinements), each read as text, text[] or File. */
function schemaReader(schema: z.ZodType): FormReader {
  let shapeOwner: z.ZodType = schema;
  while (shapeOwner instanceof z.ZodPipe) shapeOwner = shapeOwner.in as z.ZodType;
  if (!(shapeOwner instanceof z.ZodObject))
    throw new Error("formAction: give `read` for a schema that is not an object");
  const fields = Object.entries(shapeOwner.shape as Record<string, z.ZodType>);
  return (formData) =>
    Object.fromEntries(
      fields.map(([name, field]) => {
        if (fieldType(field) instanceof z.ZodArray)
          return [name, formData.getAll(name).filter((v) => typeof v === "string")];
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

/**
 * The first step of every action: the session's user with the role asked for (anonymous ->
 * sign-in and back to `path`, wrong role -> 403), or null for "ANYONE".
 */
export async function authenticate(audience: Role | "USER", path: string): Promise<CurrentUser>;
export async function authenticate(audience: ActionAudience, path: string): Promise<CurrentUser | null>;
export async function authenticate(audience: ActionAudience, path: string): Promise<CurrentUser | null> {
  if (audience === "ANYONE") return null;
  if (audience === "USER") return requireUser(path);
  return requireRole(audience, path);
}

/** A refusal as a core may still spell it: one `field`, no code, optional field messages. */
export type RefusalLike = {
  ok: false;
  code?: string;
  message: string;
  field?: string | null;
  fieldErrors?: Partial<Record<string, string>>;
};

/** A refusal as a core may still spell it, as a Refusal. */
export function asRefusal(refusal: RefusalLike): Refusal {
  const given = Object.entries(refusal.fieldErrors ?? {}).filter(
    (e): e is [string, string] => typeof e[1] === "string",
  );
  const fieldErrors =
    given.length > 0 ? Object.fromEntries(given) : refusal.field ? { [refusal.field]: refusal.message } : undefined;
  return refuse(refusal.code ?? "REFUSED", refusal.message, fieldErrors);
}

/** A core's answer with its refusal as a Refusal (asRefusal), for `run`. */
export async function asResult<O extends { ok: true } | RefusalLike>(
  outcome: Promise<O>,
): Promise<Extract<O, { ok: true }> | Refusal> {
  const result = await outcome;
  return result.ok ? (result as Extract<O, { ok: true }>) : asRefusal(result as RefusalLike);
}

/** The sentence of a refusal with one field: that field's own message. */
export function firstFieldError(fieldErrors: FieldErrors): string {
  return Object.values(fieldErrors)[0] ?? "Check the field marked below.";
}

export function refusedState<E extends object>(
  refusal: Refusal,
  values: FormValues,
  extra?: Partial<FormState<E>> | void,
): FormState<E> {
  return {
    status: "error",
    message: refusal.message,
    fieldErrors: refusal.fieldErrors ?? {},
    values,
    ...extra,
  } as FormState<E>;
}

/** The answer of a success that stays on the page, for `done` functions. */
export function doneState<E extends object = object>(message?: string, extra?: Partial<FormState<E>>): FormState<E> {
  return { status: "done", fieldErrors: {}, values: {}, ...(message ? { message } : {}), ...extra } as FormState<E>;
}

/** Revalidates each path (for `done` functions that build their own answer). */
export function revalidate(...paths: string[]): void {
  for (const p of paths) revalidatePath(p);
}

type AnySpec<
  W extends ActionAudience,
  S extends z.ZodType,
  O extends Outcome,
  E extends object,
  A extends unknown[],
> = Omit<FormActionSpec<W, S, O, E, A>, "path" | "pathOf" | "read">;

/** Steps after authentication, shared by formAction and objectAction. */
async function perform<
  W extends ActionAudience,
  S extends z.ZodType,
  O extends Outcome,
  E extends object,
  A extends unknown[],
>(
  spec: AnySpec<W, S, O, E, A>,
  base: { user: UserFor<W>; args: A; formData: FormData; raw: Record<string, unknown> },
): Promise<FormState<E>> {
  const values = refillValues(base.raw, spec.secret ?? []);
  if (spec.twoFactor) {
    const user = base.user as CurrentUser;
    const guard = await requireTwoFactor(db(), {
      userId: user.id,
      via: { sessionId: user.sessionId },
      purpose: spec.twoFactor,
    });
    if (!guard.ok)
      return refusedState<E>(guard, values, { twoFactorRequired: true } as unknown as Partial<FormState<E>>);
  }
  const parsed = parseInput(spec.schema, base.raw);
  if (!parsed.ok) {
    const message = spec.invalidMessage ? spec.invalidMessage(parsed.fieldErrors ?? {}) : parsed.message;
    return refusedState<E>({ ...parsed, message }, values);
  }
  const ctx: ActionContext<W, z.output<S>, A> = {
    user: base.user,
    args: base.args,
    formData: base.formData,
    values,
    input: parsed.value,
    ip: await requestIp(),
  };
  const result = await spec.run(ctx);
  if (!result.ok) return refusedState<E>(result, values, await spec.refused?.(result as No<O>, ctx));
  const ok = result as Ok<O>;
  if (typeof spec.done === "function") return spec.done(ok, ctx);
  const { revalidate: paths, redirect: to, message } = spec.done;
  const args = ctx.args;
  for (const p of typeof paths === "function"
    ? paths(ok, args, ctx)
    : typeof paths === "string"
      ? [paths]
      : (paths ?? []))
    revalidatePath(p);
  if (to) redirect(typeof to === "function" ? to(ok, args, ctx) : to);
  return doneState<E>(typeof message === "function" ? message(ok, args, ctx) : message);
}

/** What each action marked `twoFactor` does with money ("approve withdrawals"), by the action. */
const TWO_FACTOR_PURPOSES = new WeakMap<object, string>();

/** The `twoFactor` purpose an action was declared with, or undefined (not guarded). */
export function twoFactorPurpose(action: unknown): string | undefined {
  return typeof action === "function" ? TWO_FACTOR_PURPOSES.get(action) : undefined;
}

function registered<F extends object>(action: F, purpose: string | undefined): F {
  if (purpose) TWO_FACTOR_PURPOSES.set(action, purpose);
  return action;
}

/**
 * A server action for `useActionState`: `(...boundArgs, state, formData)`. A button form that
 * sends no fields is one too (schema `z.object({})`); it may also be called with the state only.
 */
export function formAction<
  W extends ActionAudience,
  S extends z.ZodType,
  O extends Outcome,
  E extends object = object,
  A extends unknown[] = [],
>(spec: FormActionSpec<W, S, O, E, A>): FormActionFn<E, A> {
  const read = spec.read ?? schemaReader(spec.schema);
  return registered(async (...params: [...A, FormState<E>, FormData]) => {
    const last = params[params.length - 1];
    const formData = last instanceof FormData ? last : new FormData();
    const args = (last instanceof FormData ? params.slice(0, -2) : params.slice(0, -1)) as unknown as A;
    const path = spec.pathOf ? spec.pathOf(formData) : typeof spec.path === "function" ? spec.path(...args) : spec.path;
    const user = (await authenticate(spec.role, path)) as UserFor<W>;
    return perform(spec, { user, args, formData, raw: read(formData) });
  }, spec.twoFactor);
}

/**
 * The same steps for an action a client component calls with an object (it needs the answer
 * in its own code, e.g. to keep an idempotency key): `(input) => state`. Nothing is echoed back
 * to refill: the component keeps its own fields.
 */
export function objectAction<
  W extends ActionAudience,
  S extends z.ZodType,
  O extends Outcome,
  E extends object = object,
>(
  spec: Omit<FormActionSpec<W, S, O, E, []>, "path" | "pathOf" | "read" | "secret"> & { path: string },
): (input: z.input<S>) => Promise<FormState<E>> {
  return registered(async (input: z.input<S>) => {
    const user = (await authenticate(spec.role, spec.path)) as UserFor<W>;
    const raw = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
    const state = await perform(spec, { user, args: [], formData: new FormData(), raw });
    return { ...state, values: {} };
  }, spec.twoFactor);
}
