"use client";

// The payout request: amount and a fresh 2FA code. The Idempotency-Key is the page's (drawn at
// render), so a double submit of this form is one payout; a new key comes with the next render.
import { useActionState } from "react";
import { ActionOutcome, DECIMAL_INPUT, OneTimeCodeField, TextField } from "@/components/form-fields";
import { fieldReaders, initialFormState, type FormState } from "@/components/forms/form-state";
import { Button } from "@/components/ui";

export function PayoutForm({
  action,
  idempotencyKey,
  availableText,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  idempotencyKey: string;
  availableText: string;
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState());
  const { field } = fieldReaders(state, {}, "payout-");
  return (
    <form action={formAction} className="grid max-w-md gap-4">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <TextField {...field("amount")} label="Amount (USD)" hint={`Available: ${availableText}`} {...DECIMAL_INPUT} />
      <OneTimeCodeField {...field("totpCode")} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Requesting…" : "Request payout"}
        </Button>
        <ActionOutcome state={state} wide />
      </div>
    </form>
  );
}
