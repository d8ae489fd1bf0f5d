// The postings trigger (migration 20261125040000_payout_run_speed) checks a statement's postings
// set-based on its transition table: per journal and asset they must sum to zero, each must
// carry its account's asset, and the cached balances move by the statement's sums. These
// cases are the ones a set-based check could get wrong: many journals in one statement (the
// payout run's shape), a journal extended by a later statement, and one account receiving
// postings of two assets whose per-asset sums still balance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { unbalancedJournals } from "../testing/fixtures";
import { accountId, type AccountRef } from "./ledger";

let t: TestDatabase;
const clearing: AccountRef = { type: "MINING_CLEARING", asset: "BTC", userId: null };
const ltcClearing: AccountRef = { type: "MINING_CLEARING", asset: "LTC", userId: null };
const users: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  for (let i = 0; i < 3; i++) {
    users.push(
      (await t.prisma.user.create({ data: { email: `trigger-${i}@test`, name: `T${i}`, passwordHash: "x" } })).id,
    );
  }
});
afterAll(() => t.drop());

const available = (i: number, asset: "BTC" | "LTC" = "BTC"): AccountRef => ({
  type: "USER_AVAILABLE",
  asset,
  userId: users[i]!,
});

async function journal(tx: Tx, ref: string): Promise<string> {
  const created = await tx.journalTransaction.create({
    data: { kind: "ADJUSTMENT", description: "trigger test", referenceType: "trigger-test", referenceId: ref },
    select: { id: true },
  });
  return created.id;
}

/** Inserts postings [journal, account, asset, amount] in ONE statement, as the payout run does. */
async function postAll(tx: Tx, rows: [string, AccountRef, "BTC" | "LTC", bigint][]): Promise<void> {
  const ids: string[] = [];
  for (const [, account] of rows) ids.push(await accountId(tx, account));
  await tx.$executeRaw`
    INSERT INTO postings (journal_id, account_id, asset, amount)
    SELECT j, a, s::asset, m::numeric
      FROM unnest(${rows.map((r) => r[0])}::uuid[], ${ids}::uuid[], ${rows.map((r) => r[2])}::text[], ${rows.map((r) => r[3].toString())}::text[]) AS x(j, a, s, m)`;
}

async function balances(): Promise<Map<string, bigint>> {
  const rows = await t.prisma.$queryRaw<{ id: string; balance: string; total: string }[]>`
    SELECT a.id, a.balance::text AS balance, COALESCE(sum(p.amount), 0)::text AS total
      FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id GROUP BY a.id`;
  for (const r of rows) expect(r.balance, `cached balance of ${r.id}`).toBe(r.total);
  return new Map(rows.map((r) => [r.id, BigInt(r.balance)]));
}

describe("postings trigger, set-based", () => {
  it("one statement with many journals moves every cached balance by its sum", async () => {
    await t.prisma.$transaction(async (tx) => {
      const rows: [string, AccountRef, "BTC", bigint][] = [];
      for (let j = 0; j < 30; j++) {
        const id = await journal(tx, `many-${j}`);
        const amount = BigInt(100 + j);
        rows.push(
          [id, clearing, "BTC", -amount],
          [id, available(j % 3), "BTC", amount - 1n],
          [id, available((j + 1) % 3), "BTC", 1n],
        );
      }
      await postAll(tx, rows);
    });
    const cached = await balances();
    const clearingId = await t.prisma.$transaction((tx) => accountId(tx, clearing));
    // sum of 100..129 = 3435
    expect(cached.get(clearingId)).toBe(-3435n);
    expect(await unbalancedJournals(t.prisma)).toEqual([]);
  });

  it("refuses the whole statement when one of its journals does not balance", async () => {
    const before = await t.prisma.posting.count();
    await expect(
      t.prisma.$transaction(async (tx) => {
        const good = await journal(tx, "mixed-good");
        const bad = await journal(tx, "mixed-bad");
        await postAll(tx, [
          [good, clearing, "BTC", -10n],
          [good, available(0), "BTC", 10n],
          [bad, clearing, "BTC", -10n],
          [bad, available(1), "BTC", 9n],
        ]);
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await t.prisma.posting.count()).toBe(before);
    await balances();
  });

  it("a later statement may extend a journal only with postings that balance by themselves", async () => {
    const id = await t.prisma.$transaction(async (tx) => {
      const j = await journal(tx, "extended");
      await postAll(tx, [
        [j, clearing, "BTC", -50n],
        [j, available(2), "BTC", 50n],
      ]);
      await postAll(tx, [
        [j, clearing, "BTC", -5n],
        [j, available(0), "BTC", 5n],
      ]);
      return j;
    });
    await expect(
      t.prisma.$transaction((tx) =>
        postAll(tx, [
          [id, clearing, "BTC", -7n],
          [id, available(0), "BTC", 6n],
        ]),
      ),
    ).rejects.toThrow(/does not balance/);
    expect(await t.prisma.posting.count({ where: { journalId: id } })).toBe(4);
    expect(await unbalancedJournals(t.prisma)).toEqual([]);
    await balances();
  });

  it("refuses an account receiving a posting of another asset, even when every asset's sum balances", async () => {
    const before = await t.prisma.posting.count();
    // BTC: -10 on BTC clearing, +10 on the user's BTC account; LTC: -3 on LTC clearing and +3
    // wrongly on the same BTC account. Per journal and asset all sums are zero.
    await expect(
      t.prisma.$transaction(async (tx) => {
        const j = await journal(tx, "two-assets");
        await postAll(tx, [
          [j, clearing, "BTC", -10n],
          [j, available(1), "BTC", 10n],
          [j, ltcClearing, "LTC", -3n],
          [j, available(1), "LTC", 3n],
        ]);
      }),
    ).rejects.toThrow(/asset differs/);
    expect(await t.prisma.posting.count()).toBe(before);
    await balances();
  });

  it("still refuses a user balance below zero", async () => {
    await expect(
      t.prisma.$transaction(async (tx) => {
        const j = await journal(tx, "overdraw");
        await postAll(tx, [
          [j, available(0, "LTC"), "LTC", -1n],
          [j, ltcClearing, "LTC", 1n],
        ]);
      }),
    ).rejects.toThrow(/ledger_accounts_user_nonnegative/);
    await balances();
  });
});
