"use client";

import { useActionState } from "react";
import { CsvUploadForm } from "../forms/csv-upload-form";
import { DataTable } from "../ui";
import { initialAdminFormState, type AdminFormState } from "./form-state";
import { OutcomeLines } from "./outcome-lines";

type Action = (state: AdminFormState, formData: FormData) => Promise<AdminFormState>;

export function SnapshotImportForm({ action, maxBytes }: { action: Action; maxBytes: number }) {
  const [state, formAction, pending] = useActionState(action, initialAdminFormState);
  return (
    <div>
      <CsvUploadForm
        formAction={formAction}
        pending={pending}
        maxBytes={maxBytes}
        fieldId="snapshot-file"
        label="Snapshot CSV file"
        hint="UTF-8 text, at most 1 MB and 5,000 rows; the first line is the header."
        tooLarge="The file is larger than 1 MB. Split it into files of at most 5,000 rows."
        title="The file could not be imported"
        serverError={
          state.status === "error" && !state.importErrors ? (state.fieldErrors.file ?? state.message) : undefined
        }
      />

      {state.status === "error" && state.importErrors ? (
        <section aria-labelledby="snapshot-import-errors-title" className="mt-6">
          <div role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
            <h3 id="snapshot-import-errors-title" className="font-semibold">
              {state.message}
            </h3>
            {(state.importErrorCount ?? 0) > state.importErrors.length ? (
              <p className="mt-1">
                The first {state.importErrors.length} of {state.importErrorCount} problems are listed.
              </p>
            ) : null}
          </div>
          <DataTable
            label="Problems per row"
            exactLabel
            caption="Problems in the uploaded file, by line"
            rows={state.importErrors}
            rowKey={(e, i) => `${e.line}-${e.field}-${i}`}
            columns={[
              { header: "Line", numeric: true, rowHeader: true, cell: (e) => (e.line === 0 ? "—" : e.line) },
              { header: "Column", className: "font-mono text-xs", cell: (e) => e.field },
              { header: "Problem", cell: (e) => e.message },
            ]}
          />
        </section>
      ) : null}

      {state.status === "done" ? (
        <section aria-labelledby="snapshot-imported-title" className="mt-6">
          <div
            role="status"
            className="rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900"
          >
            <h3 id="snapshot-imported-title" className="font-semibold">
              {state.message}
            </h3>
            <OutcomeLines lines={state.lines} />
          </div>
          {state.warning ? (
            <div
              role="alert"
              className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
            >
              {state.warning}
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
