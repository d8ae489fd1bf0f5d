"use server";

// Server actions of /admin/payouts: re-run a day and settle every unsettled day. Each is
// formAction (app/_lib/form-action.ts) and checks the session's ADMIN role first; the core
// checks the actor again and settleDay writes the run's audit line naming the admin, in the
// run's own transaction.
import { z } from "zod";
import { doneState, formAction, revalidate } from "@/app/_lib/form-action";
import type { AdminFormState } from "@/components/admin/form-state";
import { formatCoinAmount, formatInteger } from "@/components/format";
import { db } from "@/lib/db/client";
import { rerunDay, settleAllUnsettled } from "@/lib/payouts/admin";
import type { RunSummary } from "@/lib/payouts/run";
import { refuse } from "@/lib/shared/result";
import { usdExact } from "@/lib/shared/usd";

const PATH = "/admin/payouts";

const REASONS = {
  NO_NETWORK_SNAPSHOT: "no network snapshot",
  NETWORK_SNAPSHOT_HELD: "network snapshot held for review",
  NO_ALLOCATION: "no allocation in force",
} as const;

async function decimalsByCoin(): Promise<Map<string, number>> {
  const coins = await db().coin.findMany({ select: { asset: true, decimals: true } });
  return new Map(coins.map((c) => [c.asset as string, c.decimals]));
}

function summaryLines(summary: RunSummary, decimals: Map<string, number>): string[] {
  const lines = [
    `${summary.day}: ${formatInteger(summary.contractsSettled)} contracts settled (${formatInteger(summary.contractsCurtailed)} curtailed), ${formatInteger(summary.contractsUnsettled)} left unsettled, in ${formatInteger(summary.durationMs)} ms.`,
  ];
  for (const u of summary.unsettled)
    lines.push(`${u.coin}: ${formatInteger(u.contracts)} unsettled — ${REASONS[u.reason]}.`);
  for (const t of summary.totals) {
    const d = decimals.get(t.coin) ?? 8;
    const coin = (v: bigint) => `${formatCoinAmount(v, d, { maxDecimals: d })} ${t.coin}`;
    lines.push(
      `${t.coin}: mined ${coin(t.minedBase)} = customer net ${coin(t.customerNetBase)} + pool fees ${coin(t.poolFeesBase)} + maintenance fees ${coin(t.maintenanceFeesBase)} + rounding ${coin(t.roundingBase)}; under-delivery credits ${usdExact(t.underDeliveryCreditMicroUsd)}.`,
    );
  }
  return lines;
}

const runLink = (summary: RunSummary) => ({
  href: `/admin/payouts/runs/${summary.runId}`,
  label: `Open the run of ${summary.day}`,
});

export const rerunDayAction = formAction({
  role: "ADMIN",
  twoFactor: "run payout days",
  path: PATH,
  schema: z.object({ day: z.string() }),
  run: async ({ user, input: { day } }) => {
    const result = await rerunDay(db(), { actorId: user.id, day });
    return result.ok || result.code !== "INVALID"
      ? result
      : refuse(result.code, result.message, { day: result.message });
  },
  done: async (result): Promise<AdminFormState> => {
    revalidate(PATH, "/admin");
    const { summary } = result;
    const message =
      summary.contractsSettled === 0 && result.payoutsBefore > 0
        ? `${summary.day} was already settled: this run paid nothing twice (${formatInteger(result.payoutsAfter)} payouts that day, as before).`
        : `${summary.day} settled: ${formatInteger(summary.contractsSettled)} new ${summary.contractsSettled === 1 ? "payout" : "payouts"} (${formatInteger(result.payoutsAfter)} that day in all).`;
    return doneState(message, { lines: summaryLines(summary, await decimalsByCoin()), links: [runLink(summary)] });
  },
});

/** The lines and links of the runs a settlement made, whether it finished or stopped. */
async function runsMade(summaries: RunSummary[]): Promise<Pick<AdminFormState, "lines" | "links">> {
  revalidate(PATH, "/admin");
  const decimals = await decimalsByCoin();
  return { lines: summaries.flatMap((s) => summaryLines(s, decimals)), links: summaries.map(runLink) };
}

export const settleAllAction = formAction({
  role: "ADMIN",
  twoFactor: "run payout days",
  path: PATH,
  schema: z.object({}),
  run: ({ user }) => settleAllUnsettled(db(), { actorId: user.id }),
  // The runs made before a failure stay made: the refusal shows their lines and links too.
  refused: (refusal) => runsMade(refusal.summaries),
  done: async (result): Promise<AdminFormState> => {
    const n = result.summaries.length;
    return doneState(
      n === 0
        ? "Every day up to yesterday is settled; no run was needed."
        : `${formatInteger(n)} ${n === 1 ? "day" : "days"} settled.`,
      {
        ...(await runsMade(result.summaries)),
      },
    );
  },
});
