// npm run payouts -- --day YYYY-MM-DD   settles one UTC day
// npm run payouts                       settles every unsettled day up to yesterday (catch-up)
// Prints one line per run and coin. Re-running a day is safe: each contract-day is paid once.
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";
import { PayoutDayError, settleDay, settleUnsettledDays, type RunSummary, type UnsettledReason } from "../payouts/run";
import { parseDay } from "../shared/days";

const UNSETTLED_REASONS: Record<UnsettledReason, string> = {
  NO_NETWORK_SNAPSHOT: "no network snapshot for the day",
  NETWORK_SNAPSHOT_HELD: "the day's network snapshot is held for an admin's review",
  NO_ALLOCATION: "no allocation",
};

function usage(message: string): never {
  console.error(`${message}\nusage: npm run payouts [-- --day YYYY-MM-DD]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { day: Date | null } {
  let day: Date | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg.startsWith("--day=") ? arg.slice("--day=".length) : arg === "--day" ? argv[++i] : undefined;
    if (value === undefined) usage(`unknown argument: ${arg}`);
    day = parseDay(value) ?? usage(`--day needs a calendar day as YYYY-MM-DD, got "${value}"`);
  }
  return { day };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows
    .map((r) => r.map((cell, col) => (col < 2 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join("  "))
    .join("\n");
}

function print(summaries: RunSummary[]): void {
  if (summaries.length === 0) {
    console.log("Nothing to settle: every contract-day up to yesterday has its payout.");
    return;
  }
  const rows = [
    [
      "day",
      "coin",
      "settled",
      "curtailed",
      "mined",
      "customer net",
      "pool fees",
      "maint. fees",
      "rounding",
      "credit µUSD",
    ],
  ];
  for (const s of summaries) {
    if (s.totals.length === 0) rows.push([s.day, "-", "0", "0", "0", "0", "0", "0", "0", "0"]);
    for (const t of s.totals) {
      rows.push([
        s.day,
        t.coin,
        String(t.contractsSettled),
        String(t.contractsCurtailed),
        t.minedBase.toString(),
        t.customerNetBase.toString(),
        t.poolFeesBase.toString(),
        t.maintenanceFeesBase.toString(),
        t.roundingBase.toString(),
        t.underDeliveryCreditMicroUsd.toString(),
      ]);
    }
  }
  console.log(table(rows));
  console.log("(coin amounts in base units: satoshi for BTC, 1e-18 for ETC, ...)");
  for (const s of summaries) {
    const notes = [
      `run ${s.runId}`,
      `${s.durationMs} ms`,
      s.contractsCompleted
        ? `completed ${count(s.contractsCompleted, "contract")} (released ${count(s.allocationsReleased, "allocation")})`
        : null,
      ...s.unsettled.map(
        (u) => `UNSETTLED ${count(u.contracts, `${u.coin} contract`)}: ${UNSETTLED_REASONS[u.reason]}`,
      ),
    ].filter(Boolean);
    console.log(`${s.day}: ${notes.join("; ")}`);
  }
}

const { day } = parseArgs(process.argv.slice(2));

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  // Days settled before a failing one stay settled; they are printed either way.
  const summaries: RunSummary[] = [];
  try {
    if (day) summaries.push(await settleDay(prisma, day));
    else await settleUnsettledDays(prisma, { onSettled: (summary) => summaries.push(summary) });
    print(summaries);
    // Contracts left unsettled (no network data yet) make the exit status 1 for the scheduler.
    if (summaries.some((s) => s.contractsUnsettled > 0)) process.exitCode = 1;
  } catch (error) {
    if (summaries.length > 0) print(summaries);
    console.error(error instanceof PayoutDayError ? error.message : error);
    process.exitCode = 1;
  } finally {
    await prisma.$disconnect();
  }
});
