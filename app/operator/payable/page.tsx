// The operator's payable (lib/operator/payable.ts): the balance per asset, what open payouts
// hold, every posting with its running balance (linked to its listing's contract or payout day,
// or to the payout), and payouts of the USD payable (lib/operator/payouts.ts). USD to the cent,
// the exact micro-USD figure on hover.
import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { Notice } from "@/components/form-fields";
import { formatCoinAmount } from "@/components/format";
import { PayoutAccountForm } from "@/components/operator/payout-account-form";
import { PayoutForm } from "@/components/operator/payout-form";
import { Pager } from "@/components/pager";
import { DataTable, EmptyState, PageHeader, Section, StatCard, StatusBadge, Usd } from "@/components/ui";
import { RowActionForm } from "@/components/wallet/row-action-form";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import type { Asset } from "@/lib/generated/prisma/enums";
import { payableLedger, payableSummary, type PayableLine } from "@/lib/operator/payable";
import { operatorPayouts, payoutTerms } from "@/lib/operator/payouts";
import { formatInstantUtc } from "@/lib/shared/days";
import { usdCents } from "@/lib/shared/usd";
import { shortId } from "../_lib/format";
import { linkPayoutAccountAction, movePayableToWalletAction, requestPayoutAction } from "./actions";

export const metadata: Metadata = { title: "Payable" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const KIND_LABELS: Record<string, string> = {
  CONTRACT_PURCHASE: "Contract sale",
  STRIPE_PAYMENT: "Contract sale (card)",
  REVERSAL: "Reversal",
  PAYOUT: "Maintenance fee",
  UNDER_DELIVERY_CREDIT: "Under-delivery credit",
  OPERATOR_PAYOUT_REQUEST: "Payout requested",
  OPERATOR_PAYOUT_RETURN: "Payout returned",
  OPERATOR_PAYABLE_TRANSFER: "Moved to wallet",
};

const STATUS_LABELS = {
  IN_REVIEW: { label: "In review", tone: "amber" },
  APPROVED: { label: "Pending", tone: "slate" },
  PAID: { label: "Paid", tone: "green" },
  FAILED: { label: "Failed, returned", tone: "red" },
  REJECTED: { label: "Rejected, returned", tone: "red" },
} as const;

function Amount({ asset, amount, decimals }: { asset: Asset; amount: bigint; decimals: number }) {
  if (asset === "USD") return <Usd micro={amount} />;
  return <span>{`${formatCoinAmount(amount, decimals, { maxDecimals: decimals })} ${asset}`}</span>;
}

function Reference({ line }: { line: PayableLine }) {
  if (line.operatorPayoutId)
    return <a href={`#payout-${line.operatorPayoutId}`}>Payout {shortId(line.operatorPayoutId)}</a>;
  if (line.contractId && line.listingId) {
    const label = `Contract ${shortId(line.contractId)}${line.payoutDay ? `, day ${line.payoutDay}` : ""}`;
    return <Link href={`/operator/listings/${line.listingId}`}>{label}</Link>;
  }
  return <>—</>;
}

export default async function PayablePage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireRole("OPERATOR", "/operator/payable");
  const params = await searchParams;
  const pageParam = Number(params.page);
  const prisma = db();
  const [summary, ledger, payouts, account, coins, me] = await Promise.all([
    payableSummary(prisma, user.id),
    payableLedger(prisma, user.id, { page: Number.isFinite(pageParam) ? pageParam : 1 }),
    operatorPayouts(prisma, user.id),
    prisma.operatorPayoutAccount.findUnique({ where: { operatorId: user.id } }),
    prisma.coin.findMany({ select: { asset: true, decimals: true } }),
    prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpEnabledAt: true } }),
  ]);
  const decimals = new Map<Asset, number>([["USD", 6], ...coins.map((c) => [c.asset, c.decimals] as [Asset, number])]);
  const usd = summary.balances.find((b) => b.asset === "USD")?.available ?? 0n;
  const coinBalances = summary.balances.filter((b) => b.asset !== "USD");
  const terms = payoutTerms();
  const linkedNotice = params.notice === "payout-account-linked" && account;

  return (
    <div className="page">
      <PageHeader
        title="Payable"
        description="What Hashlease owes you: your share of each contract sale, maintenance fees once a day is paid, less under-delivery credits and payouts. Every line is a ledger posting."
        links={[
          { href: "/operator/performance", label: "Performance" },
          { href: "/operator", label: "Back to operator" },
        ]}
      />

      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Available (USD)" value={<Usd micro={usd} />} detail="can be paid out now" />
        <StatCard
          label="Held in pending payouts"
          value={<Usd micro={summary.heldMicroUsd} />}
          detail="requested, not yet settled"
        />
        {coinBalances.map((b) => (
          <StatCard
            key={b.asset}
            label={`Maintenance fees (${b.asset})`}
            value={<Amount asset={b.asset} amount={b.available} decimals={b.decimals} />}
            detail="in coin: move it to your wallet to withdraw it"
          />
        ))}
      </dl>

      <Section
        id="payout"
        title="Pay out"
        description={`USD from your payable to your bank account through Stripe Connect. Minimum ${usdCents(terms.minMicroUsd)}, at most ${usdCents(terms.dailyLimitMicroUsd)} per 24 hours; from ${usdCents(terms.reviewThresholdMicroUsd)} our team reviews the payout first.`}
      >
        {linkedNotice ? (
          <Notice>
            Payout account linked: payouts go to {account.bankName} ••{account.bankLast4}.
          </Notice>
        ) : null}
        {!me.totpEnabledAt ? (
          <p className="text-sm">
            {account ? "" : "No bank account is linked yet. "}Turn on two-factor authentication in{" "}
            <Link href="/settings/security">security settings</Link> to link a bank account and request payouts.
          </p>
        ) : !account ? (
          <>
            <p className="mb-4 text-sm">
              No bank account is linked yet: complete Stripe&apos;s onboarding (identity and a bank account), then link
              your Stripe account here.
            </p>
            <PayoutAccountForm action={linkPayoutAccountAction} replacing={false} />
          </>
        ) : (
          <>
            <p className="mb-4 text-sm">
              To {account.bankName} ••{account.bankLast4} (Stripe account {account.stripeAccountId}).
            </p>
            <PayoutForm
              action={requestPayoutAction}
              idempotencyKey={randomUUID()}
              availableText={usdCents(usd > 0n ? usd : 0n)}
            />
            <details className="mt-6">
              <summary className="cursor-pointer text-sm">Change the payout account</summary>
              <div className="mt-4">
                <PayoutAccountForm action={linkPayoutAccountAction} replacing />
              </div>
            </details>
          </>
        )}
      </Section>

      {coinBalances.length > 0 ? (
        <Section
          id="coin"
          title="Maintenance fees in coin"
          description="Paid in the coin your rigs mined. Move them to your wallet; from there a withdrawal sends them to one of your whitelisted addresses (2FA, limits and review as for every withdrawal)."
        >
          {!user.roles.includes("CUSTOMER") ? (
            <p className="text-sm">
              This account has no wallet to move coin to. <Link href="/support">Contact support</Link> to add one.
            </p>
          ) : (
            <ul className="space-y-4">
              {coinBalances.map((b) => (
                <li key={b.asset} className="card flex flex-col gap-3 p-4 lg:flex-row lg:items-end lg:justify-between">
                  <p className="text-sm">
                    {b.asset}: <Amount asset={b.asset} amount={b.available} decimals={b.decimals} /> in your payable
                  </p>
                  <RowActionForm
                    idPrefix={`move-${b.asset}`}
                    action={movePayableToWalletAction}
                    hidden={{ asset: b.asset }}
                    fields={[{ name: "amount", label: `Amount (${b.asset})`, placeholder: "0.001" }]}
                    submitLabel={`Move ${b.asset} to wallet`}
                    pendingLabel="Moving…"
                    tone="secondary"
                  />
                </li>
              ))}
            </ul>
          )}
          <p className="mt-4 text-sm">
            <Link href="/wallet">Your wallet and withdrawals</Link>
          </p>
        </Section>
      ) : null}

      <Section id="payouts" title="Payouts" description="Your latest payouts and their state.">
        <DataTable
          label="Payouts"
          caption="Payouts of your payable"
          rows={payouts}
          empty={<EmptyState title="No payouts yet." />}
          rowKey={(p) => p.id}
          rowProps={(p) => ({ id: `payout-${p.id}` })}
          columns={[
            { header: "Requested", rowHeader: true, cell: (p) => formatInstantUtc(p.requestedAt) },
            { header: "Amount", numeric: true, cell: (p) => <Usd micro={p.amountMicroUsd} /> },
            { header: "To", cell: (p) => `••${p.bankLast4}` },
            {
              header: "State",
              cell: (p) => (
                <StatusBadge
                  status={p.status}
                  label={STATUS_LABELS[p.status].label}
                  tone={STATUS_LABELS[p.status].tone}
                />
              ),
            },
            { header: "Detail", cell: (p) => p.failureReason ?? p.reviewReason ?? p.stripeTransferId ?? "" },
          ]}
        />
      </Section>

      <Section
        id="ledger"
        title="Ledger"
        description="Every posting to your payable, newest first, with the balance of its account after it (USD and each coin apart)."
      >
        <DataTable
          label="Payable ledger"
          caption="Postings to your payable"
          rows={ledger.lines}
          empty={<EmptyState title="Nothing has been posted to your payable yet." />}
          rowKey={(l) => l.postingId.toString()}
          columns={[
            { header: "When (UTC)", rowHeader: true, cell: (l) => formatInstantUtc(l.at) },
            { header: "What", cell: (l) => KIND_LABELS[l.kind] ?? l.kind },
            { header: "For", cell: (l) => <Reference line={l} /> },
            {
              header: "Amount",
              numeric: true,
              cell: (l) => <Amount asset={l.asset} amount={l.amount} decimals={decimals.get(l.asset) ?? 8} />,
            },
            {
              header: "Balance",
              numeric: true,
              cell: (l) => <Amount asset={l.asset} amount={l.balanceAfter} decimals={decimals.get(l.asset) ?? 8} />,
            },
          ]}
        />
        <Pager page={ledger.page} pageCount={ledger.pageCount} href={(p) => `/operator/payable?page=${p}#ledger`} />
      </Section>
    </div>
  );
}
