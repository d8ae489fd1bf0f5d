"use client";

import { useActionState } from "react";
import { TextField } from "../form-fields";
import { FormErrors, SaveOrLeave } from "./fields";
import { fieldReaders, initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

const FIELDS = [
  { name: "name", label: "Name" },
  { name: "location", label: "Location" },
  { name: "countryCode", label: "Country code" },
  { name: "powerPrice", label: "Power price" },
];

export function FacilityForm({
  action,
  initial,
  submitLabel,
}: {
  action: Action;
  initial: Record<string, string>;
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  const { value, error } = fieldReaders(state, initial);
  return (
    <form action={formAction} noValidate className="card p-6 sm:p-8">
      <FormErrors state={state} fields={FIELDS} />
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField
          id="name"
          name="name"
          label="Name"
          required
          maxLength={100}
          defaultValue={value("name")}
          error={error("name")}
          className="sm:col-span-2"
        />
        <TextField
          id="location"
          name="location"
          label="Location"
          hint="Town and region, as customers should see it."
          required
          maxLength={200}
          defaultValue={value("location")}
          error={error("location")}
          className="sm:col-span-2"
        />
        <TextField
          id="countryCode"
          name="countryCode"
          label="Country code"
          hint="2 letters (ISO 3166), e.g. SE, IS, US."
          required
          maxLength={2}
          autoComplete="off"
          spellCheck={false}
          className="[&_input]:uppercase"
          defaultValue={value("countryCode")}
          error={error("countryCode")}
        />
        <TextField
          id="powerPrice"
          name="powerPrice"
          label="Power price (USD per kWh)"
          hint="Up to 6 decimals, e.g. 0.045."
          required
          inputMode="decimal"
          autoComplete="off"
          defaultValue={value("powerPrice")}
          error={error("powerPrice")}
        />
      </div>
      <SaveOrLeave pending={pending} submitLabel={submitLabel} leaveLabel="Cancel" />
    </form>
  );
}
