// Demo telemetry: what the seeded rigs "reported" per UTC day, so the demo's payouts have
// real inputs (DESIGN.md "Daily payout" step 1). Deterministic: a rig's reading for a day is
// a pure function of (serial number, day, nominal hashrate), so re-running writes the same
// values and a missing day can be filled at any later time. Integer arithmetic only.
//
// Behaviour per rig-day (one uniform draw u in [0, 1e6)):
//  - 1 %: a full-day outage (0 H/s, uptime 0) — a PSU or a hashboard died, fixed next day;
//  - 7 %: a dip to 60-96 % (heat, curtailment by the site, a restart), uptime alike;
//  - otherwise 97-101 % of nominal (pool-side reported averages scatter around nameplate).
// Only rigs that are ACTIVE when the simulator runs report; a rig in maintenance, offline or
// retired reports nothing (the payout run then counts it as delivering 0).
// Rows are inserted with ON CONFLICT DO NOTHING (unique rig-day): a row an operator entered
// (OPERATOR_UI / API), or one simulated before, is never overwritten.
import type { PrismaClient } from "../db/client";
import { seededDraws } from "../shared/seeded-draws";
import { DEMO_RIGS } from "./catalog";
import { dayDate, utcDayNumber } from "./network";

const PPM = 1_000_000n;
const OUTAGE_BELOW = 10_000; // 1 %
const DIP_BELOW = 80_000; // next 7 %

/** `count` uint32 draws for (serial, day). */
function draws(serialNumber: string, day: number, count: number): number[] {
  return seededDraws(`hashlease-telemetry:${serialNumber}:${day}`, count);
}

export interface SimulatedReading {
  /** Reported average hashrate for the day, H/s. */
  reportedHashrateHs: bigint;
  /** Uptime in basis points of the day. */
  uptimeBps: number;
  kind: "normal" | "dip" | "outage";
}

/** The reading of one rig for one UTC day number: a pure function of its arguments. */
export function simulatedReading(serialNumber: string, day: number, nominalHashrateHs: bigint): SimulatedReading {
  const [kindDraw, levelDraw, uptimeDraw] = draws(serialNumber, day, 3) as [number, number, number];
  const u = kindDraw % 1_000_000;
  if (u < OUTAGE_BELOW) return { reportedHashrateHs: 0n, uptimeBps: 0, kind: "outage" };
  if (u < DIP_BELOW) {
    const ratioPpm = 600_000 + (levelDraw % 360_001); // 60 % .. 96 %
    // A dip is mostly downtime: uptime tracks the ratio, a little above it.
    const uptimeBps = Math.min(10_000, Math.floor(ratioPpm / 100) + (uptimeDraw % 300));
    return { reportedHashrateHs: (nominalHashrateHs * BigInt(ratioPpm)) / PPM, uptimeBps, kind: "dip" };
  }
  const ratioPpm = 970_000 + (levelDraw % 40_001); // 97 % .. 101 %
  const uptimeBps = 9_950 + (uptimeDraw % 51); // 99.5 % .. 100 %
  return { reportedHashrateHs: (nominalHashrateHs * BigInt(ratioPpm)) / PPM, uptimeBps, kind: "normal" };
}

const DEMO_SERIALS = DEMO_RIGS.map((rig) => rig.serialNumber);
const DEMO_MODELS = [...new Set(DEMO_RIGS.map((rig) => rig.model))];

export interface SimulateOptions {
  /** First and last UTC day to simulate (inclusive, midnight UTC). */
  from: Date;
  to: Date;
  /** Rig-days that report nothing (the rig's monitoring was down): no row is written. */
  gaps?: readonly { rigId: string; day: Date }[];
}

/**
 * Writes simulated telemetry (source SIMULATOR) for every ACTIVE seeded demo rig and every
 * day of [from, to] that has no row yet. Returns the rows inserted. One statement per call.
 */
export async function simulateDemoTelemetry(
  prisma: Pick<PrismaClient, "$queryRaw" | "$executeRaw">,
  options: SimulateOptions,
): Promise<number> {
  const first = utcDayNumber(options.from);
  const last = utcDayNumber(options.to);
  if (last < first) return 0;
  const rigs = await prisma.$queryRaw<{ id: string; serial_number: string; nominal: bigint }[]>`
    SELECT id, serial_number, nominal_hashrate_hs AS nominal FROM rigs
     WHERE status = 'ACTIVE' AND serial_number = ANY(${DEMO_SERIALS}::text[]) AND model = ANY(${DEMO_MODELS}::text[])
     ORDER BY id`;
  if (rigs.length === 0) return 0;
  const rigIds: string[] = [];
  const days: string[] = [];
  const hashrates: string[] = [];
  const uptimes: number[] = [];
  const gaps = new Set((options.gaps ?? []).map((g) => `${g.rigId}|${utcDayNumber(g.day)}`));
  for (const rig of rigs) {
    for (let day = first; day <= last; day++) {
      if (gaps.has(`${rig.id}|${day}`)) continue;
      const reading = simulatedReading(rig.serial_number, day, BigInt(rig.nominal));
      rigIds.push(rig.id);
      days.push(dayDate(day).toISOString().slice(0, 10));
      hashrates.push(reading.reportedHashrateHs.toString());
      uptimes.push(reading.uptimeBps);
    }
  }
  return prisma.$executeRaw`
    INSERT INTO rig_telemetry (rig_id, day, reported_hashrate_hs, uptime_bps, source)
    SELECT rig_id, day::date, hashrate::bigint, uptime, 'SIMULATOR'::telemetry_source
      FROM unnest(${rigIds}::uuid[], ${days}::text[], ${hashrates}::text[], ${uptimes}::int[])
           AS t(rig_id, day, hashrate, uptime)
    ON CONFLICT (rig_id, day) DO NOTHING`;
}
