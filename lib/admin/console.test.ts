// The admin console's read models on real PostgreSQL: the trial balance (zero per asset, and
// flagged when a cached balance is forged), an account statement's running balance across
// pages, the reconciliation job finding a planted mismatch, the alerts' counts, the contract
// and user views, the audit list filters and the "verify chain" action.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealAuditLog } from "../audit/audit";
import { newEventId } from "../contracts/service";
import {
  latestReconciliation,
  reconcileLedger,
  reconcileLedgerAsAdmin,
  runScheduledReconciliation,
} from "../ledger/reconciliation";
import { applyStripeEvent } from "../payments/events";
import { DAY_MS } from "../shared/days";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createListing, createUser, deposit, TH } from "../testing/fixtures";
import { testPurchase } from "../testing/purchase";
import { freezeAccount, unfreezeAccount } from "./accounts";
import { listAuditLines, verifyChainAsAdmin } from "./audit-log";
import { contractView, searchContracts } from "./contracts";
import { accountStatement, listAccounts, trialBalance } from "./ledger";
import { adminAlerts } from "./overview";
import { searchUsers, userView } from "./users";

let t: TestDatabase;
let admin: { id: string; email: string };
let customer: { id: string; email: string };
let contractId: string;
let market: Awaited<ReturnType<typeof createListing>>;
const NOW = new Date();
const day = (back: number) => new Date(Math.floor(NOW.getTime() / DAY_MS) * DAY_MS - back * DAY_MS);

beforeAll(async () => {
  t = await createTestDatabase();
  admin = await createUser(t.prisma, ["ADMIN"]);
  customer = await createUser(t.prisma);
  market = await createListing(t.prisma, { rigsTh: [100, 100] });
  await deposit(t.prisma, customer.id, "USD", 100_000_000n);
  await deposit(t.prisma, customer.id, "USD", 5_000_000n);
  await deposit(t.prisma, customer.id, "BTC", 250_000n);
  const body = { listingId: market.listingId, hashrate: "150", days: 30, paymentMethod: "BALANCE_USD" };
  const res = await testPurchase(t.prisma, customer, body);
  expect(res.status).toBe(201);
  contractId = (res.body as { contractId: string }).contractId;
});
afterAll(() => t.drop());

describe("trial balance", () => {
  it("every asset's postings sum to zero and the cached balances agree", async () => {
    const assets = await trialBalance(t.prisma);
    expect(assets.map((a) => a.asset)).toEqual(["BTC", "USD"]);
    for (const asset of assets) {
      expect(asset.postingsSum).toBe(0n);
      expect(asset.cachedSum).toBe(0n);
      expect(asset.balanced).toBe(true);
    }
    const usd = assets.find((a) => a.asset === "USD")!;
    // Two deposits + the purchase journal (customer, operator payable, platform revenue).
    const byType = Object.fromEntries(usd.lines.map((l) => [l.type, l.balance]));
    expect(byType.USER_AVAILABLE).toBe(105_000_000n - 87_750_000n);
    expect(byType.STRIPE_CLEARING).toBe(-105_000_000n);
    expect(byType.OPERATOR_PAYABLE! + byType.PLATFORM_REVENUE!).toBe(87_750_000n);
    expect(usd.decimals).toBe(6);
    expect(assets.find((a) => a.asset === "BTC")!.decimals).toBe(8);
  });
});

describe("account statement", () => {
  it("pages newest first with the balance after each posting, continuing across pages", async () => {
    const accounts = await listAccounts(
      t.prisma,
      { type: "USER_AVAILABLE", asset: "USD", email: customer.email },
      { page: 1, pageSize: 10 },
    );
    expect(accounts.total).toBe(1);
    const account = accounts.rows[0]!;
    expect(account.balance).toBe(17_250_000n);
    const first = await accountStatement(t.prisma, account.id, { page: 1, pageSize: 2 });
    expect(first!.total).toBe(3);
    expect(first!.lines.map((l) => [l.kind, l.amount, l.runningBalance])).toEqual([
      ["CONTRACT_PURCHASE", -87_750_000n, 17_250_000n],
      ["DEPOSIT", 5_000_000n, 105_000_000n],
    ]);
    expect(first!.lines[0]!.referenceType).toBe("contract");
    expect(first!.lines[0]!.referenceId).toBe(contractId);
    const second = await accountStatement(t.prisma, account.id, { page: 2, pageSize: 2 });
    expect(second!.lines.map((l) => [l.kind, l.amount, l.runningBalance])).toEqual([
      ["DEPOSIT", 100_000_000n, 100_000_000n],
    ]);
    expect(first!.account.postingsSum).toBe(first!.account.balance);
    expect(await accountStatement(t.prisma, randomUUID(), { page: 1, pageSize: 2 })).toBeNull();
    expect(await accountStatement(t.prisma, "not-an-id", { page: 1, pageSize: 2 })).toBeNull();
  });
});

describe("reconciliation job", () => {
  it("a clean ledger: every account checked, no mismatch, the run stored", async () => {
    expect(await runScheduledReconciliation(t.prisma)).toBe(0);
    const run = await latestReconciliation(t.prisma);
    const accounts = await t.prisma.ledgerAccount.count();
    const postings = await t.prisma.posting.count();
    expect(run).toMatchObject({
      accountsChecked: accounts,
      postingsChecked: BigInt(postings),
      mismatchCount: 0,
      mismatches: [],
      triggeredById: null,
    });
  });

  it("finds a cached balance forged behind the triggers' back, and the trial balance flags it", async () => {
    const target = await t.prisma.ledgerAccount.findFirstOrThrow({
      where: { userId: customer.id, type: "USER_AVAILABLE", asset: "BTC" },
    });
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      // As a superuser could: the replica role skips the balance guard trigger (for this
      // transaction only: SET LOCAL, so no pooled session keeps it).
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query("UPDATE ledger_accounts SET balance = balance + 1000 WHERE id = $1", [target.id]);
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    const run = await reconcileLedger(t.prisma);
    expect(run.mismatchCount).toBe(1);
    expect(run.mismatches).toEqual([
      {
        accountId: target.id,
        type: "USER_AVAILABLE",
        asset: "BTC",
        userId: customer.id,
        cachedBalance: "251000",
        postingsSum: "250000",
      },
    ]);
    const btc = (await trialBalance(t.prisma)).find((a) => a.asset === "BTC")!;
    expect(btc.postingsSum).toBe(0n);
    expect(btc.cachedSum).toBe(1000n);
    expect(btc.balanced).toBe(false);

    const alerts = await adminAlerts(t.prisma, NOW);
    expect(alerts.reconciliation.latest!.id).toBe(run.id);
    expect(alerts.reconciliation.failedLastWeek).toBe(1);
  });

  it("by hand: admin only, the run and an audit line name the admin", async () => {
    expect(await reconcileLedgerAsAdmin(t.prisma, { adminId: customer.id })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    const result = await reconcileLedgerAsAdmin(t.prisma, { adminId: admin.id, ip: "10.0.0.1" });
    expect(result.ok && result.run.triggeredById).toBe(admin.id);
    expect(result.ok && result.run.mismatchCount).toBe(1);
    const line = await t.prisma.auditLog.findFirstOrThrow({ where: { action: "ledger.reconciled" } });
    expect(line).toMatchObject({
      actorId: admin.id,
      ip: "10.0.0.1",
      entityId: result.ok ? result.run.id.toString() : "",
    });
  });

  it("stored runs are append-only", async () => {
    await expect(t.prisma.ledgerReconciliationRun.updateMany({ data: { mismatchCount: 0 } })).rejects.toThrow(
      /append-only/,
    );
    await expect(t.prisma.ledgerReconciliationRun.deleteMany({})).rejects.toThrow(/append-only/);
  });
});

describe("alerts", () => {
  it("counts withdrawals to review, under-delivering rigs, failed and mismatched payout runs", async () => {
    const before = await adminAlerts(t.prisma, NOW);
    expect(before.withdrawalsWaiting).toBe(0);
    expect(before.underDelivering.total).toBe(0);
    expect(before.problemRuns).toMatchObject({ failed: 0, mismatched: 0 });

    const address = await t.prisma.withdrawalAddress.create({
      data: {
        userId: customer.id,
        coin: "BTC",
        address: "bc1qtest",
        label: "cold",
        validatedAt: NOW,
        addressFormat: "bech32",
        usableAfter: NOW,
      },
    });
    // Two confirmed by email and waiting for review; one below the threshold; one large one whose
    // emailed link was not used yet (not an admin's business until then).
    for (const [reviewRequired, emailConfirmedAt] of [
      [true, NOW],
      [true, NOW],
      [false, NOW],
      [true, null],
    ] as const) {
      await t.prisma.withdrawal.create({
        data: {
          userId: customer.id,
          coin: "BTC",
          addressId: address.id,
          address: address.address,
          amountBase: "1000",
          networkFeeBase: "10",
          netBase: "990",
          status: "REQUESTED",
          reviewRequired,
          emailConfirmedAt,
          confirmBy: emailConfirmedAt ? null : new Date(NOW.getTime() + 30 * 60_000),
          idempotencyKey: randomUUID(),
        },
      });
    }
    // Rig 0 delivers 90 % on its reported days (flagged), rig 1 delivers 96 % (not).
    const [rig0, rig1] = market.rigIds;
    for (let back = 1; back <= 3; back++) {
      await t.prisma.rigTelemetry.create({
        data: { rigId: rig0!, day: day(back), reportedHashrateHs: 90n * TH, source: "API" },
      });
      await t.prisma.rigTelemetry.create({
        data: { rigId: rig1!, day: day(back), reportedHashrateHs: 96n * TH, source: "API" },
      });
    }
    // Outside the 7-day window: ignored.
    await t.prisma.rigTelemetry.create({ data: { rigId: rig1!, day: day(20), reportedHashrateHs: 0n, source: "API" } });
    await t.prisma.payoutRun.create({
      data: { day: day(2), status: "FAILED", error: "snapshot missing", finishedAt: NOW },
    });
    const mismatched = await t.prisma.payoutRun.create({
      data: { day: day(3), status: "COMPLETED", contractsSettled: 1, finishedAt: NOW },
    });
    await t.prisma.payoutRunTotal.create({
      data: {
        runId: mismatched.id,
        coin: "BTC",
        minedBase: "1000",
        customerNetBase: "900",
        poolFeesBase: "15",
        maintenanceFeesBase: "80",
        roundingBase: "4",
        underDeliveryCreditMicroUsd: 0n,
      },
    });
    const balancedRun = await t.prisma.payoutRun.create({
      data: { day: day(4), status: "COMPLETED", finishedAt: NOW },
    });
    await t.prisma.payoutRunTotal.create({
      data: {
        runId: balancedRun.id,
        coin: "BTC",
        minedBase: "1000",
        customerNetBase: "900",
        poolFeesBase: "15",
        maintenanceFeesBase: "80",
        roundingBase: "5",
        underDeliveryCreditMicroUsd: 0n,
      },
    });

    const after = await adminAlerts(t.prisma, NOW);
    expect(after.withdrawalsWaiting).toBe(2);
    expect(after.underDelivering.total).toBe(1);
    expect(after.underDelivering.worst).toEqual([
      expect.objectContaining({ rigId: rig0, deliveryBps: 9000, daysReported: 3, operatorId: market.operatorId }),
    ]);
    expect(after.problemRuns.failed).toBe(1);
    expect(after.problemRuns.mismatched).toBe(1);
    expect(after.problemRuns.latest.map((r) => [r.status, r.mismatchedCoins])).toEqual(
      expect.arrayContaining([
        ["FAILED", []],
        ["COMPLETED", ["BTC"]],
      ]),
    );
    expect(after.problemRuns.latest).toHaveLength(2);
  });
});

describe("contract and user views", () => {
  it("the contract: purchase, journals with postings, allocations, payouts", async () => {
    const found = await searchContracts(t.prisma, { q: customer.email.slice(0, 6) }, { page: 1, pageSize: 10 });
    expect(found.rows.map((r) => r.id)).toEqual([contractId]);
    expect((await searchContracts(t.prisma, { q: contractId }, { page: 1, pageSize: 10 })).total).toBe(1);
    expect((await searchContracts(t.prisma, { q: "nobody@nowhere" }, { page: 1, pageSize: 10 })).total).toBe(0);

    const view = await contractView(t.prisma, contractId, { payoutPage: 1, payoutPageSize: 10 });
    expect(view!.customer.email).toBe(customer.email);
    expect(view!.contract).toMatchObject({
      paymentMethod: "BALANCE_USD",
      totalPriceMicroUsd: 87_750_000n,
      status: "ACTIVE",
    });
    expect(view!.journals).toHaveLength(1);
    expect(view!.journals[0]!.kind).toBe("CONTRACT_PURCHASE");
    expect(view!.journals[0]!.postings.reduce((s, p) => s + p.amount, 0n)).toBe(0n);
    expect(view!.allocations.reduce((s, a) => s + a.hashrateHs, 0n)).toBe(150n * TH);
    expect(view!.allocations.every((a) => a.status === "LIVE" && a.releasedAt === null)).toBe(true);
    expect(view!.payouts).toMatchObject({ total: 0, rows: [], netTotalBase: 0n });
    expect(await contractView(t.prisma, randomUUID(), { payoutPage: 1, payoutPageSize: 10 })).toBeNull();
  });

  it("the user: roles, 2FA, API keys, balances available and held, freeze state and audit lines", async () => {
    await t.prisma.apiKey.create({
      data: {
        userId: customer.id,
        keyId: "hl_test_key",
        label: "bot",
        scopes: ["READ", "TRADE"],
        secretEnc: "x",
        secretKeyId: "k1",
        ipAllowlist: [],
      },
    });
    const found = await searchUsers(t.prisma, { email: customer.email.toUpperCase() }, { page: 1, pageSize: 10 });
    expect(found.rows.map((r) => r.id)).toEqual([customer.id]);

    expect(
      await freezeAccount(t.prisma, { adminId: admin.id, userId: customer.id, reason: "Investigating a chargeback" }),
    ).toEqual({ ok: true });
    const view = await userView(t.prisma, customer.id, NOW);
    expect(view!.user.frozenReason).toBe("Investigating a chargeback");
    expect(view!.twoFactor).toMatchObject({ enabled: false, locked: false });
    expect(view!.apiKeys).toEqual([
      expect.objectContaining({
        keyId: "hl_test_key",
        label: "bot",
        scopes: ["READ", "TRADE"],
        revokedAt: null,
        lastUsedAt: null,
      }),
    ]);
    expect(view!.balances).toEqual([
      { asset: "USD", decimals: 6, available: 17_250_000n, held: 0n, operatorPayable: 0n },
      { asset: "BTC", decimals: 8, available: 251_000n, held: 0n, operatorPayable: 0n },
    ]);
    expect(view!.audit[0]).toMatchObject({ action: "account.frozen", actorEmail: admin.email });
    expect(await unfreezeAccount(t.prisma, { adminId: admin.id, userId: customer.id })).toEqual({ ok: true });
    expect((await userView(t.prisma, customer.id, NOW))!.user.frozenAt).toBeNull();
  });
});

describe("audit console", () => {
  it("filters by actor, action prefix and entity, newest first", async () => {
    const byAdmin = await listAuditLines(t.prisma, { actor: admin.email }, { page: 1, pageSize: 50 });
    expect(byAdmin.rows.map((r) => r.action)).toEqual(["account.unfrozen", "account.frozen", "ledger.reconciled"]);
    const accountLines = await listAuditLines(
      t.prisma,
      { action: "account.", entityType: "user", entityId: customer.id },
      { page: 1, pageSize: 1 },
    );
    expect(accountLines.total).toBe(2);
    expect(accountLines.rows).toHaveLength(1);
    expect(await listAuditLines(t.prisma, { actor: "nobody@test.example" }, { page: 1, pageSize: 5 })).toEqual({
      rows: [],
      total: 0,
      unknownActor: true,
    });
  });

  it("verify chain: seals, verifies, records who verified; admin only", async () => {
    expect(await verifyChainAsAdmin(t.prisma, { adminId: customer.id })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    const check = await verifyChainAsAdmin(t.prisma, { adminId: admin.id });
    expect(check).toMatchObject({ ok: true, result: { ok: true, unsealed: 0 } });
    await sealAuditLog(t.prisma);
    const alerts = await adminAlerts(t.prisma, NOW);
    expect(alerts.auditChain.unsealedLines).toBe(0);
    expect(alerts.auditChain.lastVerification).toMatchObject({ ok: true, actorEmail: admin.email });
  });
});

describe("a card contract's payment", () => {
  it("shows the checkout session, the Stripe event that activated it and the STRIPE_PAYMENT journal", async () => {
    const body = { listingId: market.listingId, hashrate: "20", days: 30, paymentMethod: "CARD" };
    const res = await testPurchase(t.prisma, customer, body);
    expect(res.status).toBe(201);
    const cardId = (res.body as { contractId: string }).contractId;
    const pending = await contractView(t.prisma, cardId, { payoutPage: 1, payoutPageSize: 10 });
    expect(pending!.contract.status).toBe("PENDING_PAYMENT");
    expect(pending!.allocations.every((a) => a.status === "RESERVED")).toBe(true);
    const sessionId = pending!.contract.stripeCheckoutSessionId!;
    const eventId = newEventId();
    await applyStripeEvent(t.prisma, {
      id: eventId,
      type: "checkout.session.completed",
      data: { object: { id: sessionId, payment_status: "paid", amount_total: Number(pending!.contract.chargedCents) } },
    });
    const view = await contractView(t.prisma, cardId, { payoutPage: 1, payoutPageSize: 10 });
    expect(view!.contract.status).toBe("ACTIVE");
    expect(view!.contract.paymentMethod).toBe("CARD");
    expect(view!.stripeEvents).toEqual([expect.objectContaining({ id: eventId, type: "checkout.session.completed" })]);
    expect(view!.journals.map((j) => j.kind)).toEqual(["STRIPE_PAYMENT"]);
    expect(view!.journals[0]!.postings.find((p) => p.accountType === "STRIPE_CLEARING")!.amount).toBe(
      -view!.contract.chargedCents! * 10_000n,
    );
    expect(view!.allocations.every((a) => a.status === "LIVE")).toBe(true);
    expect(view!.audit.map((a) => a.action)).toContain("contract.activated");
  });
});
