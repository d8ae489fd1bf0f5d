import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AdminPage } from "@/components/admin/admin-page";
import { figure, rigColumn } from "@/components/admin/columns";
import {
  formatBps,
  formatCoinAmount,
  formatDay,
  formatHashrate,
  formatInstantUtc,
  formatInteger,
} from "@/components/format";
import { DataTable, LinkButton, Section, StatusBadge } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { payoutAudit } from "@/lib/payouts/admin";
import { usdExact } from "@/lib/shared/usd";

export const metadata: Metadata = { title: "Payout" };
export const dynamic = "force-dynamic";

function Check({ same }: { same: boolean }) {
  return same ? <StatusBadge status="ACTIVE" label="✓ matches" /> : <StatusBadge status="FAILED" label="✗ differs" />;
}

export default async function PayoutPage({ params }: { params: Promise<{ payoutId: string }> }) {
  const { payoutId } = await params;
  await requireRole("ADMIN", `/admin/payouts/payouts/${encodeURIComponent(payoutId)}`);
  if (!/^\d{1,18}$/.test(payoutId)) notFound();
  const audit = await payoutAudit(db(), BigInt(payoutId));
  if (!audit) notFound();
  const { payout: p, recomputed: r } = audit;
  const coin = (v: bigint) => `${formatCoinAmount(v, p.decimals, { maxDecimals: p.decimals })} ${p.coin}`;
  const exact = (v: bigint, unit: string) => `${v.toString()} ${unit}`;

  const inputs: { label: string; value: string; detail?: string }[] = [
    {
      label: "Allocated hashrate H",
      value: formatHashrate(p.allocatedHashrateHs),
      detail: exact(p.allocatedHashrateHs, "H/s"),
    },
    {
      label: "Step 1: delivered hashrate Hd",
      value: formatHashrate(p.deliveredHashrateHs),
      detail: exact(p.deliveredHashrateHs, "H/s"),
    },
    {
      label: "Network hashrate N",
      value: formatHashrate(p.networkHashrateHs),
      detail: exact(p.networkHashrateHs, "H/s"),
    },
    {
      label: "Target block time T",
      value: `${formatCoinAmount(BigInt(p.blockTimeMs), 3)} s`,
      detail: `${p.blockTimeMs} ms`,
    },
    { label: "Block subsidy R", value: coin(p.blockSubsidyBase), detail: exact(p.blockSubsidyBase, "base units") },
    {
      label: "Average fees per block F",
      value: coin(p.avgFeesPerBlockBase),
      detail: exact(p.avgFeesPerBlockBase, "base units"),
    },
    { label: "Price P", value: usdExact(p.priceMicroUsd), detail: exact(p.priceMicroUsd, "micro-USD per coin") },
    { label: "Coin decimals d", value: formatInteger(p.decimals) },
    { label: "Pool fee", value: formatBps(p.poolFeeBps), detail: `${p.poolFeeBps} bps` },
    {
      label: "Maintenance fee m",
      value: usdExact(p.maintenanceFeeMicroUsdPerUnitDay),
      detail: `micro-USD ${p.maintenanceFeeMicroUsdPerUnitDay.toString()} per unit of ${formatHashrate(p.unitHs)} per day`,
    },
    {
      label: "Daily price",
      value: usdExact(p.dailyPriceMicroUsd),
      detail: "One day of the full contracted hashrate",
    },
  ];

  const figures: {
    step: string;
    label: string;
    stored: bigint | boolean;
    recomputed: bigint | boolean;
    show: (v: bigint) => string;
  }[] = [
    {
      step: "2",
      label: "Gross G = floor(Hd × 86400 × (R + F) / (N × T))",
      stored: p.grossBase,
      recomputed: r.grossBase,
      show: coin,
    },
    {
      step: "3",
      label: "Pool fee Fp = ceil(G × bps / 10000)",
      stored: p.poolFeeBase,
      recomputed: r.poolFeeBase,
      show: coin,
    },
    {
      step: "4",
      label: "Maintenance fee M = ceil(m × Hd × 10^d / (u × P))",
      stored: p.maintenanceFeeBase,
      recomputed: r.maintenanceFeeBase,
      show: coin,
    },
    { step: "5", label: "Curtailed (G − Fp < M)", stored: p.curtailed, recomputed: r.curtailed, show: () => "" },
    { step: "5", label: "Net to the customer G − Fp − M", stored: p.netBase, recomputed: r.netBase, show: coin },
    {
      step: "6",
      label: "Under-delivery credit floor((H − Hd) × dailyPrice / H)",
      stored: p.underDeliveryCreditMicroUsd,
      recomputed: r.underDeliveryCreditMicroUsd,
      show: usdExact,
    },
    {
      step: "7",
      label: "USD value at receipt floor(net × P / 10^d)",
      stored: p.usdValueAtReceiptMicroUsd,
      recomputed: r.usdValueAtReceiptMicroUsd,
      show: usdExact,
    },
  ];
  const text = (v: bigint | boolean, show: (v: bigint) => string) =>
    typeof v === "boolean" ? (v ? "Yes" : "No") : show(v);

  return (
    <AdminPage
      current="/admin/payouts"
      title={`Payout #${p.id.toString()}`}
      description={`${p.coin} for contract ${p.contractId} (${p.customerEmail}) on ${formatDay(p.day)}, stored ${formatInstantUtc(p.createdAt)}.`}
      actions={
        <LinkButton href={`/admin/payouts/runs/${p.runId}`} variant="ghost">
          Back to its run
        </LinkButton>
      }
    >
      <div
        role="status"
        className={`mb-8 rounded-md border p-4 text-sm ${audit.matches ? "border-emerald-300 bg-emerald-50 text-emerald-950" : "border-red-300 bg-red-50 text-red-900"}`}
      >
        <p className="font-semibold">
          {audit.matches
            ? "Recomputed with the payout formula from the stored inputs: every figure matches."
            : "Recomputed with the payout formula from the stored inputs: some figures differ — investigate this payout."}
        </p>
      </div>

      <Section
        id="inputs"
        title="Stored inputs"
        description="What the run read when it settled this contract-day; the payout keeps them for good."
      >
        <DataTable
          label="Stored inputs"
          caption="Inputs stored on the payout"
          rows={inputs}
          rowKey={(input) => input.label}
          columns={[
            { header: "Input", rowHeader: true, cell: (input) => input.label },
            { header: "Value", ...figure, cell: (input) => input.value },
            { header: "Exact", className: "text-slate-600", cell: (input) => input.detail },
          ]}
        />
      </Section>

      <Section
        id="figures"
        title="Figures: stored and recomputed"
        description="Steps 2–7 of the payout formula, recomputed in exact integer arithmetic from the inputs above."
      >
        <DataTable
          label="Stored and recomputed figures"
          caption="Each figure as stored and as recomputed"
          rows={figures}
          rowKey={(f) => f.label}
          columns={[
            { header: "Step", cell: (f) => f.step },
            { header: "Figure", rowHeader: true, cell: (f) => f.label },
            { header: "Stored", ...figure, cell: (f) => text(f.stored, f.show) },
            { header: "Recomputed", ...figure, cell: (f) => text(f.recomputed, f.show) },
            { header: "Check", cell: (f) => <Check same={f.stored === f.recomputed} /> },
          ]}
        />
        <p className="mt-3 text-sm text-slate-600">
          Journals: payout {p.journalId ?? "none (nothing mined)"}; under-delivery credit{" "}
          {p.creditJournalId ?? "none (no credit)"}.
        </p>
      </Section>

      <Section
        id="delivered"
        title="Step 1 from today's records"
        description="The allocations in force when the day ended and the rigs' telemetry for the day, as stored now. If telemetry was corrected after the run, this can differ from the stored Hd, which the payout keeps."
      >
        {audit.allocations.length === 0 ? (
          <p className="text-sm text-slate-600">No allocation of this contract was in force when the day ended.</p>
        ) : (
          <DataTable
            label="Allocations in force"
            caption="Allocations in force at the end of the day, with telemetry"
            rows={audit.allocations}
            rowKey={(a, i) => `${a.rigId}-${i}`}
            columns={[
              rigColumn("font-mono text-xs"),
              { header: "Allocation", numeric: true, cell: (a) => formatHashrate(a.allocHs) },
              { header: "Nominal", numeric: true, cell: (a) => formatHashrate(a.nominalHs) },
              {
                header: "Reported that day",
                numeric: true,
                cell: (a) => (a.reportedHs === null ? "no telemetry (0)" : formatHashrate(a.reportedHs)),
              },
            ]}
          />
        )}
        <p className="mt-3 text-sm">
          H = {formatHashrate(audit.allocatedNowHs)} <Check same={audit.allocatedNowHs === p.allocatedHashrateHs} />
          <span className="mx-2" aria-hidden="true">
            ·
          </span>
          Hd = {formatHashrate(audit.deliveredNowHs)} <Check same={audit.deliveredNowHs === p.deliveredHashrateHs} />
        </p>
      </Section>
    </AdminPage>
  );
}
