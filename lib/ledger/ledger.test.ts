// The ledger's guarantees are enforced by the database; these tests go through the real
// triggers and constraints on PostgreSQL (or the embedded PGlite).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../generated/prisma/client";
import type { Asset } from "../generated/prisma/enums";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import {
  accountId,
  assertBalanced,
  balanceOf,
  InsufficientFundsError,
  postJournal,
  UnbalancedJournalError,
  type AccountRef,
} from "./ledger";

let t: TestDatabase;
let userId: string;
const clearing: AccountRef = { type: "MINING_CLEARING", asset: "BTC", userId: null };
let available: AccountRef;

beforeAll(async () => {
  t = await createTestDatabase();
  const user = await t.prisma.user.create({ data: { email: "ledger@test", name: "L", passwordHash: "x" } });
  userId = user.id;
  available = { type: "USER_AVAILABLE", asset: "BTC", userId };
});
afterAll(() => t.drop());

const credit = (amount: bigint, ref: string) => ({
  kind: "PAYOUT" as const,
  description: "test payout",
  referenceType: "test",
  referenceId: ref,
  postings: [
    { account: clearing, amount: -amount },
    { account: available, amount },
  ],
});

/** An ADJUSTMENT journal and its postings written straight to the tables, around the ledger code. */
function rawJournal(referenceId: string, postings: { account: AccountRef; asset: Asset; amount: number }[]) {
  return t.prisma.$transaction(async (tx) => {
    const journal = await tx.journalTransaction.create({
      data: { kind: "ADJUSTMENT", description: "bad", referenceType: "test", referenceId },
    });
    const data = [];
    for (const p of postings) {
      const account = await accountId(tx, p.account);
      data.push({ journalId: journal.id, accountId: account, asset: p.asset, amount: new Prisma.Decimal(p.amount) });
    }
    await tx.posting.createMany({ data });
  });
}

describe("assertBalanced (pure)", () => {
  it("accepts a zero-sum journal per asset and refuses anything else", () => {
    expect(() => assertBalanced(credit(5n, "x").postings)).not.toThrow();
    expect(() =>
      assertBalanced([
        { account: clearing, amount: -5n },
        { account: available, amount: 4n },
      ]),
    ).toThrow(UnbalancedJournalError);
    expect(() =>
      assertBalanced([
        { account: clearing, amount: 0n },
        { account: available, amount: 0n },
      ]),
    ).toThrow(/zero/);
    expect(() =>
      assertBalanced([
        { account: clearing, amount: -5n },
        { account: { ...available, asset: "LTC" }, amount: 5n },
      ]),
    ).toThrow(/BTC/);
  });
});

describe("ledger in the database", () => {
  it("posts a journal and moves the cached balances with the postings", async () => {
    await t.prisma.$transaction((tx) => postJournal(tx, credit(123_456_789n, "p1")));
    expect(await balanceOf(t.prisma, available)).toBe(123_456_789n);
    expect(await balanceOf(t.prisma, clearing)).toBe(-123_456_789n);
    const sums = await t.prisma.posting.groupBy({ by: ["accountId"], _sum: { amount: true } });
    for (const row of sums) {
      const account = await t.prisma.ledgerAccount.findUniqueOrThrow({ where: { id: row.accountId } });
      expect(account.balance.toFixed(0)).toBe(row._sum.amount?.toFixed(0));
    }
  });

  it("handles 18-decimal amounts beyond bigint range exactly", async () => {
    const etc: AccountRef = { type: "USER_AVAILABLE", asset: "ETC", userId };
    const big = 12_345_678_901_234_567_890_123n; // > 9.22e18
    await t.prisma.$transaction((tx) =>
      postJournal(tx, {
        kind: "PAYOUT",
        description: "large ETC",
        referenceType: "test",
        referenceId: "etc-big",
        postings: [
          { account: { type: "MINING_CLEARING", asset: "ETC", userId: null }, amount: -big },
          { account: etc, amount: big },
        ],
      }),
    );
    expect(await balanceOf(t.prisma, etc)).toBe(big);
  });

  it("the database refuses an unbalanced journal even when written around the ledger code", async () => {
    const before = await t.prisma.posting.count();
    await expect(
      rawJournal("raw-unbalanced", [
        { account: clearing, asset: "BTC", amount: -10 },
        { account: available, asset: "BTC", amount: 9 },
      ]),
    ).rejects.toThrow(/does not balance/);
    expect(await t.prisma.posting.count()).toBe(before);
    expect(await t.prisma.journalTransaction.count({ where: { referenceId: "raw-unbalanced" } })).toBe(0);
  });

  it("refuses a posting whose asset differs from its account's", async () => {
    await expect(
      rawJournal("asset-mismatch", [
        { account: clearing, asset: "LTC", amount: -10 },
        { account: { ...clearing, asset: "LTC" }, asset: "LTC", amount: 10 },
      ]),
    ).rejects.toThrow(/asset differs/);
  });

  it("never lets a user's available balance go below zero; nothing is written", async () => {
    const balance = await balanceOf(t.prisma, available);
    const journals = await t.prisma.journalTransaction.count();
    await expect(
      t.prisma.$transaction((tx) =>
        postJournal(tx, {
          kind: "WITHDRAWAL_REQUEST",
          description: "too much",
          referenceType: "test",
          referenceId: "overdraw",
          postings: [
            { account: available, amount: -(balance + 1n) },
            { account: { type: "USER_HELD", asset: "BTC", userId }, amount: balance + 1n },
          ],
        }),
      ),
    ).rejects.toThrow(InsufficientFundsError);
    expect(await balanceOf(t.prisma, available)).toBe(balance);
    expect(await t.prisma.journalTransaction.count()).toBe(journals);
  });

  it("concurrent debits never overdraw: exactly the covered number succeed", async () => {
    const user = await t.prisma.user.create({ data: { email: "race@test", name: "R", passwordHash: "x" } });
    const mine: AccountRef = { type: "USER_AVAILABLE", asset: "BTC", userId: user.id };
    const held: AccountRef = { type: "USER_HELD", asset: "BTC", userId: user.id };
    await t.prisma.$transaction((tx) =>
      postJournal(tx, {
        ...credit(1000n, "race-funding"),
        postings: [
          { account: clearing, amount: -1000n },
          { account: mine, amount: 1000n },
        ],
      }),
    );
    const attempts = Array.from({ length: 30 }, (_, i) =>
      t.prisma.$transaction((tx) =>
        postJournal(tx, {
          kind: "WITHDRAWAL_REQUEST",
          description: "hold",
          referenceType: "test",
          referenceId: `race-${i}`,
          postings: [
            { account: mine, amount: -100n },
            { account: held, amount: 100n },
          ],
        }),
      ),
    );
    const results = await Promise.allSettled(attempts);
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter((r) => r.status === "rejected" && r.reason instanceof InsufficientFundsError).length;
    expect(ok).toBe(10);
    expect(refused).toBe(20);
    expect(await balanceOf(t.prisma, mine)).toBe(0n);
    expect(await balanceOf(t.prisma, held)).toBe(1000n);
  });

  it("journals and postings are append-only; balances change only through postings", async () => {
    await expect(t.prisma.posting.updateMany({ data: { amount: new Prisma.Decimal(1) } })).rejects.toThrow(
      /append-only/,
    );
    await expect(t.prisma.posting.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(t.prisma.journalTransaction.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(
      t.prisma.ledgerAccount.updateMany({
        where: { userId },
        data: { balance: new Prisma.Decimal((10n ** 12n).toString()) },
      }),
    ).rejects.toThrow(/only through postings/);
  });

  it("platform accounts exist once per type and asset, even when created concurrently", async () => {
    const ref: AccountRef = { type: "ROUNDING", asset: "XMR", userId: null };
    const ids = await Promise.all(Array.from({ length: 8 }, () => t.prisma.$transaction((tx) => accountId(tx, ref))));
    expect(new Set(ids).size).toBe(1);
    expect(await t.prisma.ledgerAccount.count({ where: { type: "ROUNDING", asset: "XMR" } })).toBe(1);
  });
});
