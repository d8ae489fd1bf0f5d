// A withdrawal's emailed confirmation on a real database (and, once, a real SMTP server): nothing
// happens to a withdrawal before its link is used; the link confirms once (a second click, two
// racing clicks, an expired or voided link, a withdrawal no longer waiting are refused); an
// unused link lets the expiry job cancel the withdrawal and release exactly its hold; every state
// change writes one withdrawal.status notice and mail, with the txid where there is one; admins
// hear when a withdrawal enters review. The 2FA code is passed through here (it is tested in
// withdrawals.test.ts): these tests are about what happens after it.
import { describe, expect, it } from "vitest";
import { sendDueMail } from "../mail/sender";
import {
  createUser,
  deposit,
  driftedAccounts,
  ensureBtc,
  unbalancedJournals,
  usableBtcAddress,
} from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestMailServer } from "../testing/smtp";
import { withTestDatabase } from "../testing/test-database";
import {
  btcBalances,
  confirmWithdrawalLink,
  requestBtcWithdrawal,
  withdrawalAuditActions,
  withdrawalJournalKinds,
  withdrawalLinkToken,
} from "../testing/withdrawals";
import {
  confirmWithdrawalByLink,
  expireUnconfirmedWithdrawals,
  resendWithdrawalLink,
  WITHDRAWAL_LINK_TTL_MS,
  withdrawalToConfirm,
} from "./withdrawal-confirmation";
import { withdrawalsWaitingForReview } from "./withdrawal-notices";
import { manualProcessor, processApprovedWithdrawals } from "./withdrawal-processor";
import { reviewQueue } from "./withdrawal-queries";
import {
  approveWithdrawal,
  cancelWithdrawal,
  markWithdrawalConfirmed,
  markWithdrawalSent,
  rejectWithdrawal,
} from "./withdrawal-transitions";

const { authSecret } = withTestSecrets();
const t = withTestDatabase({ poolMax: 12 });
const inbox = withTestMailServer(authSecret);

// BTC as ensureBtc sets it: minimum 0.0005, fee 0.0001, review from 0.1.
const TXID = "b".repeat(64);

async function customer(balance: bigint) {
  await ensureBtc(t.prisma);
  const user = await createUser(t.prisma);
  const addressId = await usableBtcAddress(t.prisma, user.id);
  if (balance > 0n) await deposit(t.prisma, user.id, "BTC", balance);
  return { id: user.id, email: user.email, addressId };
}

/** The withdrawal.status notices of a user: in-app rows and outbox params, oldest first. */
const request = (c: { id: string; addressId: string }, amount: string) =>
  requestBtcWithdrawal(t.prisma, { userId: c.id, addressId: c.addressId, amount });
const balances = (userId: string) => btcBalances(t.prisma, userId);
const auditActions = (withdrawalId: string) => withdrawalAuditActions(t.prisma, withdrawalId);
const journals = (withdrawalId: string) => withdrawalJournalKinds(t.prisma, withdrawalId);

async function statusNotices(userId: string) {
  const [notifications, mails] = await Promise.all([
    t.prisma.notification.findMany({ where: { userId, kind: "withdrawal.status" }, orderBy: { createdAt: "asc" } }),
    t.prisma.mailOutbox.findMany({ where: { userId, kind: "withdrawal.status" }, orderBy: { createdAt: "asc" } }),
  ]);
  return { notifications, mails: mails.map((m) => m.params as Record<string, unknown>) };
}

describe("before the link is used", () => {
  it("holds the funds and mails the link, and nothing approves, reviews or sends the withdrawal", async () => {
    const c = await customer(50_000_000n);
    const small = await request(c, "0.01");
    const large = await request(c, "0.2");
    for (const w of [small, large]) {
      expect(w).toMatchObject({ status: "REQUESTED", awaitingEmailConfirmation: true });
      expect(new Date(w.confirmBy!).getTime() - Date.now()).toBeGreaterThan(WITHDRAWAL_LINK_TTL_MS - 60_000);
      expect(await journals(w.id)).toEqual(["WITHDRAWAL_REQUEST"]);
      expect(await auditActions(w.id)).toEqual(["withdrawal.requested"]);
    }
    expect(await balances(c.id)).toEqual({ available: 29_000_000n, held: 21_000_000n });

    // The mail: amount, fee, coin and address as text, and the token row's id, never the token.
    const mails = await t.prisma.mailOutbox.findMany({ where: { userId: c.id, kind: "withdrawal.confirm" } });
    expect(mails.map((m) => m.params)).toEqual([
      {
        amount: "0.01",
        fee: "0.0001",
        coin: "BTC",
        address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        tokenId: expect.any(String),
      },
      {
        amount: "0.2",
        fee: "0.0001",
        coin: "BTC",
        address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        tokenId: expect.any(String),
      },
    ]);
    // One live link per withdrawal: the second request did not void the first one's.
    expect(await withdrawalLinkToken(t.prisma, small.id, authSecret)).not.toBeNull();
    expect(await withdrawalLinkToken(t.prisma, large.id, authSecret)).not.toBeNull();

    const admin = await createUser(t.prisma, ["ADMIN"]);
    expect(await approveWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: large.id })).toEqual({
      ok: false,
      code: "ILLEGAL_TRANSITION",
      message: "This withdrawal is waiting for the customer's email confirmation: it cannot be approved.",
    });
    expect((await reviewQueue(t.prisma)).review.map((w) => w.id)).not.toContain(large.id);
    await processApprovedWithdrawals(t.prisma, manualProcessor, 1000);
    const rows = await t.prisma.withdrawal.findMany({ where: { userId: c.id } });
    expect(rows.map((r) => [r.status, r.approvedAt, r.processor, r.emailConfirmedAt])).toEqual([
      ["REQUESTED", null, null, null],
      ["REQUESTED", null, null, null],
    ]);
    await expect(
      t.prisma.withdrawal.update({ where: { id: small.id }, data: { status: "APPROVED", approvedAt: new Date() } }),
    ).rejects.toThrow(/withdrawals_email_confirmation/);
    expect(await statusNotices(c.id)).toEqual({ notifications: [], mails: [] });
  });
});

describe("the link", () => {
  it("confirms once and approves below the review threshold; the second click is refused", async () => {
    const c = await customer(5_000_000n);
    const w = await request(c, "0.01");
    const token = (await withdrawalLinkToken(t.prisma, w.id, authSecret))!;
    // Looking at the page changes nothing.
    expect(await withdrawalToConfirm(t.prisma, token)).toEqual({
      ok: true,
      withdrawal: {
        coin: "BTC",
        amount: "0.01",
        fee: "0.0001",
        net: "0.0099",
        address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        reviewRequired: false,
      },
    });
    expect((await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).emailConfirmedAt).toBeNull();

    const first = await confirmWithdrawalByLink(t.prisma, { token, ip: "203.0.113.7" });
    expect(first).toMatchObject({ ok: true, withdrawal: { status: "APPROVED", awaitingEmailConfirmation: false } });
    const second = await confirmWithdrawalByLink(t.prisma, { token });
    expect(second).toMatchObject({ ok: false, code: "INVALID_LINK", message: expect.stringMatching(/used already/) });
    expect(await withdrawalToConfirm(t.prisma, token)).toMatchObject({ ok: false, code: "INVALID_LINK" });
    expect(await auditActions(w.id)).toEqual([
      "withdrawal.requested",
      "withdrawal.email_confirmed",
      "withdrawal.approved",
    ]);
    const audit = await t.prisma.auditLog.findFirstOrThrow({
      where: { entityId: w.id, action: "withdrawal.email_confirmed" },
    });
    expect(audit).toMatchObject({ actorId: c.id, ip: "203.0.113.7" });
    // Held until sent: confirming moves nothing.
    expect(await balances(c.id)).toEqual({ available: 4_000_000n, held: 1_000_000n });
    expect(await journals(w.id)).toEqual(["WITHDRAWAL_REQUEST"]);
  });

  it("two racing clicks confirm once", async () => {
    const c = await customer(5_000_000n);
    const w = await request(c, "0.01");
    const token = (await withdrawalLinkToken(t.prisma, w.id, authSecret))!;
    const results = await Promise.all(Array.from({ length: 6 }, () => confirmWithdrawalByLink(t.prisma, { token })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(Array(5).fill("INVALID_LINK"));
    expect(await auditActions(w.id)).toEqual([
      "withdrawal.requested",
      "withdrawal.email_confirmed",
      "withdrawal.approved",
    ]);
    expect((await statusNotices(c.id)).notifications).toHaveLength(1);
  });

  it("refuses a forged, expired or voided link, and one for a withdrawal no longer waiting", async () => {
    const c = await customer(5_000_000n);
    expect(await confirmWithdrawalByLink(t.prisma, { token: "A".repeat(43) })).toMatchObject({
      ok: false,
      code: "INVALID_LINK",
    });
    expect(await confirmWithdrawalByLink(t.prisma, { token: "not a token" })).toMatchObject({
      ok: false,
      code: "INVALID_LINK",
    });

    // Cancelled by the customer: the link is refused with what happened.
    const cancelled = await request(c, "0.01");
    const cancelledToken = (await withdrawalLinkToken(t.prisma, cancelled.id, authSecret))!;
    expect(await cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: cancelled.id })).toMatchObject({ ok: true });
    const late = await confirmWithdrawalByLink(t.prisma, { token: cancelledToken });
    expect(late).toEqual({
      ok: false,
      code: "NOT_WAITING",
      message: "This withdrawal was cancelled: there is nothing to confirm.",
    });

    // Expired: the token's 30 minutes are over.
    const expired = await request(c, "0.01");
    const expiredToken = (await withdrawalLinkToken(t.prisma, expired.id, authSecret))!;
    await t.prisma.accountToken.updateMany({
      where: { purpose: "CONFIRM_WITHDRAWAL", payload: { path: ["withdrawalId"], equals: expired.id } },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(await confirmWithdrawalByLink(t.prisma, { token: expiredToken })).toMatchObject({
      ok: false,
      code: "INVALID_LINK",
      message: expect.stringMatching(/expired/),
    });

    // Resent: the older link stops working, the new one confirms, the deadline moves on.
    const resent = await request(c, "0.01");
    const oldToken = (await withdrawalLinkToken(t.prisma, resent.id, authSecret))!;
    const again = await resendWithdrawalLink(t.prisma, { userId: c.id, withdrawalId: resent.id });
    expect(again).toMatchObject({ ok: true });
    const row = await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: resent.id } });
    expect(row.confirmBy!.getTime()).toBe(again.ok ? again.confirmBy.getTime() : 0);
    expect(await confirmWithdrawalByLink(t.prisma, { token: oldToken })).toMatchObject({ code: "INVALID_LINK" });
    expect(await confirmWithdrawalLink(t.prisma, resent.id, { authSecret })).toMatchObject({ ok: true });
    expect(await auditActions(resent.id)).toContain("withdrawal.link_resent");
    expect(await t.prisma.mailOutbox.count({ where: { userId: c.id, kind: "withdrawal.confirm" } })).toBe(4);
  });

  it("resends only for the owner's withdrawal still waiting, three times an hour", async () => {
    const c = await customer(5_000_000n);
    const other = await customer(0n);
    const w = await request(c, "0.01");
    expect(await resendWithdrawalLink(t.prisma, { userId: other.id, withdrawalId: w.id })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    for (let i = 0; i < 3; i++) {
      expect(await resendWithdrawalLink(t.prisma, { userId: c.id, withdrawalId: w.id })).toMatchObject({ ok: true });
    }
    expect(await resendWithdrawalLink(t.prisma, { userId: c.id, withdrawalId: w.id })).toMatchObject({
      ok: false,
      code: "RATE_LIMITED",
    });
    await confirmWithdrawalLink(t.prisma, w.id, { authSecret });
    expect(await resendWithdrawalLink(t.prisma, { userId: c.id, withdrawalId: w.id })).toMatchObject({
      ok: false,
      code: "NOT_WAITING",
    });
  });

  it("a frozen account's link does not confirm", async () => {
    const c = await customer(5_000_000n);
    const w = await request(c, "0.01");
    await t.prisma.user.update({ where: { id: c.id }, data: { frozenAt: new Date(), frozenReason: "test" } });
    expect(await confirmWithdrawalLink(t.prisma, w.id, { authSecret })).toMatchObject({
      ok: false,
      code: "ACCOUNT_FROZEN",
    });
    expect((await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("REQUESTED");
    await t.prisma.user.update({ where: { id: c.id }, data: { frozenAt: null, frozenReason: null } });
  });

  it("is delivered over SMTP, and the link in the received message confirms the withdrawal", async () => {
    const c = await customer(50_000_000n);
    const w = await request(c, "0.0125");
    let sent = 0;
    do sent = (await sendDueMail(t.prisma, inbox.config, 200)).sent;
    while (sent > 0);
    const mail = inbox.smtp.received.find((m) => m.to === c.email && m.subject.startsWith("Confirm your withdrawal"));
    expect(mail?.subject).toBe("Confirm your withdrawal of 0.0125 BTC");
    expect(mail?.text).toContain("0.0001 BTC");
    expect(mail?.text).toContain("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    expect(mail?.text).toContain("expires in 30 minutes");
    const match = /http:\/\/app\.test\/wallet\/withdrawals\/confirm\?token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "");
    expect(match).not.toBeNull();
    const token = match![1]!;
    expect(await withdrawalToConfirm(t.prisma, token)).toMatchObject({ ok: true, withdrawal: { amount: "0.0125" } });
    expect(await confirmWithdrawalByLink(t.prisma, { token })).toMatchObject({
      ok: true,
      withdrawal: { id: w.id, status: "APPROVED" },
    });
    // The approval's notice follows through the same outbox.
    await sendDueMail(t.prisma, inbox.config, 200);
    expect(inbox.smtp.received.filter((m) => m.to === c.email).map((m) => m.subject)).toEqual([
      "Confirm your withdrawal of 0.0125 BTC",
      "Withdrawal approved: 0.0125 BTC",
    ]);
  });
});

describe("expiry", () => {
  it("cancels withdrawals left unconfirmed past their link and releases exactly their holds", async () => {
    const c = await customer(100_000_000n);
    const a = await request(c, "0.01");
    const b = await request(c, "0.2");
    const confirmed = await request(c, "0.3");
    await confirmWithdrawalLink(t.prisma, confirmed.id, { authSecret });
    expect(await balances(c.id)).toEqual({ available: 49_000_000n, held: 51_000_000n });

    // Not yet due: nothing happens.
    expect(await expireUnconfirmedWithdrawals(t.prisma, new Date(Date.now() + WITHDRAWAL_LINK_TTL_MS - 60_000))).toBe(
      0,
    );
    const later = new Date(Date.now() + WITHDRAWAL_LINK_TTL_MS + 60_000);
    // Two workers at once: each withdrawal expires once.
    const [x, y] = await Promise.all([
      expireUnconfirmedWithdrawals(t.prisma, later),
      expireUnconfirmedWithdrawals(t.prisma, later),
    ]);
    expect(x + y).toBeGreaterThanOrEqual(2);
    for (const w of [a, b]) {
      const row = await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
      expect(row).toMatchObject({ status: "CANCELLED", closedAt: later, emailConfirmedAt: null });
      expect(await journals(w.id)).toEqual(["WITHDRAWAL_RELEASE", "WITHDRAWAL_REQUEST"]);
      expect(await auditActions(w.id)).toEqual(["withdrawal.requested", "withdrawal.expired"]);
    }
    // Exactly the two holds went back; the confirmed one stays held and waits for review.
    expect(await balances(c.id)).toEqual({ available: 70_000_000n, held: 30_000_000n });
    expect((await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: confirmed.id } })).status).toBe("REQUESTED");
    const { mails } = await statusNotices(c.id);
    expect(mails.map((m) => [m.status, m.amount])).toEqual([
      ["Expired", "0.01"],
      ["Expired", "0.2"],
    ]);
    expect(String(mails[0]!.message)).toMatch(/not confirmed by email within 30 minutes/);
    // The link, still within its own 30 minutes by the clock, finds nothing to confirm.
    expect(await confirmWithdrawalLink(t.prisma, a.id, { authSecret })).toMatchObject({
      ok: false,
      code: "NOT_WAITING",
    });
    expect(await expireUnconfirmedWithdrawals(t.prisma, later)).toBe(0);
  });
});

describe("notices", () => {
  it("each state change writes one withdrawal.status notice and mail, with the txid where there is one", async () => {
    const c = await customer(100_000_000n);
    const admin = await createUser(t.prisma, ["ADMIN"]);
    const sentOne = await request(c, "0.01");
    await confirmWithdrawalLink(t.prisma, sentOne.id, { authSecret }); // approved
    expect(
      await markWithdrawalSent(t.prisma, { by: { adminId: admin.id }, withdrawalId: sentOne.id, txid: TXID }),
    ).toMatchObject({ ok: true });
    expect(await markWithdrawalConfirmed(t.prisma, { adminId: admin.id, withdrawalId: sentOne.id })).toMatchObject({
      ok: true,
    });
    const rejected = await request(c, "0.2");
    await confirmWithdrawalLink(t.prisma, rejected.id, { authSecret });
    expect(
      await rejectWithdrawal(t.prisma, {
        adminId: admin.id,
        withdrawalId: rejected.id,
        reason: "Address on a sanctions list",
      }),
    ).toMatchObject({ ok: true });
    const reviewed = await request(c, "0.25");
    await confirmWithdrawalLink(t.prisma, reviewed.id, { authSecret });
    expect(await approveWithdrawal(t.prisma, { adminId: admin.id, withdrawalId: reviewed.id })).toMatchObject({
      ok: true,
    });
    const cancelled = await request(c, "0.01");
    await cancelWithdrawal(t.prisma, { userId: c.id, withdrawalId: cancelled.id });

    const { notifications, mails } = await statusNotices(c.id);
    expect(notifications).toHaveLength(mails.length);
    const address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    expect(mails.map(({ message: _message, ...rest }) => rest)).toEqual([
      { status: "Approved", amount: "0.01", coin: "BTC", address, txid: null },
      { status: "Sent", amount: "0.01", coin: "BTC", address, txid: TXID },
      { status: "Confirmed", amount: "0.01", coin: "BTC", address, txid: TXID },
      { status: "Rejected", amount: "0.2", coin: "BTC", address, txid: null },
      { status: "Approved", amount: "0.25", coin: "BTC", address, txid: null },
      { status: "Cancelled", amount: "0.01", coin: "BTC", address, txid: null },
    ]);
    expect(String(mails[1]!.message)).toContain(TXID);
    expect(String(mails[3]!.message)).toContain("Address on a sanctions list");
    expect(notifications.map((n) => n.title)).toEqual([
      "Withdrawal approved",
      "Withdrawal sent",
      "Withdrawal confirmed",
      "Withdrawal rejected",
      "Withdrawal approved",
      "Withdrawal cancelled",
    ]);
    expect(notifications[1]!.body).toContain(TXID);
    expect(notifications.every((n) => n.link === "/wallet")).toBe(true);
  });

  it("every admin who is not frozen hears when a confirmed withdrawal enters review, with the count waiting", async () => {
    const c = await customer(100_000_000n);
    const admins = [await createUser(t.prisma, ["ADMIN"]), await createUser(t.prisma, ["ADMIN", "CUSTOMER"])];
    const frozen = await createUser(t.prisma, ["ADMIN"]);
    await t.prisma.user.update({ where: { id: frozen.id }, data: { frozenAt: new Date(), frozenReason: "test" } });
    const adminNotices = (userId: string) =>
      t.prisma.mailOutbox.findMany({
        where: { userId, kind: "admin.withdrawals_waiting" },
        orderBy: { createdAt: "asc" },
      });

    const small = await request(c, "0.01");
    const large = await request(c, "0.2");
    // Requested, not confirmed: no admin hears of it yet; below the threshold: never.
    await confirmWithdrawalLink(t.prisma, small.id, { authSecret });
    expect(await adminNotices(admins[0]!.id)).toEqual([]);
    await confirmWithdrawalLink(t.prisma, large.id, { authSecret });
    const waiting = await withdrawalsWaitingForReview(t.prisma);
    expect(waiting).toBeGreaterThanOrEqual(1);
    for (const admin of admins) {
      const rows = await adminNotices(admin.id);
      expect(rows.map((r) => r.params)).toEqual([{ count: waiting }]);
      expect(
        await t.prisma.notification.count({ where: { userId: admin.id, kind: "admin.withdrawals_waiting" } }),
      ).toBe(1);
    }
    expect(await adminNotices(frozen.id)).toEqual([]);
    expect(await adminNotices(c.id)).toEqual([]);
  });
});

describe("the books", () => {
  it("every journal balances and every cached balance equals its postings", async () => {
    expect(await unbalancedJournals(t.prisma)).toEqual([]);
    expect(await driftedAccounts(t.prisma)).toEqual([]);
  });
});
