import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminDetailNav } from "@/components/admin/admin-nav";
import { formatAssetAmount } from "@/components/admin/amount";
import {
  formatBps,
  formatCoinAmount,
  formatDay,
  formatHashrate,
  formatInstantUtc,
  formatInteger,
  formatMicroUsd,
  formatUnitPricePerDay,
} from "@/components/format";
import { Pager } from "@/components/pager";
import { DataTable, EmptyState, humanize, PageHeader, Section, StatusBadge, TableScroller } from "@/components/ui";
import { contractView } from "@/lib/admin/contracts";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { hrefWith, pageParam, type SearchParams } from "../../_lib/params";

export const metadata: Metadata = { title: "Contract" };
export const dynamic = "force-dynamic";

const PAYOUT_PAGE_SIZE = 31;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-wrap justify-between gap-x-4 gap-y-1 py-1.5">
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-right font-medium text-slate-900">{children}</dd>
    </div>
  );
}

export default async function ContractPage({
  params,
  searchParams,
}: {
  params: Promise<{ contractId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { contractId } = await params;
  await requireRole("ADMIN", `/admin/contracts/${contractId}`);
  const page = pageParam(await searchParams);
  const view = await contractView(db(), contractId, { payoutPage: page, payoutPageSize: PAYOUT_PAGE_SIZE });
  if (!view) notFound();
  const { contract: c, customer, listing, decimals, journals, stripeEvents, allocations, payouts, audit } = view;
  const pageCount = Math.max(1, Math.ceil(payouts.total / PAYOUT_PAGE_SIZE));

  return (
    <div className="page">
      <AdminDetailNav current="/admin/contracts" back={{ href: "/admin/contracts", label: "Contracts" }} />
      <PageHeader
        title={`Contract ${c.id.slice(0, 8)}`}
        description={
          <>
            <span className="font-mono text-xs">{c.id}</span> <StatusBadge status={c.status} />
          </>
        }
      />

      <div className="grid gap-x-6 lg:grid-cols-2">
        <Section id="purchase" title="Purchase">
          <dl className="card divide-y divide-slate-100 p-5 text-sm">
            <Row label="Customer">
              <Link className="link" href={`/admin/users/${customer.id}`}>
                {customer.email}
              </Link>
            </Row>
            <Row label="Listing">
              {listing.title}{" "}
              <span className="block text-xs font-normal text-slate-600">
                operator{" "}
                <Link className="link" href={`/admin/users/${listing.operatorId}`}>
                  {listing.operatorEmail}
                </Link>
              </span>
            </Row>
            <Row label="Hashrate and term">
              {formatHashrate(c.hashrateHs)} of {c.coin} for {c.days} days
            </Row>
            <Row label="Price">{formatUnitPricePerDay(c.priceMicroUsdPerUnitDay, listing.unitLabel)}</Row>
            <Row label="Maintenance fee">
              {formatUnitPricePerDay(c.maintenanceFeeMicroUsdPerUnitDay, listing.unitLabel)}
            </Row>
            <Row label="Pool fee">{formatBps(c.poolFeeBps)}</Row>
            <Row label="One day of the full hashrate">{formatMicroUsd(c.dailyPriceMicroUsd)}</Row>
            <Row label="Total price">{formatMicroUsd(c.totalPriceMicroUsd)}</Row>
            <Row label="Platform fee (in the price)">{formatMicroUsd(c.platformFeeMicroUsd)}</Row>
            <Row label="Paid with">{humanize(c.paymentMethod)}</Row>
            <Row label="Bought">{formatInstantUtc(c.createdAt)}</Row>
            <Row label="Activated">{c.activatedAt ? formatInstantUtc(c.activatedAt) : "—"}</Row>
            <Row label="Term (UTC days)">
              {c.startDay && c.endDay ? `${formatDay(c.startDay)} – ${formatDay(c.endDay)}` : "—"}
            </Row>
          </dl>
        </Section>

        <Section id="payment" title="Payment">
          <dl className="card divide-y divide-slate-100 p-5 text-sm">
            <Row label="Stripe checkout session">
              {c.stripeCheckoutSessionId ? (
                <span className="font-mono text-xs break-all">{c.stripeCheckoutSessionId}</span>
              ) : (
                "— (not a card purchase)"
              )}
            </Row>
            <Row label="Charged">
              {c.chargedCents !== null
                ? `${formatMicroUsd(c.chargedCents * 10_000n)} (${formatInteger(c.chargedCents)} cents)`
                : "—"}
            </Row>
            <Row label="Charge rounding">
              {c.chargeRoundingMicroUsd !== null ? formatMicroUsd(c.chargeRoundingMicroUsd) : "—"}
            </Row>
            <Row label="Reserved until">{c.reservedUntil ? formatInstantUtc(c.reservedUntil) : "—"}</Row>
            <Row label="Stripe events">
              {stripeEvents.length === 0
                ? "none"
                : stripeEvents.map((e) => (
                    <span key={e.id} className="block font-mono text-xs">
                      {e.id} · {e.type} · {formatInstantUtc(e.processedAt)}
                    </span>
                  ))}
            </Row>
          </dl>
        </Section>
      </div>

      <Section
        id="journals"
        title="Ledger journals"
        description="Every journal posted for this contract (purchase, card payment, reservation), with its postings; each sums to zero."
      >
        {journals.length === 0 ? (
          <EmptyState title="No journal for this contract.">
            A card purchase posts its journal when Stripe confirms the payment.
          </EmptyState>
        ) : (
          <div className="space-y-4">
            {journals.map((j) => (
              <TableScroller key={j.id} label={`Journal ${humanize(j.kind)}`}>
                <table className="data-table">
                  <caption className="px-4 pt-3 text-left text-sm">
                    <StatusBadge status={j.kind} label={humanize(j.kind)} /> {formatInstantUtc(j.createdAt)}
                    <span className="block text-xs text-slate-600">{j.description}</span>
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">Owner</th>
                      <th scope="col" className="num">
                        Amount
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {j.postings.map((p) => (
                      <tr key={p.id.toString()}>
                        <th scope="row">
                          <Link className="link" href={`/admin/ledger/accounts/${p.accountId}`}>
                            {humanize(p.accountType)} {p.asset}
                          </Link>
                        </th>
                        <td>{p.userEmail ?? "Platform"}</td>
                        <td className="num whitespace-nowrap">{formatAssetAmount(p.asset, p.amount, p.decimals)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroller>
            ))}
          </div>
        )}
      </Section>

      <Section
        id="allocations"
        title="Reservation and allocation history"
        description="Slices of rigs' nominal hashrate this contract held: reserved at checkout, live once paid, released at the end or on expiry."
      >
        <DataTable
          label="Allocations"
          caption="Allocations"
          rows={allocations}
          empty={<EmptyState title="No allocation." />}
          rowKey={(a) => a.id}
          columns={[
            {
              header: "Rig",
              rowHeader: true,
              cell: (a) => (
                <>
                  {a.rigModel} <span className="font-normal text-slate-600">{a.rigSerial}</span>
                </>
              ),
            },
            {
              header: "Hashrate",
              numeric: true,
              className: "whitespace-nowrap",
              cell: (a) => formatHashrate(a.hashrateHs),
            },
            { header: "Status", cell: (a) => <StatusBadge status={a.status} /> },
            { header: "Created", className: "whitespace-nowrap", cell: (a) => formatInstantUtc(a.createdAt) },
            {
              header: "Released",
              className: "whitespace-nowrap",
              cell: (a) => (a.releasedAt ? formatInstantUtc(a.releasedAt) : "—"),
            },
          ]}
        />
      </Section>

      <Section
        id="payouts"
        title="Payouts"
        description={
          payouts.total > 0
            ? `${formatInteger(payouts.total)} days paid, newest first: ${formatCoinAmount(payouts.netTotalBase, decimals)} ${c.coin} net in total, ${formatMicroUsd(payouts.creditTotalMicroUsd)} under-delivery credit.`
            : undefined
        }
      >
        <DataTable
          label="Payouts"
          caption="Payouts of this contract"
          rows={payouts.rows}
          empty={
            <EmptyState title="No payout yet.">
              The daily run pays each day of the term after the day has ended (UTC).
            </EmptyState>
          }
          rowKey={(p) => p.id.toString()}
          columns={[
            {
              header: "Day",
              rowHeader: true,
              cell: (p) => (
                <Link className="link" href={`/admin/payouts/payouts/${p.id}`}>
                  {formatDay(p.day)}
                </Link>
              ),
            },
            {
              header: "Delivered / allocated",
              numeric: true,
              className: "whitespace-nowrap",
              cell: (p) => (
                <>
                  {formatHashrate(p.deliveredHashrateHs)} / {formatHashrate(p.allocatedHashrateHs)}
                </>
              ),
            },
            {
              header: "Net",
              numeric: true,
              className: "whitespace-nowrap",
              cell: (p) =>
                p.curtailed ? (
                  <StatusBadge status="MAINTENANCE" label="Curtailed" />
                ) : (
                  `${formatCoinAmount(p.netBase, decimals)} ${c.coin}`
                ),
            },
            {
              header: "Under-delivery credit",
              numeric: true,
              className: "whitespace-nowrap",
              cell: (p) => formatMicroUsd(p.underDeliveryCreditMicroUsd),
            },
            {
              header: "Run",
              cell: (p) => (
                <Link className="link" href={`/admin/payouts/runs/${p.runId}`}>
                  run
                </Link>
              ),
            },
          ]}
        />
        <Pager
          page={Math.min(page, pageCount)}
          pageCount={pageCount}
          href={(p) => hrefWith(`/admin/contracts/${c.id}`, { page: p }) + "#payouts"}
        />
      </Section>

      <Section
        id="audit"
        title="Audit lines"
        description="Lines written about this contract (purchase, payment, reservation, release)."
      >
        {audit.length === 0 ? (
          <EmptyState title="No audit line for this contract." />
        ) : (
          <ul className="card divide-y divide-slate-100 text-sm">
            {audit.map((a) => (
              <li key={a.id.toString()} className="flex flex-wrap justify-between gap-2 px-4 py-2">
                <Link className="link font-mono text-xs" href={`/admin/audit?line=${a.id}#lines`}>
                  {a.action}
                </Link>
                <span className="text-slate-600">
                  {a.actorEmail ?? "system"} · {formatInstantUtc(a.at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
