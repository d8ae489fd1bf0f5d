import type { Metadata } from "next";
import Link from "next/link";
import { firstParam, type SearchParams } from "@/app/_lib/search-params";
import { CoinEarnings } from "@/components/dashboard/coin-earnings";
import { ContractProgressList } from "@/components/dashboard/contract-progress";
import { HashrateSourceMark } from "@/components/dashboard/hashrate-source";
import { PendingCheckoutList } from "@/components/dashboard/pending-checkouts";
import { formatCoinAmount, formatDay, formatHashrate, formatInteger } from "@/components/format";
import { Pager } from "@/components/pager";
import { PayoutFiguresTable } from "@/components/payout-figures-table";
import { Button, DataTable, EmptyState, LinkButton, PageHeader, Section, StatusBadge, Usd } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { customerPastContracts } from "@/lib/dashboard/contract";
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
import { cancelCheckoutAction, resumeCheckoutAction } from "./actions";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A balance: USD to the cent (the exact figure on hover and for screen readers), coins in their base units. */
function amount(row: Pick<BalanceRow, "asset" | "decimals">, value: bigint, testId: string) {
  return row.asset === "USD" ? (
    <Usd micro={value} srExact data-testid={testId} />
  ) : (
    <span data-testid={testId}>{`${formatCoinAmount(value, row.decimals)} ${row.asset}`}</span>
  );
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
  const [balances, current, options, summary, coins, past] = await Promise.all([
    customerBalances(prisma, user.id),
    customerActiveContracts(prisma, user.id),
    customerContractOptions(prisma, user.id),
    payoutSummary(prisma, user.id, contractFilter),
    prisma.coin.findMany({ select: { asset: true, hashrateUnitLabel: true } }),
    customerPastContracts(prisma, user.id),
  ]);
  const contracts = current.filter((c) => c.status !== "PENDING_PAYMENT");
  const checkouts = current.filter((c) => c.status === "PENDING_PAYMENT");
  const cancelled = firstParam(params.checkout) === "cancelled";
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
            { header: "Available", numeric: true, cell: (b) => amount(b, b.available, `available-${b.asset}`) },
            { header: "Held", numeric: true, cell: (b) => amount(b, b.held, `held-${b.asset}`) },
            {
              header: "Value in USD",
              numeric: true,
              cell: (b) => (
                <>
                  {b.usdValueMicroUsd === null ? "no price yet" : <Usd micro={b.usdValueMicroUsd} />}
                  {b.priceMicroUsd !== null ? (
                    <span className="block text-xs text-slate-600">
                      at <Usd micro={b.priceMicroUsd} rate /> per {b.asset}
                    </span>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      </Section>

      {checkouts.length > 0 || cancelled ? (
        <Section
          id="checkouts"
          title="Waiting for payment"
          description="Card checkouts you started: the hashrate is held for you until the time shown."
        >
          {cancelled ? (
            <p role="status" className="card mb-4 px-4 py-3 text-sm">
              Checkout cancelled: the hold is released and nothing was charged.
            </p>
          ) : null}
          {checkouts.length > 0 ? (
            <PendingCheckoutList checkouts={checkouts} resume={resumeCheckoutAction} cancel={cancelCheckoutAction} />
          ) : null}
        </Section>
      ) : null}

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

      {past.length > 0 ? (
        <Section
          id="past-contracts"
          title="Contract history"
          description="Ended contracts and checkouts that lapsed or were cancelled."
        >
          <DataTable
            label="Contract history"
            caption="Past contracts"
            rows={past}
            empty={null}
            rowKey={(c) => c.id}
            columns={[
              {
                header: "Contract",
                rowHeader: true,
                cell: (c) => (
                  <Link className="link" href={`/dashboard/contracts/${c.id}`}>
                    {c.listing.title}
                  </Link>
                ),
              },
              { header: "Hashrate", numeric: true, cell: (c) => `${formatHashrate(c.hashrateHs)} ${c.coin}` },
              {
                header: "Term",
                cell: (c) =>
                  c.startDay && c.endDay ? `${formatDay(c.startDay)} – ${formatDay(c.endDay)}` : `${c.days} days`,
              },
              { header: "Status", cell: (c) => <StatusBadge status={c.status} /> },
            ]}
          />
        </Section>
      ) : null}

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
                { header: "USD value", numeric: true, cell: (p) => <Usd micro={p.usdValueAtReceiptMicroUsd} /> },
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
