// Paying a contract from a coin balance disposes of those coins (migration
// 20261126050000_tax_disposals): against a real database, the real purchase statement
// (purchase_contract) takes the user's lots first in, first out with the same basis split as a
// withdrawal (lib/tax/lots.ts), splits the contract's price over the parts exactly, and the
// year's capital gains (short / long term), the summaries and the lines CSV read them. A send
// racing purchases of the same user's coin never takes a lot part twice.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callPurchase } from "../contracts/purchase";
import type { PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import {
  btcSnapshotData,
  createListing,
  createUser,
  deposit,
  unbalancedJournals,
  type MarketFixture,
} from "../testing/fixtures";
import { customerWithFortyLots } from "../testing/tax-fixtures";
import { confirmedBtcWithdrawals } from "../testing/withdrawals";
import { markWithdrawalSent } from "../wallet/withdrawal-transitions";
import { LINES_CSV_HEADER, linesCsv, LOTS_CSV_HEADER, lotsCsv } from "./csv";
import { transferFifo, type OpenLot } from "./lots";
import { usdText } from "./money";
import { disposalRows, lotExportRows, seParameters, taxYears, yearInputs } from "./queries";
import { businessSummary, hobbySummary, yearSummary } from "./summary";

/** micro-USD per BTC: odd, so the coin amount and the proceeds split are not round. */
const BTC_PRICE = 97_123_456_789n;
const PURCHASE_AT = new Date(Date.UTC(2026, 2, 1, 12, 0, 0));

let t: TestDatabase;
let prisma: PrismaClient;
let market: MarketFixture;
let payoutSeq = 7_000_000n;

beforeAll(async () => {
  t = await createTestDatabase();
  prisma = t.prisma;
  // $1.95 per TH-day: 10 TH for 30 days costs $585.
  market = await createListing(prisma, { rigsTh: [500], priceMicroUsdPerThDay: 1_950_000n });
  await prisma.networkSnapshot.create({
    data: btcSnapshotData(new Date(Date.UTC(2026, 0, 1)), BTC_PRICE),
  });
}, 60_000);

afterAll(async () => {
  if (t) expect(await unbalancedJournals(t.prisma)).toEqual([]);
  await t?.drop();
});

/** A lot as the payout trigger writes it (payout ids made up: lots have no foreign key). */
async function lot(userId: string, acquiredOn: string, amountBase: bigint, basisMicroUsd: bigint): Promise<OpenLot> {
  payoutSeq += 1n;
  const row = await prisma.taxLot.create({
    data: {
      userId,
      coin: "BTC",
      acquiredOn: new Date(`${acquiredOn}T00:00:00Z`),
      amountBase: amountBase.toString(),
      basisMicroUsd,
      remainingBase: amountBase.toString(),
      payoutId: payoutSeq,
    },
  });
  return { id: row.id.toString(), acquiredOn: row.acquiredOn, amountBase, basisMicroUsd, remainingBase: amountBase };
}

async function buyInBtc(customerId: string, now?: Date): Promise<{ contractId: string; paid: bigint; price: bigint }> {
  const answer = await callPurchase(prisma, {
    customerId,
    request: { listingId: market.listingId, hashrate: "10", days: 30, paymentMethod: "BALANCE_COIN", payCoin: "BTC" },
    now,
  });
  if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
  const contract = await prisma.contract.findUniqueOrThrow({ where: { id: String(answer.body.contractId) } });
  return {
    contractId: contract.id,
    paid: BigInt(contract.paidAmountBase!.toFixed(0)),
    price: contract.totalPriceMicroUsd,
  };
}

async function disposalsOf(contractId: string) {
  // FIFO order: the lot's day (no lot last), then the lot.
  const rows = await prisma.taxDisposal.findMany({
    where: { contractId },
    orderBy: [{ acquiredOn: { sort: "asc", nulls: "last" } }, { lotId: "asc" }],
  });
  return rows.map((r) => ({
    lotId: r.lotId === null ? null : r.lotId.toString(),
    amountBase: BigInt(r.amountBase.toFixed(0)),
    basisMicroUsd: r.basisMicroUsd,
    proceedsMicroUsd: r.proceedsMicroUsd,
    acquiredOn: r.acquiredOn?.toISOString().slice(0, 10) ?? null,
    disposedAt: r.disposedAt,
  }));
}

/** The proceeds P of an amount A split by the coins disposed before each part, exactly. */
function proceedsSplit(parts: readonly bigint[], total: bigint, price: bigint): bigint[] {
  let before = 0n;
  return parts.map((p) => {
    const share = ((before + p) * price) / total - (before * price) / total;
    before += p;
    return share;
  });
}

describe("a contract paid from the BTC balance", () => {
  let customerId: string;
  let bought: { contractId: string; paid: bigint; price: bigint };
  let lots: OpenLot[];

  beforeAll(async () => {
    customerId = (await createUser(prisma)).id;
    // Two lots older than a year at the purchase (2026-03-01), one younger, one not reached.
    lots = [
      await lot(customerId, "2025-06-01", 3_000n, 2_000_001n),
      await lot(customerId, "2025-01-10", 2_000n, 1_333_333n),
      await lot(customerId, "2026-02-01", 4_000n, 3_999_999n),
      await lot(customerId, "2026-02-20", 1_000n, 1_000_003n),
    ];
    await deposit(prisma, customerId, "BTC", 1_000_000n);
    bought = await buyInBtc(customerId, PURCHASE_AT);
  });

  it("pays what the price says: $585 at the day's rate, rounded up to the satoshi", () => {
    expect(bought.price).toBe(585_000_000n);
    // ceil(585,000,000 * 10^8 / 97,123,456,789) = ceil(602,326.3...) — hand-checked.
    expect(bought.paid).toBe((585_000_000n * 100_000_000n + BTC_PRICE - 1n) / BTC_PRICE);
    expect(bought.paid).toBe(602_327n);
  });

  it("takes the lots FIFO with the withdrawal's basis split, and splits the price over the parts exactly", async () => {
    // 602,327 sats: more than the 10,000 the lots hold; the rest has no lot.
    const rows = await disposalsOf(bought.contractId);
    const expected = transferFifo(lots, bought.paid);
    expect(rows.map(({ lotId, amountBase, basisMicroUsd }) => ({ lotId, amountBase, basisMicroUsd }))).toEqual(
      expected.parts,
    );
    // Oldest first: 2025-01-10, 2025-06-01, 2026-02-01, 2026-02-20, then the uncovered rest.
    expect(rows.map((r) => r.acquiredOn)).toEqual(["2025-01-10", "2025-06-01", "2026-02-01", "2026-02-20", null]);
    expect(rows.map((r) => r.amountBase)).toEqual([2_000n, 3_000n, 4_000n, 1_000n, 592_327n]);
    expect(rows.map((r) => r.basisMicroUsd)).toEqual([1_333_333n, 2_000_001n, 3_999_999n, 1_000_003n, 0n]);
    const proceeds = proceedsSplit(
      rows.map((r) => r.amountBase),
      bought.paid,
      bought.price,
    );
    expect(rows.map((r) => r.proceedsMicroUsd)).toEqual(proceeds);
    // floor(2000 * 585e6 / 602327) = floor(1,942,466.47) — hand-checked first part.
    expect(rows[0]!.proceedsMicroUsd).toBe(1_942_466n);
    expect(rows.reduce((s, r) => s + r.proceedsMicroUsd, 0n)).toBe(bought.price);
    expect(rows.every((r) => r.disposedAt.getTime() === PURCHASE_AT.getTime())).toBe(true);
    const after = await prisma.taxLot.findMany({ where: { userId: customerId } });
    expect(after.every((l) => l.remainingBase.isZero())).toBe(true);
  });

  it("records disposals append-only", async () => {
    await expect(
      prisma.$executeRaw`UPDATE tax_disposals SET proceeds_micro_usd = 0 WHERE contract_id = ${bought.contractId}::uuid`,
    ).rejects.toThrow(/append-only/);
    await expect(
      prisma.$executeRaw`DELETE FROM tax_disposals WHERE contract_id = ${bought.contractId}::uuid`,
    ).rejects.toThrow(/append-only/);
  });

  it("splits the year's gains into long-term (the 2025-01-10 lot) and short-term, gain = proceeds - basis", async () => {
    const rows = await disposalRows(prisma, customerId, 2026);
    expect(rows.map((r) => [r.term, r.parts, r.amountBase, r.uncoveredBase])).toEqual([
      ["SHORT", 4, 600_327n, 592_327n],
      ["LONG", 1, 2_000n, 0n],
    ]);
    const all = await disposalsOf(bought.contractId);
    const long = all[0]!;
    const short = all.slice(1);
    expect(rows[1]!.proceedsMicroUsd).toBe(long.proceedsMicroUsd);
    expect(rows[1]!.basisMicroUsd).toBe(1_333_333n);
    expect(rows[0]!.proceedsMicroUsd).toBe(short.reduce((s, r) => s + r.proceedsMicroUsd, 0n));
    expect(rows[0]!.basisMicroUsd).toBe(2_000_001n + 3_999_999n + 1_000_003n);
    expect(await disposalRows(prisma, customerId, 2025)).toEqual([]);
    // 2025-06-01 + 1 year = 2026-06-01: a lot of that day is short-term on 2026-03-01.

    const inputs = await yearInputs(prisma, customerId, 2026);
    const gains = inputs.totals.capitalGains!;
    expect(gains.longTerm).toEqual({
      parts: 1,
      proceedsMicroUsd: long.proceedsMicroUsd,
      basisMicroUsd: 1_333_333n,
      gainMicroUsd: long.proceedsMicroUsd - 1_333_333n,
    });
    expect(gains.shortTerm.gainMicroUsd).toBe(rows[0]!.proceedsMicroUsd - rows[0]!.basisMicroUsd);
    expect(gains.netGainMicroUsd).toBe(bought.price - (1_333_333n + 2_000_001n + 3_999_999n + 1_000_003n));
    expect(await taxYears(prisma, customerId, new Date(Date.UTC(2026, 5, 1)))).toEqual([2026]);

    // Both profiles show it; it is not mining income, so the business's profit (and SE tax) ignore it.
    expect(hobbySummary(inputs.totals).capitalGains).toEqual(gains);
    const business = businessSummary(inputs.totals, await seParameters(prisma, 2026));
    expect(business.capitalGains).toEqual(gains);
    expect(business.netProfitMicroUsd).toBe(
      businessSummary({ ...inputs.totals, capitalGains: undefined }, null).netProfitMicroUsd,
    );
    expect(yearSummary("BUSINESS", inputs.totals, null).capitalGains.netGainMicroUsd).toBe(gains.netGainMicroUsd);
  });

  it("the lines CSV has one row for the payment: the coins sent, the price as net worth, basis and gain described", async () => {
    const rows = parse(linesCsv([], [], await disposalRows(prisma, customerId, 2026))) as string[][];
    expect(rows[0]).toEqual([...LINES_CSV_HEADER]);
    expect(rows).toHaveLength(2);
    const [date, sent, sentCurrency, received, , , , worth, worthCurrency, label, description, ref] = rows[1]!;
    expect(date).toBe("2026-03-01T12:00:00Z");
    expect([sent, sentCurrency, received]).toEqual(["0.00602327", "BTC", ""]);
    expect([worth, worthCurrency, label]).toEqual(["585.00", "USD", ""]);
    expect(description).toContain(`contract ${bought.contractId}`);
    expect(description).toContain(
      `cost basis ${usdText(8_333_336n)} USD (FIFO), gain ${usdText(585_000_000n - 8_333_336n)} USD`,
    );
    expect(description).toContain("0.00592327 BTC had no lot here");
    expect(ref).toBe(`hashlease-contract-${bought.contractId}`);
    // The lots CSV lists each part disposed of, with its lot, basis and share of the proceeds.
    const lotRows = await lotExportRows(prisma, customerId, 2026);
    expect(lotRows.disposals.map((d) => [d.lotId, d.amountBase])).toEqual(
      (await disposalsOf(bought.contractId)).map((d) => [d.lotId, d.amountBase]),
    );
    const lotsText = parse(lotsCsv(lotRows.acquired, lotRows.transfers, lotRows.disposals)) as string[][];
    expect(lotsText[0]).toEqual([...LOTS_CSV_HEADER]);
    const disposed = lotsText.filter((r) => r[1] === "disposed");
    expect(disposed).toHaveLength(5);
    expect(disposed[0]!.slice(2, 8)).toEqual([
      lots[1]!.id,
      "BTC",
      "0.00002",
      "1.333333",
      "2025-01-10",
      `hashlease-contract-${bought.contractId}`,
    ]);
    expect(disposed[4]![9]).toContain("no lot here");
  });
});

describe("coins without lots", () => {
  it("leave as one row without a lot: basis 0, the whole price as proceeds, short-term", async () => {
    const customerId = (await createUser(prisma)).id;
    await deposit(prisma, customerId, "BTC", 1_000_000n);
    const bought = await buyInBtc(customerId, PURCHASE_AT);
    const rows = await disposalsOf(bought.contractId);
    expect(rows).toEqual([
      {
        lotId: null,
        amountBase: bought.paid,
        basisMicroUsd: 0n,
        proceedsMicroUsd: bought.price,
        acquiredOn: null,
        disposedAt: PURCHASE_AT,
      },
    ]);
    const [term] = await disposalRows(prisma, customerId, 2026);
    expect(term).toMatchObject({ term: "SHORT", parts: 1, uncoveredBase: bought.paid, firstAcquiredOn: null });
  });

  it("USD-balance purchases dispose of nothing", async () => {
    const customerId = (await createUser(prisma)).id;
    await deposit(prisma, customerId, "USD", 1_000_000_000n);
    const answer = await callPurchase(prisma, {
      customerId,
      request: { listingId: market.listingId, hashrate: "10", days: 30, paymentMethod: "BALANCE_USD" },
      now: PURCHASE_AT,
    });
    expect(answer.status).toBe(201);
    expect(await prisma.taxDisposal.count({ where: { userId: customerId } })).toBe(0);
  });
});

describe("a withdrawal sent while coin purchases of the same user run", () => {
  it("never takes the same lot amount twice: per lot, transfers + disposals = amount - remaining", async () => {
    // 40 lots of 100,000 sats with an odd basis each.
    const { customerId, adminId, addressId } = await customerWithFortyLots(prisma, 6_000_000);
    await deposit(prisma, customerId, "BTC", 6_000_000n);
    const withdrawalIds = await confirmedBtcWithdrawals(prisma, {
      userId: customerId,
      addressId,
      amount: "0.0045",
      count: 4,
    });
    // 4 sends of 450,000 and 4 purchases of 602,327 at once: 4,209,308 > the lots' 4,000,000.
    const [sends, purchases] = await Promise.all([
      Promise.all(
        withdrawalIds.map((id, i) =>
          markWithdrawalSent(prisma, { withdrawalId: id, by: { adminId }, txid: String(i).repeat(64) }),
        ),
      ),
      Promise.all([0, 1, 2, 3].map(() => buyInBtc(customerId))),
    ]);
    expect(sends.every((s) => s.ok)).toBe(true);
    expect(purchases.every((p) => p.paid === 602_327n)).toBe(true);

    const [check] = await prisma.$queryRaw<
      { moved: string; uncovered: string; bad_lots: number; open: string; proceeds_off: number }[]
    >`
      SELECT (SELECT sum(amount_base)::text FROM (
                SELECT amount_base FROM tax_lot_transfers WHERE user_id = ${customerId}::uuid
                UNION ALL SELECT amount_base FROM tax_disposals WHERE user_id = ${customerId}::uuid) x) AS moved,
             (SELECT (COALESCE((SELECT sum(amount_base) FROM tax_lot_transfers WHERE user_id = ${customerId}::uuid AND lot_id IS NULL), 0)
                    + COALESCE((SELECT sum(amount_base) FROM tax_disposals WHERE user_id = ${customerId}::uuid AND lot_id IS NULL), 0))::text) AS uncovered,
             (SELECT count(*)::int FROM tax_lots l
                LEFT JOIN (SELECT lot_id, sum(amount_base) AS amount, sum(basis_micro_usd) AS basis FROM (
                             SELECT lot_id, amount_base, basis_micro_usd FROM tax_lot_transfers
                             UNION ALL SELECT lot_id, amount_base, basis_micro_usd FROM tax_disposals) p GROUP BY lot_id) t ON t.lot_id = l.id
               WHERE l.user_id = ${customerId}::uuid
                 AND (COALESCE(t.amount, 0) <> l.amount_base - l.remaining_base
                      OR COALESCE(t.basis, 0) + div(l.remaining_base * l.basis_micro_usd, l.amount_base) <> l.basis_micro_usd)) AS bad_lots,
             (SELECT sum(remaining_base)::text FROM tax_lots WHERE user_id = ${customerId}::uuid) AS open,
             (SELECT count(*)::int FROM (
                SELECT d.contract_id FROM tax_disposals d JOIN contracts c ON c.id = d.contract_id
                 WHERE d.user_id = ${customerId}::uuid GROUP BY d.contract_id, c.total_price_micro_usd, c.paid_amount_base
                HAVING sum(d.proceeds_micro_usd) <> c.total_price_micro_usd OR sum(d.amount_base) <> c.paid_amount_base) y) AS proceeds_off`;
    // Everything sent or spent was taken once: all 40 lots, and 209,308 sats beyond them without a lot.
    expect(check).toEqual({ moved: "4209308", uncovered: "209308", bad_lots: 0, open: "0", proceeds_off: 0 });
  }, 60_000);
});
