"use client";

// The email switch of one optional kind of notice: a button with role="switch" whose aria-checked
// is the stored choice. Pressing it submits the opposite choice; the page re-renders with the
// stored value (so what the switch shows is always what is saved), and a refusal is announced.
import { useActionState } from "react";
import { initialFormState, type FormState } from "@/components/forms/form-state";

export function PreferenceSwitch({
  action,
  kind,
  label,
  email,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  kind: string;
  label: string;
  email: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState());
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="email" value={email ? "off" : "on"} />
      <button
        type="submit"
        role="switch"
        aria-checked={email}
        aria-label={`Email for “${label}”`}
        disabled={pending}
        aria-busy={pending}
        className="group inline-flex items-center gap-2 rounded-full text-sm font-medium text-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:opacity-60"
      >
        <span
          aria-hidden="true"
          className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors ${email ? "bg-brand-600" : "bg-slate-300"}`}
        >
          <span
            className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${email ? "translate-x-5" : "translate-x-0.5"}`}
          />
        </span>
        <span aria-hidden="true" className="w-7 text-left">
          {email ? "On" : "Off"}
        </span>
      </button>
      {state.status === "error" && state.message ? (
        <p role="alert" className="field-error">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
