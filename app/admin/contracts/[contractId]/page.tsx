import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountLink } from "@/components/admin/admin-links";
import { AdminPage, PagedSection } from "@/components/admin/admin-page";
import { formatAssetAmount } from "@/components/admin/amount";
import { figure } from "@/components/admin/columns";
import { HeadRow } from "@/components/admin/head-row";
import { AllocationTable } from "@/components/contracts/allocation-table";
import {
  formatBps,
  formatCoinAmount,
  formatDay,
  formatHashrate,
  formatInstantUtc,
  formatInteger,
} from "@/components/format";
import { DataTable, EmptyState, humanize, Section, StatusBadge, TableScroller, Usd } from "@/components/ui";
import { DetailList } from "@/components/ui/detail-list";
import { contractView } from "@/lib/admin/contracts";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { usdCents, usdExact } from "@/lib/shared/usd";
import { hrefWith, pageParam, type DetailPageProps } from "../../_lib/params";

export const metadata: Metadata = { title: "Contract" };
export const dynamic = "force-dynamic";

const PAYOUT_PAGE_SIZE = 31;
const POSTING_COLUMNS = [{ header: "Account" }, { header: "Owner" }, { header: "Amount", numeric: true }];

export default async function ContractPage({ params, searchParams }: DetailPageProps<"contractId">) {
  const { contractId } = await params;
  await requireRole("ADMIN", `/admin/contracts/${contractId}`);
  const page = pageParam(await searchParams);
  const view = await contractView(db(), contractId, { payoutPage: page, payoutPageSize: PAYOUT_PAGE_SIZE });
  if (!view) notFound();
  const { contract: c, customer, listing, decimals, journals, stripeEvents, allocations, payouts, audit } = view;

  return (
    <AdminPage
      current="/admin/contracts"
      back={{ href: "/admin/contracts", label: "Contracts" }}
      title={`Contract ${c.id.slice(0, 8)}`}
      description={
        <>
          <span className="font-mono text-xs">{c.id}</span> <StatusBadge status={c.status} />
        </>
      }
    >
      <div className="grid gap-x-6 lg:grid-cols-2">
        <Section id="purchase" title="Purchase">
          <DetailList
            items={[
              {
                label: "Customer",
                value: (
                  <Link className="link" href={`/admin/users/${customer.id}`}>
                    {customer.email}
                  </Link>
                ),
              },
              {
                label: "Listing",
                value: (
                  <>
                    {listing.title}{" "}
                    <span className="block text-xs font-normal text-slate-600">
                      operator{" "}
                      <Link className="link" href={`/admin/users/${listing.operatorId}`}>
                        {listing.operatorEmail}
                      </Link>
                    </span>
                  </>
                ),
              },
              {
                label: "Hashrate and term",
                value: `${formatHashrate(c.hashrateHs)} of ${c.coin} for ${c.days} days`,
              },
              {
                label: "Price",
                value: <Usd micro={c.priceMicroUsdPerUnitDay} rate per={`${listing.unitLabel} / day`} />,
              },
              {
                label: "Maintenance fee",
                value: <Usd micro={c.maintenanceFeeMicroUsdPerUnitDay} rate per={`${listing.unitLabel} / day`} />,
              },
              { label: "Pool fee", value: formatBps(c.poolFeeBps) },
              { label: "One day of the full hashrate", value: <Usd micro={c.dailyPriceMicroUsd} rate /> },
              { label: "Total price", value: <Usd micro={c.totalPriceMicroUsd} /> },
              { label: "Platform fee (in the price)", value: <Usd micro={c.platformFeeMicroUsd} /> },
              { label: "Paid with", value: humanize(c.paymentMethod) },
              { label: "Bought", value: formatInstantUtc(c.createdAt) },
              { label: "Activated", value: c.activatedAt ? formatInstantUtc(c.activatedAt) : "—" },
              {
                label: "Term (UTC days)",
                value: c.startDay && c.endDay ? `${formatDay(c.startDay)} – ${formatDay(c.endDay)}` : "—",
              },
            ]}
          />
        </Section>

        <Section id="payment" title="Payment">
          <DetailList
            items={[
              {
                label: "Stripe checkout session",
                value: c.stripeCheckoutSessionId ? (
                  <span className="font-mono text-xs break-all">{c.stripeCheckoutSessionId}</span>
                ) : (
                  "— (not a card purchase)"
                ),
              },
              {
                label: "Charged",
                value:
                  c.chargedCents !== null
                    ? `${usdCents(c.chargedCents * 10_000n)} (${formatInteger(c.chargedCents)} cents)`
                    : "—",
              },
              {
                label: "Charge rounding",
                // Less than a cent by nature: exact.
                value: c.chargeRoundingMicroUsd !== null ? usdExact(c.chargeRoundingMicroUsd) : "—",
              },
              { label: "Reserved until", value: c.reservedUntil ? formatInstantUtc(c.reservedUntil) : "—" },
              {
                label: "Stripe events",
                value:
                  stripeEvents.length === 0
                    ? "none"
                    : stripeEvents.map((e) => (
                        <span key={e.id} className="block font-mono text-xs">
                          {e.id} · {e.type} · {formatInstantUtc(e.processedAt)}
                        </span>
                      )),
              },
            ]}
          />
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
                  <HeadRow columns={POSTING_COLUMNS} />
                  <tbody>
                    {j.postings.map((p) => (
                      <tr key={p.id.toString()}>
                        <th scope="row">
                          <AccountLink id={p.accountId} type={p.accountType} asset={p.asset} />
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
        <AllocationTable allocations={allocations} />
      </Section>

      <PagedSection
        id="payouts"
        title="Payouts"
        description={
          payouts.total > 0
            ? `${formatInteger(payouts.total)} days paid, newest first: ${formatCoinAmount(payouts.netTotalBase, decimals)} ${c.coin} net in total, ${usdCents(payouts.creditTotalMicroUsd)} under-delivery credit.`
            : undefined
        }
        page={page}
        total={payouts.total}
        pageSize={PAYOUT_PAGE_SIZE}
        href={(p) => hrefWith(`/admin/contracts/${c.id}`, { page: p }) + "#payouts"}
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
              ...figure,
              cell: (p) => `${formatHashrate(p.deliveredHashrateHs)} / ${formatHashrate(p.allocatedHashrateHs)}`,
            },
            {
              header: "Net",
              ...figure,
              cell: (p) =>
                p.curtailed ? (
                  <StatusBadge status="MAINTENANCE" label="Curtailed" />
                ) : (
                  `${formatCoinAmount(p.netBase, decimals)} ${c.coin}`
                ),
            },
            { header: "Under-delivery credit", ...figure, cell: (p) => <Usd micro={p.underDeliveryCreditMicroUsd} /> },
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
      </PagedSection>

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
    </AdminPage>
  );
}
