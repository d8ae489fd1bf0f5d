"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui";
import { Notice, TextField } from "../form-fields";
import { FormErrors, SelectField } from "../operator/fields";
import { initialAddressBookState, type AddressBookFormState } from "./address-book-state";

type Action = (state: AddressBookFormState, formData: FormData) => Promise<AddressBookFormState>;

const FIELDS = [
  { name: "coin", label: "Coin" },
  { name: "address", label: "Address" },
  { name: "label", label: "Label" },
  { name: "totpCode", label: "Authenticator code" },
];

export interface CoinOption {
  value: string;
  label: string;
  /** What a mainnet address of the coin looks like. */
  shape: string;
}

export function AddAddressForm({
  action,
  coins,
  twoFactorPath,
}: {
  action: Action;
  coins: CoinOption[];
  twoFactorPath: string;
}) {
  const [state, formAction, pending] = useActionState(action, initialAddressBookState);
  const [coin, setCoin] = useState(coins[0]?.value ?? "");
  const value = (name: string) => (state.status === "error" ? (state.values[name] ?? "") : "");
  const error = (name: string) => (state.status === "error" ? state.fieldErrors[name] : undefined);
  const shape = coins.find((c) => c.value === coin)?.shape;
  return (
    <form action={formAction} noValidate className="card p-6 sm:p-8" aria-labelledby="add-address-title">
      <h2 id="add-address-title" className="mb-4 text-lg font-semibold text-slate-900">
        Add an address
      </h2>
      {state.status === "done" && state.message ? <Notice>{state.message}</Notice> : null}
      <FormErrors state={state} fields={FIELDS} />
      {state.status === "error" && state.twoFactorRequired ? (
        <p className="mb-4 text-sm">
          <Link href={twoFactorPath} className="link">
            Set up two-factor authentication
          </Link>
        </p>
      ) : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField
          id="coin"
          name="coin"
          label="Coin"
          options={coins.map((c) => ({ value: c.value, label: c.label }))}
          value={coin}
          onChange={(event) => setCoin(event.target.value)}
          error={error("coin")}
        />
        <TextField
          id="label"
          name="label"
          label="Label"
          hint="Your name for it, e.g. Ledger cold wallet."
          required
          maxLength={60}
          autoComplete="off"
          defaultValue={value("label")}
          error={error("label")}
        />
        <TextField
          id="address"
          name="address"
          label="Address"
          hint={shape ? `Mainnet only; it ${shape}. Paste it from your wallet: its checksum is verified.` : undefined}
          required
          maxLength={200}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          className="sm:col-span-2 [&_input]:font-mono"
          defaultValue={value("address")}
          error={error("address")}
        />
        <TextField
          id="totpCode"
          name="totpCode"
          label="Authenticator code"
          hint="The current 6-digit code from your authenticator app."
          required
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          className="sm:max-w-xs"
          error={error("totpCode")}
        />
      </div>
      <p className="mt-5 text-sm text-slate-600">A new address can receive withdrawals 48 hours after you add it.</p>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add address"}
        </Button>
      </div>
    </form>
  );
}
