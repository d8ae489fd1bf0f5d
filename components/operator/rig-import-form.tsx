"use client";

import { useActionState } from "react";
import { FocusOnShow } from "../focus-on-show";
import { CsvImportErrors } from "../forms/csv-import-errors";
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
        {state.status === "error" && state.importErrors ? (
          <CsvImportErrors
            id="import-errors-title"
            heading="h2"
            className="mt-8"
            message={state.message}
            errors={state.importErrors}
            errorCount={state.importErrorCount}
            columnLabel={(field) => FIELD_LABELS[field] ?? field}
          />
        ) : null}
        {state.status === "done" && state.imported ? <Imported state={state} /> : null}
      </FocusOnShow>
    </div>
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
