// Small presentational building blocks shared by pages. Server-safe (no hooks).
import Link from "next/link";
import type { ReactNode } from "react";
import { sharePercent } from "./format";

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-8 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{title}</h1>
        {description ? <div className="mt-2 max-w-3xl text-slate-600">{description}</div> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap gap-3">{actions}</div> : null}
    </div>
  );
}

/** A titled section with an h2, labelled for landmarks navigation. */
export function Section({
  id,
  title,
  description,
  actions,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`} className="mb-10">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: { href: string; label: string } }) {
  return (
    <div className="card flex flex-col items-start gap-3 border-dashed px-6 py-8 sm:items-center sm:text-center">
      <p className="font-medium text-slate-900">{title}</p>
      {children ? <div className="max-w-xl text-sm text-slate-600">{children}</div> : null}
      {action ? (
        <Link href={action.href} className="btn btn-primary mt-1">
          {action.label}
        </Link>
      ) : null}
    </div>
  );
}

export function StatCard({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) {
  return (
    <div className="card px-5 py-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums tracking-tight text-slate-900">{value}</dd>
      {detail ? <dd className="mt-1 text-xs text-slate-600">{detail}</dd> : null}
    </div>
  );
}

type Tone = "green" | "amber" | "red" | "slate" | "brand";

const TONES: Record<Tone, string> = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  amber: "bg-amber-50 text-amber-900 ring-amber-600/25",
  red: "bg-red-50 text-red-800 ring-red-600/20",
  slate: "bg-slate-100 text-slate-700 ring-slate-500/20",
  brand: "bg-brand-50 text-brand-800 ring-brand-600/20",
};

const STATUS_TONES: Record<string, Tone> = {
  ACTIVE: "green",
  PUBLISHED: "green",
  LIVE: "green",
  COMPLETED: "slate",
  CONFIRMED: "green",
  MAINTENANCE: "amber",
  PENDING_PAYMENT: "amber",
  DRAFT: "slate",
  UNPUBLISHED: "slate",
  RUNNING: "brand",
  REQUESTED: "amber",
  APPROVED: "brand",
  SENT: "brand",
  OFFLINE: "red",
  RETIRED: "slate",
  EXPIRED: "slate",
  CANCELLED: "slate",
  REJECTED: "red",
  FAILED: "red",
};

/** "PENDING_PAYMENT" -> "Pending payment". */
export function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const tone = STATUS_TONES[status] ?? "slate";
  return (
    <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}>
      {label ?? humanize(status)}
    </span>
  );
}

/** Free share of a capacity as a bar; decorative, the numbers are in the text beside it. */
export function CapacityBar({ freeHs, totalHs }: { freeHs: bigint; totalHs: bigint }) {
  const free = sharePercent(freeHs, totalHs);
  return (
    <div aria-hidden="true" className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
      <div className="h-full rounded-full bg-brand-600" style={{ width: `${free}%` }} />
    </div>
  );
}

/** A table in a horizontally scrollable, focusable region so keyboard users can scroll it. */
export function TableScroller({ label, children }: { label: string; children: ReactNode }) {
  // "… table": the region is often inside a section titled `label`; landmarks need distinct names.
  return (
    <div className="card overflow-x-auto" role="region" aria-label={`${label} table`} tabIndex={0}>
      {children}
    </div>
  );
}
