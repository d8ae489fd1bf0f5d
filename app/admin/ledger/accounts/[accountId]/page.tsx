import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminPage, PagedSection } from "@/components/admin/admin-page";
import { formatAssetAmount } from "@/components/admin/amount";
import { figure, nowrap } from "@/components/admin/columns";
import { formatInstantUtc, formatInteger } from "@/components/format";
import { DataTable, EmptyState, humanize, StatCard, StatusBadge } from "@/components/ui";
import { accountStatement } from "@/lib/admin/ledger";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { hrefWith, pageParam, type DetailPageProps } from "../../../_lib/params";

export const metadata: Metadata = { title: "Account statement" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

/** Where a journal's reference leads in the admin console, when it has a page there. */
function referenceHref(type: string, id: string): string | null {
  if (type === "contract") return `/admin/contracts/${id}`;
  if (type === "daily_payout" && /^\d+$/.test(id)) return `/admin/payouts/payouts/${id}`;
  if (type === "user") return `/admin/users/${id}`;
  return null;
}

export default async function AccountStatementPage({ params, searchParams }: DetailPageProps<"accountId">) {
  const { accountId } = await params;
  await requireRole("ADMIN", `/admin/ledger/accounts/${accountId}`);
  const page = pageParam(await searchParams);
  const statement = await accountStatement(db(), accountId, { page, pageSize: PAGE_SIZE });
  if (!statement) notFound();
  const { account, lines, total } = statement;
  const matches = account.balance === account.postingsSum;

  return (
    <AdminPage
      current="/admin/ledger"
      back={{ href: "/admin/ledger#accounts", label: "Ledger" }}
      title={`${humanize(account.type)} ${account.asset}`}
      description={
        account.userId ? (
          <>
            Account of{" "}
            <Link className="link" href={`/admin/users/${account.userId}`}>
              {account.userEmail}
            </Link>
            .
          </>
        ) : (
          "Platform account."
        )
      }
    >
      <dl className="mb-6 grid grid-cols-1 gap-4 sm:grid-cols-3">
        <StatCard label="Cached balance" value={formatAssetAmount(account.asset, account.balance, account.decimals)} />
        <StatCard
          label="Sum of postings"
          value={formatAssetAmount(account.asset, account.postingsSum, account.decimals)}
        />
        <StatCard
          label="Cache check"
          value={
            matches ? <StatusBadge status="ACTIVE" label="Matches" /> : <StatusBadge status="FAILED" label="Mismatch" />
          }
          detail={`${formatInteger(total)} postings`}
        />
      </dl>

      <PagedSection
        id="postings"
        title="Postings"
        description="Newest first; the balance column is the account's balance after each posting."
        page={page}
        total={total}
        pageSize={PAGE_SIZE}
        href={(p) => hrefWith(`/admin/ledger/accounts/${account.id}`, { page: p })}
      >
        <DataTable
          label="Account statement"
          caption="Postings with running balance"
          rows={lines}
          empty={<EmptyState title="No postings on this account yet." />}
          rowKey={(line) => line.postingId.toString()}
          columns={[
            { header: "When", ...nowrap, cell: (line) => formatInstantUtc(line.at) },
            {
              header: "Journal",
              cell: (line) => (
                <>
                  <StatusBadge status={line.kind} label={humanize(line.kind)} />
                  <span className="mt-1 block max-w-md text-xs text-slate-600">{line.description}</span>
                </>
              ),
            },
            {
              header: "Reference",
              className: "text-xs",
              cell: (line) => {
                const href = referenceHref(line.referenceType, line.referenceId);
                return (
                  <>
                    {humanize(line.referenceType)}{" "}
                    {href ? (
                      <Link className="link break-all" href={href}>
                        {line.referenceId}
                      </Link>
                    ) : (
                      <span className="break-all">{line.referenceId}</span>
                    )}
                  </>
                );
              },
            },
            {
              header: "Amount",
              numeric: true,
              cellProps: (line) => ({
                className: `whitespace-nowrap ${line.amount < 0n ? "text-red-700" : "text-emerald-800"}`,
              }),
              cell: (line) => (
                <>
                  {line.amount > 0n ? "+" : ""}
                  {formatAssetAmount(account.asset, line.amount, account.decimals)}
                </>
              ),
            },
            {
              header: "Balance after",
              ...figure,
              cell: (line) => formatAssetAmount(account.asset, line.runningBalance, account.decimals),
            },
          ]}
        />
      </PagedSection>
    </AdminPage>
  );
}
