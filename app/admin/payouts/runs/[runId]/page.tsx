import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminPage, countText, PagedSection } from "@/components/admin/admin-page";
import { PayoutRunCard } from "@/components/admin/payout-run-card";
import { formatCoinAmount, formatDay } from "@/components/format";
import { PayoutFiguresTable } from "@/components/payout-figures-table";
import { EmptyState, LinkButton } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { findRun, runPayouts } from "@/lib/payouts/admin";
import type { DetailPageProps } from "../../../_lib/params";

export const metadata: Metadata = { title: "Payout run" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

export default async function PayoutRunPage({ params, searchParams }: DetailPageProps<"runId">) {
  const { runId } = await params;
  await requireRole("ADMIN", `/admin/payouts/runs/${encodeURIComponent(runId)}`);
  if (!/^[0-9a-f-]{36}$/i.test(runId)) notFound();
  const prisma = db();
  const run = await findRun(prisma, runId);
  if (!run) notFound();
  const query = await searchParams;
  const page = Math.max(1, Math.floor(Number(typeof query.page === "string" ? query.page : "1") || 1));
  const { rows, total } = await runPayouts(prisma, runId, { page, pageSize: PAGE_SIZE });

  return (
    <AdminPage
      current="/admin/payouts"
      title={`Payout run of ${formatDay(run.day)}`}
      description={`Run ${run.id}`}
      actions={
        <LinkButton href="/admin/payouts" variant="ghost">
          All runs
        </LinkButton>
      }
    >
      <div className="mb-10">
        <PayoutRunCard run={run} link={false} headingLevel={2} />
      </div>
      <PagedSection
        id="payouts"
        title="Payouts of this run"
        description={`${countText(total, "payout", "payouts")}, by coin.`}
        page={page}
        total={total}
        pageSize={PAGE_SIZE}
        href={(p) => `/admin/payouts/runs/${run.id}${p > 1 ? `?page=${p}` : ""}`}
      >
        {rows.length === 0 ? (
          <EmptyState title="This run inserted no payout.">
            Either every contract due that day was already paid by an earlier run, or none could be settled (see the
            unsettled count).
          </EmptyState>
        ) : (
          <PayoutFiguresTable
            label="Payouts of this run"
            caption={<>Payouts of the run of {formatDay(run.day)}</>}
            rows={rows}
            rowKey={(p) => p.id.toString()}
            coin={(p, base) => formatCoinAmount(base, p.decimals, { maxDecimals: p.decimals })}
            creditHeader="Credit"
            hashrateClassName="whitespace-nowrap"
            before={[
              {
                header: "Payout",
                rowHeader: true,
                cell: (p) => (
                  <Link href={`/admin/payouts/payouts/${p.id}`} className="link">
                    #{p.id.toString()}
                  </Link>
                ),
              },
              {
                header: "Contract",
                className: "font-mono text-xs",
                cellProps: (p) => ({ title: p.contractId }),
                cell: (p) => p.contractId.slice(0, 8),
              },
              {
                header: "Customer",
                className: "max-w-[14rem] truncate",
                cellProps: (p) => ({ title: p.customerEmail }),
                cell: (p) => p.customerEmail,
              },
              { header: "Coin", cell: (p) => p.coin },
            ]}
          />
        )}
      </PagedSection>
    </AdminPage>
  );
}
