// The row-naming cells of the operator tables: a rig (linked model, serial number under it, and
// optionally its facility) and a listing (linked title, a detail line under it).
import Link from "next/link";
import type { ReactNode } from "react";

export function RigCell({
  rigId,
  model,
  serialNumber,
  facility,
}: {
  rigId: string;
  model: string;
  serialNumber: string;
  facility?: string;
}) {
  return (
    <>
      <Link href={`/operator/rigs/${rigId}`} className="link">
        {model}
      </Link>
      <span className="block font-mono text-xs font-normal text-slate-600">{serialNumber}</span>
      {facility === undefined ? null : <span className="block text-xs font-normal text-slate-600">{facility}</span>}
    </>
  );
}

export function ListingCell({ id, title, detail }: { id: string; title: string; detail: ReactNode }) {
  return (
    <>
      <Link href={`/operator/listings/${id}`} className="link">
        {title}
      </Link>
      <span className="block text-xs font-normal text-slate-600">{detail}</span>
    </>
  );
}
