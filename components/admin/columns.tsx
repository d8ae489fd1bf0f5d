// Column traits the admin tables repeat, spread into a DataTable column:
// `{ header: "Price", ...figure, cell: (c) => <Usd micro={c.totalPriceMicroUsd} /> }`, and the
// columns they repeat whole. Server-safe (no hooks).
import type { Column } from "../ui";

/** An amount, a hashrate: right-aligned tabular figures on one line. */
export const figure = { numeric: true, className: "whitespace-nowrap" } as const;

/** A day or an instant, on one line. */
export const nowrap = { className: "whitespace-nowrap" } as const;

/** The row header naming a rig: its model, then its serial in `serialClassName`. */
export function rigColumn(serialClassName: string): Column<{ rigModel: string; rigSerial: string }> {
  return {
    header: "Rig",
    rowHeader: true,
    cell: (row) => (
      <>
        {row.rigModel} <span className={serialClassName}>{row.rigSerial}</span>
      </>
    ),
  };
}
