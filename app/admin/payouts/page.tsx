import type { Metadata } from "next";
import { moneyReadiness } from "@/app/admin/_lib/money-gate";
import { AdminPage, countText, PagedSection } from "@/components/admin/admin-page";
import { PayoutRunCard } from "@/components/admin/payout-run-card";
import { PayoutRunForms } from "@/components/admin/payout-run-forms";
import { EmptyState, Section } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { listRuns } from "@/lib/payouts/admin";
import { DAY_MS, dayText } from "@/lib/shared/days";
import { rerunDayAction, settleAllAction } from "./actions";

export const metadata: Metadata = { title: "Payout runs" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 10;

/** Midnight UTC of the current day (this page renders per request). */
function utcToday(): Date {
  return new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
}

export default async function PayoutRunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requireRole("ADMIN", "/admin/payouts");
  const readiness = await moneyReadiness(admin);
  const params = await searchParams;
  const page = Math.max(1, Math.floor(Number(typeof params.page === "string" ? params.page : "1") || 1));
  const { rows, total } = await listRuns(db(), { page, pageSize: PAGE_SIZE });
  const yesterday = dayText(new Date(utcToday().getTime() - DAY_MS));

  return (
    <AdminPage
      current="/admin/payouts"
      moneyGate={{ readiness, purpose: "run payout days" }}
      title="Payout runs"
      description="One run settles one UTC day for every contract due that day; each contract-day is paid once. Every run reconciles per coin: mined = customer net + pool fees + maintenance fees + rounding."
    >
      <Section id="actions" title="Run payouts">
        <PayoutRunForms rerun={rerunDayAction} catchUp={settleAllAction} yesterday={yesterday} />
      </Section>

      <PagedSection
        id="runs"
        title="Runs"
        description={total > 0 ? `${countText(total, "run", "runs")}, newest first.` : undefined}
        page={page}
        total={total}
        pageSize={PAGE_SIZE}
        href={(p) => (p > 1 ? `/admin/payouts?page=${p}` : "/admin/payouts")}
      >
        {rows.length === 0 ? (
          <EmptyState title="No payout run has been recorded yet.">
            The scheduler settles each day after it ends; you can also re-run a day or settle all unsettled days above.
          </EmptyState>
        ) : (
          <div className="space-y-4">
            {rows.map((run) => (
              <PayoutRunCard key={run.id} run={run} />
            ))}
          </div>
        )}
      </PagedSection>
    </AdminPage>
  );
}
