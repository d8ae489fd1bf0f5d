// The wallet and review-queue read models on a real database: balances, limit left,
// risk hints (first withdrawal, new address, amount against the user's history).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser, deposit, ensureBtc } from "../testing/fixtures";
import { confirmWithdrawalLink } from "../testing/withdrawals";
import { amountVersusHistory, reviewQueue, walletOverview } from "./withdrawal-queries";
import { defaultChecks, requestWithdrawal, type WithdrawalChecks } from "./withdrawal-request";
import { markWithdrawalConfirmed, markWithdrawalSent } from "./withdrawal-transitions";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await ensureBtc(t.prisma);
});
afterAll(() => t.drop());

// 2FA is covered in withdrawals.test.ts; here the read models are under test.
const checks: WithdrawalChecks = { ...defaultChecks, verifyTotp: async () => ({ ok: true }) };

async function address(userId: string, text: string) {
  return (
    await t.prisma.withdrawalAddress.create({
      data: {
        userId,
        coin: "BTC",
        address: text,
        label: text.slice(0, 6),
        validatedAt: new Date(0),
        addressFormat: "test",
        usableAfter: new Date(0),
      },
    })
  ).id;
}

async function withdraw(userId: string, addressId: string, amount: string) {
  const outcome = await requestWithdrawal(t.prisma, {
    userId,
    idempotencyKey: randomUUID(),
    body: { coin: "BTC", addressId, amount, totpCode: "1" },
    checks,
  });
  if (!outcome.ok) throw new Error(outcome.message);
  // As the customer would: the emailed link confirms it (and approves it below the threshold).
  const confirmed = await confirmWithdrawalLink(t.prisma, outcome.withdrawal.id);
  if (!confirmed.ok) throw new Error(confirmed.message);
  return outcome.withdrawal.id;
}

describe("amountVersusHistory", () => {
  it("flags amounts above the largest or at twice the average, in exact tenths", () => {
    expect(amountVersusHistory(320n, { largestPriorBase: 100n, averagePriorBase: 50n })).toBe(
      "3.2× the largest earlier withdrawal of this coin",
    );
    expect(amountVersusHistory(100n, { largestPriorBase: 100n, averagePriorBase: 40n })).toBe(
      "2.5× the average earlier withdrawal of this coin",
    );
    expect(amountVersusHistory(60n, { largestPriorBase: 100n, averagePriorBase: 40n })).toBeNull();
    expect(amountVersusHistory(60n, { largestPriorBase: null, averagePriorBase: null })).toBeNull();
  });
});

describe("read models", () => {
  it("wallet: balances, limit left and history; queue: hints from the user's sent withdrawals", async () => {
    const user = await createUser(t.prisma);
    const admin = await createUser(t.prisma, ["ADMIN"]);
    await deposit(t.prisma, user.id, "BTC", 100_000_000n);
    const known = await address(user.id, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    const fresh = await address(user.id, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
    const first = await withdraw(user.id, known, "0.01");
    await markWithdrawalSent(t.prisma, { by: { adminId: admin.id }, withdrawalId: first, txid: "b".repeat(64) });
    await markWithdrawalConfirmed(t.prisma, { adminId: admin.id, withdrawalId: first });
    const big = await withdraw(user.id, fresh, "0.2");
    const again = await withdraw(user.id, known, "0.005");

    const wallet = await walletOverview(t.prisma, user.id);
    const btc = wallet.coins.find((c) => c.asset === "BTC")!;
    expect(btc).toMatchObject({
      availableBase: 78_500_000n,
      heldBase: 20_500_000n,
      feeBase: 10_000n,
      minimumBase: 50_000n,
    });
    expect(btc.limitLeftBase).toBe(200_000_000n - 21_500_000n);
    expect(wallet.withdrawals.map((w) => w.id)).toEqual([again, big, first]);
    expect(wallet.totpEnabled).toBe(false);

    const queue = await reviewQueue(t.prisma);
    const bigItem = queue.review.find((i) => i.id === big)!;
    expect(bigItem.hints).toMatchObject({
      firstWithdrawal: false,
      newAddress: true,
      priorSentCount: 1,
      largestPriorBase: 1_000_000n,
      averagePriorBase: 1_000_000n,
    });
    expect(amountVersusHistory(bigItem.amountBase, bigItem.hints)).toBe(
      "20.0× the largest earlier withdrawal of this coin",
    );
    expect(bigItem.history.map((h) => h.id)).toEqual([again, first]);
    const againItem = queue.toSend.find((i) => i.id === again)!;
    expect(againItem.hints).toMatchObject({ firstWithdrawal: false, newAddress: false });
    const firstItem = queue.recent.find((i) => i.id === first)!;
    expect(firstItem.hints).toMatchObject({ firstWithdrawal: true, newAddress: true, largestPriorBase: null });
    expect(firstItem.txid).toBe("b".repeat(64));
  });
});
