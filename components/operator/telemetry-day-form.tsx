"use client";

// The day sheet: every rig of the operator for one UTC day, its average hashrate in the rig's
// display unit and uptime. Rows left empty or as they were are not sent; the rows sent are saved all or none,
// and each refused row shows its problem beside it. Settled rig-days are read-only.
import { useActionState } from "react";
import { Button, StatusBadge } from "../ui";
import { FormFeedback } from "./fields";
import { initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

export interface TelemetrySheetRowText {
  rigId: string;
  model: string;
  serialNumber: string;
  facility: string;
  status: string;
  unit: string;
  nominal: string;
  /** The stored report in the unit, "" when none. */
  hashrate: string;
  uptime: string;
  source: string | null;
  settled: boolean;
}

export function TelemetryDayForm({
  action,
  day,
  rows,
}: {
  action: Action;
  day: string;
  rows: TelemetrySheetRowText[];
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  const error = (name: string) => (state.status === "error" ? state.fieldErrors[name] : undefined);
  const value = (name: string, initial: string) => {
    const submitted = state.status === "error" ? state.values[name] : undefined;
    return typeof submitted === "string" ? submitted : initial;
  };
  const fields = [
    { name: "day", label: "Day" },
    ...rows.flatMap((r) => [
      { name: `rig:${r.rigId}`, label: `${r.model} ${r.serialNumber}`, fieldId: `hashrate-${r.rigId}` },
      { name: `hashrate:${r.rigId}`, label: `${r.model} ${r.serialNumber} hashrate`, fieldId: `hashrate-${r.rigId}` },
      { name: `uptime:${r.rigId}`, label: `${r.model} ${r.serialNumber} uptime`, fieldId: `uptime-${r.rigId}` },
    ]),
  ];
  const open = rows.filter((r) => !r.settled).length;
  // Only the rows a person changed are sent: a prefilled row sent back as it was would be saved
  // again as typed on the site (replacing a simulator's or the API's report) and counted as saved.
  const submit = (formData: FormData) => {
    for (const r of rows) {
      const hashrate = `hashrate:${r.rigId}`;
      const uptime = `uptime:${r.rigId}`;
      if (formData.get(hashrate) === r.hashrate && formData.get(uptime) === r.uptime) {
        formData.delete(hashrate);
        formData.delete(uptime);
      }
    }
    formAction(formData);
  };

  return (
    <form action={submit} noValidate>
      <FormFeedback state={state} fields={fields} />
      <div className="card overflow-x-auto" role="region" aria-label={`Telemetry for ${day}`} tabIndex={0}>
        <table className="data-table">
          <caption className="sr-only">Average hashrate and uptime of each rig on {day} (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">Rig</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Nominal
              </th>
              <th scope="col">Average hashrate</th>
              <th scope="col">Uptime (%)</th>
              <th scope="col">Reported by</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const rowError = error(`rig:${r.rigId}`);
              const hashrateError = error(`hashrate:${r.rigId}`);
              const uptimeError = error(`uptime:${r.rigId}`);
              const label = `${r.model} ${r.serialNumber}`;
              return (
                <tr key={r.rigId} className={rowError || hashrateError || uptimeError ? "bg-red-50" : undefined}>
                  <th scope="row">
                    {r.model}
                    <span className="block font-mono text-xs font-normal text-slate-600">{r.serialNumber}</span>
                    <span className="block text-xs font-normal text-slate-600">{r.facility}</span>
                    {rowError ? (
                      <span id={`rig-${r.rigId}-error`} className="field-error block max-w-xs font-normal">
                        <span className="sr-only">Error: </span>
                        {rowError}
                      </span>
                    ) : null}
                  </th>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="num whitespace-nowrap">
                    {r.nominal} {r.unit}
                  </td>
                  {r.settled ? (
                    <td colSpan={2} className="text-sm text-slate-700">
                      <span className="whitespace-nowrap">
                        {r.hashrate ? `${r.hashrate} ${r.unit}` : "No report"}
                        {r.uptime ? ` · ${r.uptime} %` : ""}
                      </span>
                      <span className="block text-xs text-slate-600">Settled: payouts keep their inputs.</span>
                    </td>
                  ) : (
                    <>
                      <td>
                        <div className="flex items-center gap-2">
                          <input
                            id={`hashrate-${r.rigId}`}
                            name={`hashrate:${r.rigId}`}
                            aria-label={`Average hashrate of ${label} in ${r.unit}`}
                            inputMode="decimal"
                            autoComplete="off"
                            className="input w-36"
                            defaultValue={value(`hashrate:${r.rigId}`, r.hashrate)}
                            aria-invalid={hashrateError || rowError ? true : undefined}
                            aria-describedby={
                              [
                                hashrateError ? `hashrate-${r.rigId}-error` : null,
                                rowError ? `rig-${r.rigId}-error` : null,
                              ]
                                .filter(Boolean)
                                .join(" ") || undefined
                            }
                          />
                          <span className="text-sm text-slate-600">{r.unit}</span>
                        </div>
                        {hashrateError ? (
                          <p id={`hashrate-${r.rigId}-error`} className="field-error max-w-xs">
                            <span className="sr-only">Error: </span>
                            {hashrateError}
                          </p>
                        ) : null}
                      </td>
                      <td>
                        <input
                          id={`uptime-${r.rigId}`}
                          name={`uptime:${r.rigId}`}
                          aria-label={`Uptime of ${label} in percent`}
                          inputMode="decimal"
                          autoComplete="off"
                          className="input w-24"
                          defaultValue={value(`uptime:${r.rigId}`, r.uptime)}
                          aria-invalid={uptimeError ? true : undefined}
                          aria-describedby={uptimeError ? `uptime-${r.rigId}-error` : undefined}
                        />
                        {uptimeError ? (
                          <p id={`uptime-${r.rigId}-error`} className="field-error max-w-xs">
                            <span className="sr-only">Error: </span>
                            {uptimeError}
                          </p>
                        ) : null}
                      </td>
                    </>
                  )}
                  <td className="text-sm text-slate-600">{r.source ?? "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {open > 0 ? (
        <Button type="submit" className="mt-6" disabled={pending}>
          {pending ? "Saving…" : `Save telemetry for ${day}`}
        </Button>
      ) : (
        <p className="mt-4 text-sm text-slate-700">Every rig on this page is settled for {day}; nothing can change.</p>
      )}
    </form>
  );
}
