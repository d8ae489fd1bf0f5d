import { describe, expect, it } from "vitest";
import { refusalStatus } from "../api/error-codes";
import { verifyAuditChain } from "../audit/audit";
import { settleDay } from "../payouts/run";
import { dayText } from "../shared/days";
import { createFleet, TH } from "../testing/operator-fixtures";
import { btcSnapshot, soldContract, utcDay } from "../testing/payout-fixtures";
import { itOnServer } from "../testing/server-only";
import { withTestDatabase } from "../testing/test-database";
import {
  MAX_TELEMETRY_AGE_DAYS,
  MEASURED_DAY,
  NOT_YOUR_RIG,
  PAYOUT_RUN_LOCK,
  recordTelemetry,
  SETTLED_DAY,
} from "./telemetry";

const t = withTestDatabase({
  atEnd: async (prisma) => {
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  },
});

const yesterday = () => dayText(utcDay(-1));

const fleet = (rigsTh: number[]) => createFleet(t.prisma, rigsTh);

async function auditOf(operatorId: string) {
  return t.prisma.auditLog.findMany({
    where: { actorId: operatorId, action: "telemetry.recorded" },
    orderBy: { id: "asc" },
  });
}

describe("recording telemetry", () => {
  it("writes and audits only the entries that change a rig-day (a day sheet re-sends its prefilled rows)", async () => {
    const f = await fleet([100, 100, 100]);
    const day = yesterday();
    const sheet = (first: string) =>
      f.rigIds.map((rigId, i) => ({ rigId, day, avgHashrate: i === 0 ? first : "95", uptimePercent: "99" }));
    const first = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: sheet("90"),
      source: "OPERATOR_UI",
    });
    expect(first.ok && [first.saved.length, first.unchanged]).toEqual([3, 0]);

    const edited = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: sheet("91"),
      source: "OPERATOR_UI",
    });
    expect(edited.ok && [edited.saved.map((s) => s.rigId), edited.unchanged]).toEqual([[f.rigIds[0]], 2]);
    const same = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: sheet("91"),
      source: "OPERATOR_UI",
    });
    expect(same).toEqual({ ok: true, saved: [], unchanged: 3 });
    // The same values from another channel change the row's source: written.
    const viaApi = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: sheet("91").slice(1),
      source: "API",
    });
    expect(viaApi.ok && [viaApi.saved.length, viaApi.unchanged]).toEqual([2, 0]);

    const audit = await auditOf(f.operatorId);
    expect(audit.map((line) => (line.details as { count: number }).count)).toEqual([3, 1, 2]);
  });

  it("stores the day's average in the rig's display unit exactly, with uptime, and audits it", async () => {
    const f = await fleet([234]);
    const rigId = f.rigIds[0]!;
    const day = yesterday();
    const result = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId, day, avgHashrate: "228.123456789012", uptimePercent: "99.5" }],
      source: "OPERATOR_UI",
      ip: "203.0.113.9",
    });
    expect(result).toEqual({
      ok: true,
      saved: [{ rigId, day, reportedHashrateHs: 228_123_456_789_012n, uptimeBps: 9950, previous: null }],
      unchanged: 0,
    });
    const row = await t.prisma.rigTelemetry.findUniqueOrThrow({ where: { rigId_day: { rigId, day: utcDay(-1) } } });
    expect([row.reportedHashrateHs, row.uptimeBps, row.source]).toEqual([228_123_456_789_012n, 9950, "OPERATOR_UI"]);

    // A correction replaces the row; the audit line keeps what it replaced.
    const again = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId, day, avgHashrate: "0", uptimePercent: "" }],
      source: "API",
    });
    expect(again.ok).toBe(true);
    const after = await t.prisma.rigTelemetry.findMany({ where: { rigId } });
    expect(after.map((r) => [r.reportedHashrateHs, r.uptimeBps, r.source])).toEqual([[0n, null, "API"]]);
    const audit = await auditOf(f.operatorId);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ entityType: "rig_telemetry", entityId: rigId, ip: "203.0.113.9" });
    expect(audit[0]!.details).toEqual({
      source: "OPERATOR_UI",
      count: 1,
      entries: [{ rigId, day, reportedHashrateHs: "228123456789012", uptimeBps: 9950, previous: null }],
    });
    expect(audit[1]!.details).toMatchObject({
      source: "API",
      entries: [
        {
          rigId,
          day,
          reportedHashrateHs: "0",
          uptimeBps: null,
          previous: { reportedHashrateHs: "228123456789012", uptimeBps: 9950, source: "OPERATOR_UI" },
        },
      ],
    });
  });

  it("takes an explicit unit (the API's H/s) and bounds the value at twice the nominal", async () => {
    const f = await fleet([100]);
    const rigId = f.rigIds[0]!;
    const exactlyTwice = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId, day: yesterday(), avgHashrate: String(200n * TH), unit: "H/s" }],
      source: "API",
    });
    expect(exactlyTwice.ok).toBe(true);
    const over = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId, day: yesterday(), avgHashrate: "200.000000000001" }],
      source: "OPERATOR_UI",
    });
    expect(over).toMatchObject({
      ok: false,
      code: "INVALID",
      errors: [
        {
          index: 0,
          field: "avgHashrate",
          message: "200.000000000001 TH/s is more than twice the rig's nominal 100 TH/s: check the value and the unit.",
        },
      ],
    });
    if (!over.ok) expect(refusalStatus(over.code)).toBe(422);
  });

  it.each([
    ["-5", "as a number with a decimal point"],
    ["1e3", "as a number with a decimal point"],
    ["12,5", "as a number with a decimal point"],
    ["", "Enter the day's average hashrate in TH/s."],
    ["1.0000000000001", "Use at most 12 decimals in TH/s (whole H/s)."],
  ])("refuses the hashrate %j", async (value, message) => {
    const f = await fleet([100]);
    const result = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId: f.rigIds[0]!, day: yesterday(), avgHashrate: value }],
      source: "OPERATOR_UI",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.field).toBe("avgHashrate");
    expect(result.errors[0]!.message).toContain(message);
  });

  it.each([
    ["100.01", "The uptime cannot be more than 100 %."],
    ["-1", "Enter the uptime as a percentage from 0 to 100"],
    ["99.555", "Use at most 2 decimals for the uptime."],
  ])("refuses the uptime %j", async (uptime, message) => {
    const f = await fleet([100]);
    const result = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId: f.rigIds[0]!, day: yesterday(), avgHashrate: "99", uptimePercent: uptime }],
      source: "OPERATOR_UI",
    });
    expect(result).toMatchObject({ ok: false, code: "INVALID", errors: [{ field: "uptime" }] });
    if (!result.ok) expect(result.errors[0]!.message).toContain(message);
  });

  it("refuses an uptime of 0 % with a hashrate above 0, and accepts 100 % and 0 with 0", async () => {
    const f = await fleet([100, 100]);
    const bad = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId: f.rigIds[0]!, day: yesterday(), avgHashrate: "5", uptimePercent: "0" }],
      source: "OPERATOR_UI",
    });
    expect(bad).toMatchObject({
      ok: false,
      errors: [{ field: "uptime", message: "An uptime of 0 % cannot go with a hashrate above 0." }],
    });
    const good = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [
        { rigId: f.rigIds[0]!, day: yesterday(), avgHashrate: "0", uptimePercent: "0" },
        { rigId: f.rigIds[1]!, day: yesterday(), avgHashrate: "101.5", uptimePercent: "100 %" },
      ],
      source: "OPERATOR_UI",
    });
    expect(good.ok && good.saved.map((s) => [s.reportedHashrateHs, s.uptimeBps])).toEqual([
      [0n, 0],
      [101_500_000_000_000n, 10_000],
    ]);
  });

  it("refuses today, the future, malformed days and days older than the limit", async () => {
    const f = await fleet([100]);
    const rigId = f.rigIds[0]!;
    const now = new Date();
    const today = dayText(utcDay(0, now));
    const cases: [string, string][] = [
      [today, `${today} has not ended yet (UTC)`],
      [dayText(utcDay(1, now)), "is in the future"],
      ["2025-02-30", "Enter the day as YYYY-MM-DD"],
      ["yesterday", "Enter the day as YYYY-MM-DD"],
      [dayText(utcDay(-(MAX_TELEMETRY_AGE_DAYS + 1), now)), `for the last ${MAX_TELEMETRY_AGE_DAYS} days only`],
    ];
    for (const [day, message] of cases) {
      const result = await recordTelemetry(t.prisma, {
        operatorId: f.operatorId,
        entries: [{ rigId, day, avgHashrate: "90" }],
        source: "OPERATOR_UI",
        now,
      });
      expect(result, day).toMatchObject({ ok: false, code: "INVALID", errors: [{ field: "day" }] });
      if (!result.ok) expect(result.errors[0]!.message).toContain(message);
    }
    const oldest = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId, day: dayText(utcDay(-MAX_TELEMETRY_AGE_DAYS, now)), avgHashrate: "90" }],
      source: "OPERATOR_UI",
      now,
    });
    expect(oldest.ok).toBe(true);
  });

  it("refuses another operator's rig exactly like a rig that does not exist (403), and writes nothing", async () => {
    const mine = await fleet([100]);
    const theirs = await fleet([100]);
    const entries = (rigId: string) => [
      { rigId: mine.rigIds[0]!, day: yesterday(), avgHashrate: "95" },
      { rigId, day: yesterday(), avgHashrate: "95" },
    ];
    const other = await recordTelemetry(t.prisma, {
      operatorId: mine.operatorId,
      entries: entries(theirs.rigIds[0]!),
      source: "OPERATOR_UI",
    });
    const missing = await recordTelemetry(t.prisma, {
      operatorId: mine.operatorId,
      entries: entries("00000000-0000-4000-8000-000000000000"),
      source: "OPERATOR_UI",
    });
    for (const result of [other, missing]) {
      expect(result).toMatchObject({
        ok: false,
        code: "FORBIDDEN",
        message: "Nothing was saved: a rig is not among yours.",
      });
      if (result.ok) continue;
      expect(result.errors.map((e) => [e.index, e.field, e.message])).toEqual([[1, "rigId", NOT_YOUR_RIG]]);
      expect(refusalStatus(result.code)).toBe(403);
    }
    expect(await t.prisma.rigTelemetry.count({ where: { rigId: { in: [mine.rigIds[0]!, theirs.rigIds[0]!] } } })).toBe(
      0,
    );
    expect(await auditOf(mine.operatorId)).toHaveLength(0);
  });

  it("is all or nothing: one bad entry keeps every other one out, each problem named by entry", async () => {
    const f = await fleet([100, 100, 100]);
    const [a, b, c] = f.rigIds as [string, string, string];
    const day = yesterday();
    const result = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [
        { rigId: a, day, avgHashrate: "98" },
        { rigId: b, day, avgHashrate: "abc" },
        { rigId: c, day, avgHashrate: "97", uptimePercent: "120" },
        { rigId: a, day, avgHashrate: "99" },
      ],
      source: "OPERATOR_UI",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("INVALID");
    expect(result.message).toBe("Nothing was saved: 3 problems in 3 entries.");
    expect(result.errors.map((e) => [e.index, e.field])).toEqual([
      [1, "avgHashrate"],
      [2, "uptime"],
      [3, "row"],
    ]);
    expect(result.errors[2]!.message).toBe("The same rig and day are already entry 1.");
    expect(await t.prisma.rigTelemetry.count({ where: { rigId: { in: f.rigIds } } })).toBe(0);
    expect(await auditOf(f.operatorId)).toHaveLength(0);
  });

  it("refuses nothing to save and too many entries", async () => {
    const f = await fleet([100]);
    expect(await recordTelemetry(t.prisma, { operatorId: f.operatorId, entries: [], source: "API" })).toMatchObject({
      ok: false,
      code: "INVALID",
    });
    const many = Array.from({ length: 1001 }, () => ({ rigId: f.rigIds[0]!, day: yesterday(), avgHashrate: "1" }));
    expect(await recordTelemetry(t.prisma, { operatorId: f.operatorId, entries: many, source: "API" })).toMatchObject({
      ok: false,
      code: "INVALID",
      message: "Send at most 1,000 entries at once (got 1,001).",
    });
  });
});

describe("measured days take no telemetry", () => {
  it("refuses a rig-day the Stratum proxy measured (409), keeps the other rig-days of the rig open", async () => {
    const f = await fleet([100, 100]);
    const [measuredRig, typedRig] = f.rigIds as [string, string];
    const day = yesterday();
    await t.prisma.rigShareDay.create({
      data: { rigId: measuredRig, day: utcDay(-1), acceptedShares: 10, acceptedWork: "864000000000000000" },
    });
    const refused = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [
        { rigId: measuredRig, day, avgHashrate: "100" },
        { rigId: typedRig, day, avgHashrate: "100" },
      ],
      source: "API",
    });
    expect(refused).toEqual({
      ok: false,
      code: "CONFLICT",
      message:
        "Nothing was saved: this rig-day is measured from verified Stratum shares, which always win over typed telemetry.",
      errors: [{ index: 0, rigId: measuredRig, day, field: "day", message: MEASURED_DAY }],
    });
    expect(await t.prisma.rigTelemetry.count({ where: { rigId: { in: f.rigIds } } })).toBe(0);
    const otherDay = dayText(utcDay(-2));
    const open = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [
        { rigId: measuredRig, day: otherDay, avgHashrate: "90" },
        { rigId: typedRig, day, avgHashrate: "100" },
      ],
      source: "API",
    });
    expect(open.ok).toBe(true);
  });
});

describe("settled days are final", () => {
  it("refuses a rig-day whose payouts are settled for a contract on the rig; other rigs and days stay open", async () => {
    const f = await fleet([100, 100, 100]);
    const [carrying, idle, later] = f.rigIds as [string, string, string];
    const d2 = utcDay(-2);
    const d1 = utcDay(-1);
    await btcSnapshot(t.prisma, d2);
    const contract = await soldContract(t.prisma, {
      listingId: f.listingId,
      operatorId: f.operatorId,
      slices: [{ rigId: carrying, th: 60 }],
      startDay: d2,
      days: 2,
    });
    // An allocation that arrived on `later` after d2 ended (a move): d2's payout did not use it.
    await t.prisma.allocation.create({
      data: {
        contractId: contract.contractId,
        rigId: later,
        hashrateHs: 10n * TH,
        status: "LIVE",
        createdAt: new Date(d1.getTime() + 3_600_000),
      },
    });
    const before = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId: carrying, day: dayText(d2), avgHashrate: "90" }],
      source: "OPERATOR_UI",
    });
    expect(before.ok).toBe(true);
    const run = await settleDay(t.prisma, d2);
    expect(run.contractsSettled).toBe(1);
    const payout = await t.prisma.dailyPayout.findUniqueOrThrow({
      where: { contractId_day: { contractId: contract.contractId, day: d2 } },
    });
    expect(payout.deliveredHashrateHs).toBe(54n * TH); // 60 * 90 / 100

    const after = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [{ rigId: carrying, day: dayText(d2), avgHashrate: "100" }],
      source: "OPERATOR_UI",
    });
    expect(after).toEqual({
      ok: false,
      code: "CONFLICT",
      message: "Nothing was saved: payouts are already settled for this rig-day, and payouts keep their inputs.",
      errors: [{ index: 0, rigId: carrying, day: dayText(d2), field: "day", message: SETTLED_DAY }],
    });
    if (!after.ok) expect(refusalStatus(after.code)).toBe(409);
    const kept = await t.prisma.rigTelemetry.findUniqueOrThrow({ where: { rigId_day: { rigId: carrying, day: d2 } } });
    expect(kept.reportedHashrateHs).toBe(90n * TH);

    // The same day on a rig without contracts, the moved-to rig, and the next (unsettled) day.
    const open = await recordTelemetry(t.prisma, {
      operatorId: f.operatorId,
      entries: [
        { rigId: idle, day: dayText(d2), avgHashrate: "100" },
        { rigId: later, day: dayText(d2), avgHashrate: "100" },
        { rigId: carrying, day: dayText(d1), avgHashrate: "100" },
      ],
      source: "OPERATOR_UI",
    });
    expect(open.ok).toBe(true);
  });

  itOnServer(
    "a telemetry write in progress holds the payout run off (same advisory lock), and the run then reads it",
    "a telemetry transaction holds the lock on one connection while the run waits on another",
    async () => {
      const f = await fleet([100]);
      const rigId = f.rigIds[0]!;
      const day = utcDay(-3);
      await btcSnapshot(t.prisma, day);
      const contract = await soldContract(t.prisma, {
        listingId: f.listingId,
        operatorId: f.operatorId,
        slices: [{ rigId, th: 50 }],
        startDay: day,
        days: 1,
      });
      // Hold the shared lock the way recordTelemetry does, start the run, and watch it wait.
      let settled = false;
      let run: Promise<unknown> = Promise.resolve();
      await t.prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${PAYOUT_RUN_LOCK})`;
          await tx.rigTelemetry.create({ data: { rigId, day, reportedHashrateHs: 40n * TH, source: "OPERATOR_UI" } });
          run = settleDay(t.prisma, day).then(() => {
            settled = true;
          });
          const deadline = Date.now() + 20_000;
          for (;;) {
            const [waiting] = await t.prisma.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = ${PAYOUT_RUN_LOCK}::oid AND NOT granted`;
            if (waiting!.n > 0) break;
            if (Date.now() > deadline) throw new Error("the payout run never waited on the telemetry lock");
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          expect(settled).toBe(false);
        },
        { timeout: 30_000 },
      );
      await run;
      const payout = await t.prisma.dailyPayout.findUniqueOrThrow({
        where: { contractId_day: { contractId: contract.contractId, day } },
      });
      expect(payout.deliveredHashrateHs).toBe(20n * TH); // 50 * 40 / 100: the run saw the committed telemetry
    },
  );
});
