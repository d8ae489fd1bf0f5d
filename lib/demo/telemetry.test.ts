// The demo telemetry simulator: deterministic readings within realistic bounds, and writes
// that never overwrite a row an operator entered; the demo-only job (lib/demo/live.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createListing, ensureBtc } from "../testing/fixtures";
import { DEMO_RIGS } from "./catalog";
import { keepDemoCurrent, LIVE_TELEMETRY_DAYS } from "./live";
import { dayDate, utcDayNumber } from "./network";
import { seedDemoData } from "./seed";
import { simulateDemoTelemetry, simulatedReading } from "./telemetry";

const TODAY = new Date("2026-11-23T15:30:00Z");
const TODAY_N = utcDayNumber(TODAY);
const PPM = 1_000_000n;

describe("simulatedReading", () => {
  it("is a pure function of rig, day and nominal", () => {
    for (const rig of DEMO_RIGS.slice(0, 10)) {
      for (let day = TODAY_N - 30; day < TODAY_N; day++) {
        expect(simulatedReading(rig.serialNumber, day, rig.nominalHashrateHs)).toEqual(
          simulatedReading(rig.serialNumber, day, rig.nominalHashrateHs),
        );
      }
    }
    const sameDay = new Set(
      DEMO_RIGS.map((rig) => simulatedReading(rig.serialNumber, TODAY_N, 100n * 10n ** 12n).reportedHashrateHs),
    );
    expect(sameDay.size).toBeGreaterThan(DEMO_RIGS.length / 2);
  });

  it("stays within realistic bounds: mostly 97-101 %, some dips, rare full-day outages", () => {
    const nominal = 234n * 10n ** 12n;
    const kinds = { normal: 0, dip: 0, outage: 0 };
    let total = 0;
    for (let rig = 0; rig < 60; rig++) {
      for (let day = TODAY_N - 365; day < TODAY_N; day++) {
        const r = simulatedReading(`RIG-${rig}`, day, nominal);
        kinds[r.kind] += 1;
        total += 1;
        const ppm = (r.reportedHashrateHs * PPM) / nominal;
        expect(r.uptimeBps).toBeGreaterThanOrEqual(0);
        expect(r.uptimeBps).toBeLessThanOrEqual(10_000);
        if (r.kind === "normal") {
          expect(ppm >= 969_999n && ppm <= 1_010_000n, `${ppm}`).toBe(true);
          expect(r.uptimeBps).toBeGreaterThanOrEqual(9_950);
        } else if (r.kind === "dip") {
          expect(ppm >= 599_999n && ppm <= 960_000n, `${ppm}`).toBe(true);
        } else {
          expect(r.reportedHashrateHs).toBe(0n);
          expect(r.uptimeBps).toBe(0);
        }
      }
    }
    expect(kinds.normal / total).toBeGreaterThan(0.88);
    expect(kinds.dip / total).toBeGreaterThan(0.04);
    expect(kinds.dip / total).toBeLessThan(0.1);
    expect(kinds.outage / total).toBeGreaterThan(0.003);
    expect(kinds.outage / total).toBeLessThan(0.02);
  });
});

describe("simulateDemoTelemetry and keepDemoCurrent on a real database", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDemoData(t.prisma, { today: TODAY });
  });
  afterAll(() => t?.drop());

  it("writes one SIMULATOR row per active demo rig and day, never over an operator's row, and is repeatable", async () => {
    const p = t.prisma;
    const from = dayDate(TODAY_N + 1);
    const to = dayDate(TODAY_N + 3);
    const rigs = await p.rig.findMany({ where: { serialNumber: { in: DEMO_RIGS.map((r) => r.serialNumber) } } });
    const active = rigs.filter((r) => r.status === "ACTIVE");
    const inactive = rigs.filter((r) => r.status !== "ACTIVE");
    expect(inactive.length).toBeGreaterThan(0);
    const manual = active[0]!;
    await p.rigTelemetry.create({
      data: { rigId: manual.id, day: from, reportedHashrateHs: 12_345n, uptimeBps: 5_000, source: "OPERATOR_UI" },
    });
    // A rig outside the demo catalog is left alone.
    const other = await createListing(p, { rigsTh: [100] });

    expect(await simulateDemoTelemetry(p, { from, to })).toBe(active.length * 3 - 1);
    expect(await simulateDemoTelemetry(p, { from, to })).toBe(0);

    const rows = await p.rigTelemetry.findMany({ where: { day: { gte: from, lte: to } }, include: { rig: true } });
    expect(rows).toHaveLength(active.length * 3);
    for (const row of rows) {
      if (row.rigId === manual.id && row.day.getTime() === from.getTime()) {
        expect([row.source, row.reportedHashrateHs, row.uptimeBps]).toEqual(["OPERATOR_UI", 12_345n, 5_000]);
        continue;
      }
      const expected = simulatedReading(row.rig.serialNumber, utcDayNumber(row.day), row.rig.nominalHashrateHs);
      expect([row.source, row.reportedHashrateHs, row.uptimeBps]).toEqual([
        "SIMULATOR",
        expected.reportedHashrateHs,
        expected.uptimeBps,
      ]);
    }
    expect(rows.some((r) => inactive.some((i) => i.id === r.rigId))).toBe(false);
    expect(rows.some((r) => r.rigId === other.rigIds[0])).toBe(false);
  });

  it("keepDemoCurrent extends network data to today and telemetry through today, only on a demo database", async () => {
    const p = t.prisma;
    const later = new Date(TODAY.getTime() + 6 * 86_400_000);
    const written = await keepDemoCurrent(p, later);
    const lastSnapshot = await p.networkSnapshot.findFirst({ where: { coin: "BTC" }, orderBy: { day: "desc" } });
    expect(utcDayNumber(lastSnapshot!.day)).toBe(utcDayNumber(later));
    const activeDemoRigs = await p.rig.count({
      where: { status: "ACTIVE", serialNumber: { in: DEMO_RIGS.map((r) => r.serialNumber) } },
    });
    expect(await p.rigTelemetry.count({ where: { day: dayDate(utcDayNumber(later)), source: "SIMULATOR" } })).toBe(
      activeDemoRigs,
    );
    expect(written).toBeGreaterThan(0);
    expect(await keepDemoCurrent(p, later)).toBe(0);
    expect(LIVE_TELEMETRY_DAYS).toBeGreaterThanOrEqual(1);

    const plain = await createTestDatabase();
    try {
      await ensureBtc(plain.prisma);
      await createListing(plain.prisma, { rigsTh: [100] });
      expect(await keepDemoCurrent(plain.prisma, later)).toBe(0);
      expect(await plain.prisma.rigTelemetry.count()).toBe(0);
      expect(await plain.prisma.networkSnapshot.count()).toBe(1);
    } finally {
      await plain.drop();
    }
  });
});
