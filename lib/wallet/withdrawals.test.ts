// Withdrawals on a real database: every transition (legal and refused), the request checks
// (2FA with real TOTP codes, address book, minimum, balance, rolling daily limit, frozen
// account), idempotency, and races: 50 simultaneous requests against a balance for exactly
// 10, one key from many connections, and cancel / approve / reject / send racing each other.
// Each request here is confirmed through its emailed link right after (as the customer would),
// unless a test says otherwise; the link itself, expiry, notices and the admins' notice are
// tested in withdrawal-confirmation.test.ts.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freezeAccount, unfreezeAccount } from "../admin/accounts";
import { refusalStatus } from "../api/error-codes";
import { generateTotpSecret, totpCodeFor } from "../auth/totp";
import { balanceOf } from "../ledger/ledger";
import { keyB64 } from "../secrets/test-helpers";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser, deposit, driftedAccounts, ensureBtc, unbalancedJournals } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { enrollTotp } from "../testing/totp";
import {
  anyTotpCode,
  btcBalances,
  confirmWithdrawalLink,
  withdrawalAuditActions,
  withdrawalJournalKinds,
} from "../testing/withdrawals";
import { manualProcessor, processApprovedWithdrawals, type WithdrawalProcessor } from "./withdrawal-processor";
import {
  minimumAmountBase,
  parseCoinAmount,
  requestWithdrawal,
  type RequestOutcome,
  type WithdrawalChecks,
} from "./withdrawal-request";
import {
  approveWithdrawal,
  cancelWithdrawal,
  markWithdrawalConfirmed,
  markWithdrawalSent,
  rejectWithdrawal,
} from "./withdrawal-transitions";

// BTC as ensureBtc sets it: minimum 0.0005, fee 0.0001, review from 0.1, 2 BTC per 24 h.
const MIN = 50_000n;
const FEE = 10_000n;
const TXID = "a".repeat(64);
const keys = `k1:${keyB64()}`;

let t: TestDatabase;
let admin: { id: string };
let admin2: { id: string };
// Each request moves the clock one TOTP step on, so every code is fresh (a code is accepted once).
let clock = Date.now();
function tick(ms = 30_000): Date {
  clock += ms;
  return new Date(clock);
}

withTestSecrets(keys);
beforeAll(async () => {
  t = await createTestDatabase({ poolMax: 30 });
  await ensureBtc(t.prisma);
  admin = await createUser(t.prisma, ["ADMIN"]);
  admin2 = await createUser(t.prisma, ["ADMIN"]);
});
afterAll(async () => {
  await t.drop();
});

interface Customer {
  id: string;
  secret: string;
  addressId: string;
}

/** A customer with 2FA on, a BTC address whose 48 h lock is over, and `balance` BTC base units. */
async function customer(balance: bigint, options: { totp?: boolean } = {}): Promise<Customer> {
  const user = await createUser(t.prisma);
  const secret =
    options.totp === false
      ? generateTotpSecret()
      : await enrollTotp(t.prisma, user.id, keys, { enabledAt: new Date(0) });
  const address = await addAddress(user.id, { usableAfter: new Date(0) });
  if (balance > 0n) await deposit(t.prisma, user.id, "BTC", balance);
  return { id: user.id, secret, addressId: address };
}

async function addAddress(
  userId: string,
  data: { usableAfter: Date; coin?: "BTC" | "LTC"; deletedAt?: Date; address?: string },
): Promise<string> {
  const row = await t.prisma.withdrawalAddress.create({
    data: {
      userId,
      coin: data.coin ?? "BTC",
      address:
        data.address ??
        (data.coin === "LTC"
          ? "ltc1qg42tkwuuxefutzxezdkdel39gfstuap288mfea"
          : "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
      label: "Cold wallet",
      validatedAt: new Date(0),
      addressFormat: "P2WPKH (bech32)",
      usableAfter: data.usableAfter,
      deletedAt: data.deletedAt ?? null,
    },
  });
  return row.id;
}

function btc(amountBase: bigint): string {
  const whole = amountBase / 100_000_000n;
  const fraction = (amountBase % 100_000_000n).toString().padStart(8, "0");
  return `${whole}.${fraction}`;
}

/**
 * Requests a withdrawal and, unless `confirm: false`, uses its emailed link at once (a new
 * withdrawal only: a replay answers the stored request): the outcome carries the confirmed state.
 */
async function request(
  c: Customer,
  amountBase: bigint,
  options: {
    key?: string;
    code?: string;
    now?: Date;
    addressId?: string;
    checks?: WithdrawalChecks;
    confirm?: boolean;
  } = {},
): Promise<RequestOutcome> {
  const now = options.now ?? tick();
  const outcome = await requestWithdrawal(t.prisma, {
    userId: c.id,
    idempotencyKey: options.key ?? randomUUID(),
    body: {
      coin: "BTC",
      addressId: options.addressId ?? c.addressId,
      amount: btc(amountBase),
      totpCode: options.code ?? totpCodeFor(c.secret, now),
    },
    now,
    checks: options.checks,
  });
  if (!outcome.ok || outcome.replayed || options.confirm === false) return outcome;
  expect(outcome.withdrawal).toMatchObject({ status: "REQUESTED", awaitingEmailConfirmation: true });
  const confirmed = await confirmWithdrawalLink(t.prisma, outcome.withdrawal.id, { now });
  if (!confirmed.ok) throw new Error(`the link did not confirm: ${confirmed.code}: ${confirmed.message}`);
  return { ...outcome, withdrawal: confirmed.withdrawal };
}

function ok(outcome: RequestOutcome) {
  if (!outcome.ok) throw new Error(`expected a withdrawal, got ${outcome.code}: ${outcome.message}`);
  return outcome.withdrawal;
}

const balances = (userId: string) => btcBalances(t.prisma, userId);
const auditActions = (withdrawalId: string) => withdrawalAuditActions(t.prisma, withdrawalId);
const journals = (withdrawalId: string) => withdrawalJournalKinds(t.prisma, withdrawalId);

async function platform(type: "WITHDRAWALS_IN_FLIGHT" | "MINING_CLEARING" | "PLATFORM_FEES") {
  return balanceOf(t.prisma, { type, asset: "BTC", userId: null });
}

describe("amounts", () => {
  it("parses whole-coin text exactly and names what is wrong", () => {
    expect(parseCoinAmount("0.00050001", 8)).toEqual({ ok: true, value: 50_001n });
    expect(parseCoinAmount("12", 8)).toEqual({ ok: true, value: 1_200_000_000n });
    expect(parseCoinAmount("0.000000001", 8)).toMatchObject({ ok: false, message: "Use at most 8 decimals." });
    expect(parseCoinAmount("-1", 8)).toMatchObject({ ok: false });
    expect(parseCoinAmount("1e3", 8)).toMatchObject({ ok: false });
    expect(parseCoinAmount("0", 8)).toMatchObject({ ok: false, message: "Enter an amount above zero." });
    expect(minimumAmountBase({ minBase: 50_000n, feeBase: 10_000n })).toBe(50_000n);
    expect(minimumAmountBase({ minBase: 5_000n, feeBase: 10_000n })).toBe(10_001n);
  });
});

describe("request", () => {
  it("holds the amount, shows fee and net, auto-approves below the review threshold", async () => {
    const c = await customer(5_000_000n);
    const clearingBefore = await platform("MINING_CLEARING");
    const w = ok(await request(c, 1_000_000n));
    expect(w).toMatchObject({
      status: "APPROVED",
      reviewRequired: false,
      amountBase: "1000000",
      networkFeeBase: "10000",
      netBase: "990000",
    });
    expect(await balances(c.id)).toEqual({ available: 4_000_000n, held: 1_000_000n });
    expect(await platform("MINING_CLEARING")).toBe(clearingBefore);
    expect(await journals(w.id)).toEqual(["WITHDRAWAL_REQUEST"]);
    expect(await auditActions(w.id)).toEqual([
      "withdrawal.requested",
      "withdrawal.email_confirmed",
      "withdrawal.approved",
    ]);
    const row = await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
    expect(row.approvedAt).not.toBeNull();
    expect(row.address).toBe("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
  });

  it("waits for an admin at or above the review threshold", async () => {
    const c = await customer(20_000_000n);
    const w = ok(await request(c, 10_000_000n));
    expect(w).toMatchObject({ status: "REQUESTED", reviewRequired: true, awaitingEmailConfirmation: false });
    expect(await balances(c.id)).toEqual({ available: 10_000_000n, held: 10_000_000n });
    expect(await auditActions(w.id)).toEqual(["withdrawal.requested", "withdrawal.email_confirmed"]);
  });

  it("needs a TOTP code: missing, wrong, reused or without 2FA is refused and holds nothing", async () => {
    const c = await customer(5_000_000n);
    const now = tick();
    const missing = await request(c, 1_000_000n, { code: "", now });
    expect(missing).toMatchObject({
      ok: false,
      code: "INVALID_REQUEST",
      fieldErrors: { totpCode: expect.any(String) },
    });

    // A wrong code counts as a failed attempt (committed), and the same key with the right
    // code then runs: the refusal is not replayed.
    const key = randomUUID();
    const wrong = await request(c, 1_000_000n, {
      key,
      code: totpCodeFor(c.secret, new Date(now.getTime() - 10 * 60_000)),
      now,
    });
    expect(wrong).toMatchObject({ ok: false, code: "TOTP_INVALID", fieldErrors: { totpCode: expect.any(String) } });
    expect(refusalStatus("TOTP_INVALID")).toBe(422);
    expect(wrong.ok || wrong.message).toMatch(/not right/);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } })).totpFailedCount).toBe(1);
    expect(await balances(c.id)).toEqual({ available: 5_000_000n, held: 0n });
    expect(await t.prisma.withdrawal.count({ where: { userId: c.id } })).toBe(0);

    const right = ok(await request(c, 1_000_000n, { key, now }));
    expect(right.status).toBe("APPROVED");
    // The same code again, for a new withdrawal: refused (a code is accepted once).
    const replayedCode = await request(c, 1_000_000n, { code: totpCodeFor(c.secret, now), now });
    expect(replayedCode).toMatchObject({ ok: false, code: "TOTP_REPLAYED" });
    expect(await balances(c.id)).toEqual({ available: 4_000_000n, held: 1_000_000n });

    const no2fa = await customer(5_000_000n, { totp: false });
    const refused = await request(no2fa, 1_000_000n, { code: "123456" });
    expect(refused).toMatchObject({
      ok: false,
      code: "TOTP_NOT_ENABLED",
      message: "Turn on two-factor authentication before withdrawing.",
    });
    expect(refusalStatus("TOTP_NOT_ENABLED")).toBe(403);
  });

  it("five wrong codes lock 2FA, and a locked factor refuses even the right code", async () => {
    const c = await customer(5_000_000n);
    for (let i = 0; i < 5; i++) {
      const now = tick();
      const r = await request(c, 1_000_000n, { code: totpCodeFor(c.secret, new Date(now.getTime() - 3_600_000)), now });
      expect(r).toMatchObject({ ok: false, code: i < 4 ? "TOTP_INVALID" : "TOTP_LOCKED" });
    }
    const locked = await request(c, 1_000_000n);
    expect(locked).toMatchObject({ ok: false, code: "TOTP_LOCKED" });
    expect(refusalStatus("TOTP_LOCKED")).toBe(423);
    expect(await t.prisma.withdrawal.count({ where: { userId: c.id } })).toBe(0);
  });

  it("refuses amounts below the coin's minimum, with too many decimals, or above the available balance", async () => {
    const c = await customer(1_000_000n);
    expect(await request(c, MIN - 1n)).toMatchObject({
      ok: false,
      code: "BELOW_MINIMUM",
      fieldErrors: { amount: "The minimum BTC withdrawal is 0.0005 BTC." },
      message: "The minimum BTC withdrawal is 0.0005 BTC.",
    });
    const decimals = await requestWithdrawal(t.prisma, {
      userId: c.id,
      idempotencyKey: randomUUID(),
      body: { coin: "BTC", addressId: c.addressId, amount: "0.001000001", totpCode: "000000" },
    });
    expect(decimals).toMatchObject({
      ok: false,
      code: "INVALID_REQUEST",
      fieldErrors: { amount: "Use at most 8 decimals." },
      message: "Use at most 8 decimals.",
    });
    const tooMuch = await request(c, 1_000_001n);
    expect(tooMuch).toMatchObject({
      ok: false,
      code: "INSUFFICIENT_FUNDS",
      fieldErrors: { amount: expect.any(String) },
    });
    expect(refusalStatus("INSUFFICIENT_FUNDS")).toBe(409);
    expect(tooMuch.ok || tooMuch.message).toContain("0.01 BTC");
    // Exactly the minimum and exactly the whole balance are fine.
    ok(await request(c, MIN));
    ok(await request(c, 1_000_000n - MIN));
    expect(await balances(c.id)).toEqual({ available: 0n, held: 1_000_000n });
  });

  it("only takes an address from the user's own book, for the coin, not deleted, after its 48 h lock", async () => {
    const c = await customer(5_000_000n);
    const other = await customer(0n);
    expect(await request(c, 1_000_000n, { addressId: other.addressId })).toMatchObject({
      ok: false,
      code: "ADDRESS_UNUSABLE",
      fieldErrors: { addressId: expect.any(String) },
    });
    const locked = await addAddress(c.id, {
      usableAfter: new Date(clock + 48 * 3_600_000),
      address: "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    });
    const lockedRefusal = await request(c, 1_000_000n, { addressId: locked });
    expect(lockedRefusal).toMatchObject({ ok: false, code: "ADDRESS_UNUSABLE" });
    expect(lockedRefusal.ok || lockedRefusal.message).toMatch(/48 hours/);
    const deleted = await addAddress(c.id, {
      usableAfter: new Date(0),
      deletedAt: new Date(),
      address: "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    });
    expect(await request(c, 1_000_000n, { addressId: deleted })).toMatchObject({ ok: false, code: "ADDRESS_UNUSABLE" });
    const ltc = await addAddress(c.id, { usableAfter: new Date(0), coin: "LTC" });
    expect(await request(c, 1_000_000n, { addressId: ltc })).toMatchObject({ ok: false, code: "ADDRESS_UNUSABLE" });
    expect(await request(c, 1_000_000n, { addressId: randomUUID() })).toMatchObject({
      ok: false,
      code: "ADDRESS_UNUSABLE",
    });
    expect(await balances(c.id)).toEqual({ available: 5_000_000n, held: 0n });
  });

  it("enforces the daily limit per coin over a rolling 24 hours; cancelled withdrawals do not count", async () => {
    const c = await customer(500_000_000n);
    const first = ok(await request(c, 150_000_000n));
    const second = await request(c, 60_000_000n);
    expect(second).toMatchObject({
      ok: false,
      code: "DAILY_LIMIT_EXCEEDED",
      fieldErrors: { amount: expect.any(String) },
    });
    expect(refusalStatus("DAILY_LIMIT_EXCEEDED")).toBe(409);
    expect(second.ok || second.message).toContain("0.5 BTC left now");
    // One still waiting for its email confirmation counts: its funds are held all the same.
    ok(await request(c, 50_000_000n, { confirm: false })); // exactly up to the limit
    expect(await request(c, MIN)).toMatchObject({ ok: false, code: "DAILY_LIMIT_EXCEEDED" });
    // Cancelling the first frees its share of the limit.
    expect(await cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: first.id })).toMatchObject({ ok: true });
    ok(await request(c, 100_000_000n));
    expect(await request(c, 60_000_000n)).toMatchObject({ ok: false, code: "DAILY_LIMIT_EXCEEDED" });
    // 24 hours after the earlier ones, the window has moved on.
    ok(await request(c, 60_000_000n, { now: tick(24 * 3_600_000) }));
  });

  it("a frozen account cannot request", async () => {
    const c = await customer(5_000_000n);
    // Freezing itself (reason, own account, audit lines) is tested in lib/admin/accounts.test.ts.
    expect(
      await freezeAccount(t.prisma, { adminId: admin.id, userId: c.id, reason: "Chargeback under investigation" }),
    ).toEqual({ ok: true });
    const refused = await request(c, 1_000_000n);
    expect(refused).toMatchObject({ ok: false, code: "ACCOUNT_FROZEN" });
    expect(refusalStatus("ACCOUNT_FROZEN")).toBe(403);
    expect(await balances(c.id)).toEqual({ available: 5_000_000n, held: 0n });
    expect(await unfreezeAccount(t.prisma, { adminId: admin.id, userId: c.id })).toEqual({ ok: true });
    ok(await request(c, 1_000_000n));
  });

  it("an account whose email is not verified cannot request, and can once it is", async () => {
    const c = await customer(5_000_000n);
    await t.prisma.user.update({ where: { id: c.id }, data: { emailVerifiedAt: null } });
    const refused = await request(c, 1_000_000n);
    expect(refused).toMatchObject({ ok: false, code: "EMAIL_UNVERIFIED" });
    expect(refused.ok ? "" : refused.message).toMatch(/^Verify your email address before you withdraw/);
    expect(refusalStatus("EMAIL_UNVERIFIED")).toBe(403);
    expect(await balances(c.id)).toEqual({ available: 5_000_000n, held: 0n });
    expect(await t.prisma.withdrawal.count({ where: { userId: c.id } })).toBe(0);
    await t.prisma.user.update({ where: { id: c.id }, data: { emailVerifiedAt: new Date() } });
    ok(await request(c, 1_000_000n));
  });

  it("an admin cannot approve a frozen account's withdrawal, and the processor skips it", async () => {
    const c = await customer(50_000_000n);
    const review = ok(await request(c, 20_000_000n));
    const auto = ok(await request(c, 1_000_000n));
    await freezeAccount(t.prisma, { adminId: admin.id, userId: c.id, reason: "Suspicious login" });
    expect(await approveWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: review.id })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    await processApprovedWithdrawals(t.prisma, manualProcessor);
    expect((await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: auto.id } })).submittedAt).toBeNull();
    expect(
      await rejectWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: review.id, reason: "Account frozen" }),
    ).toMatchObject({ ok: true });
    await unfreezeAccount(t.prisma, { adminId: admin.id, userId: c.id });
  });
});

describe("idempotency", () => {
  it("requires a key; the same key and request give one withdrawal, a different request is refused", async () => {
    const c = await customer(5_000_000n);
    const none = await requestWithdrawal(t.prisma, { userId: c.id, idempotencyKey: null, body: {} });
    expect(none).toMatchObject({ ok: false, code: "IDEMPOTENCY_KEY_REQUIRED" });
    expect(refusalStatus("IDEMPOTENCY_KEY_REQUIRED")).toBe(400);
    const key = randomUUID();
    const now = tick();
    const first = ok(await request(c, 1_000_000n, { key, now }));
    // A retry (same code, or a newer one): the first withdrawal again, nothing new held.
    const retry = await request(c, 1_000_000n, { key, now });
    expect(retry).toMatchObject({ ok: true, status: 200, replayed: true, withdrawal: { id: first.id } });
    const later = await request(c, 1_000_000n, { key });
    expect(later).toMatchObject({ ok: true, replayed: true, withdrawal: { id: first.id } });
    const different = await request(c, 2_000_000n, { key });
    expect(different).toMatchObject({ ok: false, code: "IDEMPOTENCY_KEY_REUSED" });
    expect(refusalStatus("IDEMPOTENCY_KEY_REUSED")).toBe(422);
    expect(await t.prisma.withdrawal.count({ where: { userId: c.id } })).toBe(1);
    expect(await balances(c.id)).toEqual({ available: 4_000_000n, held: 1_000_000n });
  });

  it("a key reused after its 24 h is refused with 409, not a second withdrawal or a server error", async () => {
    const c = await customer(5_000_000n);
    const key = randomUUID();
    const first = ok(await request(c, 1_000_000n, { key }));
    // Past the key's 24 h (and the daily limit window), first with the expired key row still
    // stored, then after housekeeping removed it.
    const later = tick(25 * 60 * 60 * 1000);
    const again = await request(c, 1_000_000n, { key, now: later });
    expect(again).toMatchObject({ ok: false, code: "IDEMPOTENCY_KEY_EXPIRED" });
    expect(refusalStatus("IDEMPOTENCY_KEY_EXPIRED")).toBe(409);
    await t.prisma.idempotencyKey.deleteMany({ where: { userId: c.id, expiresAt: { lte: later } } });
    const afterHousekeeping = await request(c, 1_000_000n, { key, now: tick() });
    expect(afterHousekeeping).toMatchObject({ ok: false, code: "IDEMPOTENCY_KEY_EXPIRED" });
    expect(refusalStatus("IDEMPOTENCY_KEY_EXPIRED")).toBe(409);
    expect(await t.prisma.withdrawal.findMany({ where: { userId: c.id }, select: { id: true } })).toEqual([
      { id: first.id },
    ]);
    expect(await balances(c.id)).toEqual({ available: 4_000_000n, held: 1_000_000n });
    // A fresh key works as usual.
    ok(await request(c, 1_000_000n, { now: tick() }));
  });

  it("one key raced from 10 connections (double submit, two tabs) makes one withdrawal", async () => {
    const c = await customer(5_000_000n);
    const key = randomUUID();
    const now = tick();
    const code = totpCodeFor(c.secret, now);
    const results = await Promise.all(Array.from({ length: 10 }, () => request(c, 1_000_000n, { key, code, now })));
    const ids = new Set(results.map((r) => ok(r).id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect(await t.prisma.withdrawal.count({ where: { userId: c.id } })).toBe(1);
    expect(await balances(c.id)).toEqual({ available: 4_000_000n, held: 1_000_000n });
  });
});

describe("50 simultaneous withdrawals against a balance for exactly 10", () => {
  it("exactly 10 succeed, 40 get insufficient funds, no balance goes negative", async () => {
    const c = await customer(10_000_000n);
    const now = tick();
    // All 50 arrive within one TOTP step; one code is accepted once, so the 2FA check is
    // passed through here (it is tested above) — this test is about the balance.
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(c, 1_000_000n, { now, code: "000000", checks: anyTotpCode, confirm: false }),
      ),
    );
    const ms = performance.now() - started;
    const succeeded = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(new Set(refused.map((r) => !r.ok && r.code))).toEqual(new Set(["INSUFFICIENT_FUNDS"]));
    expect(await balances(c.id)).toEqual({ available: 0n, held: 10_000_000n });
    expect(await t.prisma.withdrawal.count({ where: { userId: c.id } })).toBe(10);
    const negative = await t.prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM ledger_accounts WHERE type IN ('USER_AVAILABLE', 'USER_HELD') AND balance < 0`;
    expect(Number(negative[0]!.n)).toBe(0);
    console.log(`[withdrawals] 50 simultaneous requests, 10 funded: ${ms.toFixed(0)} ms`);
  });
});

describe("transitions", () => {
  it("requested -> approved -> sent -> confirmed moves held -> in flight -> out, every step journaled and audited", async () => {
    const c = await customer(30_000_000n);
    const w = ok(await request(c, 12_000_000n));
    expect(w.status).toBe("REQUESTED");
    const inFlight0 = await platform("WITHDRAWALS_IN_FLIGHT");
    const clearing0 = await platform("MINING_CLEARING");
    const fees0 = await platform("PLATFORM_FEES");

    expect(await approveWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: w.id })).toMatchObject({
      ok: true,
      withdrawal: { status: "APPROVED" },
    });
    expect(await balances(c.id)).toEqual({ available: 18_000_000n, held: 12_000_000n });

    expect(await processApprovedWithdrawals(t.prisma, manualProcessor)).toBeGreaterThanOrEqual(1);
    const submitted = await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
    expect(submitted).toMatchObject({ status: "APPROVED", processor: "manual" });
    expect(submitted.submittedAt).not.toBeNull();

    const sent = await markWithdrawalSent(t.prisma, {
      by: { adminId: admin.id },
      withdrawalId: w.id,
      txid: ` ${"AB".repeat(32)} `,
    });
    expect(sent).toMatchObject({ ok: true, withdrawal: { status: "SENT", txid: "ab".repeat(32) } });
    expect(await balances(c.id)).toEqual({ available: 18_000_000n, held: 0n });
    expect((await platform("WITHDRAWALS_IN_FLIGHT")) - inFlight0).toBe(12_000_000n);

    expect(await markWithdrawalConfirmed(t.prisma, { adminId: admin.id, withdrawalId: w.id })).toMatchObject({
      ok: true,
      withdrawal: { status: "CONFIRMED" },
    });
    expect(await platform("WITHDRAWALS_IN_FLIGHT")).toBe(inFlight0);
    expect((await platform("MINING_CLEARING")) - clearing0).toBe(12_000_000n - FEE);
    expect((await platform("PLATFORM_FEES")) - fees0).toBe(FEE);
    expect(await journals(w.id)).toEqual(["WITHDRAWAL_CONFIRM", "WITHDRAWAL_REQUEST", "WITHDRAWAL_SEND"]);
    expect(await auditActions(w.id)).toEqual([
      "withdrawal.requested",
      "withdrawal.email_confirmed",
      "withdrawal.approved",
      "withdrawal.submitted",
      "withdrawal.sent",
      "withdrawal.confirmed",
    ]);
    const row = await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
    expect(row.reviewedById).toBe(admin.id);
    expect(row.sentAt).not.toBeNull();
    expect(row.confirmedAt).not.toBeNull();
  });

  it("cancel by the owner and reject with a reason release the hold once", async () => {
    const c = await customer(40_000_000n);
    const a = ok(await request(c, 15_000_000n));
    const b = ok(await request(c, 15_000_000n));
    expect(await cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: a.id })).toMatchObject({
      ok: true,
      withdrawal: { status: "CANCELLED" },
    });
    expect(await rejectWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: b.id, reason: "  " })).toMatchObject({
      ok: false,
      code: "INVALID",
      field: "reason",
    });
    expect(
      await rejectWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: b.id, reason: "Address linked to a mixer" }),
    ).toMatchObject({
      ok: true,
      withdrawal: { status: "REJECTED", reviewReason: "Address linked to a mixer" },
    });
    expect(await balances(c.id)).toEqual({ available: 40_000_000n, held: 0n });
    expect(await journals(a.id)).toEqual(["WITHDRAWAL_RELEASE", "WITHDRAWAL_REQUEST"]);
    expect(await auditActions(b.id)).toEqual([
      "withdrawal.requested",
      "withdrawal.email_confirmed",
      "withdrawal.rejected",
    ]);
    // An approved, not yet sent withdrawal can still be rejected by an admin.
    const auto = ok(await request(c, 1_000_000n));
    expect(
      await rejectWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: auto.id, reason: "Customer asked by phone" }),
    ).toMatchObject({ ok: true });
    expect(await balances(c.id)).toEqual({ available: 40_000_000n, held: 0n });
  });

  it("refuses every transition outside the flow with a clear message", async () => {
    const c = await customer(40_000_000n);
    const other = await customer(0n);
    const approved = ok(await request(c, 1_000_000n));
    const requested = ok(await request(c, 15_000_000n));

    expect(await cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: approved.id })).toEqual({
      ok: false,
      code: "ILLEGAL_TRANSITION",
      message: "This withdrawal is approved and waiting to be sent: it cannot be cancelled.",
    });
    expect(await cancelWithdrawal(t.prisma, { userId: other.id, withdrawalId: requested.id })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: "not-a-uuid" })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await approveWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: approved.id })).toMatchObject({
      ok: false,
      code: "ILLEGAL_TRANSITION",
    });
    expect(
      await markWithdrawalSent(t.prisma, { by: { adminId: admin.id }, withdrawalId: requested.id, txid: TXID }),
    ).toMatchObject({ ok: false, code: "ILLEGAL_TRANSITION" });
    expect(await markWithdrawalConfirmed(t.prisma, { adminId: admin.id, withdrawalId: approved.id })).toMatchObject({
      ok: false,
      code: "ILLEGAL_TRANSITION",
    });
    expect(
      await markWithdrawalSent(t.prisma, { by: { adminId: admin.id }, withdrawalId: approved.id, txid: "abc" }),
    ).toMatchObject({ ok: false, code: "INVALID" });

    expect(
      await markWithdrawalSent(t.prisma, { by: { adminId: admin.id }, withdrawalId: approved.id, txid: TXID }),
    ).toMatchObject({ ok: true });
    expect(
      await markWithdrawalSent(t.prisma, { by: { adminId: admin.id }, withdrawalId: approved.id, txid: TXID }),
    ).toMatchObject({
      ok: false,
      code: "ILLEGAL_TRANSITION",
      message: "This withdrawal has already been sent: it cannot be marked sent.",
    });
    expect(
      await rejectWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: approved.id, reason: "too late" }),
    ).toMatchObject({ ok: false, code: "ILLEGAL_TRANSITION" });
    expect(await cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: approved.id })).toMatchObject({
      ok: false,
      code: "ILLEGAL_TRANSITION",
    });
    expect(await markWithdrawalConfirmed(t.prisma, { adminId: admin.id, withdrawalId: approved.id })).toMatchObject({
      ok: true,
    });
    expect(await markWithdrawalConfirmed(t.prisma, { adminId: admin.id, withdrawalId: approved.id })).toMatchObject({
      ok: false,
      code: "ILLEGAL_TRANSITION",
    });

    expect(await cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: requested.id })).toMatchObject({ ok: true });
    for (const attempt of [
      () => cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: requested.id }),
      () => approveWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: requested.id }),
      () => rejectWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: requested.id, reason: "late" }),
    ]) {
      expect(await attempt()).toMatchObject({
        ok: false,
        code: "ILLEGAL_TRANSITION",
        message: expect.stringContaining("was cancelled"),
      });
    }
    expect(await balances(c.id)).toEqual({ available: 39_000_000n, held: 0n });
  });

  it("an admin never reviews or sends their own withdrawal", async () => {
    const self = await customer(50_000_000n);
    await t.prisma.user.update({ where: { id: self.id }, data: { roles: ["CUSTOMER", "ADMIN"] } });
    const w = ok(await request(self, 20_000_000n));
    expect(await approveWithdrawal(t.prisma, { adminId: self.id, withdrawalId: w.id })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await rejectWithdrawal(t.prisma, { adminId: self.id, withdrawalId: w.id, reason: "mine" })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await approveWithdrawal(t.prisma, { adminId: admin2.id, withdrawalId: w.id })).toMatchObject({ ok: true });
    expect(
      await markWithdrawalSent(t.prisma, { by: { adminId: self.id }, withdrawalId: w.id, txid: TXID }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("the database itself refuses a transition outside the flow and a SENT row without a txid", async () => {
    const c = await customer(5_000_000n);
    const w = ok(await request(c, 1_000_000n));
    await expect(
      t.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "CONFIRMED", confirmedAt: new Date() } }),
    ).rejects.toThrow(/cannot go from APPROVED to CONFIRMED/);
    await expect(
      t.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "SENT", sentAt: new Date() } }),
    ).rejects.toThrow(/withdrawals_state_fields/);
    await expect(t.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "REQUESTED" } })).rejects.toThrow(
      /cannot go from APPROVED to REQUESTED/,
    );
    // Not approved without the customer's email confirmation, whatever the code did.
    const waiting = ok(await request(c, 1_000_000n, { confirm: false }));
    await expect(
      t.prisma.withdrawal.update({ where: { id: waiting.id }, data: { status: "APPROVED", approvedAt: new Date() } }),
    ).rejects.toThrow(/withdrawals_email_confirmation/);
  });
});

describe("processors", () => {
  it("any processor drives the same state machine: one that broadcasts marks the withdrawal sent itself", async () => {
    const c = await customer(5_000_000n);
    // Leave other tests' approved withdrawals with the manual processor first.
    await processApprovedWithdrawals(t.prisma, manualProcessor, 1000);
    const w = ok(await request(c, 2_000_000n));
    const seen: string[] = [];
    const broadcasting: WithdrawalProcessor = {
      name: "test-node",
      async submit(withdrawal) {
        seen.push(`${withdrawal.id}:${withdrawal.netBase}`);
        return { status: "sent", txid: "c".repeat(64) };
      },
    };
    expect(await processApprovedWithdrawals(t.prisma, broadcasting)).toBe(1);
    expect(seen).toEqual([`${w.id}:1990000`]);
    const row = await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
    expect(row).toMatchObject({ status: "SENT", processor: "test-node", txid: "c".repeat(64) });
    expect(await balances(c.id)).toEqual({ available: 3_000_000n, held: 0n });
    // An admin cannot mark another processor's withdrawal, nor reject it once taken.
    const w2 = ok(await request(c, 1_000_000n));
    const failing: WithdrawalProcessor = {
      name: "down-node",
      submit: async () => Promise.reject(new Error("node unreachable")),
    };
    expect(await processApprovedWithdrawals(t.prisma, failing)).toBe(1);
    const back = await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: w2.id } });
    expect(back).toMatchObject({ status: "APPROVED", processor: null, submittedAt: null });
    expect(await auditActions(w2.id)).toContain("withdrawal.submit_failed");
    const queued: WithdrawalProcessor = { name: "slow-node", submit: async () => ({ status: "queued" }) };
    await processApprovedWithdrawals(t.prisma, queued);
    expect(
      await markWithdrawalSent(t.prisma, { by: { adminId: admin.id }, withdrawalId: w2.id, txid: TXID }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await rejectWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: w2.id, reason: "stop it" }),
    ).toMatchObject({ ok: false, code: "ILLEGAL_TRANSITION" });
    expect(
      await markWithdrawalSent(t.prisma, { by: { processor: "slow-node" }, withdrawalId: w2.id, txid: TXID }),
    ).toMatchObject({ ok: true });
  });
});

describe("races", () => {
  it("a send that PostgreSQL picks as a deadlock's victim is run again and succeeds", async () => {
    const c = await customer(5_000_000n);
    const w = ok(await request(c, 1_000_000n));
    expect(w.status).toBe("APPROVED");
    const held = await t.prisma.ledgerAccount.findFirstOrThrow({
      where: { type: "USER_HELD", asset: "BTC", userId: c.id },
    });
    // Another transaction holds the customer's held account, and once the send holds the
    // withdrawal row and waits for that account, asks for the withdrawal row: a cycle. Its
    // deadlock_timeout is long, so the send's side detects it and is rolled back.
    const other = await t.prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe("SET LOCAL deadlock_timeout = '30s'");
        await tx.$queryRaw`SELECT 1 FROM ledger_accounts WHERE id = ${held.id}::uuid FOR UPDATE`;
        const sending = markWithdrawalSent(t.prisma, {
          by: { adminId: admin.id },
          withdrawalId: w.id,
          txid: TXID,
        }).then(
          (result) => ({ result, error: null }),
          (error: unknown) => ({ result: null, error }),
        );
        await sleep(400);
        await tx.$queryRaw`SELECT 1 FROM withdrawals WHERE id = ${w.id}::uuid FOR UPDATE`;
        return { sending };
      },
      { timeout: 30_000 },
    );
    const { result, error } = await other.sending;
    expect(error).toBeNull();
    expect(result).toMatchObject({ ok: true, withdrawal: { status: "SENT" } });
    expect(await journals(w.id)).toEqual(["WITHDRAWAL_REQUEST", "WITHDRAWAL_SEND"]);
  });

  it("cancel racing approve or reject on 12 withdrawals, then send racing reject: one wins, the hold is released or spent once", async () => {
    const c = await customer(400_000_000n);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(ok(await request(c, 15_000_000n)).id);
    await Promise.all(
      ids.map(async (id, i) => {
        const results = await Promise.all([
          cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: id }),
          i % 3 === 0
            ? rejectWithdrawal(t.prisma, { adminId: admin2.id, withdrawalId: id, reason: "racing" })
            : approveWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: id }),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === "ILLEGAL_TRANSITION")).toBe(true);
      }),
    );
    // Those approved now race send against reject: again one wins.
    const approved = await t.prisma.withdrawal.findMany({
      where: { id: { in: ids }, status: "APPROVED" },
      select: { id: true },
    });
    await Promise.all(
      approved.map(async ({ id }) => {
        const results = await Promise.all([
          markWithdrawalSent(t.prisma, { by: { adminId: admin.id }, withdrawalId: id, txid: TXID }),
          rejectWithdrawal(t.prisma, { adminId: admin2.id, withdrawalId: id, reason: "racing again" }),
          cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: id }),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
      }),
    );
    const rows = await t.prisma.withdrawal.findMany({ where: { id: { in: ids } } });
    let released = 0n;
    for (const row of rows) {
      const kinds = await journals(row.id);
      const releases = kinds.filter((k) => k === "WITHDRAWAL_RELEASE").length;
      const sends = kinds.filter((k) => k === "WITHDRAWAL_SEND").length;
      expect(releases + sends).toBeLessThanOrEqual(1);
      if (row.status === "CANCELLED" || row.status === "REJECTED") {
        expect(releases).toBe(1);
        released += 15_000_000n;
      } else if (row.status === "SENT") {
        expect(sends).toBe(1);
      } else {
        throw new Error(`unexpected final status ${row.status}`);
      }
    }
    // Every hold ended released (cancelled, rejected) or spent (sent): nothing is left held.
    expect(await balances(c.id)).toEqual({ available: 400_000_000n - 180_000_000n + released, held: 0n });
  });
});

describe("the books", () => {
  it("every journal balances and every cached balance equals its postings", async () => {
    expect(await unbalancedJournals(t.prisma)).toEqual([]);
    expect(await driftedAccounts(t.prisma)).toEqual([]);
    const journalCount = await t.prisma.journalTransaction.count({ where: { referenceType: "withdrawal" } });
    expect(journalCount).toBeGreaterThan(50);
  });
});
