// A refused CSV import: the refusal's message, how many problems there are when not all are
// listed, and a table of them by line and column (line 0 is the file as a whole).
import { DataTable } from "../ui";

export interface CsvImportError {
  line: number;
  field: string;
  message: string;
}

export function CsvImportErrors({
  id,
  message,
  errors,
  errorCount = errors.length,
  heading: Heading,
  className,
  columnLabel = (field) => field,
}: {
  /** The section's title id. */
  id: string;
  message?: string;
  errors: CsvImportError[];
  errorCount?: number;
  /** The title's level in the page. */
  heading: "h2" | "h3";
  className: string;
  columnLabel?: (field: string) => string;
}) {
  return (
    <section aria-labelledby={id} className={className}>
      <div role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
        <Heading id={id} className="font-semibold">
          {message}
        </Heading>
        {errorCount > errors.length ? (
          <p className="mt-1">
            The first {errors.length} of {errorCount} problems are listed.
          </p>
        ) : null}
      </div>
      <DataTable
        label="Problems per row"
        exactLabel
        caption="Problems in the uploaded file, by line"
        rows={errors}
        rowKey={(e, i) => `${e.line}-${e.field}-${i}`}
        columns={[
          { header: "Line", numeric: true, rowHeader: true, cell: (e) => (e.line === 0 ? "—" : e.line) },
          { header: "Column", className: "font-mono text-xs", cell: (e) => columnLabel(e.field) },
          { header: "Problem", cell: (e) => e.message },
        ]}
      />
    </section>
  );
}
