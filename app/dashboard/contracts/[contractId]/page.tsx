// A customer's contract: its terms, where its hashrate runs, what was delivered against what was
// bought (measured from shares where the rigs mine through Hashlease), every payout with its
// recompute page, the credits, and what happened to it when.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { firstParam, type SearchParams } from "@/app/_lib/search-params";
import { AllocationTable } from "@/components/contracts/allocation-table";
import { DayChart } from "@/components/dashboard/day-chart";
import {
  formatBps,
  formatCoinAmount,
  formatDay,
  formatHashrate,
  formatInstantUtc,
  formatInteger,
  sharePercent,
} from "@/components/format";
import { Pager } from "@/components/pager";
import { DataTable, EmptyState, humanize, PageHeader, Section, StatCard, StatusBadge, Usd } from "@/components/ui";
import { DetailList } from "@/components/ui/detail-list";
import { requireRole } from "@/lib/auth/session";
import { customerContract } from "@/lib/dashboard/contract";
import { db } from "@/lib/db/client";
import { contractVerifiedHashrate, rejectedTotal } from "@/lib/stratum/queries";

export const metadata: Metadata = { title: "Contract" };
export const dynamic = "force-dynamic";

const HOURS = 24;
const PAYOUT_PAGE_SIZE = 31;
const timeOfDay = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`;

export default async function ContractPage({
  params,
  searchParams,
}: {
  params: Promise<{ contractId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { contractId } = await params;
  const user = await requireRole("CUSTOMER", `/dashboard/contracts/${encodeURIComponent(contractId)}`);
  if (!z.uuid().safeParse(contractId).success) notFound();
  const rawPage = Number(firstParam((await searchParams).page) ?? "1");
  const page = Number.isSafeInteger(rawPage) && rawPage >= 1 ? rawPage : 1;
  const prisma = db();
  const [view, verified] = await Promise.all([
    customerContract(prisma, user.id, contractId, { payoutPage: page, payoutPageSize: PAYOUT_PAGE_SIZE }),
    contractVerifiedHashrate(prisma, user.id, contractId, { hours: HOURS }),
  ]);
  if (!view || !verified) notFound();
  const { contract, listing, decimals, allocations, payouts, history } = view;
  const paidDays = BigInt(payouts.total);
  const deliveredAverage = paidDays > 0n ? payouts.deliveredTotalHs / paidDays : 0n;
  const points = verified.points;
  const total = points.reduce((sum, p) => sum + p.hashrateHs, 0n);
  const average = points.length ? total / BigInt(points.length) : 0n;
  const latest = points.at(-1)?.hashrateHs ?? 0n;
  const rejected = rejectedTotal(verified.counts);

  return (
    <div className="page max-w-4xl">
      <PageHeader
        title={listing.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={contract.status} /> {contract.coin} · contract {contract.id.slice(0, 8)} ·{" "}
            <Link href={`/dashboard?contract=${contract.id}#payouts`} className="link">
              Its payouts
            </Link>
          </span>
        }
      />
      <dl className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Contracted hashrate" value={formatHashrate(contract.hashrateHs)} />
        <StatCard
          label="Delivered, paid days"
          value={formatHashrate(deliveredAverage)}
          detail={
            payouts.allocatedTotalHs > 0n
              ? `${sharePercent(payouts.deliveredTotalHs, payouts.allocatedTotalHs)} % of allocated over ${formatInteger(payouts.total)} days`
              : "no day paid yet"
          }
        />
        <StatCard
          label="Paid to you"
          value={`${formatCoinAmount(payouts.netTotalBase, decimals)} ${contract.coin}`}
          detail={`${formatInteger(payouts.total)} of ${formatInteger(contract.days)} days`}
        />
        <StatCard
          label="Under-delivery credits"
          value={<Usd micro={payouts.creditTotalMicroUsd} srExact />}
          detail="credited to your USD balance"
        />
      </dl>
      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Verified, last 10 min" value={formatHashrate(latest)} />
        <StatCard label={`Verified, ${HOURS} h average`} value={formatHashrate(average)} />
        <StatCard
          label={`Shares, ${HOURS} h`}
          value={`${formatInteger(verified.counts.accepted)} accepted`}
          detail={`${formatInteger(rejected)} rejected · ${formatInteger(verified.measuredRigs)} of ${formatInteger(verified.rigs)} rigs measured`}
        />
      </dl>
      <Section
        id="verified"
        title="Verified hashrate"
        description="Measured from the shares your contract's rigs submit to the Hashlease Stratum endpoint: each one hashed and checked against its target. Each point is 10 minutes; each rig counts in proportion to your allocation on it, capped at its nominal hashrate, as the daily payout counts it."
      >
        {verified.measuredRigs === 0 ? (
          <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            No rig of this contract mined through the Hashlease Stratum endpoint in the last {HOURS} hours. Until they
            do, payouts use the operator&apos;s reported hashrate, and each payout is marked &ldquo;Reported by
            operator&rdquo;.
          </p>
        ) : null}
        <DayChart
          id="verified-hashrate-chart"
          title={`Verified hashrate, last ${HOURS} hours (UTC)`}
          days={points.map((p) => p.at)}
          tickLabel={timeOfDay}
          series={[
            {
              key: "verified",
              label: "Verified",
              values: points.map((p) => p.hashrateHs),
              kind: "line",
              tone: "emerald",
            },
            {
              key: "contracted",
              label: "Contracted",
              values: points.map(() => contract.hashrateHs),
              kind: "line",
              tone: "slate",
              dashed: true,
            },
          ]}
          formatValue={formatHashrate}
          yUnit="Hashrate"
          xUnit="UTC time, 10-minute buckets"
          empty={
            verified.measuredRigs === 0
              ? "No verified hashrate yet: no share from this contract's rigs in the last 24 hours."
              : undefined
          }
          summary={`Over the last ${HOURS} hours the verified hashrate averaged ${formatHashrate(average)} against ${formatHashrate(contract.hashrateHs)} contracted; ${formatInteger(verified.counts.accepted)} shares were accepted and ${formatInteger(rejected)} rejected.`}
        />
      </Section>

      <Section id="terms" title="Terms" description="Fixed when you bought the contract; they never change.">
        <DetailList
          items={[
            {
              label: "Hashrate and term",
              value: `${formatHashrate(contract.hashrateHs)} of ${contract.coin} for ${contract.days} days`,
            },
            {
              label: "Term (UTC days)",
              value:
                contract.startDay && contract.endDay
                  ? `${formatDay(contract.startDay)} – ${formatDay(contract.endDay)}`
                  : "Starts the UTC day after payment",
            },
            {
              label: "Price",
              value: <Usd micro={contract.priceMicroUsdPerUnitDay} rate per={`${listing.unitLabel} / day`} />,
            },
            { label: "Total price", value: <Usd micro={contract.totalPriceMicroUsd} srExact /> },
            {
              label: "Maintenance fee",
              value: <Usd micro={contract.maintenanceFeeMicroUsdPerUnitDay} rate per={`${listing.unitLabel} / day`} />,
            },
            { label: "Pool fee", value: formatBps(contract.poolFeeBps) },
            { label: "Paid with", value: humanize(contract.paymentMethod) },
            { label: "Bought", value: formatInstantUtc(contract.createdAt) },
            {
              label: "Listing",
              value: (
                <Link className="link" href={`/marketplace/${listing.id}`}>
                  {listing.title}
                </Link>
              ),
            },
          ]}
        />
      </Section>

      <Section
        id="allocation"
        title="Where your hashrate runs"
        description="Slices of the operator's rigs held for this contract. If a rig stops, its slice moves to free capacity of the same listing; where there is none, the missing hashrate is credited to you."
      >
        <AllocationTable allocations={allocations} />
      </Section>

      <Section
        id="payouts"
        title="Payouts"
        description="One per UTC day of the term, newest first. Each day's page shows its inputs and recomputes it with the published formula."
      >
        <DataTable
          label="Payouts"
          caption="Payouts of this contract"
          rows={payouts.rows}
          empty={
            <EmptyState title="No payout yet.">Each day of the term is paid after the day has ended (UTC).</EmptyState>
          }
          rowKey={(p) => p.id.toString()}
          columns={[
            { header: "Day", rowHeader: true, cell: (p) => formatDay(p.day) },
            {
              header: "Delivered / allocated",
              numeric: true,
              cell: (p) => `${formatHashrate(p.deliveredHashrateHs)} / ${formatHashrate(p.allocatedHashrateHs)}`,
            },
            {
              header: "Net",
              numeric: true,
              cell: (p) =>
                p.curtailed ? (
                  <StatusBadge status="MAINTENANCE" label="Curtailed" />
                ) : (
                  `${formatCoinAmount(p.netBase, decimals)} ${contract.coin}`
                ),
            },
            { header: "Credit", numeric: true, cell: (p) => <Usd micro={p.underDeliveryCreditMicroUsd} /> },
            {
              header: "Details",
              cell: (p) => (
                <Link className="link" href={`/dashboard/payouts/${p.id}`}>
                  Inputs and recompute<span className="sr-only"> for {formatDay(p.day)}</span>
                </Link>
              ),
            },
          ]}
        />
        <Pager
          page={page}
          pageCount={Math.max(1, Math.ceil(payouts.total / PAYOUT_PAGE_SIZE))}
          href={(p) => `/dashboard/contracts/${contract.id}?page=${p}#payouts`}
        />
      </Section>

      <Section id="history" title="History" description="What happened to this contract, oldest first (UTC).">
        {history.length === 0 ? (
          <EmptyState title="Nothing recorded yet." />
        ) : (
          <ol className="card divide-y divide-slate-100 text-sm">
            {history.map((h, i) => (
              <li key={i} className="flex flex-wrap justify-between gap-2 px-4 py-2">
                <span>{h.text}</span>
                <span className="text-slate-600">{formatInstantUtc(h.at)}</span>
              </li>
            ))}
          </ol>
        )}
      </Section>
    </div>
  );
}
