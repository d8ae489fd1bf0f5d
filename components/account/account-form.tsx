"use client";

// The account pages' forms (verify, forgot and reset password, change email or password, resend a
// link): a few text fields, hidden values (a link's token), one button. Refusals show a summary
// linking to the fields and the message at each field; success shows the action's sentence
// (role="status") in place of the form when `doneReplacesForm`, so a used link's button is gone.
import { useActionState } from "react";
import { ErrorSummary, TextField } from "@/components/form-fields";
import { fieldReaders, initialFormState, type FormState } from "@/components/forms/form-state";
import { Button } from "@/components/ui";

export interface AccountField {
  name: string;
  label: string;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  hint?: string;
}

export function AccountForm({
  action,
  fields = [],
  hidden = {},
  submitLabel,
  pendingLabel = "Working…",
  doneReplacesForm = false,
  variant,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  fields?: AccountField[];
  hidden?: Record<string, string>;
  submitLabel: string;
  pendingLabel?: string;
  doneReplacesForm?: boolean;
  variant?: "secondary";
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState());
  const { field } = fieldReaders(state, {});
  const done =
    state.status === "done" && state.message ? (
      <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-800">
        {state.message}
      </p>
    ) : null;
  if (done && doneReplacesForm) return done;
  const fieldItems = fields.flatMap((f) =>
    state.status === "error" && state.fieldErrors[f.name] ? [{ fieldId: f.name, message: f.label }] : [],
  );
  const formError = state.status === "error" && fieldItems.length === 0 ? state.message : undefined;
  return (
    <form action={formAction} noValidate className="space-y-5">
      {done}
      <ErrorSummary title="Check this and try again:" items={fieldItems} />
      {formError ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          {formError}
        </p>
      ) : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((f) => (
        <TextField
          key={f.name}
          {...field(f.name)}
          label={f.label}
          hint={f.hint}
          type={f.type ?? "text"}
          autoComplete={f.autoComplete}
          spellCheck={false}
          required
        />
      ))}
      <Button type="submit" disabled={pending} aria-busy={pending} variant={variant}>
        {pending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}
