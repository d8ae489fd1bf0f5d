"use client";

import { useActionState } from "react";
import { ErrorSummary } from "../form-fields";
import { Button } from "../ui";
import { initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

/** Publish or unpublish a listing; the answer is announced next to the button. */
export function PublishForm({ action, published }: { action: Action; published: boolean }) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  return (
    <div>
      <form action={formAction}>
        <input type="hidden" name="publish" value={published ? "no" : "yes"} />
        <Button type="submit" variant={published ? "secondary" : "primary"} disabled={pending}>
          {pending ? (published ? "Unpublishing…" : "Publishing…") : published ? "Unpublish" : "Publish"}
        </Button>
      </form>
      <div className="mt-3 max-w-md">
        {state.status === "error" ? (
          <ErrorSummary title="Not changed" items={[{ message: state.message ?? "Try again." }]} />
        ) : null}
        {state.status === "done" ? (
          <p role="status" className="text-sm font-medium text-emerald-800">
            {state.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
