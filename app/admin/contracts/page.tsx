import type { Metadata } from "next";
import Link from "next/link";
import { AdminNav } from "@/components/admin/admin-nav";
import { formatHashrate, formatInstantUtc, formatInteger, formatMicroUsd } from "@/components/format";
import { Pager } from "@/components/pager";
import { Button, DataTable, EmptyState, humanize, PageHeader, Section, StatusBadge } from "@/components/ui";
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
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="page">
      <AdminNav current="/admin/contracts" />
      <PageHeader
        title="Contracts"
        description="Find a contract by its id, the customer's email, or a customer or listing id; open it for its payment, allocations and payouts."
      />
      <Section id="search" title="Search">
        <form
          method="get"
          action="/admin/contracts"
          className="flex flex-wrap items-end gap-3"
          role="search"
          aria-label="Search contracts"
        >
          <div className="min-w-[18rem] flex-1">
            <label htmlFor="contract-q" className="label text-xs">
              Contract id, customer email, customer or listing id
            </label>
            <input id="contract-q" name="q" type="search" defaultValue={q} className="input mt-1" autoComplete="off" />
          </div>
          <div>
            <label htmlFor="contract-status" className="label text-xs">
              Status
            </label>
            <select id="contract-status" name="status" defaultValue={status ?? ""} className="input mt-1">
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </form>
      </Section>
      <Section
        id="contracts"
        title="Contracts"
        description={`${formatInteger(total)} ${total === 1 ? "contract" : "contracts"} match, newest first.`}
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
            {
              header: "Hashrate",
              numeric: true,
              className: "whitespace-nowrap",
              cell: (c) => (
                <>
                  {formatHashrate(c.hashrateHs)} · {c.days} d
                </>
              ),
            },
            {
              header: "Price",
              numeric: true,
              className: "whitespace-nowrap",
              cell: (c) => formatMicroUsd(c.totalPriceMicroUsd),
            },
            { header: "Paid with", cell: (c) => humanize(c.paymentMethod) },
            { header: "Status", cell: (c) => <StatusBadge status={c.status} /> },
            { header: "Bought", className: "whitespace-nowrap", cell: (c) => formatInstantUtc(c.createdAt) },
          ]}
        />
        <Pager
          page={Math.min(page, pageCount)}
          pageCount={pageCount}
          href={(p) => hrefWith("/admin/contracts", { q, status, page: p })}
        />
      </Section>
    </div>
  );
}
