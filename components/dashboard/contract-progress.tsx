// Active (and pending) contracts with a progress bar of the term: days ended / days bought.
import Link from "next/link";
import { formatDay, formatHashrate, formatInteger, sharePercent } from "@/components/format";
import { StatusBadge, Usd } from "@/components/ui";
import type { ContractProgress } from "@/lib/dashboard/queries";

export function ContractProgressList({ contracts }: { contracts: ContractProgress[] }) {
  return (
    <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" aria-label="Active contracts">
      {contracts.map((c) => {
        const percent = sharePercent(BigInt(c.daysElapsed), BigInt(c.days));
        const labelId = `contract-${c.id}-progress`;
        return (
          <li key={c.id} className="card flex flex-col gap-3 p-4" data-testid="contract-card">
            <div className="flex items-start justify-between gap-3">
              <div>
                <Link href={`/dashboard/contracts/${c.id}`} className="font-medium text-slate-900 hover:underline">
                  {c.listingTitle}
                </Link>
                <p className="text-xs text-slate-600">
                  {c.operatorName} · {c.coin} · contract {c.id.slice(0, 8)}
                </p>
                <Link href={`/dashboard/contracts/${c.id}`} className="link text-xs">
                  Verified delivery
                </Link>
              </div>
              <StatusBadge status={c.status} />
            </div>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-600">Hashrate</dt>
              <dd className="text-right tabular-nums">{formatHashrate(c.hashrateHs)}</dd>
              <dt className="text-slate-600">Term</dt>
              <dd className="text-right tabular-nums">
                {c.startDay && c.endDay
                  ? `${formatDay(c.startDay)} → ${formatDay(c.endDay)}`
                  : "Starts the day after payment"}
              </dd>
              <dt className="text-slate-600">Price per day</dt>
              <dd className="text-right tabular-nums">
                <Usd micro={c.dailyPriceMicroUsd} rate />
              </dd>
            </dl>
            <div>
              <p id={labelId} className="mb-1 flex justify-between text-xs text-slate-700">
                <span>
                  Day {formatInteger(c.daysElapsed)} of {formatInteger(c.days)} ended
                </span>
                <span>{formatInteger(c.days - c.daysElapsed)} to go</span>
              </p>
              <div
                role="progressbar"
                aria-labelledby={labelId}
                aria-valuemin={0}
                aria-valuemax={c.days}
                aria-valuenow={c.daysElapsed}
                aria-valuetext={`${c.daysElapsed} of ${c.days} days`}
                className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
              >
                <div className="h-full rounded-full bg-brand-600" style={{ width: `${percent}%` }} />
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
