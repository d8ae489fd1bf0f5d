"use client";

// One rig-day of telemetry on the rig's page: the UTC day, the day's average hashrate in the
// rig's display unit, and the uptime if known.
import { useActionState } from "react";
import { Button } from "@/components/ui";
import { DECIMAL_INPUT } from "../form-fields";
import { summaryFields, TextFieldList, type TextFieldSpec } from "../forms/text-field-list";
import { FormFeedback } from "./fields";
import { fieldReaders, initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

export function TelemetryEntryForm({
  action,
  unit,
  nominal,
  yesterday,
}: {
  action: Action;
  unit: string;
  nominal: string;
  yesterday: string;
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  const initial = { day: yesterday, hashrate: "", uptime: "" };
  const { field } = fieldReaders(state, initial, "telemetry-");
  const fields: TextFieldSpec[] = [
    { name: "day", type: "date", label: "Day", hint: "A UTC day that has ended.", max: yesterday, required: true },
    {
      name: "hashrate",
      label: `Average hashrate (${unit})`,
      hint: `Nominal ${nominal} ${unit}; 0 if it did not hash.`,
      required: true,
      ...DECIMAL_INPUT,
    },
    { name: "uptime", label: "Uptime (%)", hint: "Optional, 0–100.", ...DECIMAL_INPUT },
  ];
  return (
    <form action={formAction} noValidate className="card p-6">
      <FormFeedback state={state} fields={summaryFields(fields)} prefix="telemetry-" />
      <div className="grid gap-5 sm:grid-cols-3">
        <TextFieldList fields={fields} field={field} />
      </div>
      <Button type="submit" className="mt-6" disabled={pending}>
        {pending ? "Saving…" : "Save telemetry"}
      </Button>
    </form>
  );
}
