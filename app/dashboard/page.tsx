import type { Metadata } from "next";
import Link from "next/link";
import { formatCoinAmount, formatDay, formatHashrate, formatInteger, formatMicroUsd } from "@/components/format";
import { EmptyState, PageHeader, Section, StatusBadge, TableScroller } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { decimalToBigInt } from "@/lib/db/decimal";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

const PAYOUTS_SHOWN = 30;

export default async function DashboardPage() {
  const user = await requireRole("CUSTOMER", "/dashboard");
  const prisma = db();

  // Every query is scoped to the signed-in customer (no other customer's rows, ever).
  const [accounts, coins, contracts, payouts, payoutCount] = await Promise.all([
    prisma.ledgerAccount.findMany({
      where: { userId: user.id, type: { in: ["USER_AVAILABLE", "USER_HELD"] } },
      select: { type: true, asset: true, balance: true },
    }),
    prisma.coin.findMany({ select: { asset: true, decimals: true, hashrateUnitLabel: true } }),
    prisma.contract.findMany({
      where: { customerId: user.id, status: { in: ["PENDING_PAYMENT", "ACTIVE"] } },
      orderBy: [{ createdAt: "desc" }],
      select: {
        id: true,
        coin: true,
        hashrateHs: true,
        days: true,
        status: true,
        startDay: true,
        endDay: true,
        dailyPriceMicroUsd: true,
        totalPriceMicroUsd: true,
        reservedUntil: true,
        listing: { select: { title: true, operator: { select: { name: true } } } },
      },
    }),
    prisma.dailyPayout.findMany({
      where: { contract: { customerId: user.id } },
      orderBy: [{ day: "desc" }, { id: "desc" }],
      take: PAYOUTS_SHOWN,
      select: {
        id: true,
        day: true,
        coin: true,
        deliveredHashrateHs: true,
        allocatedHashrateHs: true,
        grossBase: true,
        poolFeeBase: true,
        maintenanceFeeBase: true,
        netBase: true,
        curtailed: true,
        decimals: true,
        underDeliveryCreditMicroUsd: true,
        usdValueAtReceiptMicroUsd: true,
      },
    }),
    prisma.dailyPayout.count({ where: { contract: { customerId: user.id } } }),
  ]);

  const decimalsOf = new Map(coins.map((coin) => [coin.asset as string, coin.decimals]));
  const balances = new Map<string, { available: bigint; held: bigint }>();
  for (const account of accounts) {
    const entry = balances.get(account.asset) ?? { available: 0n, held: 0n };
    const amount = decimalToBigInt(account.balance);
    if (account.type === "USER_AVAILABLE") entry.available += amount;
    else entry.held += amount;
    balances.set(account.asset, entry);
  }
  const nonZero = [...balances.entries()].filter(([, b]) => b.available !== 0n || b.held !== 0n).sort(([a], [b]) => (a === "USD" ? -1 : b === "USD" ? 1 : a.localeCompare(b)));
  const formatAsset = (asset: string, amount: bigint) =>
    asset === "USD" ? formatMicroUsd(amount) : `${formatCoinAmount(amount, decimalsOf.get(asset) ?? 8)} ${asset}`;

  return (
    <div className="page">
      <PageHeader
        title={`Welcome back, ${user.name}`}
        description="Your balances, contracts and daily payouts."
        actions={
          <Link href="/marketplace" className="btn btn-primary">
            Browse the marketplace
          </Link>
        }
      />

      <Section id="balances" title="Balances" description="Available funds can be reinvested or withdrawn; held funds are reserved for pending operations.">
        {nonZero.length === 0 ? (
          <EmptyState title="No balance yet — buy a contract in the marketplace." action={{ href: "/marketplace", label: "Open the marketplace" }}>
            Payouts from your contracts are credited here every day, in the coin you mine.
          </EmptyState>
        ) : (
          <TableScroller label="Balances">
            <table className="data-table">
              <caption className="sr-only">Balances per asset</caption>
              <thead>
                <tr>
                  <th scope="col">Asset</th>
                  <th scope="col" className="num">
                    Available
                  </th>
                  <th scope="col" className="num">
                    Held
                  </th>
                </tr>
              </thead>
              <tbody>
                {nonZero.map(([asset, balance]) => (
                  <tr key={asset}>
                    <th scope="row">
                      {asset}
                    </th>
                    <td className="num">{formatAsset(asset, balance.available)}</td>
                    <td className="num">{formatAsset(asset, balance.held)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        )}
      </Section>

      <Section id="contracts" title="Active contracts">
        {contracts.length === 0 ? (
          <EmptyState title="You have no active contracts." action={{ href: "/marketplace", label: "Find hashrate to rent" }}>
            Contracts you buy appear here with their hashrate, term and status.
          </EmptyState>
        ) : (
          <TableScroller label="Active contracts">
            <table className="data-table">
              <caption className="sr-only">Your pending and active contracts</caption>
              <thead>
                <tr>
                  <th scope="col">Listing</th>
                  <th scope="col">Coin</th>
                  <th scope="col" className="num">
                    Hashrate
                  </th>
                  <th scope="col">Term</th>
                  <th scope="col" className="num">
                    Price per day
                  </th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {contracts.map((contract) => (
                  <tr key={contract.id}>
                    <td>
                      <span className="font-medium text-slate-900">{contract.listing.title}</span>
                      <span className="block text-xs text-slate-600">{contract.listing.operator.name}</span>
                    </td>
                    <td>{contract.coin}</td>
                    <td className="num">{formatHashrate(contract.hashrateHs)}</td>
                    <td>
                      {formatInteger(contract.days)} days
                      <span className="block text-xs text-slate-600">
                        {contract.startDay && contract.endDay
                          ? `${formatDay(contract.startDay)} → ${formatDay(contract.endDay)}`
                          : "Starts the day after activation"}
                      </span>
                    </td>
                    <td className="num">{formatMicroUsd(contract.dailyPriceMicroUsd)}</td>
                    <td className="num">{formatMicroUsd(contract.totalPriceMicroUsd)}</td>
                    <td>
                      <StatusBadge status={contract.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        )}
      </Section>

      <Section
        id="payouts"
        title="Payouts"
        description={payouts.length > 0 ? `The latest ${formatInteger(payouts.length)} of ${formatInteger(payoutCount)} daily payouts, net of pool and maintenance fees.` : undefined}
      >
        {payouts.length === 0 ? (
          <EmptyState title="No payouts yet.">
            Payouts arrive daily after a contract starts: each UTC day, the coins your delivered hashrate earned, minus
            the pool fee and the maintenance fee, are credited to your balance. Every payout shows the inputs it was
            computed from.
          </EmptyState>
        ) : (
          <TableScroller label="Payouts">
            <table className="data-table">
              <caption className="sr-only">Your most recent daily payouts</caption>
              <thead>
                <tr>
                  <th scope="col">Day (UTC)</th>
                  <th scope="col">Coin</th>
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
                    Maintenance
                  </th>
                  <th scope="col" className="num">
                    Net
                  </th>
                  <th scope="col" className="num">
                    USD at receipt
                  </th>
                </tr>
              </thead>
              <tbody>
                {payouts.map((payout) => {
                  const coin = (value: Parameters<typeof decimalToBigInt>[0]) => formatCoinAmount(decimalToBigInt(value), payout.decimals);
                  return (
                    <tr key={String(payout.id)}>
                      <td>{formatDay(payout.day)}</td>
                      <td>{payout.coin}</td>
                      <td className="num">
                        {formatHashrate(payout.deliveredHashrateHs)}
                        <span className="block text-xs text-slate-600">of {formatHashrate(payout.allocatedHashrateHs)}</span>
                      </td>
                      {payout.curtailed ? (
                        <td colSpan={4} className="text-slate-600">
                          Curtailed — mining was not worth the fees; no charge, the day still counts.
                        </td>
                      ) : (
                        <>
                          <td className="num">{coin(payout.grossBase)}</td>
                          <td className="num">{coin(payout.poolFeeBase)}</td>
                          <td className="num">{coin(payout.maintenanceFeeBase)}</td>
                          <td className="num font-medium">{coin(payout.netBase)}</td>
                        </>
                      )}
                      <td className="num">
                        {formatMicroUsd(payout.usdValueAtReceiptMicroUsd)}
                        {payout.underDeliveryCreditMicroUsd > 0n ? (
                          <span className="block text-xs text-slate-600">
                            + {formatMicroUsd(payout.underDeliveryCreditMicroUsd)} credit
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroller>
        )}
      </Section>
    </div>
  );
}
