"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui";
import { FormErrors, SelectField } from "./fields";
import { initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

export function RigStatusForm({
  action,
  current,
  statuses,
}: {
  action: Action;
  current: string;
  statuses: { value: string; label: string }[];
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  const [chosen, setChosen] = useState(current);
  const leavingService = chosen !== "ACTIVE";
  return (
    <div>
      <form action={formAction} noValidate>
        <SelectField
          id="rig-status"
          name="status"
          label="New status"
          hint={
            chosen === "RETIRED"
              ? "Retiring is final: the rig never sells capacity again. Its contracts move to free capacity of the listing's active rigs where possible."
              : leavingService
                ? "Contracts on this rig move to free capacity of the listing's active rigs where possible; what cannot move stays here and is compensated as under-delivery."
                : "An active rig sells capacity on its listing."
          }
          options={statuses}
          value={chosen}
          onChange={(event) => setChosen(event.target.value)}
          error={state.status === "error" ? state.fieldErrors.status : undefined}
          className="max-w-xl"
        />
        <Button type="submit" variant="secondary" className="mt-4" disabled={pending || chosen === current}>
          {pending ? "Changing…" : "Change status"}
        </Button>
      </form>
      <div className="mt-4">
        {state.status === "error" ? (
          <FormErrors state={state} fields={[{ name: "status", label: "New status", fieldId: "rig-status" }]} />
        ) : null}
        {state.status === "done" ? <StatusReport state={state} /> : null}
      </div>
    </div>
  );
}

function StatusReport({ state }: { state: OperatorFormState }) {
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950">
      <p className="font-medium">{state.message}</p>
      {state.moved?.length ? (
        <table className="data-table mt-3 bg-white">
          <caption className="sr-only">Contracts moved to other rigs</caption>
          <thead>
            <tr>
              <th scope="col">Contract</th>
              <th scope="col">Allocation</th>
              <th scope="col" className="num">
                Moved
              </th>
              <th scope="col">To</th>
            </tr>
          </thead>
          <tbody>
            {state.moved.map((row) => (
              <tr key={`${row.contract}-${row.status}-${row.moved}`}>
                <th scope="row" className="font-mono">
                  {row.contract}
                </th>
                <td>{row.status}</td>
                <td className="num">{row.moved}</td>
                <td>{row.to}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {state.stranded?.length ? (
        <>
          <p className="mt-3 font-medium text-amber-900">
            Could not be moved (no free capacity on the listing&apos;s active rigs):
          </p>
          <table className="data-table mt-2 bg-white">
            <caption className="sr-only">Contracts&apos; hashrate that stays on this rig</caption>
            <thead>
              <tr>
                <th scope="col">Contract</th>
                <th scope="col">Allocation</th>
                <th scope="col" className="num">
                  Stranded
                </th>
              </tr>
            </thead>
            <tbody>
              {state.stranded.map((row) => (
                <tr key={`${row.contract}-${row.status}`}>
                  <th scope="row" className="font-mono">
                    {row.contract}
                  </th>
                  <td>{row.status}</td>
                  <td className="num">{row.hashrate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
