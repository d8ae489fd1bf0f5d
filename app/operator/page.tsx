import type { Metadata } from "next";
import Link from "next/link";
import { Notice } from "@/components/form-fields";
import { formatAlgorithm, formatCoinAmount, formatDayRange, formatHashrate, formatInteger } from "@/components/format";
import { CapacityStack } from "@/components/operator/capacity-stack";
import { DataTable, EmptyState, LinkButton, PageHeader, Section, StatCard, StatusBadge, Usd } from "@/components/ui";
import { FIGURE_COLUMN } from "@/components/ui/figure-column";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { maintenanceIncome } from "@/lib/operator/analytics";
import { countryName } from "@/lib/operator/facilities";
import { operatorFacilities, operatorListings, strandedHashrate } from "@/lib/operator/queries";
import { ListingCell, RigCell } from "./_lib/cells";
import { hashrateWithExact, shortId } from "./_lib/format";

export const metadata: Metadata = { title: "Operator" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  "facility-created": "Facility added.",
  "facility-updated": "Facility saved.",
  "rig-created": "Rig added.",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OperatorPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireRole("OPERATOR", "/operator");
  const notice = (await searchParams).notice;
  const prisma = db();

  // Only this operator's facilities, rigs and listings.
  const [facilities, listings, stranded, maintenance] = await Promise.all([
    operatorFacilities(prisma, user.id),
    operatorListings(prisma, user.id),
    strandedHashrate(prisma, user.id),
    maintenanceIncome(prisma, user.id),
  ]);
  const maintenanceValue = maintenance.reduce((sum, m) => sum + m.valueMicroUsd, 0n);

  const rigs = facilities.flatMap((facility) => facility.rigs);
  const activeRigs = rigs.filter((rig) => rig.status === "ACTIVE").length;
  const published = listings.filter((listing) => listing.status === "PUBLISHED").length;
  const strandedTotal = stranded.reduce((sum, row) => sum + row.hashrateHs, 0n);

  return (
    <div className="page">
      <PageHeader
        title="Operator"
        description={`Facilities, rigs and listings of ${user.name}.`}
        actions={
          <>
            <LinkButton href="/operator/listings/new">New listing</LinkButton>
            <LinkButton href="/operator/rigs/new" variant="secondary">
              Add rig
            </LinkButton>
            <LinkButton href="/operator/rigs/import" variant="secondary">
              Import rigs (CSV)
            </LinkButton>
            <LinkButton href="/operator/facilities/new" variant="secondary">
              Add facility
            </LinkButton>
            <LinkButton href="/operator/telemetry" variant="secondary">
              Telemetry
            </LinkButton>
            <LinkButton href="/operator/performance" variant="secondary">
              Performance
            </LinkButton>
            <LinkButton href="/operator/payable" variant="secondary">
              Payable
            </LinkButton>
          </>
        }
      />

      {typeof notice === "string" && NOTICES[notice] ? <Notice>{NOTICES[notice]}</Notice> : null}

      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Facilities" value={formatInteger(facilities.length)} />
        <StatCard label="Rigs" value={formatInteger(rigs.length)} detail={`${formatInteger(activeRigs)} active`} />
        <StatCard
          label="Listings"
          value={formatInteger(listings.length)}
          detail={`${formatInteger(published)} published`}
        />
        <StatCard
          label="Capacity for sale"
          value={formatInteger(listings.filter((l) => l.status === "PUBLISHED" && l.freeHs > 0n).length)}
          detail="published listings with free hashrate"
        />
        <StatCard
          label="Maintenance fees received"
          value={<Usd micro={maintenanceValue} data-testid="operator-maintenance-income" />}
          detail={
            maintenance.length > 0
              ? `${maintenance
                  .map((m) => `${formatCoinAmount(m.creditedBase, m.decimals)} ${m.coin}`)
                  .join(
                    ", ",
                  )} to your payable over ${formatInteger(maintenance.reduce((s, m) => s + m.days, 0))} payout days, valued when received`
              : "credited in coin to your payable by the daily payout run"
          }
        />
      </dl>

      {stranded.length > 0 ? (
        <Section
          id="stranded"
          title="Hashrate that could not be moved"
          description={`${formatHashrate(strandedTotal)} of contracts sits on rigs out of service because their listings had no free capacity on active rigs. These contracts are under-delivered and compensated by the daily payout run until the rig is active again.`}
        >
          <DataTable
            label="Hashrate that could not be moved"
            caption="Contracts' hashrate on rigs out of service, per rig"
            rows={stranded}
            rowKey={(row) => `${row.rigId}-${row.contractId}-${row.allocationStatus}`}
            columns={[
              {
                header: "Rig",
                rowHeader: true,
                cell: (row) => <RigCell rigId={row.rigId} model={row.model} serialNumber={row.serialNumber} />,
              },
              { header: "Rig status", cell: (row) => <StatusBadge status={row.rigStatus} /> },
              { header: "Listing", cell: (row) => row.listingTitle ?? "—" },
              {
                header: "Contract",
                className: "font-mono",
                cellProps: (row) => ({ title: row.contractId }),
                cell: (row) => shortId(row.contractId),
              },
              { header: "Allocation", cell: (row) => <StatusBadge status={row.allocationStatus} /> },
              { header: "Stranded", ...FIGURE_COLUMN, cell: (row) => hashrateWithExact(row.hashrateHs) },
            ]}
          />
        </Section>
      ) : null}

      <Section
        id="listings"
        title="Listings"
        description="Capacity counts ACTIVE rigs only: allocated (live contracts), reserved (card checkouts pending) and free."
      >
        <DataTable
          label="Listings"
          caption="Your listings with status, terms and capacity"
          rows={listings}
          empty={
            <EmptyState
              title="You have no listings yet."
              action={{ href: "/operator/listings/new", label: "Create a listing" }}
            >
              A listing offers capacity of one coin&apos;s algorithm from your rigs at a price per unit per day, with a
              maintenance fee and a duration range.
            </EmptyState>
          }
          rowKey={(listing) => listing.id}
          columns={[
            {
              header: "Listing",
              rowHeader: true,
              cell: (listing) => (
                <ListingCell
                  id={listing.id}
                  title={listing.title}
                  detail={
                    <>
                      {listing.coin} · {formatAlgorithm(listing.algorithm)} · {formatInteger(listing.activeRigs)} of{" "}
                      {formatInteger(listing.rigs)} {listing.rigs === 1 ? "rig" : "rigs"} active
                    </>
                  }
                />
              ),
            },
            { header: "Status", cell: (listing) => <StatusBadge status={listing.status} /> },
            {
              header: "Price",
              ...FIGURE_COLUMN,
              cell: (listing) => (
                <Usd micro={listing.priceMicroUsdPerUnitDay} rate per={`${listing.unitLabel} / day`} />
              ),
            },
            {
              header: "Maintenance fee",
              ...FIGURE_COLUMN,
              cell: (listing) => (
                <Usd micro={listing.maintenanceFeeMicroUsdPerUnitDay} rate per={`${listing.unitLabel} / day`} />
              ),
            },
            {
              header: "Duration",
              className: "whitespace-nowrap",
              cell: (listing) => formatDayRange(listing.minDays, listing.maxDays),
            },
            {
              header: "Capacity",
              headerClassName: "min-w-64",
              cell: (listing) => <CapacityStack capacity={listing} compact />,
            },
          ]}
        />
      </Section>

      <Section id="facilities" title="Facilities and rigs">
        {facilities.length === 0 ? (
          <EmptyState
            title="You have no facilities yet."
            action={{ href: "/operator/facilities/new", label: "Add a facility" }}
          >
            A facility is a hosting site with its power price; rigs are registered in a facility with their model,
            serial number, algorithm, nominal hashrate and power draw.
          </EmptyState>
        ) : (
          <div className="space-y-8">
            {facilities.map((facility) => (
              <section key={facility.id} aria-labelledby={`facility-${facility.id}`}>
                <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
                  <h3 id={`facility-${facility.id}`} className="font-semibold text-slate-900">
                    {facility.name}
                  </h3>
                  <p className="flex flex-wrap items-baseline gap-x-3 text-sm text-slate-600">
                    <span>
                      {facility.location} ·{" "}
                      <abbr title={countryName(facility.countryCode)}>{facility.countryCode}</abbr> · power{" "}
                      <Usd micro={facility.powerPriceMicroUsdPerKwh} rate />
                      /kWh · {formatInteger(facility.rigs.length)} {facility.rigs.length === 1 ? "rig" : "rigs"}
                    </span>
                    <Link href={`/operator/facilities/${facility.id}`} className="link">
                      Edit<span className="sr-only"> {facility.name}</span>
                    </Link>
                  </p>
                </div>
                <DataTable
                  label={`Rigs in ${facility.name}`}
                  caption={<>Rigs in {facility.name}</>}
                  rows={facility.rigs}
                  empty={
                    <EmptyState
                      title="No rigs registered in this facility."
                      action={{ href: "/operator/rigs/new", label: "Add a rig" }}
                    />
                  }
                  rowKey={(rig) => rig.id}
                  columns={[
                    {
                      header: "Model",
                      rowHeader: true,
                      className: "whitespace-nowrap",
                      cell: (rig) => (
                        <Link href={`/operator/rigs/${rig.id}`} className="link">
                          {rig.model}
                          <span className="sr-only"> {rig.serialNumber}</span>
                        </Link>
                      ),
                    },
                    {
                      header: "Serial",
                      className: "whitespace-nowrap font-mono text-xs",
                      cell: (rig) => rig.serialNumber,
                    },
                    { header: "Algorithm", cell: (rig) => formatAlgorithm(rig.algorithm) },
                    {
                      header: "Nominal hashrate",
                      ...FIGURE_COLUMN,
                      cell: (rig) => formatHashrate(rig.nominalHashrateHs),
                    },
                    { header: "Power", ...FIGURE_COLUMN, cell: (rig) => <>{formatInteger(rig.powerDrawW)} W</> },
                    { header: "Status", cell: (rig) => <StatusBadge status={rig.status} /> },
                    {
                      header: "Listing",
                      className: "text-slate-600",
                      cell: (rig) =>
                        rig.listing ? (
                          <Link href={`/operator/listings/${rig.listing.id}`} className="link">
                            {rig.listing.title}
                          </Link>
                        ) : (
                          "Not listed"
                        ),
                    },
                  ]}
                />
              </section>
            ))}
          </div>
        )}
      </Section>
    </div>
  );
}
