"use client";

import { useActionState, useState } from "react";
import { Button, DataTable, type Column } from "@/components/ui";
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

/** The first columns of both reports: the contract (naming the row) and its allocation's state. */
const CONTRACT_COLUMNS: Column<{ contract: string; status: string }>[] = [
  { header: "Contract", rowHeader: true, className: "font-mono", cell: (row) => row.contract },
  { header: "Allocation", cell: (row) => row.status },
];

function StatusReport({ state }: { state: OperatorFormState }) {
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950">
      <p className="font-medium">{state.message}</p>
      {state.moved?.length ? (
        <div className="mt-3 bg-white">
          <DataTable
            caption="Contracts moved to other rigs"
            rows={state.moved}
            rowKey={(row) => `${row.contract}-${row.status}-${row.moved}`}
            columns={[
              ...CONTRACT_COLUMNS,
              { header: "Moved", numeric: true, cell: (row) => row.moved },
              { header: "To", cell: (row) => row.to },
            ]}
          />
        </div>
      ) : null}
      {state.stranded?.length ? (
        <>
          <p className="mt-3 font-medium text-amber-900">
            Could not be moved (no free capacity on the listing&apos;s active rigs):
          </p>
          <div className="mt-2 bg-white">
            <DataTable
              caption="Contracts' hashrate that stays on this rig"
              rows={state.stranded}
              rowKey={(row) => `${row.contract}-${row.status}`}
              columns={[...CONTRACT_COLUMNS, { header: "Stranded", numeric: true, cell: (row) => row.hashrate }]}
            />
          </div>
        </>
      ) : null}
    </div>
  );
}
