// A listing's capacity as a stacked bar (live | reserved | free) with its text equivalent.
// The bar is decorative (aria-hidden); the numbers beside it say the same to everyone, and
// the segments differ in pattern as well as colour.
import { formatHashrate, sharePercent } from "../format";

export interface CapacityFigures {
  totalHs: bigint;
  liveHs: bigint;
  reservedHs: bigint;
  freeHs: bigint;
  strandedHs: bigint;
}

const SEGMENTS = [
  { key: "liveHs", label: "Allocated (live)", swatch: "bg-brand-600" },
  {
    key: "reservedHs",
    label: "Reserved",
    swatch: "bg-amber-400 bg-[repeating-linear-gradient(135deg,transparent_0_3px,rgba(255,255,255,0.55)_3px_6px)]",
  },
  { key: "freeHs", label: "Free", swatch: "bg-slate-200" },
] as const;

export function CapacityStack({ capacity, compact = false }: { capacity: CapacityFigures; compact?: boolean }) {
  const { totalHs } = capacity;
  return (
    <div>
      <div
        aria-hidden="true"
        className={`flex w-full overflow-hidden rounded-full bg-slate-200 ${compact ? "h-2" : "h-3"}`}
      >
        {SEGMENTS.map((segment) => {
          const width = sharePercent(capacity[segment.key], totalHs);
          return width > 0 ? (
            <div key={segment.key} className={`h-full ${segment.swatch}`} style={{ width: `${width}%` }} />
          ) : null;
        })}
      </div>
      <dl
        className={`mt-1.5 grid gap-x-4 gap-y-0.5 text-xs text-slate-700 ${compact ? "grid-cols-1" : "grid-cols-2 sm:grid-cols-4"}`}
      >
        <div className="flex items-center gap-1.5 whitespace-nowrap">
          <dt className="font-medium">Total</dt>
          <dd className="tabular-nums">{formatHashrate(totalHs)}</dd>
        </div>
        {SEGMENTS.map((segment) => (
          <div key={segment.key} className="flex items-center gap-1.5 whitespace-nowrap">
            <dt className="flex items-center gap-1.5">
              <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-sm ${segment.swatch}`} />
              {segment.label}
            </dt>
            <dd className="tabular-nums">{formatHashrate(capacity[segment.key])}</dd>
          </div>
        ))}
      </dl>
      {capacity.strandedHs > 0n ? (
        <p className="mt-1 text-xs font-medium text-amber-900">
          {formatHashrate(capacity.strandedHs)} of contracts on rigs out of service (under-delivered)
        </p>
      ) : null}
    </div>
  );
}
