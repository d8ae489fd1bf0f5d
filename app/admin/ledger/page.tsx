import type { Metadata } from "next";
import Link from "next/link";
import { AccountLink } from "@/components/admin/admin-links";
import { AdminPage, countText, PagedSection } from "@/components/admin/admin-page";
import { formatAssetAmount } from "@/components/admin/amount";
import { figure } from "@/components/admin/columns";
import { HeadRow } from "@/components/admin/head-row";
import { ReconcileForm } from "@/components/admin/reconcile-form";
import { formatInstantUtc, formatInteger } from "@/components/format";
import {
  DataTable,
  EmptyState,
  humanize,
  SearchForm,
  Section,
  SelectFilter,
  StatusBadge,
  TableScroller,
} from "@/components/ui";
import { assetDecimals, listAccounts, trialBalance } from "@/lib/admin/ledger";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { AccountType, Asset } from "@/lib/generated/prisma/enums";
import { latestReconciliation } from "@/lib/ledger/reconciliation";
import { enumParam, hrefWith, pageParam, textParam, type SearchParams } from "../_lib/params";
import { reconcileNowAction } from "./actions";

export const metadata: Metadata = { title: "Ledger" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;
const ACCOUNT_TYPES = Object.values(AccountType);
const ASSETS = Object.values(Asset);
const TRIAL_BALANCE_COLUMNS = [
  { header: "Account type" },
  { header: "Accounts", numeric: true },
  { header: "Postings", numeric: true },
  { header: "Balance", numeric: true },
];

export default async function LedgerPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRole("ADMIN", "/admin/ledger");
  const params = await searchParams;
  const filter = {
    type: enumParam(params, "type", ACCOUNT_TYPES),
    asset: enumParam(params, "asset", ASSETS),
    email: textParam(params, "email", 120),
  };
  const page = pageParam(params);
  const prisma = db();
  const [assets, reconciliation, accounts, decimals] = await Promise.all([
    trialBalance(prisma),
    latestReconciliation(prisma),
    listAccounts(prisma, filter, { page, pageSize: PAGE_SIZE }),
    assetDecimals(prisma),
  ]);
  const query = { type: filter.type, asset: filter.asset, email: filter.email };
  const unbalanced = assets.filter((a) => !a.balanced);

  return (
    <AdminPage
      current="/admin/ledger"
      title="Ledger"
      description="Double-entry books: every journal's postings sum to zero per asset, so each asset's postings in total must sum to zero, and the cached account balances must add up to the same."
    >
      <Section
        id="trial-balance"
        title="Trial balance"
        description="Per asset, the postings summed by account type (credits positive), in the asset's own unit."
      >
        {assets.length === 0 ? (
          <EmptyState title="No postings yet.">The trial balance appears once the first journal is posted.</EmptyState>
        ) : (
          <>
            {unbalanced.length > 0 ? (
              <p role="alert" className="mb-4 rounded-md bg-red-50 px-4 py-3 text-sm font-medium text-red-800">
                Out of balance: {unbalanced.map((a) => a.asset).join(", ")}. Investigate before any payout or withdrawal
                is sent.
              </p>
            ) : null}
            <div className="grid gap-4 lg:grid-cols-2">
              {assets.map((asset) => (
                <TableScroller key={asset.asset} label={`Trial balance ${asset.asset}`}>
                  <table className="data-table">
                    <caption className="px-4 pt-3 text-left text-sm font-semibold text-slate-900">
                      {asset.asset}{" "}
                      {asset.balanced ? (
                        <StatusBadge status="ACTIVE" label="Balanced (zero)" />
                      ) : (
                        <StatusBadge status="FAILED" label="Not zero" />
                      )}
                    </caption>
                    <HeadRow columns={TRIAL_BALANCE_COLUMNS} />
                    <tbody>
                      {asset.lines.map((line) => (
                        <tr key={line.type}>
                          <th scope="row">
                            <Link
                              className="link"
                              href={hrefWith("/admin/ledger", { type: line.type, asset: asset.asset })}
                            >
                              {humanize(line.type)}
                            </Link>
                          </th>
                          <td className="num">{formatInteger(line.accounts)}</td>
                          <td className="num">{formatInteger(line.postings)}</td>
                          <td className="num whitespace-nowrap">
                            {formatAssetAmount(asset.asset, line.balance, asset.decimals)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">Sum of postings</th>
                        <td />
                        <td className="num">{formatInteger(asset.postings)}</td>
                        <td className="num font-semibold whitespace-nowrap" data-testid={`trial-sum-${asset.asset}`}>
                          {asset.postingsSum.toString()}
                        </td>
                      </tr>
                      <tr>
                        <th scope="row">Sum of cached balances</th>
                        <td />
                        <td />
                        <td className="num font-semibold whitespace-nowrap">{asset.cachedSum.toString()}</td>
                      </tr>
                    </tfoot>
                  </table>
                </TableScroller>
              ))}
            </div>
            <p className="mt-2 text-xs text-slate-600">
              The two sums are in base units (micro-dollars for USD); both must be 0.
            </p>
          </>
        )}
      </Section>

      <Section
        id="reconciliation"
        title="Reconciliation"
        description="Every hour a job compares each account's cached balance with the sum of its postings, over one snapshot, and stores the result."
        actions={<ReconcileForm action={reconcileNowAction} />}
      >
        {!reconciliation ? (
          <EmptyState title="No reconciliation has run yet.">
            The job runs when the server starts and every hour after; you can also run it now.
          </EmptyState>
        ) : (
          <div className="card p-5">
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-800">
              {reconciliation.mismatchCount === 0 ? (
                <StatusBadge status="ACTIVE" label="All balances match" />
              ) : (
                <StatusBadge status="FAILED" label={`${formatInteger(reconciliation.mismatchCount)} mismatched`} />
              )}
              <span>
                Latest run {formatInstantUtc(reconciliation.startedAt)} (
                {reconciliation.triggeredById ? "by an admin" : "scheduled"}):{" "}
                {formatInteger(reconciliation.accountsChecked)} accounts,{" "}
                {formatInteger(reconciliation.postingsChecked)} postings checked in{" "}
                {formatInteger(reconciliation.finishedAt.getTime() - reconciliation.startedAt.getTime())} ms.
              </span>
            </p>
            {reconciliation.mismatches.length > 0 ? (
              <div className="mt-4">
                <DataTable
                  label="Mismatched accounts"
                  caption="Accounts whose cached balance differs from the sum of their postings"
                  rows={reconciliation.mismatches.map((m) => ({
                    ...m,
                    d: decimals.get(m.asset) ?? 0,
                    cached: BigInt(m.cachedBalance),
                    sum: BigInt(m.postingsSum),
                  }))}
                  rowKey={(m) => m.accountId}
                  columns={[
                    {
                      header: "Account",
                      rowHeader: true,
                      cell: (m) => <AccountLink id={m.accountId} type={m.type} asset={m.asset} />,
                    },
                    { header: "Cached balance", numeric: true, cell: (m) => formatAssetAmount(m.asset, m.cached, m.d) },
                    { header: "Sum of postings", numeric: true, cell: (m) => formatAssetAmount(m.asset, m.sum, m.d) },
                    {
                      header: "Difference",
                      numeric: true,
                      cell: (m) => formatAssetAmount(m.asset, m.cached - m.sum, m.d),
                    },
                  ]}
                />
                {reconciliation.mismatchCount > reconciliation.mismatches.length ? (
                  <p className="mt-2 text-xs text-slate-600">
                    The first {reconciliation.mismatches.length} of {formatInteger(reconciliation.mismatchCount)} are
                    listed.
                  </p>
                ) : null}
              </div>
            ) : null}
          </div>
        )}
      </Section>

      <PagedSection
        id="accounts"
        title="Accounts"
        description={`${countText(accounts.total, "account", "accounts")} match.`}
        page={page}
        total={accounts.total}
        pageSize={PAGE_SIZE}
        href={(p) => hrefWith("/admin/ledger", { ...query, page: p }) + "#accounts"}
      >
        <SearchForm action="/admin/ledger" label="Filter accounts" submitLabel="Filter" className="mb-4">
          <SelectFilter
            id="ledger-type"
            name="type"
            label="Type"
            anyLabel="Any type"
            values={ACCOUNT_TYPES}
            defaultValue={filter.type}
          />
          <SelectFilter
            id="ledger-asset"
            name="asset"
            label="Asset"
            anyLabel="Any asset"
            values={ASSETS}
            defaultValue={filter.asset}
            display={(asset) => asset}
          />
          <div className="min-w-[14rem] flex-1">
            <label htmlFor="ledger-email" className="label text-xs">
              Owner email contains
            </label>
            <input
              id="ledger-email"
              name="email"
              defaultValue={filter.email}
              className="input mt-1"
              autoComplete="off"
            />
          </div>
        </SearchForm>
        <DataTable
          label="Ledger accounts"
          caption="Ledger accounts"
          rows={accounts.rows}
          empty={<EmptyState title="No account matches these filters." />}
          rowKey={(a) => a.id}
          columns={[
            {
              header: "Account",
              rowHeader: true,
              cell: (a) => <AccountLink id={a.id} type={a.type} asset={a.asset} />,
            },
            {
              header: "Owner",
              cell: (a) =>
                a.userId ? (
                  <Link className="link" href={`/admin/users/${a.userId}`}>
                    {a.userEmail}
                  </Link>
                ) : (
                  "Platform"
                ),
            },
            {
              header: "Cached balance",
              ...figure,
              cell: (a) => formatAssetAmount(a.asset, a.balance, decimals.get(a.asset) ?? 0),
            },
          ]}
        />
      </PagedSection>
    </AdminPage>
  );
}
