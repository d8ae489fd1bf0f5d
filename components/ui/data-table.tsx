// The table the pages repeat: a labelled horizontal scroller, a caption, one header row declared by
// the columns, one body row per item, and an empty state in place of the table when there is no row.
// Columns are declared once: the header and the cell of a column cannot drift apart.
import type { HTMLAttributes, ReactNode, TdHTMLAttributes } from "react";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  TableRowHeader,
  TableScroller,
} from "./table";

export type Column<Row> = {
  /** The column header's content (a string or a visually hidden name). */
  header: ReactNode;
  /** React key of the column; needed when `header` is not a string. */
  key?: string;
  /** Right-aligned tabular figures, in the header and the cells. */
  numeric?: boolean;
  /** The cells are row headers (<th scope="row">) that name their row. */
  rowHeader?: boolean;
  /** Extra classes on the header cell. */
  headerClassName?: string;
  /** Extra classes on every body cell. */
  className?: string;
  /** Attributes of one body cell (title, data-testid, classes that depend on the row). */
  cellProps?: (
    row: Row,
    index: number,
  ) => TdHTMLAttributes<HTMLTableCellElement> & Record<`data-${string}`, string | undefined>;
  cell: (row: Row, index: number) => ReactNode;
};

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>;

export function DataTable<Row>({
  label,
  caption,
  columns,
  rows,
  rowKey,
  rowProps,
  empty,
  footer,
  testId,
  scrollerClassName,
  exactLabel,
}: {
  /** Names the scroll region ("`label` table" unless `exactLabel`); without a label the table is not in a scroller. */
  label?: string;
  /** The visually hidden caption, if any. */
  caption?: ReactNode;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string;
  rowProps?: (row: Row, index: number) => RowAttributes;
  /** Shown instead of the table when `rows` is empty; without it an empty table is rendered. */
  empty?: ReactNode;
  /** A <tfoot> (totals), written with the table primitives. */
  footer?: ReactNode;
  /** `data-testid` of the <table>. */
  testId?: string;
  /** Classes of the scroll region; a card by default. */
  scrollerClassName?: string;
  exactLabel?: boolean;
}) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const table = (
    <Table data-testid={testId}>
      {caption === undefined ? null : <TableCaption>{caption}</TableCaption>}
      <TableHeader>
        <TableRow>
          {columns.map((column, i) => (
            <TableHead
              key={column.key ?? (typeof column.header === "string" ? column.header : i)}
              numeric={column.numeric}
              className={column.headerClassName}
            >
              {column.header}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row, index) => (
          <TableRow key={rowKey(row, index)} {...rowProps?.(row, index)}>
            {columns.map((column, i) => {
              const Cell = column.rowHeader ? TableRowHeader : TableCell;
              const { className, ...props } = column.cellProps?.(row, index) ?? {};
              const joined = [column.className, className].filter(Boolean).join(" ");
              return (
                <Cell
                  key={column.key ?? (typeof column.header === "string" ? column.header : i)}
                  numeric={column.numeric}
                  className={joined || undefined}
                  {...props}
                >
                  {column.cell(row, index)}
                </Cell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
      {footer}
    </Table>
  );
  return label === undefined ? (
    table
  ) : (
    <TableScroller label={label} className={scrollerClassName} exactLabel={exactLabel}>
      {table}
    </TableScroller>
  );
}
