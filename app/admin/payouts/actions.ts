"use server";

// Server actions of /admin/payouts: re-run a day and settle every unsettled day. Each checks
// the session's ADMIN role; the core checks the actor again and settleDay writes the run's
// audit line naming the admin, in the run's own transaction.
import { revalidatePath } from "next/cache";
import type { AdminFormState } from "@/components/admin/form-state";
import { formatCoinAmount, formatInteger, formatMicroUsd } from "@/components/format";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { rerunDay, settleAllUnsettled } from "@/lib/payouts/admin";
import type { RunSummary } from "@/lib/payouts/run";

const REASONS = { NO_NETWORK_SNAPSHOT: "no network snapshot", NO_ALLOCATION: "no allocation in force" } as const;

async function decimalsByCoin(): Promise<Map<string, number>> {
  const coins = await db().coin.findMany({ select: { asset: true, decimals: true } });
  return new Map(coins.map((c) => [c.asset as string, c.decimals]));
}

function summaryLines(summary: RunSummary, decimals: Map<string, number>): string[] {
  const lines = [
    `${summary.day}: ${formatInteger(summary.contractsSettled)} contracts settled (${formatInteger(summary.contractsCurtailed)} curtailed), ${formatInteger(summary.contractsUnsettled)} left unsettled, in ${formatInteger(summary.durationMs)} ms.`,
  ];
  for (const u of summary.unsettled) lines.push(`${u.coin}: ${formatInteger(u.contracts)} unsettled — ${REASONS[u.reason]}.`);
  for (const t of summary.totals) {
    const d = decimals.get(t.coin) ?? 8;
    const coin = (v: bigint) => `${formatCoinAmount(v, d, { maxDecimals: d })} ${t.coin}`;
    lines.push(
      `${t.coin}: mined ${coin(t.minedBase)} = customer net ${coin(t.customerNetBase)} + pool fees ${coin(t.poolFeesBase)} + maintenance fees ${coin(t.maintenanceFeesBase)} + rounding ${coin(t.roundingBase)}; under-delivery credits ${formatMicroUsd(t.underDeliveryCreditMicroUsd)}.`,
    );
  }
  return lines;
}

const runLink = (summary: RunSummary) => ({ href: `/admin/payouts/runs/${summary.runId}`, label: `Open the run of ${summary.day}` });

export async function rerunDayAction(_state: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const day = typeof formData.get("day") === "string" ? (formData.get("day") as string) : "";
  const user = await requireRole("ADMIN", "/admin/payouts");
  const result = await rerunDay(db(), { actorId: user.id, day });
  if (!result.ok) return { status: "error", message: result.message, fieldErrors: result.code === "INVALID" ? { day: result.message } : {}, values: { day } };
  revalidatePath("/admin/payouts");
  revalidatePath("/admin");
  const { summary } = result;
  const message =
    summary.contractsSettled === 0 && result.payoutsBefore > 0
      ? `${summary.day} was already settled: this run paid nothing twice (${formatInteger(result.payoutsAfter)} payouts that day, as before).`
      : `${summary.day} settled: ${formatInteger(summary.contractsSettled)} new ${summary.contractsSettled === 1 ? "payout" : "payouts"} (${formatInteger(result.payoutsAfter)} that day in all).`;
  return { status: "done", message, fieldErrors: {}, values: {}, lines: summaryLines(summary, await decimalsByCoin()), links: [runLink(summary)] };
}

export async function settleAllAction(_state: AdminFormState, _formData: FormData): Promise<AdminFormState> {
  const user = await requireRole("ADMIN", "/admin/payouts");
  const result = await settleAllUnsettled(db(), { actorId: user.id });
  revalidatePath("/admin/payouts");
  revalidatePath("/admin");
  const decimals = await decimalsByCoin();
  const lines = result.summaries.flatMap((s) => summaryLines(s, decimals));
  const links = result.summaries.map(runLink);
  if (!result.ok) return { status: "error", message: result.message, fieldErrors: {}, values: {}, lines, links };
  const n = result.summaries.length;
  return {
    status: "done",
    message: n === 0 ? "Every day up to yesterday is settled; no run was needed." : `${formatInteger(n)} ${n === 1 ? "day" : "days"} settled.`,
    fieldErrors: {},
    values: {},
    lines,
    links,
  };
}
