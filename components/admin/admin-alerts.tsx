// The alerts of /admin: each card says what is wrong (red/amber) or that all is well (green),
// with a link to where it is handled. Presentational; lib/admin/overview.ts computes it.
import Link from "next/link";
import type { ReactNode } from "react";
import type { AdminAlerts as Alerts } from "@/lib/admin/overview";
import { formatBps, formatDay, formatHashrate, formatInstantUtc, formatInteger } from "../format";
import { Section } from "../ui";

const SEALER_STALL_MS = 60_000;

type Level = "ok" | "warn" | "alert";

const LEVEL_CLASS: Record<Level, string> = {
  ok: "border-l-4 border-emerald-500",
  warn: "border-l-4 border-amber-500",
  alert: "border-l-4 border-red-600",
};

function AlertCard({
  id,
  title,
  level,
  value,
  href,
  linkLabel,
  children,
}: {
  id: string;
  title: string;
  level: Level;
  value: ReactNode;
  href: string;
  linkLabel: string;
  children?: ReactNode;
}) {
  return (
    <div className={`card p-5 ${LEVEL_CLASS[level]}`} data-testid={`alert-${id}`} data-level={level}>
      <h3 className="flex items-baseline justify-between gap-3 text-sm font-medium text-slate-600">
        {title}
        <span className="text-2xl font-semibold text-slate-900 tabular-nums">{value}</span>
      </h3>
      {children ? <div className="mt-2 space-y-1 text-sm text-slate-700">{children}</div> : null}
      <Link href={href} className="link mt-3 inline-block text-sm">
        {linkLabel}
      </Link>
    </div>
  );
}

export function AdminAlerts({ alerts, now = new Date() }: { alerts: Alerts; now?: Date }) {
  const { withdrawalsWaiting, underDelivering, problemRuns, reconciliation, auditChain } = alerts;
  const latest = reconciliation.latest;
  const reconLevel: Level = !latest
    ? "warn"
    : latest.mismatchCount > 0
      ? "alert"
      : reconciliation.failedLastWeek > 0
        ? "warn"
        : "ok";
  const sealerStalled =
    auditChain.oldestUnsealedAt !== null && now.getTime() - auditChain.oldestUnsealedAt.getTime() > SEALER_STALL_MS;
  const lastCheck = auditChain.lastVerification;
  const auditLevel: Level = lastCheck && !lastCheck.ok ? "alert" : sealerStalled || !lastCheck ? "warn" : "ok";
  const runsLevel: Level = problemRuns.mismatched > 0 ? "alert" : problemRuns.failed > 0 ? "warn" : "ok";
  const levels = [
    withdrawalsWaiting > 0 ? "warn" : "ok",
    underDelivering.total > 0 ? "warn" : "ok",
    runsLevel,
    reconLevel,
    auditLevel,
  ];
  const open = levels.filter((l) => l !== "ok").length;

  return (
    <Section
      id="alerts"
      title="Alerts"
      description={
        open === 0 ? "Nothing needs attention." : `${open} ${open === 1 ? "area needs" : "areas need"} attention.`
      }
    >
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <AlertCard
          id="withdrawals"
          title="Withdrawals waiting for review"
          level={withdrawalsWaiting > 0 ? "warn" : "ok"}
          value={formatInteger(withdrawalsWaiting)}
          href="/admin/withdrawals"
          linkLabel="Review withdrawals"
        >
          {withdrawalsWaiting === 0 ? (
            <p>No withdrawal is waiting for an admin.</p>
          ) : (
            <p>Above the review threshold; the funds are held until approved or rejected.</p>
          )}
        </AlertCard>

        <AlertCard
          id="rigs"
          title="Rigs under-delivering"
          level={underDelivering.total > 0 ? "warn" : "ok"}
          value={formatInteger(underDelivering.total)}
          href="/admin/users?role=OPERATOR"
          linkLabel="Operators"
        >
          <p>
            Below {formatBps(9_500)} of nominal over their reported days, {underDelivering.from} – {underDelivering.to}.
          </p>
          {underDelivering.worst.length > 0 ? (
            <ul className="text-xs">
              {underDelivering.worst.slice(0, 5).map((rig) => (
                <li key={rig.rigId}>
                  {rig.model} {rig.serialNumber}: {formatBps(rig.deliveryBps)} of{" "}
                  {formatHashrate(rig.nominalHashrateHs)} ({rig.daysReported} d) ·{" "}
                  <Link className="link" href={`/admin/users/${rig.operatorId}`}>
                    {rig.operatorEmail}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </AlertCard>

        <AlertCard
          id="payout-runs"
          title="Payout runs failed or not reconciling"
          level={runsLevel}
          value={formatInteger(problemRuns.failed + problemRuns.mismatched)}
          href="/admin/payouts"
          linkLabel="All payout runs"
        >
          <p>
            {formatInteger(problemRuns.failed)} failed in the last 30 days; {formatInteger(problemRuns.mismatched)}{" "}
            whose mined total ≠ net + fees + rounding.
          </p>
          {problemRuns.latest.length > 0 ? (
            <ul className="text-xs">
              {problemRuns.latest.map((run) => (
                <li key={run.id}>
                  <Link className="link" href={`/admin/payouts/runs/${run.id}`}>
                    {formatDay(run.day)}
                  </Link>{" "}
                  {run.status === "FAILED"
                    ? `failed${run.error ? `: ${run.error.slice(0, 80)}` : ""}`
                    : `mismatch in ${run.mismatchedCoins.join(", ")}`}
                </li>
              ))}
            </ul>
          ) : null}
        </AlertCard>

        <AlertCard
          id="reconciliation"
          title="Ledger reconciliation"
          level={reconLevel}
          value={latest ? (latest.mismatchCount === 0 ? "OK" : `${formatInteger(latest.mismatchCount)} off`) : "—"}
          href="/admin/ledger#reconciliation"
          linkLabel="Ledger and reconciliation"
        >
          {latest ? (
            <p>
              Latest run {formatInstantUtc(latest.startedAt)}: {formatInteger(latest.accountsChecked)} accounts,{" "}
              {latest.mismatchCount === 0
                ? "every cached balance equals its postings"
                : `${formatInteger(latest.mismatchCount)} cached balances differ from their postings`}
              .{" "}
              {reconciliation.failedLastWeek > 0
                ? `${formatInteger(reconciliation.failedLastWeek)} runs found mismatches in the last 7 days.`
                : null}
            </p>
          ) : (
            <p>The reconciliation job has not run yet.</p>
          )}
        </AlertCard>

        <AlertCard
          id="audit-chain"
          title="Audit chain"
          level={auditLevel}
          value={lastCheck ? (lastCheck.ok ? "OK" : "BROKEN") : "—"}
          href="/admin/audit#verify"
          linkLabel="Verify the chain"
        >
          <p>
            {formatInteger(auditChain.sealedLines)} lines sealed, {formatInteger(auditChain.unsealedLines)} waiting
            {sealerStalled && auditChain.oldestUnsealedAt
              ? ` (oldest since ${formatInstantUtc(auditChain.oldestUnsealedAt)}: is the sealer running?)`
              : ""}
            .
          </p>
          <p>
            {lastCheck
              ? `Last verified ${formatInstantUtc(lastCheck.at)}${lastCheck.actorEmail ? ` by ${lastCheck.actorEmail}` : ""}: ${lastCheck.ok ? "unbroken" : `broken at line ${lastCheck.brokenAtSeq}`}.`
              : "Not verified from the console yet."}
          </p>
        </AlertCard>
      </div>
    </Section>
  );
}
