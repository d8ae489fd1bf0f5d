import type { Metadata } from "next";
import { formatBps, formatInteger } from "@/components/format";
import { TelemetryDayForm } from "@/components/operator/telemetry-day-form";
import { Pager } from "@/components/pager";
import { Button, EmptyState, humanize, PageHeader, Section } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { telemetrySheet, yesterdayUtc } from "@/lib/operator/analytics";
import { MAX_TELEMETRY_AGE_DAYS, telemetryDayProblem } from "@/lib/operator/telemetry";
import { hashrateText, naturalHashrateUnit } from "@/lib/operator/units";
import { DAY_MS, dayText, parseDay } from "@/lib/shared/days";
import { recordTelemetryDayAction } from "./actions";

export const metadata: Metadata = { title: "Telemetry" };
export const dynamic = "force-dynamic";

const RIGS_PER_PAGE = 100;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TelemetryPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requireRole("OPERATOR", "/operator/telemetry");
  const yesterday = dayText(yesterdayUtc());
  const asked = typeof params.day === "string" ? params.day.trim() : "";
  const problem = asked ? telemetryDayProblem(asked, new Date()) : null;
  const day = asked && !problem ? asked : yesterday;
  const requested =
    typeof params.page === "string" && /^\d{1,6}$/.test(params.page) ? Math.max(1, Number(params.page)) : 1;

  const firstTry = await telemetrySheet(db(), user.id, parseDay(day)!, { page: requested, pageSize: RIGS_PER_PAGE });
  const pageCount = Math.max(1, Math.ceil(firstTry.total / RIGS_PER_PAGE));
  const page = Math.min(requested, pageCount);
  // A page number past the end shows the last page.
  const sheet =
    page === requested
      ? firstTry
      : await telemetrySheet(db(), user.id, parseDay(day)!, { page, pageSize: RIGS_PER_PAGE });
  const rows = sheet.rows.map((r) => {
    const unit = naturalHashrateUnit(r.nominalHashrateHs);
    return {
      rigId: r.rigId,
      model: r.model,
      serialNumber: r.serialNumber,
      facility: r.facilityName,
      status: r.status,
      unit,
      nominal: hashrateText(r.nominalHashrateHs, unit),
      hashrate: r.reportedHashrateHs === null ? "" : hashrateText(r.reportedHashrateHs, unit),
      uptime: r.uptimeBps === null ? "" : formatBps(r.uptimeBps).replace("%", ""),
      source: r.source ? humanize(r.source) : null,
      settled: r.settled,
    };
  });
  const earliest = dayText(new Date(parseDay(yesterday)!.getTime() - (MAX_TELEMETRY_AGE_DAYS - 1) * DAY_MS));

  return (
    <div className="page">
      <PageHeader
        title="Telemetry"
        description="Each rig's average hashrate per UTC day, the input of the daily payout: a contract is paid for what its rigs delivered, and a rig without a report delivered nothing that day."
        links={[
          { href: "/operator/performance", label: "Performance" },
          { href: "/operator", label: "Back to operator" },
        ]}
      />

      <form method="get" action="/operator/telemetry" className="card mb-8 flex flex-wrap items-end gap-4 p-5">
        <div>
          <label htmlFor="sheet-day" className="label">
            Day (UTC)
          </label>
          <input
            id="sheet-day"
            name="day"
            type="date"
            className="input mt-1.5"
            defaultValue={day}
            min={earliest}
            max={yesterday}
            aria-describedby={problem ? "sheet-day-error" : undefined}
          />
        </div>
        <Button type="submit" variant="secondary">
          Show day
        </Button>
        {problem ? (
          <p id="sheet-day-error" role="alert" className="field-error w-full">
            {problem} Showing {yesterday} instead.
          </p>
        ) : null}
      </form>

      <Section
        id="sheet"
        title={`Average hashrate on ${day}`}
        description={`Enter the day's average in each rig's unit (0 if it did not hash; at most twice its nominal) and the uptime if known. Rows left empty are not changed; the rows entered are saved together or not at all. A day whose payouts are settled for the contracts on a rig is final.`}
      >
        {sheet.total === 0 ? (
          <EmptyState title="You have no rigs yet." action={{ href: "/operator/rigs/new", label: "Add a rig" }}>
            Rigs report telemetry once they are registered.
          </EmptyState>
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-600">
              {formatInteger(sheet.total)} {sheet.total === 1 ? "rig" : "rigs"}
              {pageCount > 1 ? `, page ${page} of ${pageCount}` : ""}.
            </p>
            <TelemetryDayForm
              key={`${day}-${page}`}
              action={recordTelemetryDayAction.bind(null, day)}
              day={day}
              rows={rows}
            />
            <Pager page={page} pageCount={pageCount} href={(p) => `/operator/telemetry?day=${day}&page=${p}`} />
          </>
        )}
      </Section>
    </div>
  );
}
