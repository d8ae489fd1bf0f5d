"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { DECIMAL_INPUT, INTEGER_INPUT } from "../form-fields";
import { summaryFields, TextFieldList, type TextFieldSpec } from "../forms/text-field-list";
import { StatusBadge } from "../ui";
import { FormFeedback, SaveOrLeave, SelectField } from "./fields";
import { fieldReaders, initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

export interface ListingCoinOption {
  asset: string;
  name: string;
  algorithm: string;
  algorithmLabel: string;
  unitLabel: string;
  poolFee: string;
}

export interface ListingRigOption {
  id: string;
  model: string;
  serialNumber: string;
  algorithm: string;
  status: string;
  hashrate: string;
  facility: string;
  carriesContracts: boolean;
}

export interface ListingFormProps {
  action: Action;
  mode: "create" | "edit";
  initial: Record<string, string | string[]>;
  coins: ListingCoinOption[];
  rigs: ListingRigOption[];
  /** The coin is fixed once contracts were sold on the listing. */
  coinLocked: boolean;
}

export function ListingForm({ action, mode, initial, coins, rigs, coinLocked }: ListingFormProps) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  const submitted = state.status === "error" ? state.values : null;
  const { value, error, field } = fieldReaders(state, initial);
  const checkedRigs = new Set((submitted?.rigIds ?? initial.rigIds ?? []) as string[]);

  const [coinAsset, setCoinAsset] = useState(value("coin") || coins[0]?.asset || "");
  const coin = coins.find((c) => c.asset === coinAsset) ?? coins[0];
  const matching = rigs.filter((r) => r.algorithm === coin?.algorithm);
  const unit = coin?.unitLabel ?? "unit";
  const textFields: TextFieldSpec[] = [
    { name: "title", label: "Title", required: true, maxLength: 120 },
    {
      name: "price",
      label: `Price (USD per ${unit} per day)`,
      hint: "Up to 6 decimals, e.g. 0.0195.",
      required: true,
      ...DECIMAL_INPUT,
    },
    {
      name: "maintenanceFee",
      label: `Maintenance fee (USD per ${unit} per day)`,
      hint: "Electricity and hosting, deducted from payouts; 0 if included in the price.",
      required: true,
      ...DECIMAL_INPUT,
    },
    { name: "minDays", label: "Minimum duration (days)", required: true, ...INTEGER_INPUT },
    { name: "maxDays", label: "Maximum duration (days)", hint: "At most 3,650.", required: true, ...INTEGER_INPUT },
    {
      name: "minHashrate",
      label: `Minimum order (${unit})`,
      hint: "The smallest hashrate a customer may buy.",
      required: true,
      ...DECIMAL_INPUT,
    },
  ];
  const summary = [
    { name: "coin", label: "Coin" },
    ...summaryFields(textFields),
    { name: "rigIds", label: "Backing rigs", fieldId: "rigs" },
  ];

  return (
    <form action={formAction} noValidate className="card p-6 sm:p-8">
      <FormFeedback state={state} fields={summary} />
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField
          id="coin"
          name="coin"
          label="Coin"
          hint={
            coin
              ? `Algorithm ${coin.algorithmLabel}; priced per ${coin.unitLabel} per day. Pool fee ${coin.poolFee} (set by the platform per coin).`
              : undefined
          }
          options={coins.map((c) => ({ value: c.asset, label: `${c.name} (${c.asset})` }))}
          value={coinAsset}
          onChange={(event) => setCoinAsset(event.target.value)}
          disabled={coinLocked}
          error={error("coin")}
        />
        {coinLocked ? <input type="hidden" name="coin" value={coinAsset} /> : null}
        <TextFieldList fields={textFields} field={field} />
      </div>

      <fieldset
        id="rigs"
        tabIndex={-1}
        className="mt-8"
        aria-describedby={["rigs-hint", error("rigIds") ? "rigs-error" : ""].filter(Boolean).join(" ")}
      >
        <legend className="label">Backing rigs</legend>
        <p id="rigs-hint" className="hint">
          Your {coin?.algorithmLabel ?? ""} rigs that back no other listing. Capacity for sale counts active rigs only.
          A rig carrying contracts stays on its listing.
        </p>
        {error("rigIds") ? (
          <p id="rigs-error" className="field-error">
            <span className="sr-only">Error: </span>
            {error("rigIds")}
          </p>
        ) : null}
        {matching.length === 0 ? (
          <p className="mt-3 rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600">
            You have no free {coin?.algorithmLabel ?? ""} rigs.{" "}
            <Link href="/operator/rigs/new" className="link">
              Add a rig
            </Link>{" "}
            or{" "}
            <Link href="/operator/rigs/import" className="link">
              import rigs
            </Link>{" "}
            first.
          </p>
        ) : (
          <ul className="mt-3 max-h-96 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200">
            {matching.map((rig) => {
              const locked = rig.carriesContracts && checkedRigs.has(rig.id);
              return (
                <li key={rig.id} className="flex items-center gap-3 px-3 py-2 text-sm">
                  <input
                    id={`rig-${rig.id}`}
                    type="checkbox"
                    name="rigIds"
                    value={rig.id}
                    defaultChecked={checkedRigs.has(rig.id)}
                    className="h-4 w-4 accent-brand-600"
                    aria-describedby={locked ? `rig-${rig.id}-locked` : undefined}
                  />
                  <label htmlFor={`rig-${rig.id}`} className="flex flex-1 flex-wrap items-center gap-x-3 gap-y-1">
                    <span className="font-medium text-slate-900">
                      {rig.model} <span className="font-mono text-xs">{rig.serialNumber}</span>
                    </span>
                    <span className="text-slate-700 tabular-nums">{rig.hashrate}</span>
                    <span className="text-slate-600">{rig.facility}</span>
                    <StatusBadge status={rig.status} />
                  </label>
                  {locked ? (
                    <span id={`rig-${rig.id}-locked`} className="text-xs text-slate-600">
                      carries contracts
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </fieldset>

      <SaveOrLeave
        pending={pending}
        submitLabel={mode === "create" ? "Create listing" : "Save listing"}
        leaveLabel={mode === "create" ? "Cancel" : "Back to overview"}
      />
    </form>
  );
}
