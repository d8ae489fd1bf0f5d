"use client";

import { useActionState } from "react";
import { CsvImportErrors } from "../forms/csv-import-errors";
import { CsvUploadForm } from "../forms/csv-upload-form";
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
        <CsvImportErrors
          id="snapshot-import-errors-title"
          heading="h3"
          className="mt-6"
          message={state.message}
          errors={state.importErrors}
          errorCount={state.importErrorCount}
        />
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
