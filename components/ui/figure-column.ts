// The column the tables repeat most: right-aligned tabular figures (amounts, rates, counts with
// their unit) that never wrap, so a figure and its unit stay on one line.
import type { ReactNode } from "react";
import type { Column } from "./data-table";

/** A numeric, non-wrapping DataTable column; `more` adds or overrides any other column field. */
export function figureColumn<Row>(
  header: ReactNode,
  cell: (row: Row, index: number) => ReactNode,
  more: Partial<Column<Row>> = {},
): Column<Row> {
  return { header, numeric: true, className: "whitespace-nowrap", cell, ...more };
}
