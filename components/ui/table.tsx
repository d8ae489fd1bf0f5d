// Table primitives over the `.data-table` styles of app/globals.css. A numeric cell (`numeric`) is
// right-aligned with tabular figures so columns of amounts line up; a row's first cell may be its
// header (`TableRowHeader`, <th scope="row">) so screen readers name the row by it. A table wider
// than its box scrolls inside `TableScroller`, its first column kept in view (sticky, globals.css).
import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

function classes(...parts: (string | false | null | undefined)[]): string | undefined {
  const joined = parts.filter(Boolean).join(" ");
  return joined === "" ? undefined : joined;
}

/** A table in a horizontally scrollable, focusable region so keyboard users can scroll it. */
export function TableScroller({
  label,
  children,
  className = "card",
  exactLabel = false,
}: {
  label: string;
  children: ReactNode;
  className?: string;
  exactLabel?: boolean;
}) {
  // "… table": the region is often inside a section titled `label`; landmarks need distinct names.
  // `relative`: absolutely positioned content (visually hidden labels in cells past the right edge)
  // is clipped by the scroller only if the scroller is its containing block; without it, such a
  // label escapes the box and widens the whole page. `max-w-full` keeps the box inside its parent.
  return (
    <div
      className={classes(className, "relative max-w-full overflow-x-auto")}
      role="region"
      aria-label={exactLabel ? label : `${label} table`}
      tabIndex={0}
    >
      {children}
    </div>
  );
}

export function Table({ className, ...props }: HTMLAttributes<HTMLTableElement>) {
  return <table className={classes("data-table", className)} {...props} />;
}

/** The table's caption; visually hidden unless `visible` (the section heading usually says it already). */
export function TableCaption({
  visible = false,
  className,
  ...props
}: { visible?: boolean } & HTMLAttributes<HTMLTableCaptionElement>) {
  return <caption className={classes(!visible && "sr-only", className)} {...props} />;
}

export function TableHeader(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead {...props} />;
}

export function TableBody(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody {...props} />;
}

export function TableFooter(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <tfoot {...props} />;
}

export function TableRow(props: HTMLAttributes<HTMLTableRowElement>) {
  return <tr {...props} />;
}

type Numeric = { numeric?: boolean };

/** A column header, <th scope="col">. */
export function TableHead({ numeric, className, ...props }: Numeric & ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={classes(numeric && "num", className)} {...props} />;
}

/** A row header, <th scope="row">: the cell that names its row. */
export function TableRowHeader({ numeric, className, ...props }: Numeric & ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="row" className={classes(numeric && "num", className)} {...props} />;
}

export function TableCell({ numeric, className, ...props }: Numeric & TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={classes(numeric && "num", className)} {...props} />;
}
