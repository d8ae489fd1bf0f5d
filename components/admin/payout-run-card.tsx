// One payout run with its counts and its reconciliation per coin, from the stored numbers:
// mined = customer net + pool fees + maintenance fees + rounding. Server-safe (no hooks).
import Link from "next/link";
import type { RunRow } from "@/lib/payouts/admin";
import { formatCoinAmount, formatDay, formatInstantUtc, formatInteger, formatMicroUsd } from "../format";
import { StatusBadge, humanize } from "../ui";

function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${formatInteger(ms)} ms`;
  const seconds = Math.floor(ms / 1000);
  return seconds < 60 ? `${seconds}.${String(ms % 1000).padStart(3, "0").slice(0, 1)} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `headingLevel`: 3 in a list under a section's h2, 2 when the card follows the page's h1. */
export function PayoutRunCard({ run, link = true, headingLevel = 3 }: { run: RunRow; link?: boolean; headingLevel?: 2 | 3 }) {
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
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-6">
        <div>
          <dt className="text-slate-600">Started</dt>
          <dd className="tabular-nums">{formatInstantUtc(run.startedAt)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Finished</dt>
          <dd className="tabular-nums">{run.finishedAt ? formatInstantUtc(run.finishedAt) : "—"}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Duration</dt>
          <dd className="tabular-nums">{duration(run.durationMs)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Settled</dt>
          <dd className="tabular-nums">{formatInteger(run.contractsSettled)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Curtailed</dt>
          <dd className="tabular-nums">{formatInteger(run.contractsCurtailed)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Unsettled</dt>
          <dd className="tabular-nums">{formatInteger(run.contractsUnsettled)}</dd>
        </div>
      </dl>
      {run.error ? (
        <p className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800">
          <span className="font-semibold">Error: </span>
          {run.error}
        </p>
      ) : null}
      {run.reconciliation.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">
          {run.status === "COMPLETED" ? "This run inserted no payout, so there is nothing to reconcile." : "No totals: the run did not complete."}
        </p>
      ) : (
        <div className="mt-4 overflow-x-auto" role="region" aria-label={`Reconciliation of the run of ${formatDay(run.day)}`} tabIndex={0}>
          <table className="data-table">
            <caption className="sr-only">Reconciliation per coin: mined = customer net + pool fees + maintenance fees + rounding</caption>
            <thead>
              <tr>
                <th scope="col">Coin</th>
                <th scope="col" className="num">
                  Mined
                </th>
                <th scope="col" className="num">
                  Customer net
                </th>
                <th scope="col" className="num">
                  Pool fees
                </th>
                <th scope="col" className="num">
                  Maintenance fees
                </th>
                <th scope="col" className="num">
                  Rounding
                </th>
                <th scope="col">Reconciles</th>
                <th scope="col" className="num">
                  Under-delivery credits
                </th>
              </tr>
            </thead>
            <tbody>
              {run.reconciliation.map((r) => {
                const coin = (v: bigint) => formatCoinAmount(v, r.decimals, { maxDecimals: r.decimals });
                return (
                  <tr key={r.coin}>
                    <th scope="row">{r.coin}</th>
                    <td className="num">{coin(r.minedBase)}</td>
                    <td className="num">{coin(r.customerNetBase)}</td>
                    <td className="num">{coin(r.poolFeesBase)}</td>
                    <td className="num">{coin(r.maintenanceFeesBase)}</td>
                    <td className="num">{coin(r.roundingBase)}</td>
                    <td>
                      {r.balanced ? (
                        <StatusBadge status="ACTIVE" label="✓ OK" />
                      ) : (
                        <StatusBadge status="FAILED" label="✗ Mismatch" />
                      )}
                    </td>
                    <td className="num">{formatMicroUsd(r.underDeliveryCreditMicroUsd)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
