"use client";

// "Run reconciliation now": one button, its outcome announced beside it.
import { useActionState } from "react";
import { ActionOutcome } from "@/components/form-fields";
import { Button } from "@/components/ui";
import { initialRowActionState, type RowActionState } from "../wallet/withdrawal-types";

export function ReconcileForm({
  action,
}: {
  action: (state: RowActionState, formData: FormData) => Promise<RowActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, initialRowActionState);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
        {pending ? "Reconciling…" : "Run reconciliation now"}
      </Button>
      <ActionOutcome state={state} />
    </form>
  );
}
