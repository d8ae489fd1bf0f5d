// Column traits the admin tables repeat, spread into a DataTable column:
// `{ header: "Price", ...figure, cell: (c) => formatMicroUsd(c.totalPriceMicroUsd) }`.

/** An amount, a hashrate: right-aligned tabular figures on one line. */
export const figure = { numeric: true, className: "whitespace-nowrap" } as const;

/** A day or an instant, on one line. */
export const nowrap = { className: "whitespace-nowrap" } as const;
