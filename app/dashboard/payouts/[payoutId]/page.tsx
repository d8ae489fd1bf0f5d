import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { hashrateSourceLabel } from "@/components/dashboard/hashrate-source";
import {
  formatBps,
  formatCoinAmount,
  formatDay,
  formatHashrate,
  formatInstantUtc,
  formatInteger,
} from "@/components/format";
import { DataTable, LinkButton, PageHeader, Section, StatusBadge, TableScroller } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { loadPayoutExplanation } from "@/lib/dashboard/explain";
import { db } from "@/lib/db/client";
import { usdExact } from "@/lib/shared/usd";

export const metadata: Metadata = { title: "Payout" };
export const dynamic = "force-dynamic";

function Check({ ok, testId }: { ok: boolean; testId: string }) {
  return ok ? (
    <span data-testid={testId} className="font-medium text-emerald-700">
      ✓ matches the stored figure
    </span>
  ) : (
    <span data-testid={testId} className="font-medium text-red-700">
      ✗ differs from the stored figure
    </span>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <li className="card p-4" data-testid={`step-${n}`}>
      <h3 className="mb-2 font-semibold text-slate-900">
        Step {n}. {title}
      </h3>
      <div className="space-y-2 text-sm text-slate-700">{children}</div>
    </li>
  );
}

export default async function PayoutPage({ params }: { params: Promise<{ payoutId: string }> }) {
  const { payoutId } = await params;
  const user = await requireRole("CUSTOMER", `/dashboard/payouts/${encodeURIComponent(payoutId)}`);
  if (!/^[1-9]\d{0,18}$/.test(payoutId)) notFound();
  // Someone else's payout is "not found" exactly like a missing one.
  const loaded = await loadPayoutExplanation(db(), user.id, BigInt(payoutId));
  if (!loaded) notFound();
  const { explanation: e, context } = loaded;
  const p = e.payout;
  const d = p.decimals;
  const exact = (base: bigint) => `${formatCoinAmount(base, d, { maxDecimals: d })} ${p.coin}`;
  const units = (base: bigint) => `${formatInteger(base)} base units`;
  const coin = (base: bigint) => (
    <>
      <strong className="tabular-nums">{exact(base)}</strong> <span className="text-slate-500">({units(base)})</span>
    </>
  );
  const T = formatInteger(p.blockTimeMs);

  // The stored figures in the order of the payout formula, each a row of the table. A detail view:
  // USD figures exact, to the micro-dollar the formula works in (lib/shared/usd.ts).
  const storedFigures: { label: string; value: string; testId?: string; strong?: boolean }[] = [
    { label: "Allocated hashrate", value: formatHashrate(p.allocatedHashrateHs) },
    { label: "Delivered hashrate", value: formatHashrate(p.deliveredHashrateHs) },
    { label: "Delivered hashrate from", value: hashrateSourceLabel(p.hashrateSource), testId: "stored-source" },
    { label: "Gross", value: exact(p.grossBase), testId: "stored-gross" },
    { label: "Pool fee", value: exact(p.poolFeeBase), testId: "stored-pool-fee" },
    { label: "Maintenance fee", value: exact(p.maintenanceFeeBase), testId: "stored-maintenance-fee" },
    { label: "Net credited", value: exact(p.netBase), testId: "stored-net", strong: true },
    { label: "Curtailed", value: p.curtailed ? "Yes" : "No" },
    { label: "Under-delivery credit", value: usdExact(p.underDeliveryCreditMicroUsd), testId: "stored-credit" },
    { label: "USD value at receipt", value: usdExact(p.usdValueAtReceiptMicroUsd), testId: "stored-usd" },
  ];

  return (
    <div className="page">
      <PageHeader
        title={`${p.coin} payout for ${formatDay(p.day)}`}
        description={
          <>
            {context.listingTitle} · {context.operatorName} · contract {p.contractId.slice(0, 8)} · settled{" "}
            {formatInstantUtc(p.createdAt)}
          </>
        }
        actions={
          <LinkButton href={`/dashboard?contract=${p.contractId}#payouts`} variant="secondary">
            Back to payouts
          </LinkButton>
        }
      />

      <Section id="figures" title="What was paid">
        <TableScroller label="Payout figures">
          <table className="data-table" data-testid="stored-figures">
            <caption className="sr-only">The stored payout figures</caption>
            <tbody>
              {storedFigures.map((figure) => (
                <tr key={figure.label}>
                  <th scope="row">{figure.label}</th>
                  <td className={figure.strong ? "num font-semibold" : "num"} data-testid={figure.testId}>
                    {figure.value}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      </Section>

      <details className="group mb-10" data-testid="how-computed">
        <summary className="cursor-pointer rounded-md text-lg font-semibold text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
          How was this computed?
        </summary>
        <div className="mt-4">
          <p
            className={`card mb-4 px-4 py-3 text-sm ${e.allMatch && e.deliveredMatches ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-red-300 bg-red-50 text-red-900"}`}
            data-testid="recompute-verdict"
          >
            {e.allMatch
              ? "Recomputed from the stored inputs with the platform's payout formula (exact integer arithmetic): every figure matches what was paid."
              : "Recomputed from the stored inputs, some figures differ from what was paid; they are marked below. Please contact support."}
            {!e.deliveredMatches
              ? " The rigs' telemetry for this day was corrected after settlement, so step 1 no longer gives the stored delivered hashrate; the payout keeps the inputs it was settled with."
              : null}
          </p>
          <ol className="space-y-4">
            <Step n={1} title="Delivered hashrate">
              <p>
                For each slice of a rig this contract held that day:{" "}
                <code>floor(alloc × min(reported, nominal) / nominal)</code>. &ldquo;Reported&rdquo; is measured from
                the rig&apos;s verified Stratum shares wherever it mined through Hashlease that day (accepted work /
                86,400 s), else the operator&apos;s telemetry; a rig with neither delivered 0.
              </p>
              <DataTable
                label="Allocations and telemetry"
                rows={e.allocations}
                rowKey={(a, i) => `${a.rigLabel}${i}`}
                columns={[
                  { header: "Rig", rowHeader: true, cell: (a) => a.rigLabel },
                  { header: "Allocated", numeric: true, cell: (a) => formatHashrate(a.allocHs, { maxDecimals: 4 }) },
                  { header: "Nominal", numeric: true, cell: (a) => formatHashrate(a.nominalHs, { maxDecimals: 4 }) },
                  {
                    header: "Reported",
                    numeric: true,
                    cell: (a) => (
                      <>
                        {a.reportedHs === null ? "no telemetry" : formatHashrate(a.reportedHs, { maxDecimals: 4 })}
                        {a.measured ? (
                          <span className="block text-xs text-emerald-800">
                            verified shares ({formatInteger(a.acceptedShares ?? 0)} accepted)
                          </span>
                        ) : null}
                        {a.source ? (
                          <span className="block text-xs text-slate-500">
                            {a.source === "SIMULATOR"
                              ? "simulated (demo)"
                              : a.source === "API"
                                ? "operator API"
                                : "operator entry"}
                            {a.changedAfterSettlement ? ", corrected later" : ""}
                          </span>
                        ) : null}
                      </>
                    ),
                  },
                  { header: "Delivered", numeric: true, cell: (a) => <>{formatInteger(a.deliveredHs)} H/s</> },
                ]}
              />
              <p>
                Hd = <strong className="tabular-nums">{formatInteger(e.deliveredRecomputedHs)} H/s</strong> (
                {formatHashrate(e.deliveredRecomputedHs, { maxDecimals: 4 })}) of the{" "}
                {formatHashrate(p.allocatedHashrateHs)} contracted. Stored: {formatInteger(p.deliveredHashrateHs)} H/s.{" "}
                <Check ok={e.deliveredMatches} testId="check-delivered" />
              </p>
            </Step>
            <Step n={2} title="Gross coins (FPPS: block subsidy plus fees)">
              {e.difficulty !== null ? (
                <p>
                  Network hashrate from the difficulty: N = floor(D × 2³² × 1000 / T_ms) = floor(
                  {formatInteger(e.difficulty)} × 4,294,967,296 × 1000 / {T}) ={" "}
                  {formatInteger(e.networkFromDifficultyHs ?? 0n)} H/s ({formatHashrate(p.networkHashrateHs)}).
                </p>
              ) : (
                <p>
                  Network hashrate N = {formatInteger(p.networkHashrateHs)} H/s ({formatHashrate(p.networkHashrateHs)}),
                  as reported for the day.
                </p>
              )}
              <p>
                G = floor(Hd × 86,400 × (R + F) × 1000 / (N × T_ms)) with block subsidy R = {units(p.blockSubsidyBase)},
                average fees per block F = {units(p.avgFeesPerBlockBase)} and block time T = {T} ms:
              </p>
              <p>
                G = floor({formatInteger(p.deliveredHashrateHs)} × 86,400 ×{" "}
                {formatInteger(p.blockSubsidyBase + p.avgFeesPerBlockBase)} × 1000 / (
                {formatInteger(p.networkHashrateHs)} × {T})) ={" "}
                <span data-testid="computed-gross">{coin(e.grossEarnedBase)}</span>
              </p>
            </Step>
            <Step n={3} title="Pool fee">
              <p>
                Fp = ceil(G × {formatInteger(p.poolFeeBps)} / 10,000) ({formatBps(p.poolFeeBps)}) ={" "}
                <span data-testid="computed-pool-fee">{coin(e.poolFeeComputedBase)}</span>
              </p>
            </Step>
            <Step n={4} title="Maintenance fee in coin">
              <p>
                M = ceil(m × Hd × 10^{d} / (u × P)) with m = {usdExact(p.maintenanceFeeMicroUsdPerUnitDay)} per{" "}
                {context.unitLabel} per day, u = {formatInteger(p.unitHs)} H/s, price P = {usdExact(p.priceMicroUsd)}{" "}
                per {p.coin}:
              </p>
              <p>
                M = ceil({formatInteger(p.maintenanceFeeMicroUsdPerUnitDay)} × {formatInteger(p.deliveredHashrateHs)} ×
                10^{d} / ({formatInteger(p.unitHs)} × {formatInteger(p.priceMicroUsd)})) ={" "}
                <span data-testid="computed-maintenance-fee">{coin(e.maintenanceFeeComputedBase)}</span>
              </p>
            </Step>
            <Step n={5} title="Curtailment and net">
              {e.curtailed ? (
                <p>
                  G − Fp = {exact(e.grossEarnedBase - e.poolFeeComputedBase)} is less than M ={" "}
                  {exact(e.maintenanceFeeComputedBase)}: the day is <strong>curtailed</strong> — the rigs were not worth
                  running, nothing is paid and no pool or maintenance fee is charged; the day still counts toward the
                  term.
                </p>
              ) : (
                <p>
                  G − Fp = {exact(e.grossEarnedBase - e.poolFeeComputedBase)} is at least M, so the day is not
                  curtailed. Net = G − Fp − M = <span data-testid="computed-net">{coin(e.recomputed.netBase)}</span>
                </p>
              )}
              <p>
                Paid: gross {exact(e.recomputed.grossBase)} <Check ok={e.matches.grossBase} testId="check-gross" />,
                pool fee {exact(e.recomputed.poolFeeBase)} <Check ok={e.matches.poolFeeBase} testId="check-pool-fee" />,
                maintenance fee {exact(e.recomputed.maintenanceFeeBase)}{" "}
                <Check ok={e.matches.maintenanceFeeBase} testId="check-maintenance-fee" />, net{" "}
                <span data-testid="recomputed-net">{exact(e.recomputed.netBase)}</span>{" "}
                <Check ok={e.matches.netBase} testId="check-net" />, curtailed {e.recomputed.curtailed ? "yes" : "no"}{" "}
                <Check ok={e.matches.curtailed} testId="check-curtailed" />.
              </p>
            </Step>
            <Step n={6} title="Under-delivery credit">
              <p>
                You prepaid {usdExact(p.dailyPriceMicroUsd)} for a day of {formatHashrate(p.allocatedHashrateHs)}.
                Credit = floor((H − Hd) × daily price / H) = floor((
                {formatInteger(p.allocatedHashrateHs)} − {formatInteger(p.deliveredHashrateHs)}) ×{" "}
                {formatInteger(p.dailyPriceMicroUsd)} / {formatInteger(p.allocatedHashrateHs)}) µUSD ={" "}
                <strong data-testid="computed-credit">{usdExact(e.recomputed.underDeliveryCreditMicroUsd)}</strong>,
                from the operator&apos;s payable to your USD balance.{" "}
                <Check ok={e.matches.underDeliveryCreditMicroUsd} testId="check-credit" />
              </p>
            </Step>
            <Step n={7} title="USD value at receipt">
              <p>
                floor(net × P / 10^{d}) = floor({formatInteger(e.recomputed.netBase)} × {formatInteger(p.priceMicroUsd)}{" "}
                / 10^{d}) µUSD ={" "}
                <strong data-testid="computed-usd">{usdExact(e.recomputed.usdValueAtReceiptMicroUsd)}</strong> — your
                income at fair market value, and the cost basis of these coins.{" "}
                <Check ok={e.matches.usdValueAtReceiptMicroUsd} testId="check-usd" />
              </p>
              <p className="text-xs text-slate-500">
                Every input above is stored on the payout itself, so this page recomputes the same figures whenever it
                is opened.{" "}
                <StatusBadge
                  status={e.allMatch ? "CONFIRMED" : "FAILED"}
                  label={e.allMatch ? "Verified" : "Mismatch"}
                />
              </p>
            </Step>
          </ol>
        </div>
      </details>
    </div>
  );
}
