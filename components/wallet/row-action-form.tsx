"use client";

// One action on one row (cancel a withdrawal, approve, reject with a reason, mark sent with a
// txid, freeze): a small form whose refusal or result is announced beside it.
import { useActionState } from "react";
import { TwoFactorNote, useTwoFactorGate } from "@/components/auth/two-factor-gate";
import { ActionOutcome } from "../form-fields";
import { Button } from "../ui";
import { initialRowActionState, type RowActionState } from "./withdrawal-types";

type Action = (state: RowActionState, formData: FormData) => Promise<RowActionState>;

export interface RowActionField {
  name: string;
  label: string;
  placeholder?: string;
  /** Long text (a reason) gets a wider input. */
  wide?: boolean;
}

export function RowActionForm({
  action,
  hidden,
  submitLabel,
  pendingLabel,
  fields = [],
  tone = "primary",
  idPrefix,
}: {
  action: Action;
  hidden: Record<string, string>;
  submitLabel: string;
  pendingLabel: string;
  fields?: RowActionField[];
  tone?: "primary" | "secondary" | "danger";
  /** Unique per row and action, for the input's id. */
  idPrefix: string;
}) {
  const [state, formAction, pending] = useActionState(action, initialRowActionState);
  const gate = useTwoFactorGate();
  const messageId = `${idPrefix}-message`;
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) => (
        <div key={field.name} className={field.wide ? "min-w-[16rem] flex-1" : "min-w-[12rem] flex-1"}>
          <label htmlFor={`${idPrefix}-${field.name}`} className="label text-xs">
            {field.label}
          </label>
          <input
            id={`${idPrefix}-${field.name}`}
            name={field.name}
            className="input mt-1"
            placeholder={field.placeholder}
            autoComplete="off"
            required
            aria-invalid={state.status === "error" ? true : undefined}
            aria-describedby={state.message ? messageId : undefined}
          />
        </div>
      ))}
      <Button
        type="submit"
        variant={tone}
        className="px-3 py-1.5 text-sm"
        disabled={pending || gate.blocked}
        aria-busy={pending}
        aria-describedby={gate.describedBy}
      >
        {pending ? pendingLabel : submitLabel}
      </Button>
      <TwoFactorNote />
      <ActionOutcome state={state} id={messageId} wide />
    </form>
  );
}
