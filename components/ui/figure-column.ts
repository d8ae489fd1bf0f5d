// The column the tables repeat most: right-aligned tabular figures (amounts, rates, hashrates
// with their unit) that never wrap, so a figure and its unit stay on one line. Spread it into a
// DataTable column: `{ header: "Amount", ...FIGURE_COLUMN, cell: (row) => ... }`.
export const FIGURE_COLUMN = { numeric: true, className: "whitespace-nowrap" } as const;
