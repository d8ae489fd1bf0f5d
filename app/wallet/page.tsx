import type { Metadata } from "next";
import { formatCoinAmount, formatInstantUtc } from "@/components/format";
import { DataTable, EmptyState, LinkButton, PageHeader, Section, StatusBadge, type Column } from "@/components/ui";
import { FIGURE_COLUMN } from "@/components/ui/figure-column";
import { RowActionForm } from "@/components/wallet/row-action-form";
import { WithdrawalForm } from "@/components/wallet/withdrawal-form";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { withdrawalsFreezeOf } from "@/lib/wallet/withdrawal-freeze";
import { walletOverview, type WithdrawalRecord } from "@/lib/wallet/withdrawal-queries";
import { cancelWithdrawalAction, requestWithdrawalAction, resendWithdrawalLinkAction } from "./actions";

export const metadata: Metadata = { title: "Wallet" };
export const dynamic = "force-dynamic";

const STATUS_HELP: Record<string, string> = {
  REQUESTED: "Waiting for review",
  APPROVED: "Approved, being sent",
  SENT: "Sent, waiting for confirmations",
  CONFIRMED: "Confirmed on chain",
  REJECTED: "Rejected",
  CANCELLED: "Cancelled by you",
};

export default async function WalletPage() {
  const user = await requireRole("CUSTOMER", "/wallet");
  const now = new Date();
  const [wallet, freeze] = await Promise.all([walletOverview(db(), user.id, now), withdrawalsFreezeOf(db(), user.id)]);
  const decimals = new Map(wallet.coins.map((c) => [c.asset as string, c.decimals]));
  const amount = (base: bigint, coin: string) =>
    `${formatCoinAmount(base, decimals.get(coin) ?? 8, { maxDecimals: decimals.get(coin) ?? 8 })} ${coin}`;
  const withBalance = wallet.coins.filter((c) => c.availableBase > 0n || c.heldBase > 0n);

  return (
    <div className="page max-w-5xl">
      <PageHeader
        title="Wallet"
        description="Your coin balances and withdrawals to your own wallets. Withdrawals go only to addresses in your address book and are confirmed with your authenticator code."
        actions={
          <LinkButton href="/wallet/addresses" variant="secondary">
            Address book
          </LinkButton>
        }
      />

      {freeze ? (
        <div role="alert" className="mb-6 rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-semibold">Withdrawals are frozen since {formatInstantUtc(freeze.frozenAt)}.</p>
          <p className="mt-1">
            Someone used the “this wasn&apos;t me” link of a new-address notice: {freeze.reason} Nothing can be
            withdrawn until an admin has looked at your account and lifted the freeze; contact support to have it
            lifted. Your balances and contracts are unaffected.
          </p>
        </div>
      ) : null}

      <Section
        id="balances"
        title="Balances"
        description="Available can be withdrawn or reinvested; held is reserved for withdrawals in progress."
      >
        <DataTable
          label="Coin balances"
          caption="Coin balances: available and held"
          rows={withBalance}
          empty={
            <EmptyState title="No coin balance yet." action={{ href: "/marketplace", label: "Browse hashrate" }}>
              Daily payouts from your contracts are credited here in the contract&apos;s coin.
            </EmptyState>
          }
          rowKey={(c) => c.asset}
          columns={[
            {
              header: "Coin",
              rowHeader: true,
              cell: (c) => (
                <>
                  {c.asset} <span className="font-normal text-slate-600">{c.name}</span>
                </>
              ),
            },
            {
              header: "Available",
              numeric: true,
              cellProps: (c) => ({ "data-testid": `available-${c.asset}` }),
              cell: (c) => amount(c.availableBase, c.asset),
            },
            {
              header: "Held",
              numeric: true,
              cellProps: (c) => ({ "data-testid": `held-${c.asset}` }),
              cell: (c) => amount(c.heldBase, c.asset),
            },
          ]}
        />
      </Section>

      <Section id="withdraw" title="Withdraw">
        <div className="card p-5 sm:p-6">
          <WithdrawalForm
            action={requestWithdrawalAction}
            totpEnabled={wallet.totpEnabled}
            coins={(withBalance.length > 0 ? withBalance : wallet.coins).map((c) => ({
              asset: c.asset,
              name: c.name,
              decimals: c.decimals,
              availableBase: c.availableBase.toString(),
              minimumBase: c.minimumBase.toString(),
              feeBase: c.feeBase.toString(),
              limitLeftBase: c.limitLeftBase.toString(),
              reviewThresholdBase: c.reviewThresholdBase.toString(),
            }))}
            addresses={wallet.addresses.map((a) => ({
              id: a.id,
              coin: a.coin,
              label: a.label,
              address: a.address,
              usable: a.usable,
              usableFrom: formatInstantUtc(a.usableAfter),
            }))}
          />
        </div>
        <p className="mt-2 text-xs text-slate-600">
          The network fee is a flat amount per coin, taken from the amount you withdraw. Limits count every withdrawal
          requested in the last 24 hours except cancelled and rejected ones.
        </p>
      </Section>

      <Section
        id="history"
        title="Withdrawals"
        description={wallet.withdrawals.length > 0 ? "Newest first (the latest 50)." : undefined}
      >
        <DataTable
          label="Withdrawal history"
          caption="Your withdrawals with state, amounts, address and transaction id"
          rows={wallet.withdrawals}
          empty={
            <EmptyState title="No withdrawals yet.">
              Withdrawals you request appear here with their state and, once sent, the transaction id.
            </EmptyState>
          }
          rowKey={(w) => w.id}
          rowProps={(w) => ({ "data-testid": `withdrawal-${w.id}` })}
          columns={historyColumns(amount)}
        />
      </Section>
    </div>
  );
}

type CoinText = (base: bigint, coin: string) => string;

function historyColumns(amount: CoinText): Column<WithdrawalRecord>[] {
  return [
    {
      header: "Requested",
      rowHeader: true,
      className: "font-normal whitespace-nowrap",
      cell: (w) => formatInstantUtc(w.requestedAt),
    },
    {
      header: "State",
      cell: (w) => (
        <>
          <StatusBadge status={w.status} />
          {w.awaitingEmailConfirmation ? (
            <span className="mt-1 block text-xs text-amber-800" data-testid="awaiting-email-confirmation">
              Waiting for email confirmation: open the link we emailed you
              {w.confirmBy ? ` before ${formatInstantUtc(w.confirmBy)}` : ""}; until then nothing is sent.
            </span>
          ) : (
            <span className="mt-1 block text-xs text-slate-600">{STATUS_HELP[w.status]}</span>
          )}
          {w.status === "REJECTED" && w.reviewReason ? (
            <span className="mt-1 block text-xs text-red-800">Reason: {w.reviewReason}</span>
          ) : null}
        </>
      ),
    },
    { header: "Amount", ...FIGURE_COLUMN, cell: (w) => amount(w.amountBase, w.coin) },
    { header: "Fee", ...FIGURE_COLUMN, cell: (w) => amount(w.networkFeeBase, w.coin) },
    { header: "Arrives", ...FIGURE_COLUMN, cell: (w) => amount(w.netBase, w.coin) },
    {
      header: "To",
      cell: (w) => (
        <>
          <span className="block font-medium">{w.addressLabel}</span>
          <code className="block max-w-[14rem] text-xs break-all text-slate-600">{w.address}</code>
        </>
      ),
    },
    {
      header: "Transaction",
      cell: (w) =>
        w.txid ? (
          <code className="block max-w-[14rem] text-xs break-all" data-testid="withdrawal-txid">
            {w.txid}
          </code>
        ) : (
          <span className="text-slate-500">—</span>
        ),
    },
    {
      header: <span className="sr-only">Actions</span>,
      key: "actions",
      cell: (w) =>
        w.status === "REQUESTED" ? (
          <div className="space-y-2">
            {w.awaitingEmailConfirmation ? (
              <RowActionForm
                idPrefix={`resend-${w.id}`}
                action={resendWithdrawalLinkAction}
                hidden={{ withdrawalId: w.id }}
                submitLabel="Resend the link"
                pendingLabel="Sending…"
                tone="secondary"
              />
            ) : null}
            <RowActionForm
              idPrefix={`cancel-${w.id}`}
              action={cancelWithdrawalAction}
              hidden={{ withdrawalId: w.id }}
              submitLabel="Cancel withdrawal"
              pendingLabel="Cancelling…"
              tone="secondary"
            />
          </div>
        ) : null,
    },
  ];
}
