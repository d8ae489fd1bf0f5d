"use client";

import { useActionState } from "react";
import { FocusOnShow } from "../focus-on-show";
import { CsvUploadForm } from "../forms/csv-upload-form";
import { DataTable } from "../ui";
import { initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

const FIELD_LABELS: Record<string, string> = {
  file: "File",
  header: "Header",
  row: "Row",
  facility: "facility",
  model: "model",
  serial_number: "serial_number",
  algorithm: "algorithm",
  nominal_hashrate: "nominal_hashrate",
  hashrate_unit: "hashrate_unit",
  power_w: "power_w",
  status: "status",
};

export function RigImportForm({ action, maxBytes }: { action: Action; maxBytes: number }) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  return (
    <div>
      <CsvUploadForm
        formAction={formAction}
        pending={pending}
        maxBytes={maxBytes}
        fieldId="file"
        label="CSV file"
        hint="UTF-8 text, at most 1 MB and 5,000 rigs. The first line is the header."
        tooLarge="The file is larger than 1 MB. Split it into files of at most 5,000 rigs."
        title="The file could not be uploaded"
        serverError={state.status === "error" && !state.importErrors ? state.fieldErrors.file : undefined}
        showFieldError
      />

      <FocusOnShow signal={state}>
        {state.status === "error" && state.importErrors ? <ImportErrors state={state} /> : null}
        {state.status === "done" && state.imported ? <Imported state={state} /> : null}
      </FocusOnShow>
    </div>
  );
}

function ImportErrors({ state }: { state: OperatorFormState }) {
  const errors = state.importErrors ?? [];
  const shown = errors.length;
  const total = state.importErrorCount ?? shown;
  return (
    <section aria-labelledby="import-errors-title" className="mt-8">
      <div role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
        <h2 id="import-errors-title" className="font-semibold">
          {state.message}
        </h2>
        {total > shown ? (
          <p className="mt-1">
            The first {shown} of {total} problems are listed.
          </p>
        ) : null}
      </div>
      <DataTable
        label="Problems per row"
        exactLabel
        caption="Problems in the uploaded file, by line"
        rows={errors}
        rowKey={(error, index) => `${error.line}-${error.field}-${index}`}
        columns={[
          { header: "Line", numeric: true, rowHeader: true, cell: (error) => (error.line === 0 ? "—" : error.line) },
          {
            header: "Column",
            className: "font-mono text-xs",
            cell: (error) => FIELD_LABELS[error.field] ?? error.field,
          },
          { header: "Problem", cell: (error) => error.message },
        ]}
      />
    </section>
  );
}

function Imported({ state }: { state: OperatorFormState }) {
  const rows = state.imported ?? [];
  return (
    <section aria-labelledby="imported-title" className="mt-8">
      <div
        role="status"
        className="mb-4 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900"
      >
        <h2 id="imported-title" className="font-semibold">
          {state.message}
        </h2>
      </div>
      <DataTable
        label="Imported rigs"
        exactLabel
        caption="Rigs imported from the file"
        rows={rows}
        rowKey={(rig) => rig.serialNumber + rig.model}
        columns={[
          { header: "Line", numeric: true, cell: (rig) => rig.line },
          { header: "Serial number", rowHeader: true, className: "font-mono text-xs", cell: (rig) => rig.serialNumber },
          { header: "Model", cell: (rig) => rig.model },
          { header: "Facility", cell: (rig) => rig.facility },
          { header: "Algorithm", cell: (rig) => rig.algorithm },
          { header: "Nominal hashrate", numeric: true, cell: (rig) => rig.hashrate },
          { header: "Status", cell: (rig) => rig.status },
        ]}
      />
    </section>
  );
}
