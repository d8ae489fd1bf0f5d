import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formatAlgorithm, formatBps, formatHashrate, formatInteger } from "@/components/format";
import { DeliverySparkline } from "@/components/operator/delivery-sparkline";
import { RigForm } from "@/components/operator/rig-form";
import { RigStatusForm } from "@/components/operator/rig-status-form";
import { StratumLoginForm } from "@/components/operator/stratum-login-form";
import { TelemetryEntryForm } from "@/components/operator/telemetry-entry-form";
import { DataTable, humanize, PageHeader, Section, StatCard, StatusBadge } from "@/components/ui";
import { FIGURE_COLUMN } from "@/components/ui/figure-column";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import {
  DELIVERY_FLAG_BPS,
  DELIVERY_WINDOW_DAYS,
  recentRigTelemetry,
  rigDeliveryRatios,
  yesterdayUtc,
} from "@/lib/operator/analytics";
import { facilityChoices, operatorRig } from "@/lib/operator/queries";
import { hashrateText, naturalHashrateUnit } from "@/lib/operator/units";
import { dayText } from "@/lib/shared/days";
import { rejectedTotal, rigStratumView, type RigStratumView } from "@/lib/stratum/queries";
import { stratumPublicUrl } from "@/lib/stratum/service";
import { algorithmOptions, defaultUnits, rigStatusOptions, unitOptions } from "../../_lib/options";
import { changeRigStatusAction, issueStratumLoginAction, updateRigAction } from "../../actions";
import { recordRigTelemetryAction } from "../../telemetry/actions";

export const metadata: Metadata = { title: "Rig" };
export const dynamic = "force-dynamic";

export default async function RigPage({ params }: { params: Promise<{ rigId: string }> }) {
  const { rigId } = await params;
  const user = await requireRole("OPERATOR", `/operator/rigs/${encodeURIComponent(rigId)}`);
  if (!z.uuid().safeParse(rigId).success) notFound();
  const prisma = db();
  const [rig, facilities, delivery, reports, stratum, requestHeaders] = await Promise.all([
    operatorRig(prisma, user.id, rigId),
    facilityChoices(prisma, user.id),
    rigDeliveryRatios(prisma, user.id, { rigId }),
    recentRigTelemetry(prisma, user.id, rigId),
    rigStratumView(prisma, user.id, rigId),
    headers(),
  ]);
  if (!rig || !stratum) notFound();
  const host = (requestHeaders.get("host") ?? "localhost").replace(/:\d+$/, "");
  const ratio = delivery.rigs[0];
  const unit = naturalHashrateUnit(rig.nominalHashrateHs);
  const retired = rig.status === "RETIRED";

  return (
    <div className="page max-w-4xl">
      <PageHeader
        title={`${rig.model} · ${rig.serialNumber}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={rig.status} /> {formatAlgorithm(rig.algorithm)} in {rig.facility.name} ·{" "}
            {rig.listing ? (
              <>
                backs{" "}
                <Link href={`/operator/listings/${rig.listing.id}`} className="link">
                  {rig.listing.title}
                </Link>
              </>
            ) : (
              "not listed"
            )}
          </span>
        }
      />

      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Nominal hashrate" value={formatHashrate(rig.nominalHashrateHs)} />
        <StatCard label="Allocated (live)" value={formatHashrate(rig.liveHs)} />
        <StatCard label="Reserved" value={formatHashrate(rig.reservedHs)} />
        <StatCard label="Power draw" value={`${formatInteger(rig.powerDrawW)} W`} />
      </dl>

      <Section id="status" title="Status">
        {retired ? (
          <p className="text-sm text-slate-700">This rig is retired. Retirement is final.</p>
        ) : (
          <div className="card p-6">
            <RigStatusForm
              action={changeRigStatusAction.bind(null, rig.id)}
              current={rig.status}
              statuses={rigStatusOptions}
            />
          </div>
        )}
      </Section>

      <StratumSection
        stratum={stratum}
        retired={retired}
        url={stratumPublicUrl(host)}
        action={issueStratumLoginAction.bind(null, rig.id)}
      />

      <Section
        id="telemetry"
        title="Telemetry"
        description={`The rig's average hashrate per UTC day: what the daily payout counts as delivered. Last ${DELIVERY_WINDOW_DAYS} days: ${delivery.from} to ${delivery.to}.`}
        actions={
          <Link href="/operator/telemetry" className="link text-sm">
            All rigs for a day
          </Link>
        }
      >
        <div className="mb-6 flex flex-wrap items-center gap-x-6 gap-y-2 text-sm text-slate-700">
          {ratio && ratio.deliveryBps !== null ? (
            <>
              <p>
                Delivery: <span className="font-semibold text-slate-900">{formatBps(ratio.deliveryBps)}</span> of
                nominal over {formatInteger(ratio.daysReported)} reported {ratio.daysReported === 1 ? "day" : "days"}
                {ratio.flagged ? (
                  <span className="ml-2">
                    <StatusBadge status="FAILED" label={`Below ${formatBps(DELIVERY_FLAG_BPS)}`} />
                  </span>
                ) : null}
              </p>
              <DeliverySparkline
                series={ratio.series}
                flagBps={DELIVERY_FLAG_BPS}
                label={`Reported hashrate against nominal, ${delivery.from} to ${delivery.to}`}
              />
            </>
          ) : (
            <p>No reports in the last {DELIVERY_WINDOW_DAYS} days.</p>
          )}
        </div>
        <TelemetryEntryForm
          action={recordRigTelemetryAction.bind(null, rig.id)}
          unit={unit}
          nominal={hashrateText(rig.nominalHashrateHs, unit)}
          yesterday={dayText(yesterdayUtc())}
        />
        {reports.length > 0 ? (
          <div className="mt-6">
            <DataTable
              label="Recent telemetry"
              caption={<>Reports of the last {DELIVERY_WINDOW_DAYS} days, newest first</>}
              rows={reports}
              rowKey={(r) => r.day}
              columns={[
                { header: "Day", rowHeader: true, className: "whitespace-nowrap", cell: (r) => r.day },
                {
                  header: "Average hashrate",
                  ...FIGURE_COLUMN,
                  cell: (r) => (
                    <>
                      {hashrateText(r.reportedHashrateHs, unit)} {unit}
                    </>
                  ),
                },
                {
                  header: "Of nominal",
                  numeric: true,
                  cellProps: (r) => ({
                    className: `${r.ofNominalBps < DELIVERY_FLAG_BPS ? "font-medium text-red-800" : ""}`,
                  }),
                  cell: (r) => formatBps(r.ofNominalBps),
                },
                { header: "Uptime", numeric: true, cell: (r) => (r.uptimeBps === null ? "—" : formatBps(r.uptimeBps)) },
                { header: "Reported by", cell: (r) => humanize(r.source) },
                { header: "Payouts", cell: (r) => (r.settled ? "Settled (final)" : "Not settled") },
              ]}
            />
          </div>
        ) : null}
      </Section>

      {retired ? null : (
        <Section id="edit" title="Details" description="Status changes above; everything else here.">
          <RigForm
            action={updateRigAction.bind(null, rig.id)}
            mode="edit"
            initial={{
              facilityId: rig.facilityId,
              model: rig.model,
              serialNumber: rig.serialNumber,
              algorithm: rig.algorithm,
              nominalHashrate: hashrateText(rig.nominalHashrateHs, unit),
              hashrateUnit: unit,
              powerW: String(rig.powerDrawW),
            }}
            facilities={facilities.map((f) => ({ value: f.id, label: f.name }))}
            algorithms={algorithmOptions}
            units={unitOptions}
            defaultUnits={defaultUnits}
            statuses={[]}
          />
        </Section>
      )}
    </div>
  );
}

function StratumSection({
  stratum,
  retired,
  url,
  action,
}: {
  stratum: RigStratumView;
  retired: boolean;
  url: string;
  action: Parameters<typeof StratumLoginForm>[0]["action"];
}) {
  if (!stratum.verifiable) {
    return (
      <Section id="stratum" title="Verified delivery">
        <p className="text-sm text-slate-700">
          Shares of this algorithm cannot be verified by the Hashlease Stratum endpoint yet: this rig&apos;s delivered
          hashrate stays on the telemetry you report below, and its payouts say so.
        </p>
      </Section>
    );
  }
  const rejected = rejectedTotal(stratum.today);
  return (
    <Section
      id="stratum"
      title="Verified delivery"
      description="Point the rig at the Hashlease Stratum endpoint: every share it submits is hashed and checked here, and the verified hashrate is what the daily payout counts for each day the rig mined through it."
    >
      <dl className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard
          label="Stratum status"
          value={
            <StatusBadge status={stratum.online ? "ACTIVE" : "OFFLINE"} label={stratum.online ? "Online" : "Offline"} />
          }
          detail={
            stratum.lastShareAt
              ? `Last share ${stratum.lastShareAt.toISOString().replace("T", " ").slice(0, 19)} UTC`
              : "No share yet"
          }
        />
        <StatCard label="Verified hashrate (10 min)" value={formatHashrate(stratum.liveHashrateHs)} />
        <StatCard label="Verified today (UTC)" value={formatHashrate(stratum.today.hashrateHs)} />
        <StatCard
          label="Shares today"
          value={`${formatInteger(stratum.today.accepted)} accepted`}
          detail={`${formatInteger(rejected)} rejected: ${formatInteger(stratum.today.stale)} stale, ${formatInteger(stratum.today.duplicate)} duplicate, ${formatInteger(stratum.today.lowDifficulty)} low difficulty, ${formatInteger(stratum.today.invalid)} invalid`}
        />
      </dl>
      {retired ? null : (
        <div className="card mb-6 p-6">
          <StratumLoginForm action={action} url={url} workerName={stratum.workerName} />
        </div>
      )}
      {stratum.days.length > 0 ? (
        <DataTable
          label="Measured days"
          caption={<>Days measured from verified shares, newest first: the payout run uses these, not telemetry</>}
          rows={stratum.days}
          rowKey={(d) => d.day}
          columns={[
            { header: "Day", rowHeader: true, className: "whitespace-nowrap", cell: (d) => d.day },
            { header: "Verified average", ...FIGURE_COLUMN, cell: (d) => formatHashrate(d.hashrateHs) },
            { header: "Accepted shares", numeric: true, cell: (d) => formatInteger(d.accepted) },
            { header: "Rejected shares", numeric: true, cell: (d) => formatInteger(d.rejected) },
          ]}
        />
      ) : null}
    </Section>
  );
}
