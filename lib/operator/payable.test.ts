// The operator's payable on a real database (PGlite, or PostgreSQL with DATABASE_URL): the
// ledger page (every posting with its running balance, links to contract and payout day,
// pagination) and payouts of it end to end — refusals (no payout account, no 2FA, wrong code,
// over the balance, over the daily limit, below the minimum), review, the Stripe transfer against
// the local Stripe stand-in (paid, refused = money returned, outage = retried), idempotency
// under races, and the ledger's invariants after all of it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCodeFor } from "../auth/totp";
import { balanceOf } from "../ledger/ledger";
import { stripeClient } from "../payments/stripe";
import { startStripeStandin, type StripeStandin } from "../payments/stripe-standin";
import { settleDay } from "../payouts/run";
import { keyB64 } from "../secrets/test-helpers";
import { checkInvariants } from "../sim/invariants";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createListing, createUser, driftedAccounts, unbalancedJournals } from "../testing/fixtures";
import { btcSnapshot, reportTelemetry, soldContract, utcDay } from "../testing/payout-fixtures";
import { withTestSecrets } from "../testing/secrets";
import { enrollTotp } from "../testing/totp";
import { payableLedger, payableSummary } from "./payable";
import { movePayableToWallet } from "./payable-transfer";
import {
  failOperatorPayout,
  linkPayoutAccount,
  operatorPayouts,
  PAYOUT_TERMS,
  payoutTerms,
  recordPayoutAccount,
  requestOperatorPayout,
  REVIEW_THRESHOLD_ENV,
  reviewOperatorPayout,
  sendApprovedOperatorPayouts,
  sendOperatorPayout,
  type PayoutTerms,
} from "./payouts";

const keys = `k1:${keyB64()}`;
withTestSecrets(keys);

let t: TestDatabase;
let standin: StripeStandin;
let clock = Date.now();
/** Each request moves the clock one TOTP step on, so every code is fresh. */
function tick(): Date {
  clock += 30_000;
  return new Date(clock);
}
// Small figures so the fixtures' contracts reach them: min $1, review from $5, $12 per 24 h.
const TERMS: PayoutTerms = {
  minMicroUsd: 1_000_000n,
  reviewThresholdMicroUsd: 5_000_000n,
  dailyLimitMicroUsd: 12_000_000n,
};

interface Operator {
  id: string;
  secret: string;
  listingId: string;
  rigIds: string[];
}

async function operatorWithSales(
  options: { totp?: boolean; account?: boolean; days?: number } = {},
): Promise<Operator> {
  const market = await createListing(t.prisma, { rigsTh: [100, 100] });
  const secret =
    options.totp === false ? "" : await enrollTotp(t.prisma, market.operatorId, keys, { enabledAt: new Date(0) });
  if (options.account !== false) {
    await t.prisma.$transaction((tx) =>
      recordPayoutAccount(tx, {
        operatorId: market.operatorId,
        stripeAccountId: `acct_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
        bankName: "STRIPE TEST BANK",
        bankLast4: "6789",
        ip: null,
      }),
    );
  }
  // 100 TH/s for `days` days at $1.95/day: $19.50 less the 3 % fee = $18.915 to the payable per contract.
  await soldContract(t.prisma, {
    listingId: market.listingId,
    operatorId: market.operatorId,
    slices: [{ rigId: market.rigIds[0]!, th: 100 }],
    startDay: utcDay(-3),
    days: options.days ?? 10,
  });
  return { id: market.operatorId, secret, listingId: market.listingId, rigIds: market.rigIds };
}

function request(op: Operator, amount: string, extra: { key?: string; code?: string; now?: Date } = {}) {
  const now = extra.now ?? tick();
  return requestOperatorPayout(t.prisma, {
    operatorId: op.id,
    body: { amount, totpCode: extra.code ?? (op.secret ? totpCodeFor(op.secret, now) : "123456") },
    idempotencyKey: extra.key ?? `k-${randomUUID()}`,
    now,
    terms: TERMS,
  });
}

async function usdPayable(op: Operator): Promise<bigint> {
  return balanceOf(t.prisma, { type: "OPERATOR_PAYABLE", asset: "USD", userId: op.id });
}

beforeAll(async () => {
  t = await createTestDatabase({ poolMax: 12 });
  standin = await startStripeStandin();
});
afterAll(async () => {
  await standin.close();
  await t.drop();
});

describe("the payable ledger", () => {
  it("lists every posting with its running balance, linked to its contract and payout day, paginated", async () => {
    const op = await operatorWithSales({ days: 10 });
    // A settled day with half the hashrate delivered: maintenance in BTC and an under-delivery credit.
    const day = utcDay(-3);
    await btcSnapshot(t.prisma, day);
    await reportTelemetry(t.prisma, op.rigIds[0]!, day, 50);
    await settleDay(t.prisma, day);

    const all = await payableLedger(t.prisma, op.id);
    const kinds = all.lines.map((l) => `${l.kind}:${l.asset}`).sort();
    expect(kinds).toEqual(["CONTRACT_PURCHASE:USD", "PAYOUT:BTC", "UNDER_DELIVERY_CREDIT:USD"]);
    const sale = all.lines.find((l) => l.kind === "CONTRACT_PURCHASE")!;
    const credit = all.lines.find((l) => l.kind === "UNDER_DELIVERY_CREDIT")!;
    const maintenance = all.lines.find((l) => l.kind === "PAYOUT")!;
    expect(sale.amount).toBe(18_915_000n);
    expect(sale.contractId).not.toBeNull();
    expect(sale.listingId).toBe(op.listingId);
    // floor((H - Hd) * dailyPrice / H): half of $1.95.
    expect(credit.amount).toBe(-975_000n);
    expect(credit.balanceAfter).toBe(18_915_000n - 975_000n);
    expect(credit.payoutDay).toBe(day.toISOString().slice(0, 10));
    expect(credit.contractId).toBe(sale.contractId);
    expect(maintenance.amount).toBeGreaterThan(0n);
    expect(maintenance.balanceAfter).toBe(maintenance.amount); // its own account (BTC)
    const summary = await payableSummary(t.prisma, op.id);
    expect(summary.balances.map((b) => b.asset)).toEqual(["USD", "BTC"]);
    expect(summary.balances[0]!.available).toBe(17_940_000n);
    expect(summary.heldMicroUsd).toBe(0n);

    // Pages of 2, newest first; the running balance is the account's, not the page's.
    const first = await payableLedger(t.prisma, op.id, { pageSize: 2, page: 1 });
    const second = await payableLedger(t.prisma, op.id, { pageSize: 2, page: 2 });
    expect(first.pageCount).toBe(2);
    expect(first.total).toBe(3);
    expect(second.lines).toHaveLength(1);
    expect([...first.lines, ...second.lines].map((l) => l.postingId)).toEqual(all.lines.map((l) => l.postingId));
    expect(second.lines[0]!.kind).toBe("CONTRACT_PURCHASE");
    // Its balance counts the credit on the page before: the sale alone.
    expect(second.lines[0]!.balanceAfter).toBe(18_915_000n);
    expect(first.lines.map((l) => l.balanceAfter)).toEqual(all.lines.slice(0, 2).map((l) => l.balanceAfter));
    // Out of range pages clamp.
    expect((await payableLedger(t.prisma, op.id, { pageSize: 2, page: 99 })).page).toBe(2);
    // Another operator sees none of it.
    const other = await operatorWithSales();
    expect((await payableLedger(t.prisma, other.id)).lines.every((l) => l.listingId === other.listingId)).toBe(true);
  });
});

describe("requesting a payout", () => {
  it("takes the review threshold from the instance's configuration, never below the minimum", () => {
    expect(payoutTerms({})).toEqual(PAYOUT_TERMS);
    expect(payoutTerms({ [REVIEW_THRESHOLD_ENV]: "2500.00" }).reviewThresholdMicroUsd).toBe(2_500_000_000n);
    expect(payoutTerms({ [REVIEW_THRESHOLD_ENV]: " 1.50 " })).toEqual({
      ...PAYOUT_TERMS,
      reviewThresholdMicroUsd: 1_500_000n,
    });
    for (const bad of ["0.50", "abc", "1.005", "-5"])
      expect(() => payoutTerms({ [REVIEW_THRESHOLD_ENV]: bad }), bad).toThrow(REVIEW_THRESHOLD_ENV);
  });

  it("refuses without a payout account, without 2FA, with a wrong or replayed code, over the balance, over the limit, below the minimum", async () => {
    const noAccount = await operatorWithSales({ account: false });
    expect(await request(noAccount, "2.00")).toMatchObject({ ok: false, code: "PAYOUT_ACCOUNT_MISSING" });
    const noTotp = await operatorWithSales({ totp: false });
    expect(await request(noTotp, "2.00")).toMatchObject({ ok: false, code: "TOTP_NOT_ENABLED" });

    const op = await operatorWithSales();
    expect(await request(op, "2.00", { code: "000000" })).toMatchObject({ ok: false, code: "TOTP_INVALID" });
    expect(await request(op, "0.99")).toMatchObject({ ok: false, code: "BELOW_MINIMUM" });
    expect(await request(op, "2.001")).toMatchObject({ ok: false, code: "INVALID_REQUEST" });
    expect(await request(op, "abc")).toMatchObject({ ok: false, code: "INVALID_REQUEST" });
    expect(await request(op, "18.92")).toMatchObject({ ok: false, code: "INSUFFICIENT_FUNDS" });
    expect(await requestOperatorPayout(t.prisma, { operatorId: op.id, body: {}, idempotencyKey: null })).toMatchObject({
      code: "IDEMPOTENCY_KEY_REQUIRED",
    });
    // A code is accepted once.
    const now = tick();
    const code = totpCodeFor(op.secret, now);
    expect(await request(op, "4.00", { now, code })).toMatchObject({ ok: true });
    expect(await request(op, "1.00", { now, code })).toMatchObject({ ok: false, code: "TOTP_REPLAYED" });
    // $4 + $4.99 within 24 h is fine; a further $3.02 would pass $12.
    expect(await request(op, "4.99")).toMatchObject({ ok: true });
    expect(await request(op, "3.02")).toMatchObject({ ok: false, code: "DAILY_LIMIT_EXCEEDED" });
    expect(await request(op, "3.01")).toMatchObject({ ok: true });
    // None of the refusals moved money: $12 held of $18.915.
    expect(await usdPayable(op)).toBe(18_915_000n - 12_000_000n);
    expect((await payableSummary(t.prisma, op.id)).heldMicroUsd).toBe(12_000_000n);
  });

  it("holds the amount, is approved below the review threshold and in review from it, with an audit line each", async () => {
    const op = await operatorWithSales();
    const small = await request(op, "4.99");
    const large = await request(op, "5.00");
    expect(small).toMatchObject({ ok: true, payout: { status: "APPROVED", reviewRequired: false, bankLast4: "6789" } });
    expect(large).toMatchObject({ ok: true, payout: { status: "IN_REVIEW", reviewRequired: true } });
    expect(await usdPayable(op)).toBe(18_915_000n - 9_990_000n);
    const audit = await t.prisma.auditLog.findMany({ where: { actorId: op.id, action: "operator_payout.requested" } });
    expect(audit).toHaveLength(2);
    const ledger = await payableLedger(t.prisma, op.id);
    expect(ledger.lines[0]).toMatchObject({ kind: "OPERATOR_PAYOUT_REQUEST", amount: -5_000_000n });
    expect(ledger.lines[0]!.operatorPayoutId).toBe(large.ok ? large.payout.id : null);
  });

  it("makes one payout of a double submit: the same key from two connections at once", async () => {
    const op = await operatorWithSales();
    const key = `dbl-${randomUUID()}`;
    const now = tick();
    const code = totpCodeFor(op.secret, now);
    const [a, b] = await Promise.all([
      request(op, "3.00", { key, now, code }),
      request(op, "3.00", { key, now, code }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.payout.id).toBe(b.payout.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await t.prisma.operatorPayout.count({ where: { operatorId: op.id } })).toBe(1);
    expect(await usdPayable(op)).toBe(18_915_000n - 3_000_000n);
  });

  it("never takes the payable below zero: two different payouts racing for one balance", async () => {
    const op = await operatorWithSales();
    const results = await Promise.all([request(op, "10.00"), request(op, "10.00"), request(op, "10.00")]);
    // $18.915 covers one $10 payout; the others see its hold.
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual([
      "INSUFFICIENT_FUNDS",
      "INSUFFICIENT_FUNDS",
    ]);
    expect(await usdPayable(op)).toBe(8_915_000n);
  });
});

describe("the coin part of the payable", () => {
  it("moves maintenance fees to the operator's own wallet, never more than the payable, refusing what is not a coin amount", async () => {
    const op = await operatorWithSales({ days: 10 });
    const day = utcDay(-2);
    await btcSnapshot(t.prisma, day);
    await reportTelemetry(t.prisma, op.rigIds[0]!, day, 100);
    await settleDay(t.prisma, day);
    const btc = (type: "OPERATOR_PAYABLE" | "USER_AVAILABLE") =>
      balanceOf(t.prisma, { type, asset: "BTC", userId: op.id });
    const fees = await btc("OPERATOR_PAYABLE");
    expect(fees).toBeGreaterThan(1n);
    const move = (amount: string, asset = "BTC") => movePayableToWallet(t.prisma, { operatorId: op.id, asset, amount });

    // An operator without a wallet (the customer role) has nowhere to move it.
    expect(await move("0.00000001")).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("no wallet"),
    });
    await t.prisma.user.update({ where: { id: op.id }, data: { roles: { push: "CUSTOMER" } } });
    expect(await move("0.000000001")).toMatchObject({
      code: "INVALID_REQUEST",
      fieldErrors: { amount: expect.any(String) },
    });
    expect(await move("0")).toMatchObject({ code: "INVALID_REQUEST" });
    expect(await move("1", "USD")).toMatchObject({ code: "INVALID_REQUEST", message: expect.stringContaining("bank") });
    expect(await move("21000000")).toMatchObject({ code: "INSUFFICIENT_FUNDS" });

    // Two moves racing for the whole balance: one of them moves it, the payable never goes below zero.
    const whole = (Number(fees) / 1e8).toFixed(8);
    const raced = await Promise.all([move(whole), move(whole)]);
    expect(raced.filter((r) => r.ok)).toHaveLength(1);
    expect(raced.filter((r) => !r.ok)).toMatchObject([{ code: "INSUFFICIENT_FUNDS" }]);
    expect(await btc("OPERATOR_PAYABLE")).toBe(0n);
    expect(await btc("USER_AVAILABLE")).toBe(fees);
    const moved = (await payableLedger(t.prisma, op.id)).lines.find((l) => l.kind === "OPERATOR_PAYABLE_TRANSFER");
    expect(moved).toMatchObject({ asset: "BTC", amount: -fees, balanceAfter: 0n });
    const audit = await t.prisma.auditLog.findMany({
      where: { entityId: op.id, action: "operator_payable.moved_to_wallet" },
    });
    expect(audit).toHaveLength(1);
  });
});

describe("review, transfer, settlement", () => {
  it("an admin approves or rejects; rejection returns the money; nobody reviews their own", async () => {
    const op = await operatorWithSales();
    const admin = await createUser(t.prisma, ["ADMIN"]);
    const a = await request(op, "5.00");
    const b = await request(op, "6.00");
    if (!a.ok || !b.ok) throw new Error("requests refused");
    expect(
      await reviewOperatorPayout(t.prisma, { adminId: op.id, payoutId: a.payout.id, decision: "approve" }),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(
      await reviewOperatorPayout(t.prisma, { adminId: admin.id, payoutId: b.payout.id, decision: "reject" }),
    ).toMatchObject({
      code: "CONFLICT",
    });
    expect(
      await reviewOperatorPayout(t.prisma, { adminId: admin.id, payoutId: a.payout.id, decision: "approve" }),
    ).toEqual({
      ok: true,
      status: "APPROVED",
    });
    expect(
      await reviewOperatorPayout(t.prisma, {
        adminId: admin.id,
        payoutId: b.payout.id,
        decision: "reject",
        reason: "unusual",
      }),
    ).toEqual({ ok: true, status: "REJECTED" });
    expect(
      await reviewOperatorPayout(t.prisma, { adminId: admin.id, payoutId: a.payout.id, decision: "approve" }),
    ).toMatchObject({
      code: "CONFLICT",
    });
    expect(await usdPayable(op)).toBe(18_915_000n - 5_000_000n);
    expect((await payableSummary(t.prisma, op.id)).heldMicroUsd).toBe(5_000_000n);
    const actions = await t.prisma.auditLog.findMany({ where: { actorId: admin.id }, select: { action: true } });
    expect(actions.map((x) => x.action).sort()).toEqual(["operator_payout.approved", "operator_payout.rejected"]);
  });

  it("sends through Stripe (stand-in): paid once, refused = returned, outage = retried", async () => {
    const stripe = stripeClient("sk_test_standin", standin.base);
    const op = await operatorWithSales();
    // Link the account the way the operator does: Stripe must say it can be paid.
    standin.accounts.set("acct_restricted1", {
      id: "acct_restricted1",
      payoutsEnabled: false,
      transfers: "inactive",
      bankLast4: null,
    });
    const link = (stripeAccountId: string, code?: string, now = tick()) =>
      linkPayoutAccount(t.prisma, stripe, {
        operatorId: op.id,
        body: { stripeAccountId, totpCode: code ?? totpCodeFor(op.secret, now) },
        now,
      });
    const linked = () => t.prisma.operatorPayoutAccount.findUniqueOrThrow({ where: { operatorId: op.id } });
    const before = await linked();
    expect(await link("not-an-account")).toMatchObject({
      code: "INVALID_REQUEST",
      fieldErrors: { stripeAccountId: "Enter your Stripe account id (acct_…)." },
    });
    expect(await link("acct_restricted1")).toMatchObject({ code: "PAYOUT_ACCOUNT_UNUSABLE" });
    expect(await link("acct_unknown9")).toMatchObject({ code: "PAYOUT_ACCOUNT_UNUSABLE" });
    const acct = `acct_ok${randomUUID().slice(0, 8)}`;
    standin.accounts.set(acct, { id: acct, payoutsEnabled: true, transfers: "active", bankLast4: "6789" });
    // A usable account with a wrong code: refused, the linked account unchanged (a stolen
    // password cannot redirect payouts).
    expect(await link(acct, "000000")).toMatchObject({
      code: "TOTP_INVALID",
      fieldErrors: { totpCode: expect.any(String) },
    });
    expect(await linked()).toEqual(before);
    const at = tick();
    const code = totpCodeFor(op.secret, at);
    expect(await link(acct, code, at)).toEqual({ ok: true, bankLast4: "6789" });
    expect(await linked()).toMatchObject({ stripeAccountId: acct, bankLast4: "6789" });
    // The same code again is a replay; another operator cannot take the account.
    expect(await link(acct, code, at)).toMatchObject({ code: "TOTP_REPLAYED" });
    const other = await operatorWithSales();
    const taken = await linkPayoutAccount(t.prisma, stripe, {
      operatorId: other.id,
      body: { stripeAccountId: acct, totpCode: totpCodeFor(other.secret, tick()) },
    });
    expect(taken).toMatchObject({ code: "PAYOUT_ACCOUNT_TAKEN" });
    const audit = await t.prisma.auditLog.findMany({
      where: { entityId: op.id, action: "operator_payout_account.linked" },
    });
    expect(audit.map((a) => (a.details as { stripeAccountId: string }).stripeAccountId)).toContain(acct);

    const paid = await request(op, "4.00");
    const refused = await request(op, "3.00");
    if (!paid.ok || !refused.ok) throw new Error("requests refused");
    // An outage leaves it approved; no transfer was made.
    standin.outage = true;
    expect(await sendOperatorPayout(t.prisma, stripe, paid.payout.id)).toBe("retry");
    standin.outage = false;
    expect(await sendOperatorPayout(t.prisma, stripe, paid.payout.id)).toBe("paid");
    expect(await sendOperatorPayout(t.prisma, stripe, paid.payout.id)).toBe("skipped");
    const transfers = standin.transfers.filter((x) => x.destination === acct);
    expect(transfers).toEqual([
      expect.objectContaining({ amount: 400, currency: "usd", idempotencyKey: `operator-payout-${paid.payout.id}` }),
    ]);
    // The account loses its transfers capability: Stripe refuses, the money returns.
    standin.accounts.get(acct)!.transfers = "inactive";
    // (Other tests' approved payouts name accounts the stand-in does not know: refused too.)
    const sent = await sendApprovedOperatorPayouts(t.prisma, stripe);
    expect(sent.paid).toBe(0);
    expect(sent.failed).toBeGreaterThanOrEqual(1);
    const rows = await operatorPayouts(t.prisma, op.id);
    expect(rows.map((r) => r.status).sort()).toEqual(["FAILED", "PAID"]);
    expect(rows.find((r) => r.status === "FAILED")!.failureReason).toMatch(/capabilities/);
    expect(rows.find((r) => r.status === "PAID")!.stripeTransferId).toBe(transfers[0]!.id);
    expect(await usdPayable(op)).toBe(18_915_000n - 4_000_000n);
    expect((await payableSummary(t.prisma, op.id)).heldMicroUsd).toBe(0n);
    // A failed payout cannot fail again (its hold was returned once).
    expect(await failOperatorPayout(t.prisma, { payoutId: refused.payout.id, reason: "again" })).toMatchObject({
      code: "CONFLICT",
    });
    const kinds = (await payableLedger(t.prisma, op.id)).lines.map((l) => l.kind);
    expect(kinds.slice(0, 3)).toEqual(["OPERATOR_PAYOUT_RETURN", "OPERATOR_PAYOUT_REQUEST", "OPERATOR_PAYOUT_REQUEST"]);
  });

  it("keeps every ledger invariant: journals balance, cached balances equal postings, in-flight = open payouts", async () => {
    expect(await unbalancedJournals(t.prisma)).toEqual([]);
    expect(await driftedAccounts(t.prisma)).toEqual([]);
    const [row] = await t.prisma.$queryRaw<{ open: string; inflight: string }[]>`
      SELECT (SELECT COALESCE(sum(amount_micro_usd), 0) FROM operator_payouts WHERE status IN ('IN_REVIEW', 'APPROVED'))::text AS open,
             (SELECT COALESCE(sum(balance), 0) FROM ledger_accounts WHERE type = 'WITHDRAWALS_IN_FLIGHT' AND asset = 'USD')::text AS inflight`;
    expect(row!.inflight).toBe(row!.open);
    // The money simulation's invariants, its operator-payout one among them, hold over these payouts.
    const results = await checkInvariants(t.prisma);
    for (const name of ["journals-balance", "no-negative-user-balance", "operator-payout-holds"]) {
      expect(results.find((r) => r.name === name)).toMatchObject({ ok: true });
    }
    expect(results.find((r) => r.name === "operator-payout-holds")!.detail).not.toMatch(/^0 /);
  });
});
