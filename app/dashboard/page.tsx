import type { Metadata } from "next";
import Link from "next/link";
import { firstParam, type SearchParams } from "@/app/_lib/search-params";
import { CoinEarnings } from "@/components/dashboard/coin-earnings";
import { ContractProgressList } from "@/components/dashboard/contract-progress";
import { HashrateSourceMark } from "@/components/dashboard/hashrate-source";
import { formatCoinAmount, formatDay, formatInteger, formatMicroUsd } from "@/components/format";
import { Pager } from "@/components/pager";
import { PayoutFiguresTable } from "@/components/payout-figures-table";
import { Button, DataTable, EmptyState, LinkButton, PageHeader, Section } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import {
  customerActiveContracts,
  customerBalances,
  customerContractOptions,
  PAYOUT_PAGE_SIZE,
  payoutPage,
  payoutSummary,
  type BalanceRow,
} from "@/lib/dashboard/queries";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function amountText(row: Pick<BalanceRow, "asset" | "decimals">, amount: bigint): string {
  return row.asset === "USD" ? formatMicroUsd(amount) : `${formatCoinAmount(amount, row.decimals)} ${row.asset}`;
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireRole("CUSTOMER", "/dashboard");
  const prisma = db();
  const params = await searchParams;
  const rawContract = firstParam(params.contract);
  const contractFilter = rawContract && UUID.test(rawContract) ? rawContract.toLowerCase() : null;
  const rawPage = Number(firstParam(params.page) ?? "1");
  const requestedPage = Number.isSafeInteger(rawPage) && rawPage >= 1 ? rawPage : 1;

  // Every query is scoped to the signed-in customer (no other customer's rows, ever).
  const [balances, contracts, options, summary, coins] = await Promise.all([
    customerBalances(prisma, user.id),
    customerActiveContracts(prisma, user.id),
    customerContractOptions(prisma, user.id),
    payoutSummary(prisma, user.id, contractFilter),
    prisma.coin.findMany({ select: { asset: true, hashrateUnitLabel: true } }),
  ]);
  const filterValid = contractFilter === null || options.some((o) => o.id === contractFilter);
  const payoutCount = summary.reduce((sum, s) => sum + s.totals.payouts, 0);
  const pageCount = Math.max(1, Math.ceil(payoutCount / PAYOUT_PAGE_SIZE));
  const page = Math.min(requestedPage, pageCount);
  const payouts = payoutCount > 0 ? await payoutPage(prisma, user.id, { contractId: contractFilter, page }) : [];
  const unitOf = new Map(coins.map((c) => [c.asset as string, c.hashrateUnitLabel]));
  const purchased = firstParam(params.purchased);
  const pageHref = (p: number) => {
    const query = new URLSearchParams();
    if (contractFilter) query.set("contract", contractFilter);
    if (p > 1) query.set("page", String(p));
    const text = query.toString();
    return `/dashboard${text ? `?${text}` : ""}#payouts`;
  };

  return (
    <div className="page">
      <PageHeader
        title={`Welcome back, ${user.name}`}
        description="Your balances, contracts and daily payouts."
        actions={<LinkButton href="/marketplace">Browse the marketplace</LinkButton>}
      />

      {purchased && contracts.some((c) => c.id === purchased) ? (
        <p role="status" className="card mb-8 border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          Your contract is in place. It starts paying the UTC day after activation; its progress is shown below.
        </p>
      ) : null}

      <Section
        id="balances"
        title="Balances"
        description="Available funds can be reinvested or withdrawn; held funds are reserved for pending operations."
      >
        <DataTable
          label="Balances"
          caption="Balances per asset"
          rows={balances}
          empty={
            <EmptyState
              title="No balance yet — buy a contract in the marketplace."
              action={{ href: "/marketplace", label: "Open the marketplace" }}
            >
              Payouts from your contracts are credited here every day, in the coin you mine.
            </EmptyState>
          }
          rowKey={(b) => b.asset}
          columns={[
            { header: "Asset", rowHeader: true, cell: (b) => b.asset },
            { header: "Available", numeric: true, cell: (b) => amountText(b, b.available) },
            { header: "Held", numeric: true, cell: (b) => amountText(b, b.held) },
            {
              header: "Value in USD",
              numeric: true,
              cell: (b) => (
                <>
                  {b.usdValueMicroUsd === null
                    ? "no price yet"
                    : formatMicroUsd(b.usdValueMicroUsd, { maxDecimals: 2 })}
                  {b.priceMicroUsd !== null ? (
                    <span className="block text-xs text-slate-600">
                      at {formatMicroUsd(b.priceMicroUsd, { maxDecimals: 2 })} per {b.asset}
                    </span>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      </Section>

      <Section id="contracts" title="Active contracts">
        {contracts.length === 0 ? (
          <EmptyState
            title="You have no active contracts."
            action={{ href: "/marketplace", label: "Find hashrate to rent" }}
          >
            Contracts you buy appear here with their hashrate, term and progress.
          </EmptyState>
        ) : (
          <ContractProgressList contracts={contracts} />
        )}
      </Section>

      <Section
        id="earnings"
        title="Earnings"
        description={
          summary.length > 0
            ? `Per coin${contractFilter ? ", for the selected contract" : ""}: the last days with payouts; USD values are at the price on the day received.`
            : undefined
        }
      >
        {summary.length === 0 ? (
          <EmptyState title="No earnings yet.">
            Once a contract has run a full UTC day, its delivered hashrate, daily earnings and running total are charted
            here.
          </EmptyState>
        ) : (
          summary.map((s) => <CoinEarnings key={s.coin} summary={s} unitLabel={unitOf.get(s.coin) ?? "unit"} />)
        )}
      </Section>

      <Section
        id="payouts"
        title="Payouts"
        description={
          payoutCount > 0
            ? `${formatInteger(payoutCount)} daily payouts${contractFilter ? " of the selected contract" : ""}, newest first. Page ${formatInteger(page)} of ${formatInteger(pageCount)}.`
            : undefined
        }
        actions={
          options.length > 0 ? (
            <form method="get" action="/dashboard#payouts" className="flex flex-wrap items-end gap-2">
              <div className="text-sm">
                <label htmlFor="payout-contract" className="mb-1 block font-medium text-slate-700">
                  Contract
                </label>
                <select
                  id="payout-contract"
                  name="contract"
                  defaultValue={filterValid ? (contractFilter ?? "") : ""}
                  className="input"
                >
                  <option value="">All contracts</option>
                  {options.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </div>
              <Button type="submit" variant="secondary">
                Filter
              </Button>
            </form>
          ) : null
        }
      >
        {!filterValid ? (
          <EmptyState
            title="That contract is not one of yours."
            action={{ href: "/dashboard#payouts", label: "Show all payouts" }}
          />
        ) : payouts.length === 0 ? (
          <EmptyState title="No payouts yet.">
            Payouts arrive daily after a contract starts: each UTC day, the coins your delivered hashrate earned, minus
            the pool fee and the maintenance fee, are credited to your balance. Every payout shows the inputs it was
            computed from.
          </EmptyState>
        ) : (
          <>
            <PayoutFiguresTable
              label="Payouts"
              caption="Your daily payouts, newest first"
              testId="payout-table"
              rows={payouts}
              rowKey={(p) => String(p.id)}
              rowProps={(p) => ({ "data-testid": "payout-row", "data-day": formatDay(p.day), "data-coin": p.coin })}
              coin={(p, base) => `${formatCoinAmount(base, p.decimals)} ${p.coin}`}
              creditHeader="Under-delivery credit"
              emphasizeNet
              before={[
                { header: "Day (UTC)", className: "whitespace-nowrap", cell: (p) => formatDay(p.day) },
                {
                  header: "Contract",
                  cell: (p) => (
                    <>
                      <span className="block max-w-56 truncate" title={p.listingTitle}>
                        {p.listingTitle}
                      </span>
                      <span className="block text-xs text-slate-600">
                        {p.coin} ·{" "}
                        <Link href={`/dashboard/contracts/${p.contractId}`} className="link">
                          {p.contractId.slice(0, 8)}
                        </Link>
                      </span>
                      <span className="mt-1 block">
                        <HashrateSourceMark source={p.hashrateSource} />
                      </span>
                    </>
                  ),
                },
              ]}
              after={[
                { header: "USD value", numeric: true, cell: (p) => formatMicroUsd(p.usdValueAtReceiptMicroUsd) },
                {
                  header: <span className="sr-only">Breakdown</span>,
                  key: "breakdown",
                  cell: (p) => (
                    <Link
                      href={`/dashboard/payouts/${p.id}`}
                      className="whitespace-nowrap text-brand-700 underline-offset-2 hover:underline"
                    >
                      How was this computed?
                      <span className="sr-only">
                        {" "}
                        ({p.coin} payout of {formatDay(p.day)})
                      </span>
                    </Link>
                  ),
                },
              ]}
            />
            <Pager page={page} pageCount={pageCount} href={pageHref} />
          </>
        )}
      </Section>
    </div>
  );
}
