import type { Metadata } from "next";
import Link from "next/link";
import { AdminPage, countText, PagedSection, SearchSection } from "@/components/admin/admin-page";
import { figure, nowrap } from "@/components/admin/columns";
import { formatHashrate, formatInstantUtc } from "@/components/format";
import { DataTable, EmptyState, humanize, SearchField, SelectFilter, StatusBadge, Usd } from "@/components/ui";
import { searchContracts } from "@/lib/admin/contracts";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { ContractStatus } from "@/lib/generated/prisma/enums";
import { enumParam, hrefWith, pageParam, textParam, type SearchParams } from "../_lib/params";

export const metadata: Metadata = { title: "Contracts" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;
const STATUSES = Object.values(ContractStatus);

export default async function ContractsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRole("ADMIN", "/admin/contracts");
  const params = await searchParams;
  const q = textParam(params, "q", 200);
  const status = enumParam(params, "status", STATUSES);
  const page = pageParam(params);
  const { rows, total } = await searchContracts(db(), { q, status }, { page, pageSize: PAGE_SIZE });

  return (
    <AdminPage
      current="/admin/contracts"
      title="Contracts"
      description="Find a contract by its id, the customer's email, or a customer or listing id; open it for its payment, allocations and payouts."
    >
      <SearchSection action="/admin/contracts" label="Search contracts">
        <SearchField
          id="contract-q"
          name="q"
          label="Contract id, customer email, customer or listing id"
          defaultValue={q}
          className="min-w-[18rem] flex-1"
        />
        <SelectFilter
          id="contract-status"
          name="status"
          label="Status"
          anyLabel="Any status"
          values={STATUSES}
          defaultValue={status}
        />
      </SearchSection>
      <PagedSection
        id="contracts"
        title="Contracts"
        description={`${countText(total, "contract", "contracts")} match, newest first.`}
        page={page}
        total={total}
        pageSize={PAGE_SIZE}
        href={(p) => hrefWith("/admin/contracts", { q, status, page: p })}
      >
        <DataTable
          label="Contracts"
          caption="Contracts"
          rows={rows}
          empty={<EmptyState title="No contract matches." />}
          rowKey={(c) => c.id}
          columns={[
            {
              header: "Contract",
              rowHeader: true,
              className: "font-mono text-xs",
              cell: (c) => (
                <Link className="link" href={`/admin/contracts/${c.id}`}>
                  {c.id.slice(0, 8)}
                </Link>
              ),
            },
            { header: "Customer", cell: (c) => c.customerEmail },
            { header: "Listing", cell: (c) => c.listingTitle },
            { header: "Hashrate", ...figure, cell: (c) => `${formatHashrate(c.hashrateHs)} · ${c.days} d` },
            { header: "Price", ...figure, cell: (c) => <Usd micro={c.totalPriceMicroUsd} /> },
            { header: "Paid with", cell: (c) => humanize(c.paymentMethod) },
            { header: "Status", cell: (c) => <StatusBadge status={c.status} /> },
            { header: "Bought", ...nowrap, cell: (c) => formatInstantUtc(c.createdAt) },
          ]}
        />
      </PagedSection>
    </AdminPage>
  );
}
