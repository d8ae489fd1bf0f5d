import type { Metadata } from "next";
import { moneyReadiness } from "@/app/admin/_lib/money-gate";
import { AdminPage } from "@/components/admin/admin-page";
import { Notice } from "@/components/form-fields";
import { formatCoinAmount, formatInstantUtc } from "@/components/format";
import { EmptyState, Section, StatusBadge, Usd } from "@/components/ui";
import { RowActionForm } from "@/components/wallet/row-action-form";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { operatorPayoutQueue } from "@/lib/operator/payouts";
import { DAY_MS } from "@/lib/shared/days";
import { amountVersusHistory, reviewQueue, type QueueItem } from "@/lib/wallet/withdrawal-queries";
import {
  approveOperatorPayoutAction,
  approveWithdrawalAction,
  freezeAccountAction,
  markConfirmedAction,
  markSentAction,
  rejectOperatorPayoutAction,
  rejectWithdrawalAction,
  unfreezeAccountAction,
} from "./actions";

export const metadata: Metadata = { title: "Withdrawals — Admin" };
export const dynamic = "force-dynamic";

function coin(base: bigint, item: Pick<QueueItem, "coin" | "decimals">): string {
  return `${formatCoinAmount(base, item.decimals, { maxDecimals: item.decimals })} ${item.coin}`;
}

function age(from: Date, now: Date): string {
  const days = Math.floor((now.getTime() - from.getTime()) / DAY_MS);
  if (days < 1) return "less than a day";
  return days === 1 ? "1 day" : `${days} days`;
}

const NOTICES: Record<string, string> = {
  "operator-payout-approved": "Operator payout approved: it is sent through Stripe within a minute.",
  "operator-payout-rejected": "Operator payout rejected: the amount is back in the operator's payable.",
};

export default async function AdminWithdrawalsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { notice } = await searchParams;
  const admin = await requireRole("ADMIN", "/admin/withdrawals");
  const readiness = await moneyReadiness(admin);
  const [queue, payouts] = await Promise.all([reviewQueue(db()), operatorPayoutQueue(db())]);
  const now = new Date();
  const shared = { decimals: queue.decimals, adminId: admin.id, now };
  const queues: Omit<QueueSectionProps, keyof typeof shared>[] = [
    {
      id: "review",
      title: "Waiting for review",
      description: "At or above the coin's review threshold. Approve, or reject with a reason the customer sees.",
      items: queue.review,
      empty: "No withdrawal is waiting for review.",
    },
    {
      id: "to-send",
      title: "Approved, to send",
      description:
        "No chain node is connected: the manual processor queues approved withdrawals here. Send the net amount from the custody wallet, then record the transaction id.",
      items: queue.toSend,
      empty: "Nothing to send.",
    },
    {
      id: "in-flight",
      title: "Sent, waiting for confirmation",
      description: "Mark confirmed once the transaction has its confirmations on chain.",
      items: queue.inFlight,
      empty: "No withdrawal is in flight.",
    },
  ];

  return (
    <AdminPage
      current="/admin/withdrawals"
      moneyGate={{ readiness, purpose: "approve, reject and send withdrawals or freeze accounts" }}
      title="Withdrawals"
      description="Review large withdrawals, send approved ones from the custody wallet and record their transaction ids, confirm them, and freeze accounts. Every action is audit-logged."
    >
      {queues.map((q) => (
        <QueueSection key={q.id} {...q} {...shared} />
      ))}

      <Section
        id="operator-payouts"
        title="Operator payouts in review"
        description="Payouts of an operator's USD payable to its bank account (Stripe Connect) from the review threshold. Approve, or reject with a reason: the amount then returns to the payable."
      >
        {typeof notice === "string" && NOTICES[notice] ? <Notice>{NOTICES[notice]}</Notice> : null}
        {payouts.review.length === 0 ? (
          <EmptyState title="No operator payout is waiting for review." />
        ) : (
          <ul className="space-y-4">
            {payouts.review.map((p) => (
              <li key={p.id}>
                <article className="card p-5" aria-labelledby={`op-${p.id}-title`}>
                  <h3
                    id={`op-${p.id}-title`}
                    className="flex flex-wrap items-center gap-2 font-semibold text-slate-900"
                  >
                    <Usd micro={p.amountMicroUsd} /> to bank account ••{p.bankLast4}
                    <StatusBadge status={p.status} label="In review" tone="amber" />
                    {p.operator.frozenAt ? <StatusBadge status="FAILED" label="Account frozen" /> : null}
                  </h3>
                  <p className="mt-1 text-sm text-slate-700">
                    {p.operator.name} <span className="text-slate-600">{p.operator.email}</span> · requested{" "}
                    {formatInstantUtc(p.requestedAt)} · Stripe account{" "}
                    <code className="text-xs">{p.stripeAccountId}</code>
                  </p>
                  {p.operatorId === admin.id ? (
                    <p className="mt-3 text-sm text-slate-600">Your own payout: another admin reviews it.</p>
                  ) : (
                    <div className="mt-4 flex flex-col gap-3 lg:flex-row lg:items-end">
                      <RowActionForm
                        idPrefix={`approve-op-${p.id}`}
                        action={approveOperatorPayoutAction}
                        hidden={{ payoutId: p.id }}
                        submitLabel="Approve payout"
                        pendingLabel="Approving…"
                      />
                      <RowActionForm
                        idPrefix={`reject-op-${p.id}`}
                        action={rejectOperatorPayoutAction}
                        hidden={{ payoutId: p.id }}
                        fields={[{ name: "reason", label: "Reason (the operator sees it)", wide: true }]}
                        submitLabel="Reject payout"
                        pendingLabel="Rejecting…"
                        tone="danger"
                      />
                    </div>
                  )}
                </article>
              </li>
            ))}
          </ul>
        )}
        {payouts.toSend.length > 0 ? (
          <p className="mt-4 text-sm text-slate-600">
            {payouts.toSend.length} approved operator payout{payouts.toSend.length === 1 ? "" : "s"} waiting for the
            Stripe transfer (job send-operator-payouts, every 10 s).
          </p>
        ) : null}
      </Section>

      <Section
        id="accounts"
        title="Frozen accounts"
        description="A frozen account cannot sign in or request withdrawals, and its approved withdrawals are not processed."
      >
        <div className="card mb-4 p-5">
          <h3 className="mb-3 text-sm font-semibold text-slate-900">Freeze an account</h3>
          <RowActionForm
            idPrefix="freeze-by-email"
            action={freezeAccountAction}
            hidden={{}}
            fields={[
              { name: "email", label: "Email" },
              { name: "reason", label: "Reason (audit log)", wide: true },
            ]}
            submitLabel="Freeze account"
            pendingLabel="Freezing…"
            tone="danger"
          />
        </div>
        {queue.frozenAccounts.length === 0 ? (
          <EmptyState title="No account is frozen." />
        ) : (
          <ul className="space-y-3">
            {queue.frozenAccounts.map((u) => (
              <li key={u.id} className="card flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <p className="font-medium">
                    {u.name} <span className="font-normal text-slate-600">{u.email}</span>
                  </p>
                  <p className="text-sm text-slate-600">
                    Frozen {formatInstantUtc(u.frozenAt)}
                    {u.frozenReason ? `: ${u.frozenReason}` : ""}
                  </p>
                </div>
                <RowActionForm
                  idPrefix={`unfreeze-${u.id}`}
                  action={unfreezeAccountAction}
                  hidden={{ userId: u.id }}
                  submitLabel="Unfreeze"
                  pendingLabel="Unfreezing…"
                  tone="secondary"
                />
              </li>
            ))}
          </ul>
        )}
      </Section>

      <QueueSection
        id="recent"
        title="Recently closed"
        description="The latest 20 confirmed, rejected or cancelled withdrawals."
        items={queue.recent}
        empty="No withdrawal has been closed yet."
        {...shared}
      />
    </AdminPage>
  );
}

type QueueSectionProps = {
  id: string;
  title: string;
  description: string;
  items: QueueItem[];
  decimals: Record<string, number>;
  adminId: string;
  now: Date;
  empty: string;
};

/** One queue of withdrawals in its section: a card each, or `empty`. */
function QueueSection({ id, title, description, items, decimals, adminId, now, empty }: QueueSectionProps) {
  return (
    <Section id={id} title={title} description={description}>
      {items.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <ul className="space-y-4">
          {items.map((item) => (
            <li key={item.id}>
              <WithdrawalCard item={item} decimals={decimals} adminId={adminId} now={now} />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function WithdrawalCard({
  item,
  decimals,
  adminId,
  now,
}: {
  item: QueueItem;
  decimals: Record<string, number>;
  adminId: string;
  now: Date;
}) {
  const own = item.user.id === adminId;
  const versus = amountVersusHistory(item.amountBase, item.hints);
  const hints: { text: string; risk: boolean }[] = [
    item.hints.firstWithdrawal
      ? { text: "First withdrawal ever", risk: true }
      : { text: `${item.hints.priorSentCount} earlier ${item.coin} withdrawals sent`, risk: false },
    item.hints.newAddress
      ? { text: "New address: nothing sent there before", risk: true }
      : { text: "Address used before", risk: false },
    {
      text: `Address added ${age(item.hints.addressAddedAt, now)} ago`,
      risk: now.getTime() - item.hints.addressAddedAt.getTime() < 7 * DAY_MS,
    },
    {
      text: `Account ${age(item.hints.accountCreatedAt, now)} old`,
      risk: now.getTime() - item.hints.accountCreatedAt.getTime() < 30 * DAY_MS,
    },
    ...(versus ? [{ text: versus, risk: true }] : []),
    ...(item.hints.largestPriorBase !== null && !versus
      ? [{ text: `Largest earlier: ${coin(item.hints.largestPriorBase, item)}`, risk: false }]
      : []),
  ];
  return (
    <article className="card p-5" aria-labelledby={`w-${item.id}-title`} data-testid={`admin-withdrawal-${item.id}`}>
      <div className="flex flex-col gap-3 lg:flex-row lg:items-start lg:justify-between">
        <div className="min-w-0">
          <h3 id={`w-${item.id}-title`} className="flex flex-wrap items-center gap-2 font-semibold text-slate-900">
            {coin(item.amountBase, item)}
            <StatusBadge status={item.status} />
            {item.user.frozenAt ? <StatusBadge status="FAILED" label="Account frozen" /> : null}
          </h3>
          <p className="mt-1 text-sm text-slate-700">
            {item.user.name} <span className="text-slate-600">{item.user.email}</span> · requested{" "}
            {formatInstantUtc(item.requestedAt)}
          </p>
          <dl className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
            <dt className="text-slate-600">Send</dt>
            <dd className="font-medium">
              {coin(item.netBase, item)}{" "}
              <span className="font-normal text-slate-600">(fee {coin(item.networkFeeBase, item)} kept)</span>
            </dd>
            <dt className="text-slate-600">To</dt>
            <dd className="min-w-0">
              {item.addressLabel} <code className="text-xs break-all">{item.address}</code>
            </dd>
            {item.txid ? (
              <>
                <dt className="text-slate-600">Txid</dt>
                <dd>
                  <code className="text-xs break-all">{item.txid}</code>
                </dd>
              </>
            ) : null}
            {item.processor ? (
              <>
                <dt className="text-slate-600">Processor</dt>
                <dd>
                  {item.processor}
                  {item.submittedAt ? `, queued ${formatInstantUtc(item.submittedAt)}` : ""}
                </dd>
              </>
            ) : null}
            {item.reviewedBy || item.reviewReason ? (
              <>
                <dt className="text-slate-600">Review</dt>
                <dd>
                  {item.reviewedBy ?? (item.reviewRequired ? "" : "automatic")}
                  {item.reviewReason ? ` — ${item.reviewReason}` : ""}
                </dd>
              </>
            ) : null}
          </dl>
        </div>
        <ul className="flex max-w-md flex-wrap gap-1.5" aria-label="Risk hints">
          {hints.map((hint) => (
            <li
              key={hint.text}
              className={`rounded-full px-2 py-0.5 text-xs ring-1 ring-inset ${hint.risk ? "bg-amber-50 text-amber-900 ring-amber-600/25" : "bg-slate-100 text-slate-700 ring-slate-500/20"}`}
            >
              {hint.risk ? <span className="sr-only">Risk: </span> : null}
              {hint.text}
            </li>
          ))}
        </ul>
      </div>

      <Actions item={item} own={own} />

      <details className="mt-4 text-sm">
        <summary className="cursor-pointer font-medium text-slate-800">
          The customer&apos;s other withdrawals ({item.history.length})
        </summary>
        {item.history.length === 0 ? (
          <p className="mt-2 text-slate-600">None.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {item.history.map((h) => (
              <li key={h.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
                <span className="whitespace-nowrap text-slate-600">{formatInstantUtc(h.requestedAt)}</span>
                <StatusBadge status={h.status} />
                <span className="tabular-nums">
                  {coin(h.amountBase, { coin: h.coin, decimals: decimals[h.coin] ?? 8 })}
                </span>
                <code className="text-xs break-all text-slate-600">{h.address}</code>
              </li>
            ))}
          </ul>
        )}
      </details>
      {!item.user.frozenAt && !own ? (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer font-medium text-red-800">Freeze this account</summary>
          <div className="mt-2">
            <RowActionForm
              idPrefix={`freeze-${item.id}`}
              action={freezeAccountAction}
              hidden={{ userId: item.user.id }}
              fields={[{ name: "reason", label: "Reason (audit log)", wide: true }]}
              submitLabel="Freeze account"
              pendingLabel="Freezing…"
              tone="danger"
            />
          </div>
        </details>
      ) : null}
    </article>
  );
}

function Actions({ item, own }: { item: QueueItem; own: boolean }) {
  if (own && (item.status === "REQUESTED" || item.status === "APPROVED")) {
    return (
      <p className="mt-4 text-sm text-slate-600">This is your own withdrawal: another admin reviews and sends it.</p>
    );
  }
  if (item.status === "CONFIRMED" || item.status === "REJECTED" || item.status === "CANCELLED") return null;
  const hidden = { withdrawalId: item.id };
  const manual = !item.processor || item.processor === "manual";
  return (
    <div className="mt-4 flex flex-col gap-3 border-t border-slate-100 pt-4">
      {item.status === "REQUESTED" ? (
        <RowActionForm
          idPrefix={`approve-${item.id}`}
          action={approveWithdrawalAction}
          hidden={hidden}
          submitLabel="Approve"
          pendingLabel="Approving…"
        />
      ) : null}
      {item.status === "APPROVED" && manual ? (
        <RowActionForm
          idPrefix={`sent-${item.id}`}
          action={markSentAction}
          hidden={hidden}
          fields={[
            {
              name: "txid",
              label: "Transaction id",
              placeholder: item.coin === "ETC" ? "0x + 64 hex digits" : "64 hex digits",
              wide: true,
            },
          ]}
          submitLabel="Mark sent"
          pendingLabel="Saving…"
        />
      ) : null}
      {item.status === "REQUESTED" || (item.status === "APPROVED" && manual) ? (
        <RowActionForm
          idPrefix={`reject-${item.id}`}
          action={rejectWithdrawalAction}
          hidden={hidden}
          fields={[{ name: "reason", label: "Reason (shown to the customer)", wide: true }]}
          submitLabel="Reject"
          pendingLabel="Rejecting…"
          tone="danger"
        />
      ) : null}
      {item.status === "SENT" ? (
        <RowActionForm
          idPrefix={`confirm-${item.id}`}
          action={markConfirmedAction}
          hidden={hidden}
          submitLabel="Mark confirmed"
          pendingLabel="Saving…"
        />
      ) : null}
    </div>
  );
}
