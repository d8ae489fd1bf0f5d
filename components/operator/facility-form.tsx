"use client";

import { useActionState } from "react";
import { DECIMAL_INPUT } from "../form-fields";
import { summaryFields, TextFieldList, type TextFieldSpec } from "../forms/text-field-list";
import { FormErrors, SaveOrLeave } from "./fields";
import { fieldReaders, initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

const FIELDS: TextFieldSpec[] = [
  { name: "name", label: "Name", required: true, maxLength: 100, className: "sm:col-span-2" },
  {
    name: "location",
    label: "Location",
    hint: "Town and region, as customers should see it.",
    required: true,
    maxLength: 200,
    className: "sm:col-span-2",
  },
  {
    name: "countryCode",
    label: "Country code",
    hint: "2 letters (ISO 3166), e.g. SE, IS, US.",
    required: true,
    maxLength: 2,
    autoComplete: "off",
    spellCheck: false,
    className: "[&_input]:uppercase",
  },
  {
    name: "powerPrice",
    label: "Power price (USD per kWh)",
    hint: "Up to 6 decimals, e.g. 0.045.",
    required: true,
    ...DECIMAL_INPUT,
  },
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
  const { field } = fieldReaders(state, initial);
  return (
    <form action={formAction} noValidate className="card p-6 sm:p-8">
      <FormErrors state={state} fields={summaryFields(FIELDS)} />
      <div className="grid gap-5 sm:grid-cols-2">
        <TextFieldList fields={FIELDS} field={field} />
      </div>
      <SaveOrLeave pending={pending} submitLabel={submitLabel} leaveLabel="Cancel" />
    </form>
  );
}
