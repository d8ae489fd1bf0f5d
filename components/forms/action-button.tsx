"use client";

// One button that runs one server action (mark a notice read, mark all read, clear the phrase):
// the hidden fields it sends, and the sentence it answers announced beside it (role="status" on
// success, role="alert" on a refusal).
import { useActionState, type ReactNode } from "react";
import { ActionOutcome } from "@/components/form-fields";
import { initialFormState, type FormState } from "@/components/forms/form-state";
import { Button, type ButtonVariant } from "@/components/ui";

export function ActionButton({
  action,
  hidden = {},
  children,
  pendingLabel = "Working…",
  variant = "secondary",
  className,
  label,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  hidden?: Record<string, string>;
  children: ReactNode;
  pendingLabel?: string;
  variant?: ButtonVariant;
  className?: string;
  /** The button's accessible name where the visible text alone is ambiguous (it starts with it). */
  label?: string;
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState());
  return (
    <form action={formAction} className={className ?? "flex flex-wrap items-center gap-2"}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" size="sm" variant={variant} disabled={pending} aria-busy={pending} aria-label={label}>
        {pending ? pendingLabel : children}
      </Button>
      <ActionOutcome state={state} />
    </form>
  );
}
