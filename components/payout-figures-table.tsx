// The figures of daily payouts as one table: what was allocated and delivered, gross, the two fees,
// net, whether the day was curtailed, and the under-delivery credit. Gross, fees and net are what
// was posted (0 on a curtailed day); a curtailed day also shows its computed figures — what it
// would have mined and the fees that made it not worth running (lib/payouts/README.md). The customer's dashboard and the
// admin's payout run list the same figures; only the columns around them and how a coin amount is
// written differ, so those are the props. Server-safe (no hooks).
import type { ReactNode } from "react";
import type { PayoutListRow } from "@/lib/payouts/admin";
import { formatHashrate } from "./format";
import { DataTable, Usd, type Column } from "./ui";

/** The stored figures of one payout, as both queries (dashboard and admin) return them. */
export type PayoutFigures = Pick<
  PayoutListRow,
  | "allocatedHashrateHs"
  | "deliveredHashrateHs"
  | "grossBase"
  | "poolFeeBase"
  | "maintenanceFeeBase"
  | "netBase"
  | "curtailed"
  | "underDeliveryCreditMicroUsd"
  | "computedGrossBase"
  | "computedPoolFeeBase"
  | "computedMaintenanceFeeBase"
>;

export function PayoutFiguresTable<Row extends PayoutFigures>({
  label,
  caption,
  rows,
  rowKey,
  rowProps,
  coin,
  before,
  after = [],
  creditHeader,
  emphasizeNet = false,
  hashrateClassName,
  testId,
}: {
  label: string;
  caption: ReactNode;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowProps?: (row: Row) => Record<`data-${string}`, string | undefined>;
  /** A coin amount of the row in base units, as text. */
  coin: (row: Row, base: bigint) => string;
  /** The columns that say which payout it is (day, contract, customer ...). */
  before: readonly Column<Row>[];
  /** Columns after the figures (USD value, a link to the breakdown ...). */
  after?: readonly Column<Row>[];
  creditHeader: string;
  /** The customer's view: net first of the figures, in medium weight, with the `payout-net` test id. */
  emphasizeNet?: boolean;
  hashrateClassName?: string;
  testId?: string;
}) {
  const net: Column<Row> = emphasizeNet
    ? {
        header: "Net",
        numeric: true,
        className: "font-medium",
        cellProps: () => ({ "data-testid": "payout-net" }),
        cell: (p) => coin(p, p.netBase),
      }
    : { header: "Net", numeric: true, cell: (p) => coin(p, p.netBase) };
  const figures: Column<Row>[] = [
    // The customer reads what they received first (in view without scrolling the table at 1,280 px),
    // then how it was reached; the admin's run reads left to right, gross minus fees = net.
    ...(emphasizeNet ? [net] : []),
    {
      header: "Allocated",
      numeric: true,
      className: hashrateClassName,
      cell: (p) => formatHashrate(p.allocatedHashrateHs),
    },
    {
      header: "Delivered",
      numeric: true,
      className: hashrateClassName,
      cell: (p) => formatHashrate(p.deliveredHashrateHs),
    },
    { header: "Gross", numeric: true, cell: (p) => coin(p, p.grossBase) },
    { header: "Pool fee", numeric: true, cell: (p) => coin(p, p.poolFeeBase) },
    { header: "Maintenance fee", numeric: true, cell: (p) => coin(p, p.maintenanceFeeBase) },
    ...(emphasizeNet ? [] : [net]),
    {
      header: "Curtailed",
      cell: (p) =>
        p.curtailed ? (
          <span data-testid="curtailed-would-be">
            Yes
            <span className="block text-xs whitespace-nowrap text-slate-600">
              would have mined {coin(p, p.computedGrossBase)}; pool fee {coin(p, p.computedPoolFeeBase)} + maintenance{" "}
              {coin(p, p.computedMaintenanceFeeBase)} exceed it
            </span>
          </span>
        ) : (
          "No"
        ),
    },
    { header: creditHeader, numeric: true, cell: (p) => <Usd micro={p.underDeliveryCreditMicroUsd} /> },
  ];
  return (
    <DataTable
      label={label}
      caption={caption}
      columns={[...before, ...figures, ...after]}
      rows={rows}
      rowKey={rowKey}
      rowProps={rowProps}
      testId={testId}
    />
  );
}
