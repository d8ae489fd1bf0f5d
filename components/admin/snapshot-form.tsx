"use client";

import { useActionState } from "react";
import { TwoFactorNote, useTwoFactorGate } from "@/components/auth/two-factor-gate";
import { Button } from "@/components/ui";
import { Notice, TextField } from "../form-fields";
import { FormErrors, SelectField } from "../operator/fields";
import { fieldValue } from "../operator/form-state";
import { initialAdminFormState, type AdminFormState } from "./form-state";

type Action = (state: AdminFormState, formData: FormData) => Promise<AdminFormState>;

const UNITS = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"];

/** Enter or correct one coin-day. The coin is fixed by the page (its tab). */
export function SnapshotForm({
  action,
  coin,
  difficultyBased,
  initial,
  today,
}: {
  action: Action;
  coin: string;
  difficultyBased: boolean;
  initial: Record<string, string>;
  today: string;
}) {
  const [state, formAction, pending] = useActionState(action, initialAdminFormState);
  const gate = useTwoFactorGate();
  const value = (name: string) => fieldValue(state, initial, name);
  const error = (name: string) => (state.status === "error" ? state.fieldErrors[name] : undefined);
  const fields = [
    { name: "day", label: "Day" },
    difficultyBased
      ? { name: "difficulty", label: "Difficulty" }
      : { name: "networkHashrate", label: "Network hashrate" },
    ...(difficultyBased ? [] : [{ name: "hashrateUnit", label: "Unit" }]),
    { name: "blockTime", label: "Target block time" },
    { name: "blockSubsidy", label: "Block subsidy" },
    { name: "avgFees", label: "Average fees per block" },
    { name: "price", label: "Price" },
    { name: "source", label: "Source" },
  ].map((f) => ({ ...f, fieldId: `snapshot-${f.name}` }));
  /** The id, name, value and error of the field `name`. */
  const bind = (name: string) => ({ id: `snapshot-${name}`, name, defaultValue: value(name), error: error(name) });
  const decimalFields = [
    {
      name: "blockTime",
      label: "Target block time (seconds)",
      hint: "Up to 3 decimals, e.g. 600 for Bitcoin, 0.1 for Kaspa.",
    },
    { name: "blockSubsidy", label: `Block subsidy (${coin})`, hint: `Whole ${coin} per block, e.g. 3.125.` },
    { name: "avgFees", label: `Average fees per block (${coin})`, hint: "The day's average; 0 is allowed." },
    {
      name: "price",
      label: `Price (USD per ${coin})`,
      hint: "Up to 6 decimals; thousands commas are fine, e.g. 97,250.12.",
    },
  ];

  return (
    // The key resets the fields when the page switches to another coin or day.
    <form key={`${coin}-${initial.day}`} action={formAction} noValidate className="card p-6 sm:p-8">
      <FormErrors state={state} fields={fields} />
      {state.status === "done" && state.message ? <Notice>{state.message}</Notice> : null}
      {state.status === "done" && state.warning ? (
        <div role="alert" className="mb-6 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          {state.warning}
        </div>
      ) : null}
      <input type="hidden" name="coin" value={coin} />
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField
          {...bind("day")}
          label="Day (UTC)"
          type="date"
          max={today}
          hint="The UTC day the figures describe; today at the latest."
          required
        />
        {difficultyBased ? (
          <TextField
            {...bind("difficulty")}
            label="Difficulty"
            hint={`${coin} publishes difficulty D (a whole number); the payout derives N = D × 2³² / T.`}
            required
            inputMode="numeric"
            autoComplete="off"
          />
        ) : (
          <div className="grid grid-cols-[1fr_auto] gap-3">
            <TextField
              {...bind("networkHashrate")}
              label="Network hashrate"
              hint="In the unit beside it, e.g. 900.5 PH/s."
              required
              inputMode="decimal"
              autoComplete="off"
            />
            <SelectField
              id="snapshot-hashrateUnit"
              name="hashrateUnit"
              label="Unit"
              hint={"\u00a0"}
              options={UNITS.map((u) => ({ value: u, label: u }))}
              defaultValue={value("hashrateUnit") || "TH/s"}
              error={error("hashrateUnit")}
            />
          </div>
        )}
        {decimalFields.map((f) => (
          <TextField
            key={f.name}
            {...bind(f.name)}
            label={f.label}
            hint={f.hint}
            required
            inputMode="decimal"
            autoComplete="off"
          />
        ))}
        <TextField
          {...bind("source")}
          label="Source"
          hint="Where the figures come from, e.g. mempool.space."
          required
          maxLength={100}
          className="sm:col-span-2"
        />
      </div>
      <Button type="submit" className="mt-6" disabled={pending || gate.blocked} aria-describedby={gate.describedBy}>
        {pending ? "Saving…" : "Save snapshot"}
      </Button>
      <TwoFactorNote />
    </form>
  );
}
