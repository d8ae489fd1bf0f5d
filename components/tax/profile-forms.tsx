"use client";

// The year's tax profile: hobby or business (a radio group saved by a server action), and
// locking the year (final; a checkbox confirms it). Refusals are announced beside the form.
import { useActionState, useId } from "react";
import { Button } from "@/components/ui";
import { initialTaxFormState, type TaxFormState } from "./form-state";

type Action = (state: TaxFormState, formData: FormData) => Promise<TaxFormState>;

const KINDS = [
  {
    value: "HOBBY",
    label: "Hobby",
    help: "Mining income is other income (Schedule 1); fees and contract costs are not deductible.",
  },
  {
    value: "BUSINESS",
    label: "Business",
    help: "Schedule C: income less fees and amortised contract costs; net profit bears self-employment tax.",
  },
] as const;

function Message({ state, id }: { state: TaxFormState; id: string }) {
  return (
    <p id={id} role="status" aria-live="polite" className={state.status === "error" ? "field-error" : "hint"}>
      {state.message ?? ""}
    </p>
  );
}

export function ProfileKindForm({ action, year, kind }: { action: Action; year: number; kind: "HOBBY" | "BUSINESS" }) {
  const [state, formAction, pending] = useActionState(action, initialTaxFormState);
  const id = useId();
  return (
    <form action={formAction} className="space-y-3" aria-describedby={`${id}-message`}>
      <input type="hidden" name="year" value={year} />
      <fieldset>
        <legend className="label">Profile for {year}</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {KINDS.map((k) => (
            <label
              key={k.value}
              className="card flex cursor-pointer gap-3 p-3 has-[:checked]:border-brand-600 has-[:checked]:ring-1 has-[:checked]:ring-brand-600"
            >
              <input type="radio" name="kind" value={k.value} defaultChecked={kind === k.value} className="mt-1" />
              <span>
                <span className="block font-medium text-slate-900">{k.label}</span>
                <span className="block text-sm text-slate-600">{k.help}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save profile"}
        </Button>
        <Message state={state} id={`${id}-message`} />
      </div>
    </form>
  );
}

export function LockYearForm({ action, year, kind }: { action: Action; year: number; kind: "HOBBY" | "BUSINESS" }) {
  const [state, formAction, pending] = useActionState(action, initialTaxFormState);
  const id = useId();
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="year" value={year} />
      <input type="hidden" name="kind" value={kind} />
      <label className="flex items-start gap-2 text-sm text-slate-800">
        <input
          type="checkbox"
          name="confirm"
          value="yes"
          required
          className="mt-0.5"
          aria-invalid={state.fieldErrors.confirm ? true : undefined}
          aria-describedby={`${id}-message`}
        />
        <span>
          Lock {year} as <strong>{kind === "BUSINESS" ? "business" : "hobby"}</strong>. Locking is final: the profile of{" "}
          {year} can no longer change.
        </span>
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Locking…" : `Lock ${year}`}
        </Button>
        <Message state={state} id={`${id}-message`} />
      </div>
    </form>
  );
}
