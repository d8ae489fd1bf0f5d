// The mark every payout carries: where its delivered hashrate came from (DESIGN.md "Delivered
// hashrate: measured"). Shares verified by the Hashlease Stratum endpoint, or the operator's word.
import type { HashrateSource } from "@/lib/generated/prisma/enums";

const MARKS: Record<HashrateSource, { label: string; title: string; className: string }> = {
  SHARES: {
    label: "Verified by shares",
    title: "Every share the rigs submitted was hashed and checked by Hashlease",
    className: "bg-emerald-50 text-emerald-800 ring-emerald-600/30",
  },
  MIXED: {
    label: "Partly verified",
    title: "Some rigs were measured from verified shares, the others reported by the operator",
    className: "bg-sky-50 text-sky-800 ring-sky-600/30",
  },
  TELEMETRY: {
    label: "Reported by operator",
    title: "The operator's reported hashrate; not measured from shares",
    className: "bg-amber-50 text-amber-900 ring-amber-600/30",
  },
  NONE: {
    label: "No delivery data",
    title: "Neither shares nor a report for the day: delivered 0, compensated as under-delivery",
    className: "bg-slate-100 text-slate-700 ring-slate-500/30",
  },
};

export function hashrateSourceLabel(source: HashrateSource): string {
  return MARKS[source].label;
}

export function HashrateSourceMark({ source }: { source: HashrateSource }) {
  const mark = MARKS[source];
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${mark.className}`}
      title={mark.title}
      data-testid="hashrate-source"
    >
      {mark.label}
    </span>
  );
}
