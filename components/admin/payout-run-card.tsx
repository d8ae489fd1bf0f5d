// One payout run with its counts and its reconciliation per coin, from the stored numbers:
// mined = customer net + pool fees + maintenance fees + rounding. Server-safe (no hooks).
import Link from "next/link";
import type { RunRow } from "@/lib/payouts/admin";
import { formatCoinAmount, formatDay, formatInstantUtc, formatInteger } from "../format";
import { CheckBadge, DataTable, humanize, StatusBadge, Usd } from "../ui";
import { DetailList } from "../ui/detail-list";

const FIGURES = {
  list: "mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-6",
  term: "text-slate-600",
  value: "tabular-nums",
};

function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${formatInteger(ms)} ms`;
  const seconds = Math.floor(ms / 1000);
  return seconds < 60
    ? `${seconds}.${String(ms % 1000)
        .padStart(3, "0")
        .slice(0, 1)} s`
    : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A coin amount of a reconciliation row, with every decimal of the coin. */
function coin(r: { decimals: number }, base: bigint): string {
  return formatCoinAmount(base, r.decimals, { maxDecimals: r.decimals });
}

/** `headingLevel`: 3 in a list under a section's h2, 2 when the card follows the page's h1. */
export function PayoutRunCard({
  run,
  link = true,
  headingLevel = 3,
}: {
  run: RunRow;
  link?: boolean;
  headingLevel?: 2 | 3;
}) {
  const title = `Run of ${formatDay(run.day)}`;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article aria-label={`${title}, started ${formatInstantUtc(run.startedAt)}`} className="card p-5">
      <header className="flex flex-wrap items-baseline justify-between gap-3">
        <Heading className="text-base font-semibold text-slate-900">
          {link ? (
            <Link href={`/admin/payouts/runs/${run.id}`} className="link">
              {title}
            </Link>
          ) : (
            title
          )}
        </Heading>
        <StatusBadge status={run.status} label={humanize(run.status)} />
      </header>
      <DetailList
        look={FIGURES}
        items={[
          { label: "Started", value: formatInstantUtc(run.startedAt) },
          { label: "Finished", value: run.finishedAt ? formatInstantUtc(run.finishedAt) : "—" },
          { label: "Duration", value: duration(run.durationMs) },
          { label: "Settled", value: formatInteger(run.contractsSettled) },
          { label: "Curtailed", value: formatInteger(run.contractsCurtailed) },
          { label: "Unsettled", value: formatInteger(run.contractsUnsettled) },
        ]}
      />
      {run.error ? (
        <p className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800">
          <span className="font-semibold">Error: </span>
          {run.error}
        </p>
      ) : null}
      {run.reconciliation.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">
          {run.status === "COMPLETED"
            ? "This run inserted no payout, so there is nothing to reconcile."
            : "No totals: the run did not complete."}
        </p>
      ) : (
        <DataTable
          label={`Reconciliation of the run of ${formatDay(run.day)}`}
          exactLabel
          scrollerClassName="mt-4"
          caption="Reconciliation per coin: mined = customer net + pool fees + maintenance fees + rounding; maintenance fees = what reached the operators"
          rows={run.reconciliation}
          rowKey={(r) => r.coin}
          columns={[
            { header: "Coin", rowHeader: true, cell: (r) => r.coin },
            { header: "Mined", numeric: true, cell: (r) => coin(r, r.minedBase) },
            { header: "Customer net", numeric: true, cell: (r) => coin(r, r.customerNetBase) },
            { header: "Pool fees", numeric: true, cell: (r) => coin(r, r.poolFeesBase) },
            { header: "Maintenance fees", numeric: true, cell: (r) => coin(r, r.maintenanceFeesBase) },
            { header: "Rounding", numeric: true, cell: (r) => coin(r, r.roundingBase) },
            { header: "Reconciles", cell: (r) => <CheckBadge ok={r.balanced} failLabel="✗ Mismatch" /> },
            {
              header: "Maintenance to operators",
              numeric: true,
              cellProps: () => ({ "data-testid": "run-operator-maintenance" }),
              cell: (r) => (
                <>
                  {coin(r, r.operatorMaintenanceBase)}
                  <span className="block">
                    <CheckBadge ok={r.maintenanceToOperators} failLabel="✗ Not all paid on" />
                  </span>
                </>
              ),
            },
            {
              header: "Curtailed days would have mined",
              numeric: true,
              cellProps: () => ({ "data-testid": "run-curtailed-gross" }),
              cell: (r) => coin(r, r.curtailedGrossBase),
            },
            {
              header: "Under-delivery credits",
              numeric: true,
              cell: (r) => <Usd micro={r.underDeliveryCreditMicroUsd} />,
            },
          ]}
        />
      )}
    </article>
  );
}
