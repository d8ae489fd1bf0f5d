"use client";

import { useActionState, useRef, useState, type FormEvent } from "react";
import { ErrorSummary } from "../form-fields";
import { Button, DataTable } from "../ui";
import { initialAdminFormState, type AdminFormState } from "./form-state";

type Action = (state: AdminFormState, formData: FormData) => Promise<AdminFormState>;

export function SnapshotImportForm({ action, maxBytes }: { action: Action; maxBytes: number }) {
  const [state, formAction, pending] = useActionState(action, initialAdminFormState);
  const [localError, setLocalError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // Checked here too so a large file is refused before it is sent (the server checks again).
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const file = inputRef.current?.files?.[0];
    const problem = !file
      ? "Choose a CSV file to upload."
      : file.size > maxBytes
        ? "The file is larger than 1 MB. Split it into files of at most 5,000 rows."
        : null;
    setLocalError(problem);
    if (problem) {
      event.preventDefault();
      inputRef.current?.focus();
    }
  }

  const fileError =
    localError ??
    (state.status === "error" && !state.importErrors ? (state.fieldErrors.file ?? state.message) : undefined);
  return (
    <div>
      <form action={formAction} onSubmit={onSubmit} noValidate className="card p-6 sm:p-8">
        {fileError ? (
          <ErrorSummary
            title="The file could not be imported"
            items={[{ fieldId: "snapshot-file", message: fileError }]}
          />
        ) : null}
        <label htmlFor="snapshot-file" className="label">
          Snapshot CSV file
        </label>
        <p id="snapshot-file-hint" className="hint">
          UTF-8 text, at most 1 MB and 5,000 rows; the first line is the header.
        </p>
        <input
          ref={inputRef}
          id="snapshot-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-invalid={fileError ? true : undefined}
          aria-describedby="snapshot-file-hint"
          className="mt-2 block w-full text-sm text-slate-700 file:mr-4 file:rounded-md file:border-0 file:bg-brand-50 file:px-4 file:py-2 file:text-sm file:font-semibold file:text-brand-800 hover:file:bg-brand-100"
        />
        <Button type="submit" className="mt-6" disabled={pending}>
          {pending ? "Checking and importing…" : "Upload and import"}
        </Button>
      </form>

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
            {state.lines?.length ? (
              <ul className="mt-2 list-disc space-y-0.5 pl-5">
                {state.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ) : null}
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
