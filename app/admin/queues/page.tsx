import type { Metadata } from "next";
import { moneyReadiness } from "@/app/admin/_lib/money-gate";
import { AdminPage } from "@/components/admin/admin-page";
import { nowrap } from "@/components/admin/columns";
import { Notice } from "@/components/form-fields";
import { formatInstantUtc, formatInteger } from "@/components/format";
import { DataTable, EmptyState, Section, StatCard } from "@/components/ui";
import { RowActionForm } from "@/components/wallet/row-action-form";
import { requireRole } from "@/lib/auth/session";
import { databaseUrl, db } from "@/lib/db/client";
import { deadJobs, queueOverview, type QueueRow } from "@/lib/jobs/admin";
import { queueClient } from "@/lib/jobs/queue";
import { jobs } from "@/lib/jobs/worker";
import { retryFailedJobsAction } from "./actions";
import { retriedNotice } from "./notice";

export const metadata: Metadata = { title: "Job queues" };
export const dynamic = "force-dynamic";

const EVERY_MS = new Map(jobs.map((job) => [job.name, job.everyMs] as const));

function seconds(ms: number): string {
  return ms < 60_000 ? `${ms / 1000} s` : ms < 3_600_000 ? `${ms / 60_000} min` : `${ms / 3_600_000} h`;
}

export default async function AdminQueuesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requireRole("ADMIN", "/admin/queues");
  const readiness = await moneyReadiness(admin);
  const prisma = db();
  // Starting the client installs pg-boss's schema if no worker has yet; it also reads the schedules.
  const boss = await queueClient(databaseUrl());
  const [queues, dead] = await Promise.all([queueOverview(prisma), deadJobs(prisma, { limit: 100 })]);
  const now = new Date();
  const nextRun = (q: QueueRow): string => {
    const everyMs = EVERY_MS.get(q.name);
    if (everyMs !== undefined && everyMs < 60_000) return `every ${seconds(everyMs)}`;
    if (!q.cron) return "when sent";
    const [next] = boss.previewSchedule(q.cron, { from: now, count: 1 });
    return next ? formatInstantUtc(next) : "—";
  };
  const notice = retriedNotice(
    await searchParams,
    queues.map((q) => q.name),
  );
  const sum = (pick: (q: QueueRow) => number) => queues.reduce((s, q) => s + pick(q), 0);
  return (
    <AdminPage
      current="/admin/queues"
      moneyGate={{ readiness, purpose: "retry failed jobs" }}
      title="Job queues"
      description="Background jobs run from a PostgreSQL-backed queue (pg-boss, schema pgboss) shared by every worker. A job that throws is retried with growing delays; after its last retry it fails and waits here."
    >
      {notice ? <Notice>{notice}</Notice> : null}
      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Queues" value={formatInteger(queues.length)} />
        <StatCard
          label="Waiting"
          value={formatInteger(sum((q) => q.waiting))}
          detail={`${formatInteger(sum((q) => q.retrying))} retrying`}
        />
        <StatCard label="Running" value={formatInteger(sum((q) => q.active))} />
        <StatCard label="Failed" value={formatInteger(dead.length)} detail="retries used up" />
      </dl>
      <Section
        id="queues"
        title="Queues"
        description="Completed counts the last 24 hours; the last error is the newest failed try."
      >
        {queues.length === 0 ? (
          <EmptyState title="No worker has started on this database yet.">
            `npm start` and `npm run jobs` create the queues and their schedules.
          </EmptyState>
        ) : (
          <DataTable
            label="Job queues"
            rows={queues}
            rowKey={(q) => q.name}
            rowProps={(q) => ({ "data-queue": q.name })}
            columns={[
              { header: "Queue", rowHeader: true, cell: (q) => <code className="text-sm">{q.name}</code> },
              { header: "Next run", ...nowrap, cell: nextRun },
              {
                header: "Waiting",
                numeric: true,
                cell: (q) =>
                  q.retrying
                    ? `${formatInteger(q.waiting)} (${formatInteger(q.retrying)} retrying)`
                    : formatInteger(q.waiting),
              },
              { header: "Running", numeric: true, cell: (q) => formatInteger(q.active) },
              { header: "Completed (24 h)", numeric: true, cell: (q) => formatInteger(q.completed24h) },
              { header: "Failed", numeric: true, cell: (q) => formatInteger(q.dead) },
              {
                header: "Last error",
                cell: (q) =>
                  q.lastError ? (
                    <>
                      <span className="block max-w-md text-sm break-words">{q.lastError.message}</span>
                      <span className="text-xs whitespace-nowrap text-slate-500">
                        {formatInstantUtc(q.lastError.at)}
                      </span>
                    </>
                  ) : (
                    "—"
                  ),
              },
              {
                header: "Actions",
                cell: (q) =>
                  q.dead > 0 ? (
                    <RowActionForm
                      idPrefix={`retry-all-${q.name}`}
                      action={retryFailedJobsAction}
                      hidden={{ queue: q.name, jobId: "" }}
                      submitLabel={`Retry all failed (${formatInteger(q.dead)})`}
                      pendingLabel="Retrying…"
                      tone="secondary"
                    />
                  ) : null,
              },
            ]}
          />
        )}
      </Section>
      <Section
        id="failed"
        title="Failed jobs"
        description="Jobs whose retries are used up, newest first. A retry puts the job back in its queue as a new job with its retries."
      >
        {dead.length === 0 ? (
          <EmptyState title="No failed job is waiting." />
        ) : (
          <DataTable
            label="Failed jobs"
            rows={dead}
            rowKey={(j) => j.id}
            rowProps={(j) => ({ "data-job": j.id })}
            columns={[
              { header: "Queue", rowHeader: true, cell: (j) => <code className="text-sm">{j.queue}</code> },
              { header: "Failed at", ...nowrap, cell: (j) => formatInstantUtc(j.deadSince) },
              { header: "Tries", numeric: true, cell: (j) => formatInteger(j.retries + 1) },
              { header: "Error", cell: (j) => <span className="block max-w-md text-sm break-words">{j.error}</span> },
              {
                header: "Data",
                cell: (j) => <code className="block max-w-xs truncate text-xs">{JSON.stringify(j.data ?? {})}</code>,
              },
              {
                header: "Actions",
                cell: (j) => (
                  <RowActionForm
                    idPrefix={`retry-${j.id}`}
                    action={retryFailedJobsAction}
                    hidden={{ queue: j.queue, jobId: j.id }}
                    submitLabel="Retry"
                    pendingLabel="Retrying…"
                  />
                ),
              },
            ]}
          />
        )}
      </Section>
    </AdminPage>
  );
}
