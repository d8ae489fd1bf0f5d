"use client";

// The anti-phishing phrase form of /settings/security: the current phrase prefilled, saved with
// the Save button; a refusal (too short, too long) is shown at the field with what was typed.
// Clearing it is its own button beside (ActionButton), so an empty submit is never a surprise.
import { useActionState } from "react";
import { ErrorSummary, TextField } from "@/components/form-fields";
import { fieldReaders, initialFormState, type FormState } from "@/components/forms/form-state";
import { Button } from "@/components/ui";

export function PhraseForm({
  action,
  current,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  current: string | null;
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState());
  const { field } = fieldReaders(state, { phrase: current ?? "" });
  return (
    <form action={formAction} noValidate className="space-y-5">
      {state.status === "done" && state.message ? (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-800">
          {state.message}
        </p>
      ) : null}
      <ErrorSummary
        title="Check this and try again:"
        items={state.status === "error" ? [{ fieldId: "phrase", message: "Anti-phishing phrase" }] : []}
      />
      <TextField
        key={current ?? ""}
        {...field("phrase")}
        label="Anti-phishing phrase"
        hint="4 to 40 characters, e.g. “purple otter 7”. Choose words only you would pick; never a password."
        autoComplete="off"
        spellCheck={false}
        maxLength={80}
      />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : current ? "Change phrase" : "Set phrase"}
      </Button>
    </form>
  );
}
