// Keeps a running demo's "today": network snapshots up to today and simulated telemetry of the
// seeded rigs up to today, so the daily payout job (lib/jobs/worker.ts) has inputs for every
// day the demo keeps running. Telemetry of the day in progress is written ahead (its value is
// a pure function of rig and day): both jobs tick every 10 minutes in no fixed order, and the
// payout job must never settle a just-ended day before its telemetry exists.
//
// Demo mode is known from the data, not from a flag: a database is a demo database when it
// holds network snapshots written by the demo seed (source "demo", lib/demo/network.ts).
// Only the demo seed writes them, and it runs only on the embedded database (`npm start`
// without DATABASE_URL), in tests and e2e, or by an explicit `npm run seed`. A real database
// whose network data an admin enters or imports never has such rows, so this job does nothing
// there; it works the same for the embedded demo and for the e2e server (DATABASE_URL, seeded).
import type { PrismaClient } from "../db/client";
import { dayDate, DEMO_SNAPSHOT_SOURCE, extendNetworkSnapshots, utcDayNumber } from "./network";
import { simulateDemoTelemetry } from "./telemetry";

/** Telemetry days the job (re)fills before today: covers a demo paused up to a week. */
export const LIVE_TELEMETRY_DAYS = 7;

export async function isDemoDatabase(prisma: Pick<PrismaClient, "networkSnapshot">): Promise<boolean> {
  return (
    (await prisma.networkSnapshot.findFirst({ where: { source: DEMO_SNAPSHOT_SOURCE }, select: { id: true } })) !== null
  );
}

/** Rows written (snapshots + telemetry); 0 on a database that is not a demo. */
export async function keepDemoCurrent(prisma: PrismaClient, now: Date = new Date()): Promise<number> {
  if (!(await isDemoDatabase(prisma))) return 0;
  const snapshots = await extendNetworkSnapshots(prisma, now);
  const today = utcDayNumber(now);
  const telemetry = await simulateDemoTelemetry(prisma, {
    from: dayDate(today - LIVE_TELEMETRY_DAYS),
    to: dayDate(today),
  });
  return Object.values(snapshots).reduce((sum, n) => sum + (n ?? 0), 0) + telemetry;
}
