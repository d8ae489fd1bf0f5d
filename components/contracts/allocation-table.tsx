// A contract's allocations — the slices of rigs' nominal hashrate it held, from reservation to
// release — as the admin console and the customer's contract page both show them.
import { figure, nowrap, rigColumn } from "@/components/admin/columns";
import { formatHashrate, formatInstantUtc } from "@/components/format";
import { DataTable, EmptyState, StatusBadge } from "@/components/ui";
import type { ContractView } from "@/lib/admin/contracts";

export function AllocationTable({ allocations }: { allocations: ContractView["allocations"] }) {
  return (
    <DataTable
      label="Allocations"
      caption="Allocations of this contract"
      rows={allocations}
      empty={<EmptyState title="No allocation." />}
      rowKey={(a) => a.id}
      columns={[
        rigColumn("font-normal text-slate-600"),
        { header: "Hashrate", ...figure, cell: (a) => formatHashrate(a.hashrateHs) },
        { header: "Status", cell: (a) => <StatusBadge status={a.status} /> },
        { header: "Created", ...nowrap, cell: (a) => formatInstantUtc(a.createdAt) },
        { header: "Released", ...nowrap, cell: (a) => (a.releasedAt ? formatInstantUtc(a.releasedAt) : "—") },
      ]}
    />
  );
}
