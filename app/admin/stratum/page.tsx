import type { Metadata } from "next";
import { AdminPage } from "@/components/admin/admin-page";
import { nowrap } from "@/components/admin/columns";
import { formatBps, formatHashrate, formatInstantUtc, formatInteger } from "@/components/format";
import { DataTable, EmptyState, Section, StatCard, StatusBadge } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { proxyHealth } from "@/lib/stratum/queries";

export const metadata: Metadata = { title: "Stratum proxy" };
export const dynamic = "force-dynamic";

export default async function AdminStratumPage() {
  await requireRole("ADMIN", "/admin/stratum");
  const health = await proxyHealth(db());
  const live = health.instances.filter((i) => i.live);
  const c = health.counts;
  return (
    <AdminPage
      current="/admin/stratum"
      title="Stratum proxy"
      description="Every share a rig submits is verified here by hashing it; delivered hashrate is measured from the accepted ones."
    >
      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Live instances" value={formatInteger(live.length)} />
        <StatCard label="Connections" value={formatInteger(live.reduce((s, i) => s + i.connections, 0))} />
        <StatCard
          label={`Shares per second (${health.minutes} min)`}
          value={health.sharesPerSecond.toFixed(2)}
          detail={`${formatInteger(c.accepted)} accepted`}
        />
        <StatCard
          label="Reject rate"
          value={formatBps(health.rejectBps)}
          detail={`${formatInteger(c.stale)} stale · ${formatInteger(c.duplicate)} duplicate · ${formatInteger(c.lowDifficulty)} low difficulty · ${formatInteger(c.invalid)} invalid`}
        />
      </dl>
      <Section
        id="instances"
        title="Instances"
        description="Proxy processes on this database; each hands out its own extranonce1 prefix."
      >
        {health.instances.length === 0 ? (
          <EmptyState title="No proxy has started yet.">`npm start` and `npm run stratum` start one.</EmptyState>
        ) : (
          <DataTable
            label="Proxy instances"
            rows={health.instances}
            rowKey={(i) => String(i.id)}
            columns={[
              { header: "Instance", rowHeader: true, cell: (i) => `#${i.id}` },
              {
                header: "State",
                cell: (i) => (
                  <StatusBadge
                    status={i.live ? "ACTIVE" : "OFFLINE"}
                    label={i.live ? "Live" : i.stoppedAt ? "Stopped" : "No heartbeat"}
                  />
                ),
              },
              { header: "Address", cell: (i) => `${i.host}:${i.port}` },
              { header: "Mode", cell: (i) => (i.mode === "pool" ? "Pool" : "Upstream") },
              {
                header: "Last heartbeat",
                ...nowrap,
                cell: (i) => formatInstantUtc(i.heartbeatAt),
              },
              { header: "Connections", numeric: true, cell: (i) => formatInteger(i.connections) },
              { header: "Accepted", numeric: true, cell: (i) => formatInteger(Number(i.sharesAccepted)) },
              { header: "Rejected", numeric: true, cell: (i) => formatInteger(Number(i.sharesRejected)) },
            ]}
          />
        )}
      </Section>
      <Section id="rigs" title={`Rigs, last ${health.minutes} minutes`} description="Most rejected shares first.">
        {health.rigs.length === 0 ? (
          <EmptyState title="No shares in this window." />
        ) : (
          <DataTable
            label="Rigs by rejected shares"
            rows={health.rigs}
            rowKey={(r) => r.rigId}
            columns={[
              { header: "Rig", rowHeader: true, cell: (r) => r.label },
              { header: "Verified hashrate", numeric: true, cell: (r) => formatHashrate(r.hashrateHs) },
              { header: "Accepted", numeric: true, cell: (r) => formatInteger(r.accepted) },
              { header: "Rejected", numeric: true, cell: (r) => formatInteger(r.rejected) },
            ]}
          />
        )}
      </Section>
    </AdminPage>
  );
}
