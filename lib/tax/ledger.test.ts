// The tax ledger against a real database (PostgreSQL with DATABASE_URL, else PGlite): a month
// of payouts through the real payout run writes income, fee lines and lots that reconcile with
// the payouts to the micro-dollar; lines are append-only; withdrawals sent through the real
// state machine move lots FIFO exactly as lib/tax/lots.ts computes; the year's summaries,
// exports and profile rules read from it.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../db/client";
import { settleDay } from "../payouts/run";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import {
  btcSnapshotData,
  createListing,
  createUser,
  deposit,
  usableBtcAddress,
  type MarketFixture,
} from "../testing/fixtures";
import { reportTelemetry, soldContract, type SoldContract } from "../testing/payout-fixtures";
import { customerWithFortyLots } from "../testing/tax-fixtures";
import { confirmedBtcWithdrawals, confirmWithdrawalLink, requestBtcWithdrawal } from "../testing/withdrawals";
import { markWithdrawalConfirmed, markWithdrawalSent } from "../wallet/withdrawal-transitions";
import { LINES_CSV_HEADER, linesCsv, lotsCsv, type LotAcquiredRow, type PayoutExportRow } from "./csv";
import { transferFifo, type OpenLot } from "./lots";
import { usdText } from "./money";
import { lockTaxYear, setTaxProfileKind } from "./profiles";
import {
  linePage,
  lineTotals,
  lotAcquiredBatches,
  lotExportRows,
  payoutExportBatches,
  payoutExportRows,
  seParameters,
  taxProfile,
  taxYears,
  withdrawalExportRows,
  yearInputs,
} from "./queries";
import { businessSummary } from "./summary";
import { FIFO_LOTS, FIFO_WITHDRAWALS, PARAMETERS_2025, PARAMETERS_2026 } from "./test-fixtures";

const march = (d: number) => new Date(Date.UTC(2025, 2, d));
const CURTAILED_DAY = 15;

let t: TestDatabase;
let prisma: PrismaClient;
let market: MarketFixture;
let alice: SoldContract;
let bob: SoldContract;

/** Price per day: a different one every day, and one so low the day is curtailed. */
function priceOn(d: number): bigint {
  return d === CURTAILED_DAY ? 500_000_000n : 95_000_000_000n + BigInt(d) * 123_456_789n;
}

beforeAll(async () => {
  t = await createTestDatabase();
  prisma = t.prisma;
  // rig 0: 40 TH (alice); rig 1: 50 TH (alice 20, bob 30).
  market = await createListing(prisma, { rigsTh: [40, 50] });
  const [rig0, rig1] = market.rigIds as [string, string];
  alice = await soldContract(prisma, {
    listingId: market.listingId,
    operatorId: market.operatorId,
    slices: [
      { rigId: rig0, th: 40 },
      { rigId: rig1, th: 20 },
    ],
    startDay: march(1),
    days: 45,
  });
  bob = await soldContract(prisma, {
    listingId: market.listingId,
    operatorId: market.operatorId,
    slices: [{ rigId: rig1, th: 30 }],
    startDay: march(10),
    days: 10,
  });
  for (let d = 1; d <= 31; d += 1) {
    await prisma.networkSnapshot.create({
      data: btcSnapshotData(march(d), priceOn(d)),
    });
    // Rig 0 dips on the 20th (under-delivery); rig 1 sends no telemetry on the 12th.
    await reportTelemetry(prisma, rig0, march(d), d === 20 ? 30 : 40);
    if (d !== 12) await reportTelemetry(prisma, rig1, march(d), 50);
  }
  for (let d = 1; d <= 31; d += 1) await settleDay(prisma, march(d));
}, 240_000);

afterAll(async () => {
  await t?.drop();
});

describe("tax lines from a month of payouts", () => {
  it("sum to the payouts' USD values to the micro-dollar, per customer and per payout", async () => {
    const perCustomer = await prisma.$queryRaw<
      { customer_id: string; payouts_value: string; lines_net: string; payouts: number }[]
    >`
      SELECT c.customer_id::text AS customer_id,
             sum(p.usd_value_at_receipt_micro_usd)::text AS payouts_value, count(*)::int AS payouts,
             (SELECT sum(CASE WHEN l.kind = 'MINING_INCOME' THEN l.value_micro_usd ELSE -l.value_micro_usd END)
                FROM tax_lines l WHERE l.user_id = c.customer_id)::text AS lines_net
        FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id
       GROUP BY c.customer_id`;
    expect(perCustomer).toHaveLength(2);
    for (const row of perCustomer) {
      expect(BigInt(row.payouts_value)).toBeGreaterThan(0n);
      expect(row.lines_net).toBe(row.payouts_value);
    }
    expect(perCustomer.find((r) => r.customer_id === alice.customerId)?.payouts).toBe(31);
    expect(perCustomer.find((r) => r.customer_id === bob.customerId)?.payouts).toBe(10);

    // Payout by payout: income - fees = usd_value_at_receipt, and each figure from the payout row.
    const mismatches = await prisma.$queryRaw<{ id: string }[]>`
      SELECT p.id::text AS id
        FROM daily_payouts p
        LEFT JOIN LATERAL (
          SELECT sum(value_micro_usd) FILTER (WHERE kind = 'MINING_INCOME') AS income,
                 sum(value_micro_usd) FILTER (WHERE kind = 'POOL_FEE') AS pool,
                 sum(value_micro_usd) FILTER (WHERE kind = 'MAINTENANCE_FEE') AS maintenance,
                 sum(amount_base) FILTER (WHERE kind = 'MINING_INCOME') AS gross,
                 count(*) AS lines
            FROM tax_lines l WHERE l.payout_id = p.id
        ) l ON true
       WHERE NOT p.curtailed AND p.gross_base > 0
         AND (l.income - l.pool - l.maintenance <> p.usd_value_at_receipt_micro_usd
              OR l.gross <> p.gross_base
              OR l.pool <> div(p.pool_fee_base * p.price_micro_usd, power(10::numeric, p.decimals))
              OR l.maintenance <> div(p.maintenance_fee_base * p.price_micro_usd, power(10::numeric, p.decimals))
              OR abs(l.income - div(p.gross_base * p.price_micro_usd, power(10::numeric, p.decimals))) > 2
              OR l.lines <> 3 OR l.lines IS NULL)`;
    expect(mismatches).toEqual([]);
  });

  it("writes no line and no lot for a curtailed or zero-delivery day, and a lot (net coins, basis = net value) for every credited payout", async () => {
    const curtailed = await prisma.dailyPayout.findMany({
      where: { day: march(CURTAILED_DAY) },
      select: { id: true, curtailed: true },
    });
    expect(curtailed.length).toBe(2);
    expect(curtailed.every((p) => p.curtailed)).toBe(true);
    expect(await prisma.taxLine.count({ where: { payoutId: { in: curtailed.map((p) => p.id) } } })).toBe(0);
    expect(await prisma.taxLot.count({ where: { payoutId: { in: curtailed.map((p) => p.id) } } })).toBe(0);

    const [lots] = await prisma.$queryRaw<{ credited: number; lots: number; wrong: number }[]>`
      SELECT (SELECT count(*)::int FROM daily_payouts WHERE NOT curtailed AND net_base > 0) AS credited,
             (SELECT count(*)::int FROM tax_lots) AS lots,
             (SELECT count(*)::int FROM tax_lots t JOIN daily_payouts p ON p.id = t.payout_id JOIN contracts c ON c.id = p.contract_id
               WHERE t.amount_base <> p.net_base OR t.basis_micro_usd <> p.usd_value_at_receipt_micro_usd
                  OR t.remaining_base <> p.net_base OR t.acquired_on <> p.day OR t.user_id <> c.customer_id OR t.coin <> p.coin) AS wrong`;
    // 31 days of alice's and 10 of bob's, less the curtailed day of each and bob's day without telemetry.
    expect(lots).toEqual({ credited: 38, lots: 38, wrong: 0 });
    const dark = await prisma.dailyPayout.findUniqueOrThrow({
      where: { contractId_day: { contractId: bob.contractId, day: march(12) } },
    });
    expect(dark.grossBase.isZero()).toBe(true);
    expect(await prisma.taxLine.count({ where: { payoutId: dark.id } })).toBe(0);
  });

  it("keeps lines append-only and lets a lot's remaining amount only go down", async () => {
    await expect(
      prisma.$executeRaw`UPDATE tax_lines SET value_micro_usd = value_micro_usd + 1 WHERE payout_id = (SELECT min(payout_id) FROM tax_lines)`,
    ).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM tax_lines`).rejects.toThrow(/append-only/);
    await expect(
      prisma.$executeRaw`UPDATE tax_lots SET basis_micro_usd = 0 WHERE id = (SELECT min(id) FROM tax_lots)`,
    ).rejects.toThrow(/only its remaining/);
    await expect(
      prisma.$executeRaw`UPDATE tax_lots SET remaining_base = amount_base + 1 WHERE id = (SELECT min(id) FROM tax_lots)`,
    ).rejects.toThrow();
    await expect(prisma.$executeRaw`DELETE FROM tax_lots`).rejects.toThrow(/DELETE refused/);
  });

  it("a re-run of a settled day writes no line twice", async () => {
    const before = await prisma.taxLine.count();
    await settleDay(prisma, march(5));
    expect(await prisma.taxLine.count()).toBe(before);
  });

  it("the year's totals, lines page and filters read the same lines", async () => {
    const totals = await lineTotals(prisma, alice.customerId, 2025);
    const [sums] = await prisma.$queryRaw<{ income: string; pool: string; maintenance: string }[]>`
      SELECT sum(value_micro_usd) FILTER (WHERE kind = 'MINING_INCOME')::text AS income,
             sum(value_micro_usd) FILTER (WHERE kind = 'POOL_FEE')::text AS pool,
             sum(value_micro_usd) FILTER (WHERE kind = 'MAINTENANCE_FEE')::text AS maintenance
        FROM tax_lines WHERE user_id = ${alice.customerId}::uuid`;
    expect(totals.map((k) => k.valueMicroUsd.toString())).toEqual([sums!.income, sums!.pool, sums!.maintenance]);
    expect(totals.map((k) => k.lines)).toEqual([30, 30, 30]);
    expect(await lineTotals(prisma, alice.customerId, 2024)).toEqual(
      totals.map((k) => ({ ...k, lines: 0, valueMicroUsd: 0n })),
    );

    const pools = await linePage(prisma, alice.customerId, 2025, { kind: "POOL_FEE", month: 3 }, 1);
    expect(pools).toHaveLength(30);
    expect(pools.every((l) => l.kind === "POOL_FEE")).toBe(true);
    expect(pools[0]!.day).toBe("2025-03-31");
    expect(await linePage(prisma, alice.customerId, 2025, { month: 4 }, 1)).toEqual([]);
    // Another customer's lines are never in the answer.
    expect((await linePage(prisma, bob.customerId, 2025, {}, 1)).every((l) => l.contractId === bob.contractId)).toBe(
      true,
    );
    expect(await taxYears(prisma, alice.customerId, new Date(Date.UTC(2026, 5, 1)))).toEqual([2026, 2025]);
  });

  it("the business summary amortises the contract price over the year's days and takes off the under-delivery credits", async () => {
    const inputs = await yearInputs(prisma, alice.customerId, 2025);
    expect(inputs.contracts).toHaveLength(1);
    expect(inputs.contracts[0]!.daysInYear).toBe(45);
    expect(inputs.totals.contractAmortisationMicroUsd).toBe(alice.totalPriceMicroUsd);
    const [credits] = await prisma.$queryRaw<{ credits: string }[]>`
      SELECT sum(under_delivery_credit_micro_usd)::text AS credits FROM daily_payouts WHERE contract_id = ${alice.contractId}::uuid`;
    expect(BigInt(credits!.credits)).toBeGreaterThan(0n);
    expect(inputs.totals.underDeliveryCreditsMicroUsd).toBe(BigInt(credits!.credits));
    const summary = businessSummary(inputs.totals, await seParameters(prisma, 2025));
    expect(summary.netProfitMicroUsd).toBe(
      inputs.totals.incomeMicroUsd -
        inputs.totals.poolFeesMicroUsd -
        inputs.totals.maintenanceFeesMicroUsd -
        (alice.totalPriceMicroUsd - BigInt(credits!.credits)),
    );
  });

  it("mid-term (1 April 2025): the year to date amortises the 31 ended days; the projection the whole term", async () => {
    const now = new Date(Date.UTC(2025, 3, 1, 12));
    const inputs = await yearInputs(prisma, alice.customerId, 2025, now);
    const whole = await yearInputs(prisma, alice.customerId, 2025);
    const T = alice.totalPriceMicroUsd;
    expect(inputs.toDateEnd).toEqual(new Date(Date.UTC(2025, 3, 1)));
    expect(inputs.contracts[0]).toMatchObject({ daysToDate: 31, daysInYear: 45, amortisedInYearMicroUsd: T });
    expect(inputs.totals.contractAmortisationMicroUsd).toBe((31n * T) / 45n);
    // Income and fees are what was settled (March 1-31, the curtailed day included): the same lines.
    expect(inputs.totals.incomeMicroUsd).toBe(whole.totals.incomeMicroUsd);
    expect(inputs.totals.underDeliveryCreditsMicroUsd).toBe(whole.totals.underDeliveryCreditsMicroUsd);
    // Projection: 14 unsettled days of 45 at alice's own rate over her 31 settled days, rounded down.
    const rest = (x: bigint) => x + (x * 14n) / 31n;
    expect(inputs.projection).toEqual({
      ...inputs.totals,
      incomeMicroUsd: rest(inputs.totals.incomeMicroUsd),
      poolFeesMicroUsd: rest(inputs.totals.poolFeesMicroUsd),
      maintenanceFeesMicroUsd: rest(inputs.totals.maintenanceFeesMicroUsd),
      underDeliveryCreditsMicroUsd: rest(inputs.totals.underDeliveryCreditsMicroUsd),
      contractAmortisationMicroUsd: T,
    });
    // A year that is over has no projection, and its year to date is the whole year.
    expect(whole.projection).toBeNull();
    expect(whole.contracts[0]!.amortisedToDateMicroUsd).toBe(T);
  });

  it("keeps the Schedule SE parameters in the table the unit tests assume", async () => {
    expect(await seParameters(prisma, 2025)).toEqual(PARAMETERS_2025);
    expect(await seParameters(prisma, 2026)).toEqual(PARAMETERS_2026);
    expect(await seParameters(prisma, 1999)).toBeNull();
  });

  it("the lines CSV has one mining row per credited payout, with the income value", async () => {
    const rows = parse(linesCsv(await payoutExportRows(prisma, bob.customerId, 2025), [])) as string[][];
    expect(rows[0]).toEqual([...LINES_CSV_HEADER]);
    expect(rows).toHaveLength(1 + 8); // bob's 10 days: one curtailed, one without telemetry
    const first = await prisma.taxLine.findFirstOrThrow({
      where: { userId: bob.customerId, kind: "MINING_INCOME" },
      orderBy: { day: "asc" },
    });
    expect(rows[1]![0]).toBe("2025-03-10T23:59:59Z");
    expect(rows[1]![7]).toBe(usdText(first.valueMicroUsd));
    expect(rows[1]![9]).toBe("mining");

    // Keyset pages of any size read the same rows, in order.
    const all = await payoutExportRows(prisma, alice.customerId, 2025);
    const paged: PayoutExportRow[] = [];
    for await (const batch of payoutExportBatches(prisma, alice.customerId, 2025, 7)) paged.push(...batch);
    expect(paged).toEqual(all);
    expect(all).toHaveLength(30);
    const lots: LotAcquiredRow[] = [];
    for await (const batch of lotAcquiredBatches(prisma, alice.customerId, 2025, 4)) lots.push(...batch);
    expect(lots.map((l) => l.payoutId)).toEqual(all.map((p) => p.payoutId));
  });
});

describe("lots leave FIFO when a withdrawal is sent", () => {
  let customerId: string;
  let addressId: string;
  let adminId: string;
  const lotIds = new Map<string, string>();

  beforeAll(async () => {
    const customer = await createUser(prisma);
    customerId = customer.id;
    adminId = (await createUser(prisma, ["ADMIN"])).id;
    addressId = await usableBtcAddress(prisma, customerId);
    // The fixture's lots, as payouts would write them (payout ids made up: lots have no foreign key).
    for (const [i, lot] of FIFO_LOTS.entries()) {
      const row = await prisma.taxLot.create({
        data: {
          userId: customerId,
          coin: "BTC",
          acquiredOn: lot.acquiredOn,
          amountBase: lot.amountBase.toString(),
          basisMicroUsd: lot.basisMicroUsd,
          remainingBase: lot.remainingBase.toString(),
          payoutId: 9_000_000n + BigInt(i),
        },
      });
      lotIds.set(row.id.toString(), lot.id);
    }
    // The coins themselves (the lots account for all but 10,000 of what is withdrawn).
    const total = FIFO_WITHDRAWALS.reduce((sum, w) => sum + w.amountBase, 0n);
    await deposit(prisma, customerId, "BTC", total);
  });

  async function withdraw(amountBase: bigint, sentAt: Date): Promise<string> {
    const withdrawal = await requestBtcWithdrawal(prisma, {
      userId: customerId,
      addressId,
      amount: `0.${amountBase.toString().padStart(8, "0")}`,
      now: new Date(sentAt.getTime() - 60_000),
    });
    // The customer's click on the emailed link approves it (below the review threshold).
    expect(await confirmWithdrawalLink(prisma, withdrawal.id)).toMatchObject({
      ok: true,
      withdrawal: { status: "APPROVED" },
    });
    const sent = await markWithdrawalSent(prisma, {
      withdrawalId: withdrawal.id,
      by: { adminId },
      txid: "b".repeat(64),
      now: sentAt,
    });
    if (!sent.ok) throw new Error(sent.message);
    return withdrawal.id;
  }

  it("moves exactly the parts lib/tax/lots.ts computes, with basis that adds up per lot", async () => {
    let expectedLots: OpenLot[] = FIFO_LOTS;
    const withdrawalIds: string[] = [];
    for (const [i, w] of FIFO_WITHDRAWALS.entries()) {
      const id = await withdraw(w.amountBase, new Date(Date.UTC(2025, 5, 1 + i, 12)));
      withdrawalIds.push(id);
      const parts = await prisma.taxLotTransfer.findMany({ where: { withdrawalId: id }, orderBy: { id: "asc" } });
      const got = parts.map((p) => ({
        lotId: p.lotId === null ? null : lotIds.get(p.lotId.toString())!,
        amountBase: BigInt(p.amountBase.toFixed(0)),
        basisMicroUsd: p.basisMicroUsd,
      }));
      const expected = transferFifo(expectedLots, w.amountBase);
      expect(got).toEqual(expected.parts);
      expect(got).toEqual(w.parts);
      expectedLots = expected.lots;
    }
    const lots = await prisma.taxLot.findMany({ where: { userId: customerId } });
    expect(lots.every((l) => l.remainingBase.isZero())).toBe(true);

    // Confirming moves nothing more.
    const before = await prisma.taxLotTransfer.count();
    const confirmed = await markWithdrawalConfirmed(prisma, { withdrawalId: withdrawalIds[0]!, adminId });
    expect(confirmed.ok).toBe(true);
    expect(await prisma.taxLotTransfer.count()).toBe(before);

    // The exports say it is a transfer, with the basis carried.
    const exported = await withdrawalExportRows(prisma, customerId, 2025);
    expect(exported.map((w) => w.basisMicroUsd)).toEqual(
      FIFO_WITHDRAWALS.map((w) => w.parts.reduce((s, p) => s + p.basisMicroUsd, 0n)),
    );
    expect(exported[2]!.uncoveredBase).toBe(100_000n);
    const csv = parse(linesCsv([], exported)) as string[][];
    expect(csv[1]![10]).toContain("not income, not a disposal; cost basis 0.90 USD carried out FIFO");
    const lotRows = await lotExportRows(prisma, customerId, 2025);
    expect(lotRows.acquired).toHaveLength(3);
    expect(lotRows.transfers).toHaveLength(6);
    const lotsText = lotsCsv(lotRows.acquired, lotRows.transfers);
    expect(lotsText).toContain("transferred out");
    expect(await withdrawalExportRows(prisma, alice.customerId, 2025)).toEqual([]);
  });
});

describe("concurrent sends of one user's coin", () => {
  it("queue on the lots: each part is taken once and every lot's parts add up", async () => {
    // 40 lots of 100,000 with an odd basis each, and 8 withdrawals of 450,000 sent at once.
    const { customerId, adminId, addressId } = await customerWithFortyLots(prisma, 8_000_000);
    await deposit(prisma, customerId, "BTC", 3_600_000n);
    const ids = await confirmedBtcWithdrawals(prisma, { userId: customerId, addressId, amount: "0.0045", count: 8 });
    const sent = await Promise.all(
      ids.map((id, i) => markWithdrawalSent(prisma, { withdrawalId: id, by: { adminId }, txid: String(i).repeat(64) })),
    );
    expect(sent.every((r) => r.ok)).toBe(true);
    const [check] = await prisma.$queryRaw<{ moved: string; uncovered: string; bad_lots: number; open: string }[]>`
      SELECT (SELECT sum(amount_base)::text FROM tax_lot_transfers WHERE user_id = ${customerId}::uuid) AS moved,
             (SELECT COALESCE(sum(amount_base), 0)::text FROM tax_lot_transfers WHERE user_id = ${customerId}::uuid AND lot_id IS NULL) AS uncovered,
             (SELECT count(*)::int FROM tax_lots l
                LEFT JOIN (SELECT lot_id, sum(amount_base) AS amount, sum(basis_micro_usd) AS basis FROM tax_lot_transfers GROUP BY lot_id) t ON t.lot_id = l.id
               WHERE l.user_id = ${customerId}::uuid
                 AND (COALESCE(t.amount, 0) + l.remaining_base <> l.amount_base
                      OR COALESCE(t.basis, 0) + div(l.remaining_base * l.basis_micro_usd, l.amount_base) <> l.basis_micro_usd)) AS bad_lots,
             (SELECT sum(remaining_base)::text FROM tax_lots WHERE user_id = ${customerId}::uuid) AS open`;
    // 8 x 450,000 = 3,600,000 out of 4,000,000 in lots: 400,000 stay, none uncovered.
    expect(check).toEqual({ moved: "3600000", uncovered: "0", bad_lots: 0, open: "400000" });
  });
});

describe("tax profiles", () => {
  it("switches hobby and business until the year is locked, then refuses; audit-logged", async () => {
    const userId = alice.customerId;
    const now = new Date(Date.UTC(2026, 0, 15));
    expect(await taxProfile(prisma, userId, 2025)).toMatchObject({ kind: "HOBBY", chosen: false, lockedAt: null });
    expect(await setTaxProfileKind(prisma, { userId, year: "2025", kind: "BUSINESS", now })).toMatchObject({
      ok: true,
      kind: "BUSINESS",
    });
    expect(await setTaxProfileKind(prisma, { userId, year: 2025, kind: "HOBBY", now })).toMatchObject({
      ok: true,
      kind: "HOBBY",
    });
    expect(await setTaxProfileKind(prisma, { userId, year: 2025, kind: "BUSINESS", now })).toMatchObject({ ok: true });
    expect(await lockTaxYear(prisma, { userId, year: 2025, expectedKind: "HOBBY", now })).toMatchObject({
      ok: false,
      code: "INVALID",
    });
    expect(await lockTaxYear(prisma, { userId, year: 2025, expectedKind: "BUSINESS", now })).toMatchObject({
      ok: true,
      kind: "BUSINESS",
    });
    expect(await setTaxProfileKind(prisma, { userId, year: 2025, kind: "HOBBY", now })).toMatchObject({
      ok: false,
      code: "LOCKED",
    });
    expect(await lockTaxYear(prisma, { userId, year: 2025, expectedKind: "BUSINESS", now })).toMatchObject({
      ok: false,
      code: "LOCKED",
    });
    expect(await taxProfile(prisma, userId, 2025)).toMatchObject({ kind: "BUSINESS", chosen: true });
    const audit = await prisma.auditLog.findMany({
      where: { actorId: userId, entityType: "tax_profile" },
      orderBy: { id: "asc" },
      select: { action: true },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "tax.profile_set",
      "tax.profile_set",
      "tax.profile_set",
      "tax.year_locked",
    ]);
  });

  it("refuses a year that has not started and a kind that does not exist", async () => {
    const now = new Date(Date.UTC(2026, 0, 15));
    expect(await setTaxProfileKind(prisma, { userId: bob.customerId, year: 2027, kind: "HOBBY", now })).toMatchObject({
      ok: false,
      fieldErrors: { year: expect.any(String) },
    });
    expect(await setTaxProfileKind(prisma, { userId: bob.customerId, year: "abc", kind: "HOBBY", now })).toMatchObject({
      ok: false,
      fieldErrors: { year: expect.any(String) },
    });
    expect(await setTaxProfileKind(prisma, { userId: bob.customerId, year: 2025, kind: "FARM", now })).toMatchObject({
      ok: false,
      fieldErrors: { kind: expect.any(String) },
    });
  });
});
