import type { Metadata } from "next";
import Link from "next/link";
import { formatBps, formatHashrate, formatInteger } from "@/components/format";
import { DeliverySparkline } from "@/components/operator/delivery-sparkline";
import { Pager } from "@/components/pager";
import { DataTable, EmptyState, humanize, PageHeader, Section, StatCard, StatusBadge, Usd } from "@/components/ui";
import { FIGURE_COLUMN } from "@/components/ui/figure-column";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import {
  DELIVERY_FLAG_BPS,
  DELIVERY_WINDOW_DAYS,
  facilityUtilisation,
  monthlyRevenue,
  rigDeliveryRatios,
  utilisationBps,
  utilisationByAlgorithm,
} from "@/lib/operator/analytics";
import { operatorListings } from "@/lib/operator/queries";
import { ListingCell, RigCell } from "../_lib/cells";

export const metadata: Metadata = { title: "Performance" };
export const dynamic = "force-dynamic";

const RIGS_PER_PAGE = 50;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function percent(bps: number | null): string {
  return bps === null ? "—" : formatBps(bps);
}

export default async function PerformancePage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireRole("OPERATOR", "/operator/performance");
  const rawPage = (await searchParams).page;
  const requested = typeof rawPage === "string" && /^\d{1,6}$/.test(rawPage) ? Number(rawPage) : 1;
  const prisma = db();
  const [facilities, listings, firstTry, months] = await Promise.all([
    facilityUtilisation(prisma, user.id),
    operatorListings(prisma, user.id),
    rigDeliveryRatios(prisma, user.id, { page: Math.max(1, requested), pageSize: RIGS_PER_PAGE }),
    monthlyRevenue(prisma, user.id, { months: 12 }),
  ]);
  const pageCount = Math.max(1, Math.ceil(firstTry.total / RIGS_PER_PAGE));
  const page = Math.min(Math.max(1, requested), pageCount);
  // A page number past the end (rigs were retired meanwhile, or a hand-typed URL) shows the last page.
  const delivery =
    page === Math.max(1, requested)
      ? firstTry
      : await rigDeliveryRatios(prisma, user.id, { page, pageSize: RIGS_PER_PAGE });

  const byAlgorithm = utilisationByAlgorithm(facilities);
  const credits12 = months.reduce((s, m) => s + m.underDeliveryCreditMicroUsd, 0n);
  const sales12 = months.reduce((s, m) => s + m.salesMicroUsd, 0n);
  const maintenance12 = months.reduce((s, m) => s + m.maintenanceIncomeMicroUsd, 0n);

  return (
    <div className="page">
      <PageHeader
        title="Performance"
        description="Capacity use now, what your rigs delivered against their nominal hashrate, and money per month."
        links={[
          { href: "/operator/telemetry", label: "Enter telemetry", primary: true },
          { href: "/operator/payable", label: "Payable and payouts" },
          { href: "/operator", label: "Back to operator" },
        ]}
      />

      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        {byAlgorithm.length === 0 ? (
          <StatCard label="Utilisation now" value="—" detail="no active rigs" />
        ) : (
          byAlgorithm.map((a) => (
            <StatCard
              key={a.algorithm}
              label={`Utilisation now, ${humanize(a.algorithm)}`}
              value={percent(a.utilisationBps)}
              detail={`${formatHashrate(a.allocatedHs)} of ${formatHashrate(a.totalHs)} active`}
            />
          ))
        )}
        <StatCard
          label={`Rigs below ${formatBps(DELIVERY_FLAG_BPS)}`}
          value={formatInteger(delivery.flaggedTotal)}
          detail={`over the last ${DELIVERY_WINDOW_DAYS} days, of ${formatInteger(delivery.total)}`}
        />
        <StatCard
          label="Contract sales, 12 months"
          value={<Usd micro={sales12} srExact />}
          detail="to your payable, after the platform fee"
        />
        <StatCard
          label="Under-delivery credits, 12 months"
          value={<Usd micro={credits12} srExact />}
          detail="paid from your payable"
        />
        <StatCard
          label="Maintenance fees received, 12 months"
          value={<Usd micro={maintenance12} srExact />}
          detail="in coin to your payable, valued when received"
        />
      </dl>

      <Section
        id="facilities"
        title="Utilisation per facility"
        description="Allocated (live contracts and card checkouts pending) against the nominal hashrate of active rigs, now, per facility and algorithm (hashrates of different algorithms are not added)."
      >
        <DataTable
          label="Utilisation per facility"
          caption="Capacity and utilisation per facility"
          rows={facilities}
          empty={
            <EmptyState
              title="You have no facilities yet."
              action={{ href: "/operator/facilities/new", label: "Add a facility" }}
            />
          }
          rowKey={(f) => `${f.facilityId}:${f.algorithm ?? ""}`}
          columns={[
            { header: "Facility", rowHeader: true, cell: (f) => f.name },
            { header: "Algorithm", cell: (f) => (f.algorithm ? humanize(f.algorithm) : "No rigs") },
            {
              header: "Active rigs",
              numeric: true,
              cell: (f) => (
                <>
                  {formatInteger(f.activeRigs)} of {formatInteger(f.rigs)}
                </>
              ),
            },
            { header: "Capacity", ...FIGURE_COLUMN, cell: (f) => formatHashrate(f.totalHs) },
            { header: "Live", ...FIGURE_COLUMN, cell: (f) => formatHashrate(f.liveHs) },
            { header: "Reserved", ...FIGURE_COLUMN, cell: (f) => formatHashrate(f.reservedHs) },
            {
              header: "Utilisation",
              numeric: true,
              cell: (f) => (f.utilisationBps === null ? "No active rigs" : formatBps(f.utilisationBps)),
            },
            {
              header: "Stranded",
              numeric: true,
              cellProps: (f) => ({
                className: `whitespace-nowrap ${f.strandedHs > 0n ? "font-medium text-amber-800" : ""}`,
              }),
              cell: (f) => formatHashrate(f.strandedHs),
            },
          ]}
        />
      </Section>

      <Section
        id="listings"
        title="Utilisation per listing"
        description="The same, per listing: its active rigs' capacity and what contracts hold of it."
      >
        <DataTable
          label="Utilisation per listing"
          caption="Capacity and utilisation per listing"
          rows={listings}
          empty={
            <EmptyState
              title="You have no listings yet."
              action={{ href: "/operator/listings/new", label: "Create a listing" }}
            />
          }
          rowKey={(l) => l.id}
          columns={[
            {
              header: "Listing",
              rowHeader: true,
              cell: (l) => <ListingCell id={l.id} title={l.title} detail={l.coin} />,
            },
            { header: "Status", cell: (l) => <StatusBadge status={l.status} /> },
            { header: "Capacity", ...FIGURE_COLUMN, cell: (l) => formatHashrate(l.totalHs) },
            { header: "Live", ...FIGURE_COLUMN, cell: (l) => formatHashrate(l.liveHs) },
            { header: "Reserved", ...FIGURE_COLUMN, cell: (l) => formatHashrate(l.reservedHs) },
            {
              header: "Utilisation",
              numeric: true,
              cell: (l) => {
                const bps = utilisationBps(l.liveHs + l.reservedHs, l.totalHs);
                return bps === null ? "No active rigs" : formatBps(bps);
              },
            },
          ]}
        />
      </Section>

      <Section
        id="delivery"
        title="Delivery per rig"
        description={
          <>
            {delivery.from} to {delivery.to} (UTC): the reported average against the nominal hashrate over the days
            reported, counted as the payout run counts it (a report above nominal counts as nominal). Rigs below{" "}
            {formatBps(DELIVERY_FLAG_BPS)} are flagged, worst first. A day without a report counts as nothing delivered
            for the contracts on the rig.
          </>
        }
        actions={
          <Link href="/operator/telemetry" className="link text-sm">
            Enter telemetry
          </Link>
        }
      >
        {delivery.total === 0 ? (
          <EmptyState title="You have no rigs yet." action={{ href: "/operator/rigs/new", label: "Add a rig" }} />
        ) : (
          <>
            <DataTable
              label="Delivery per rig"
              caption={
                <>
                  Delivery ratio per rig from {delivery.from} to {delivery.to}
                </>
              }
              rows={delivery.rigs}
              rowKey={(r) => r.rigId}
              columns={[
                {
                  header: "Rig",
                  rowHeader: true,
                  cell: (r) => (
                    <RigCell rigId={r.rigId} model={r.model} serialNumber={r.serialNumber} facility={r.facilityName} />
                  ),
                },
                { header: "Status", cell: (r) => <StatusBadge status={r.status} /> },
                { header: "Nominal", ...FIGURE_COLUMN, cell: (r) => formatHashrate(r.nominalHashrateHs) },
                {
                  header: "Days reported",
                  numeric: true,
                  cell: (r) => (
                    <>
                      {formatInteger(r.daysReported)} of {formatInteger(DELIVERY_WINDOW_DAYS)}
                      {r.daysReported < DELIVERY_WINDOW_DAYS && r.liveHs > 0n ? (
                        <span className="block text-xs text-amber-800">
                          carries {formatHashrate(r.liveHs)} of contracts
                        </span>
                      ) : null}
                    </>
                  ),
                },
                {
                  header: "Delivery",
                  ...FIGURE_COLUMN,
                  cell: (r) =>
                    r.deliveryBps === null ? (
                      <span className="text-slate-600">No reports</span>
                    ) : (
                      <>
                        {formatBps(r.deliveryBps)}
                        {r.flagged ? (
                          <span className="ml-2">
                            <StatusBadge status="FAILED" label={`Below ${formatBps(DELIVERY_FLAG_BPS)}`} />
                          </span>
                        ) : null}
                      </>
                    ),
                },
                {
                  header: <>Last {DELIVERY_WINDOW_DAYS} days</>,
                  key: "last-days",
                  cell: (r) => (
                    <>
                      <DeliverySparkline
                        series={r.series}
                        flagBps={DELIVERY_FLAG_BPS}
                        label={
                          r.deliveryBps === null
                            ? `No reports from ${delivery.from} to ${delivery.to}`
                            : `${formatInteger(r.daysReported)} days reported, ${r.series.filter((v) => v !== null && v < DELIVERY_FLAG_BPS).length} below ${formatBps(DELIVERY_FLAG_BPS)}`
                        }
                      />
                    </>
                  ),
                },
              ]}
            />
            <Pager page={page} pageCount={pageCount} href={(p) => `/operator/performance?page=${p}#delivery-title`} />
          </>
        )}
      </Section>

      <Section
        id="revenue"
        title="Money per month"
        description="Contract sales credited to your payable (from the ledger, by the month of the sale), and per month of the paid day: contract-days settled, rental delivered (the daily price minus the under-delivery credit, before the platform fee) and under-delivery credits paid from your payable. Last 12 months, UTC."
      >
        <DataTable
          label="Money per month"
          caption="Sales, delivered rental, under-delivery credits and maintenance fees received per month"
          rows={months}
          empty={
            <EmptyState title="No sales or settled contract-days in the last 12 months.">
              Sales appear when customers buy contracts on your listings; contract-days once the daily payout run has
              settled them.
            </EmptyState>
          }
          rowKey={(m) => m.month}
          columns={[
            { header: "Month", rowHeader: true, className: "whitespace-nowrap", cell: (m) => m.month },
            { header: "Contract sales", ...FIGURE_COLUMN, cell: (m) => <Usd micro={m.salesMicroUsd} /> },
            { header: "Contract-days", numeric: true, cell: (m) => formatInteger(m.contractDays) },
            { header: "Rental delivered", ...FIGURE_COLUMN, cell: (m) => <Usd micro={m.deliveredMicroUsd} /> },
            {
              header: "Per contract-day",
              ...FIGURE_COLUMN,
              // An average per day, a rate: floor division is exact to the micro-dollar shown on hover.
              cell: (m) =>
                m.contractDays > 0 ? <Usd micro={m.deliveredMicroUsd / BigInt(m.contractDays)} rate /> : "—",
            },
            {
              header: "Under-delivery credits",
              numeric: true,
              cellProps: (m) => ({
                className: `whitespace-nowrap ${m.underDeliveryCreditMicroUsd > 0n ? "text-amber-800" : ""}`,
              }),
              cell: (m) => (
                <>
                  <Usd micro={m.underDeliveryCreditMicroUsd} />
                  {m.creditedDays > 0 ? (
                    <span className="block text-xs text-slate-600">{formatInteger(m.creditedDays)} days</span>
                  ) : null}
                </>
              ),
            },
            {
              header: "Maintenance fees received",
              ...FIGURE_COLUMN,
              cellProps: () => ({ "data-testid": "month-maintenance" }),
              cell: (m) => <Usd micro={m.maintenanceIncomeMicroUsd} />,
            },
          ]}
        />
      </Section>
    </div>
  );
}
