import type { Metadata } from "next";
import Link from "next/link";
import { AdminAlerts } from "@/components/admin/admin-alerts";
import { AdminPage } from "@/components/admin/admin-page";
import { nowrap } from "@/components/admin/columns";
import { formatDay, formatInstantUtc, formatInteger } from "@/components/format";
import { DataTable, EmptyState, humanize, LinkButton, Section, StatCard, StatusBadge } from "@/components/ui";
import { DetailList } from "@/components/ui/detail-list";
import { adminAlerts } from "@/lib/admin/overview";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { DAY_MS as MS_PER_DAY } from "@/lib/shared/days";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

/** Midnight UTC of the current day (this page renders per request). */
function utcToday(): Date {
  return new Date(Math.floor(Date.now() / MS_PER_DAY) * MS_PER_DAY);
}

/** A section's link to the page that works on what it sums up. */
function sectionLink(href: string, text: string) {
  return (
    <LinkButton href={href} variant="secondary">
      {text}
    </LinkButton>
  );
}

function countsByStatus<S extends string>(groups: { status: S; _count: { _all: number } }[]): Map<S, number> {
  return new Map(groups.map((group) => [group.status, group._count._all]));
}

const STATUS_COUNTS = {
  list: "mt-3 space-y-1.5 text-sm",
  item: "flex items-center justify-between gap-3",
  value: "text-slate-800 tabular-nums",
};

function StatusCounts({
  label,
  order,
  counts,
}: {
  label: string;
  order: readonly string[];
  counts: Map<string, number>;
}) {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  return (
    <div className="card p-5">
      <h3 className="flex items-baseline justify-between text-sm font-medium text-slate-600">
        {label}
        <span className="text-2xl font-semibold text-slate-900 tabular-nums">{formatInteger(total)}</span>
      </h3>
      <DetailList
        look={STATUS_COUNTS}
        items={order.map((status) => ({
          key: status,
          label: <StatusBadge status={status} />,
          value: formatInteger(counts.get(status) ?? 0),
        }))}
      />
    </div>
  );
}

export default async function AdminOverviewPage() {
  await requireRole("ADMIN", "/admin");
  const prisma = db();

  const [
    users,
    customers,
    operators,
    admins,
    frozen,
    listingGroups,
    rigGroups,
    contractGroups,
    coins,
    snapshotGroups,
    withdrawalsToReview,
    withdrawalsInFlight,
    payoutRuns,
    payoutRunCount,
    alerts,
  ] = await Promise.all([
    prisma.user.count(),
    prisma.user.count({ where: { roles: { has: "CUSTOMER" } } }),
    prisma.user.count({ where: { roles: { has: "OPERATOR" } } }),
    prisma.user.count({ where: { roles: { has: "ADMIN" } } }),
    prisma.user.count({ where: { frozenAt: { not: null } } }),
    prisma.listing.groupBy({ by: ["status"], _count: { _all: true } }),
    prisma.rig.groupBy({ by: ["status"], _count: { _all: true } }),
    prisma.contract.groupBy({ by: ["status"], _count: { _all: true } }),
    prisma.coin.findMany({ select: { asset: true, name: true }, orderBy: { asset: "asc" } }),
    prisma.networkSnapshot.groupBy({ by: ["coin"], _count: { _all: true }, _min: { day: true }, _max: { day: true } }),
    prisma.withdrawal.count({ where: { status: "REQUESTED", reviewRequired: true } }),
    prisma.withdrawal.count({ where: { status: { in: ["APPROVED", "SENT"] } } }),
    prisma.payoutRun.findMany({
      orderBy: [{ day: "desc" }, { startedAt: "desc" }],
      take: 5,
      select: {
        id: true,
        day: true,
        status: true,
        contractsSettled: true,
        startedAt: true,
        finishedAt: true,
        error: true,
      },
    }),
    prisma.payoutRun.count(),
    adminAlerts(prisma),
  ]);

  const snapshots = new Map(snapshotGroups.map((group) => [group.coin as string, group]));
  const yesterday = new Date(utcToday().getTime() - MS_PER_DAY);

  return (
    <AdminPage
      current="/admin"
      title="Admin"
      description="Platform overview: accounts, capacity, contracts, network data and money queues."
    >
      <AdminAlerts alerts={alerts} />

      <Section id="accounts" title="Accounts">
        <dl className="grid grid-cols-2 gap-4 lg:grid-cols-5">
          <StatCard label="Users" value={formatInteger(users)} />
          <StatCard label="Customers" value={formatInteger(customers)} />
          <StatCard label="Operators" value={formatInteger(operators)} />
          <StatCard label="Admins" value={formatInteger(admins)} />
          <StatCard label="Frozen" value={formatInteger(frozen)} detail="cannot sign in" />
        </dl>
        <p className="mt-2 text-xs text-slate-600">
          A user can hold several roles, so role counts can add up to more than the number of users.
        </p>
      </Section>

      <Section id="inventory" title="Listings, rigs and contracts">
        <div className="grid gap-4 md:grid-cols-3">
          <StatusCounts
            label="Listings"
            order={["PUBLISHED", "DRAFT", "UNPUBLISHED"]}
            counts={countsByStatus(listingGroups)}
          />
          <StatusCounts
            label="Rigs"
            order={["ACTIVE", "MAINTENANCE", "OFFLINE", "RETIRED"]}
            counts={countsByStatus(rigGroups)}
          />
          <StatusCounts
            label="Contracts"
            order={["PENDING_PAYMENT", "ACTIVE", "COMPLETED", "EXPIRED", "CANCELLED"]}
            counts={countsByStatus(contractGroups)}
          />
        </div>
      </Section>

      <Section
        id="network"
        title="Network snapshots"
        description="Daily network inputs per coin used by payout runs (UTC days)."
        actions={sectionLink("/admin/network", "Enter or import network data")}
      >
        <DataTable
          label="Network snapshots per coin"
          caption="Network snapshots per coin: count, first and latest day"
          rows={coins.map((coin) => ({
            coin,
            group: snapshots.get(coin.asset),
            latest: snapshots.get(coin.asset)?._max.day ?? null,
          }))}
          rowKey={({ coin }) => coin.asset}
          columns={[
            {
              header: "Coin",
              rowHeader: true,
              cell: ({ coin }) => (
                <>
                  {coin.asset} <span className="font-normal text-slate-600">{coin.name}</span>
                </>
              ),
            },
            { header: "Snapshots", numeric: true, cell: ({ group }) => formatInteger(group?._count._all ?? 0) },
            { header: "First day", cell: ({ group }) => (group?._min.day ? formatDay(group._min.day) : "—") },
            { header: "Latest day", cell: ({ latest }) => (latest ? formatDay(latest) : "—") },
            {
              header: "Up to date",
              cell: ({ latest }) =>
                latest === null ? (
                  <StatusBadge status="FAILED" label="No data" />
                ) : latest.getTime() >= yesterday.getTime() ? (
                  <StatusBadge status="ACTIVE" label="Current" />
                ) : (
                  <StatusBadge
                    status="MAINTENANCE"
                    label={`Missing since ${formatDay(new Date(latest.getTime() + MS_PER_DAY))}`}
                  />
                ),
            },
          ]}
        />
      </Section>

      <div className="grid gap-x-6 lg:grid-cols-2">
        <Section
          id="withdrawals"
          title="Withdrawals"
          actions={sectionLink("/admin/withdrawals", "Review and send withdrawals")}
        >
          {withdrawalsToReview === 0 && withdrawalsInFlight === 0 ? (
            <EmptyState title="Nothing waiting.">
              No withdrawal is waiting for review, and none is being sent.
            </EmptyState>
          ) : (
            <dl className="grid grid-cols-2 gap-4">
              <StatCard label="Waiting for review" value={formatInteger(withdrawalsToReview)} />
              <StatCard label="Approved or sent, unconfirmed" value={formatInteger(withdrawalsInFlight)} />
            </dl>
          )}
        </Section>

        <Section
          id="payout-runs"
          title="Payout runs"
          description={
            payoutRunCount > 0 ? `${formatInteger(payoutRunCount)} runs recorded; the latest five:` : undefined
          }
          actions={sectionLink("/admin/payouts", "All payout runs")}
        >
          <DataTable
            label="Latest payout runs"
            caption="Latest payout runs"
            rows={payoutRuns}
            empty={
              <EmptyState title="No payout run has been recorded yet.">
                Daily payout runs appear here once they have run, with the number of contracts each settled.
              </EmptyState>
            }
            rowKey={(run) => run.id}
            columns={[
              {
                header: "Day",
                rowHeader: true,
                cell: (run) => (
                  <Link href={`/admin/payouts/runs/${run.id}`} className="link">
                    {formatDay(run.day)}
                  </Link>
                ),
              },
              {
                header: "Status",
                cell: (run) => (
                  <>
                    <StatusBadge status={run.status} label={humanize(run.status)} />
                    {run.error ? <span className="mt-1 block text-xs text-red-700">{run.error}</span> : null}
                  </>
                ),
              },
              { header: "Contracts", numeric: true, cell: (run) => formatInteger(run.contractsSettled) },
              { header: "Started", ...nowrap, cell: (run) => formatInstantUtc(run.startedAt) },
            ]}
          />
        </Section>
      </div>
    </AdminPage>
  );
}
