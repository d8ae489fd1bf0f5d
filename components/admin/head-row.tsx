// The header row of an admin table written with the primitives (one whose caption is visible, so
// it is not a DataTable): the column names, numeric ones right-aligned. Server-safe (no hooks).
import { TableHead, TableHeader, TableRow } from "../ui";

export function HeadRow({ columns }: { columns: readonly { header: string; numeric?: boolean }[] }) {
  return (
    <TableHeader>
      <TableRow>
        {columns.map((column) => (
          <TableHead key={column.header} numeric={column.numeric}>
            {column.header}
          </TableHead>
        ))}
      </TableRow>
    </TableHeader>
  );
}
