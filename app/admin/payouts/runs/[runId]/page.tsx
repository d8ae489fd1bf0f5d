import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminNav } from "@/components/admin/admin-nav";
import { PayoutRunCard } from "@/components/admin/payout-run-card";
import { formatCoinAmount, formatDay, formatHashrate, formatInteger, formatMicroUsd } from "@/components/format";
import { Pager } from "@/components/pager";
import { EmptyState, PageHeader, Section, TableScroller } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { findRun, runPayouts } from "@/lib/payouts/admin";

export const metadata: Metadata = { title: "Payout run" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

export default async function PayoutRunPage({
  params,
  searchParams,
}: {
  params: Promise<{ runId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { runId } = await params;
  await requireRole("ADMIN", `/admin/payouts/runs/${encodeURIComponent(runId)}`);
  if (!/^[0-9a-f-]{36}$/i.test(runId)) notFound();
  const prisma = db();
  const run = await findRun(prisma, runId);
  if (!run) notFound();
  const query = await searchParams;
  const page = Math.max(1, Math.floor(Number(typeof query.page === "string" ? query.page : "1") || 1));
  const { rows, total } = await runPayouts(prisma, runId, { page, pageSize: PAGE_SIZE });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="page">
      <AdminNav current="/admin/payouts" />
      <PageHeader
        title={`Payout run of ${formatDay(run.day)}`}
        description={`Run ${run.id}`}
        actions={
          <Link href="/admin/payouts" className="btn btn-ghost">
            All runs
          </Link>
        }
      />
      <div className="mb-10">
        <PayoutRunCard run={run} link={false} headingLevel={2} />
      </div>
      <Section id="payouts" title="Payouts of this run" description={`${formatInteger(total)} ${total === 1 ? "payout" : "payouts"}, by coin.`}>
        {rows.length === 0 ? (
          <EmptyState title="This run inserted no payout.">
            Either every contract due that day was already paid by an earlier run, or none could be settled (see the unsettled count).
          </EmptyState>
        ) : (
          <TableScroller label="Payouts of this run">
            <table className="data-table">
              <caption className="sr-only">Payouts of the run of {formatDay(run.day)}</caption>
              <thead>
                <tr>
                  <th scope="col">Payout</th>
                  <th scope="col">Contract</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Coin</th>
                  <th scope="col" className="num">
                    Allocated
                  </th>
                  <th scope="col" className="num">
                    Delivered
                  </th>
                  <th scope="col" className="num">
                    Gross
                  </th>
                  <th scope="col" className="num">
                    Pool fee
                  </th>
                  <th scope="col" className="num">
                    Maintenance fee
                  </th>
                  <th scope="col" className="num">
                    Net
                  </th>
                  <th scope="col">Curtailed</th>
                  <th scope="col" className="num">
                    Credit
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => {
                  const coin = (v: bigint) => formatCoinAmount(v, p.decimals, { maxDecimals: p.decimals });
                  return (
                    <tr key={p.id.toString()}>
                      <th scope="row">
                        <Link href={`/admin/payouts/payouts/${p.id}`} className="link">
                          #{p.id.toString()}
                        </Link>
                      </th>
                      <td className="font-mono text-xs" title={p.contractId}>
                        {p.contractId.slice(0, 8)}
                      </td>
                      <td className="max-w-[14rem] truncate" title={p.customerEmail}>
                        {p.customerEmail}
                      </td>
                      <td>{p.coin}</td>
                      <td className="num whitespace-nowrap">{formatHashrate(p.allocatedHashrateHs)}</td>
                      <td className="num whitespace-nowrap">{formatHashrate(p.deliveredHashrateHs)}</td>
                      <td className="num">{coin(p.grossBase)}</td>
                      <td className="num">{coin(p.poolFeeBase)}</td>
                      <td className="num">{coin(p.maintenanceFeeBase)}</td>
                      <td className="num">{coin(p.netBase)}</td>
                      <td>{p.curtailed ? "Yes" : "No"}</td>
                      <td className="num">{formatMicroUsd(p.underDeliveryCreditMicroUsd)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroller>
        )}
        <Pager page={Math.min(page, pageCount)} pageCount={pageCount} href={(p) => `/admin/payouts/runs/${run.id}${p > 1 ? `?page=${p}` : ""}`} />
      </Section>
    </div>
  );
}
