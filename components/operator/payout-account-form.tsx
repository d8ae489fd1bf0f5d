"use client";

// Links (or replaces) the Stripe Connect account payouts go to: its acct_ id and a fresh 2FA
// code, so a stolen password alone cannot redirect an operator's payouts.
import { useActionState } from "react";
import { ActionOutcome, OneTimeCodeField, TextField } from "@/components/form-fields";
import { fieldReaders, initialFormState, type FormState } from "@/components/forms/form-state";
import { Button } from "@/components/ui";

export function PayoutAccountForm({
  action,
  replacing,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  replacing: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState());
  const { field } = fieldReaders(state, {}, "payout-account-");
  return (
    <form action={formAction} className="grid max-w-md gap-4">
      <TextField
        {...field("stripeAccountId")}
        label="Stripe account id"
        hint="Starts with acct_: shown in your Stripe dashboard once onboarding is complete."
        autoComplete="off"
        spellCheck={false}
      />
      <OneTimeCodeField {...field("totpCode")} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant={replacing ? "secondary" : "primary"} disabled={pending} aria-busy={pending}>
          {pending ? "Checking with Stripe…" : replacing ? "Replace payout account" : "Link payout account"}
        </Button>
        <ActionOutcome state={state} wide />
      </div>
    </form>
  );
}
