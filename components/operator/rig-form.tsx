"use client";

import { useActionState, useState } from "react";
import { DECIMAL_INPUT, INTEGER_INPUT, TextField } from "../form-fields";
import { FormFeedback, SaveOrLeave, SelectField } from "./fields";
import { fieldReaders, initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;
type Option = { value: string; label: string };

export interface RigFormProps {
  action: Action;
  mode: "create" | "edit";
  initial: Record<string, string>;
  facilities: Option[];
  algorithms: Option[];
  units: Option[];
  /** Unit rigs of each algorithm are usually rated in; picked when the algorithm changes. */
  defaultUnits: Record<string, string>;
  statuses: Option[];
}

const FIELDS = [
  { name: "facilityId", label: "Facility" },
  { name: "model", label: "Model" },
  { name: "serialNumber", label: "Serial number" },
  { name: "algorithm", label: "Algorithm" },
  { name: "nominalHashrate", label: "Nominal hashrate" },
  { name: "hashrateUnit", label: "Hashrate unit" },
  { name: "powerW", label: "Power draw" },
  { name: "status", label: "Status" },
];

export function RigForm({
  action,
  mode,
  initial,
  facilities,
  algorithms,
  units,
  defaultUnits,
  statuses,
}: RigFormProps) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  const { error, field } = fieldReaders(state, initial);
  // The unit follows the algorithm until the operator picks one.
  const [unit, setUnit] = useState(initial.hashrateUnit ?? "TH/s");
  const [unitChosen, setUnitChosen] = useState(mode === "edit");

  return (
    <form action={formAction} noValidate className="card p-6 sm:p-8">
      <FormFeedback state={state} fields={FIELDS} />
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField {...field("facilityId")} label="Facility" options={facilities} className="sm:col-span-2" />
        <TextField {...field("model")} label="Model" hint="e.g. Antminer S21 Pro" required maxLength={100} />
        <TextField
          {...field("serialNumber")}
          label="Serial number"
          required
          maxLength={100}
          autoComplete="off"
          spellCheck={false}
        />
        <SelectField
          {...field("algorithm")}
          label="Algorithm"
          options={algorithms}
          onChange={(event) => {
            const suggested = defaultUnits[event.target.value];
            if (!unitChosen && suggested) setUnit(suggested);
          }}
        />
        <div className="grid grid-cols-[1fr_8rem] gap-3">
          <TextField
            {...field("nominalHashrate")}
            {...DECIMAL_INPUT}
            label="Nominal hashrate"
            hint="Nameplate figure, e.g. 234.5."
            required
          />
          <SelectField
            id="hashrateUnit"
            name="hashrateUnit"
            label="Unit"
            hint="H/s to EH/s."
            options={units}
            value={unit}
            onChange={(event) => {
              setUnit(event.target.value);
              setUnitChosen(true);
            }}
            error={error("hashrateUnit")}
          />
        </div>
        <TextField
          {...field("powerW")}
          {...INTEGER_INPUT}
          label="Power draw (W)"
          hint="Whole watts at the wall, e.g. 3510."
          required
        />
        {mode === "create" ? (
          <SelectField
            {...field("status")}
            label="Status"
            hint="A rig in maintenance or offline sells no capacity until it is active."
            options={statuses}
          />
        ) : null}
      </div>
      <SaveOrLeave
        pending={pending}
        submitLabel={mode === "create" ? "Add rig" : "Save rig"}
        leaveLabel={mode === "create" ? "Cancel" : "Back to overview"}
      />
    </form>
  );
}
