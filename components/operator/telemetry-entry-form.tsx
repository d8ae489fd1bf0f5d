"use client";

// One rig-day of telemetry on the rig's page: the UTC day, the day's average hashrate in the
// rig's display unit, and the uptime if known.
import { useActionState } from "react";
import { Button } from "@/components/ui";
import { TextField } from "../form-fields";
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
  const { value, error } = fieldReaders(state, initial);
  const fields = [
    { name: "day", label: "Day", fieldId: "telemetry-day" },
    { name: "hashrate", label: "Average hashrate", fieldId: "telemetry-hashrate" },
    { name: "uptime", label: "Uptime", fieldId: "telemetry-uptime" },
  ];
  return (
    <form action={formAction} noValidate className="card p-6">
      <FormFeedback state={state} fields={fields} />
      <div className="grid gap-5 sm:grid-cols-3">
        <TextField
          id="telemetry-day"
          name="day"
          type="date"
          label="Day"
          hint="A UTC day that has ended."
          max={yesterday}
          required
          defaultValue={value("day")}
          error={error("day")}
        />
        <TextField
          id="telemetry-hashrate"
          name="hashrate"
          label={`Average hashrate (${unit})`}
          hint={`Nominal ${nominal} ${unit}; 0 if it did not hash.`}
          inputMode="decimal"
          autoComplete="off"
          required
          defaultValue={value("hashrate")}
          error={error("hashrate")}
        />
        <TextField
          id="telemetry-uptime"
          name="uptime"
          label="Uptime (%)"
          hint="Optional, 0–100."
          inputMode="decimal"
          autoComplete="off"
          defaultValue={value("uptime")}
          error={error("uptime")}
        />
      </div>
      <Button type="submit" className="mt-6" disabled={pending}>
        {pending ? "Saving…" : "Save telemetry"}
      </Button>
    </form>
  );
}
