// Presentational primitives shared by pages and feature components, one file each. Server-safe (no hooks).
export { Button, LinkButton, buttonClass, type ButtonSize, type ButtonVariant } from "./button";
export { CapacityBar } from "./capacity-bar";
export { DataTable, type Column } from "./data-table";
export { EmptyState } from "./empty-state";
export { ErrorPage } from "./error-page";
export { Usd, type UsdProps } from "./money";
export { PageHeader } from "./page-header";
export { SearchField, SearchForm, SelectFilter } from "./search-form";
export { Section } from "./section";
export { StatCard } from "./stat-card";
export { CheckBadge, StatusBadge, humanize } from "./status-badge";
export {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableFooter,
  TableHead,
  TableHeader,
  TableRow,
  TableRowHeader,
  TableScroller,
} from "./table";
