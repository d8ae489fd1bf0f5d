import { sharePercent } from "../format";

/** Free share of a capacity as a bar; decorative, the numbers are in the text beside it. */
export function CapacityBar({ freeHs, totalHs }: { freeHs: bigint; totalHs: bigint }) {
  const free = sharePercent(freeHs, totalHs);
  return (
    <div aria-hidden="true" className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
      <div className="h-full rounded-full bg-brand-600" style={{ width: `${free}%` }} />
    </div>
  );
}
