// The withdrawals freeze on a real database and a real SMTP server: the new-address notice with its
// own 7-day link, the "this wasn't me" click (once; unsent withdrawals cancelled with their holds
// released exactly, sessions ended, admins told), the refusal of a frozen account's withdrawal
// request and its processing, and the admin's lift.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { liftWithdrawalsFreeze } from "../admin/accounts";
import { refusalStatus } from "../api/error-codes";
import { accountTokenFor } from "../auth/account-tokens";
import { totpCodeFor } from "../auth/totp";
import { bigIntToDecimal } from "../db/decimal";
import type { WithdrawalStatus } from "../generated/prisma/enums";
import { balanceOf, postJournal } from "../ledger/ledger";
import { sendDueMail } from "../mail/sender";
import { keyB64 } from "../secrets/test-helpers";
import { createUser, deposit, ensureBtc, unbalancedJournals, usableBtcAddress } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { itOnServer } from "../testing/server-only";
import { withTestMailServer } from "../testing/smtp";
import { withTestDatabase } from "../testing/test-database";
import { enrollTotp } from "../testing/totp";
import { addWithdrawalAddress } from "./address-book";
import { FREEZE_LINK_TTL_MS, freezeLinkState, freezeWithdrawalsByLink } from "./withdrawal-freeze";
import { userAccount } from "./withdrawal-ledger";
import { processApprovedWithdrawals, type WithdrawalProcessor } from "./withdrawal-processor";
import { requestWithdrawal } from "./withdrawal-request";

const keys = `k1:${keyB64()}`;
const { authSecret } = withTestSecrets(keys);
const t = withTestDatabase({ poolMax: 8 });
const inbox = withTestMailServer(authSecret);

const BTC_ADDRESSES = [
  "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
  "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
  "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
];
const BTC = 100_000_000n;

// Each add moves the clock one TOTP step on, so every code is fresh (a code is accepted once).
let clock = Date.parse("2026-12-01T10:00:00Z");
const tick = () => new Date((clock += 30_000));

async function customer(balance = 0n) {
  await ensureBtc(t.prisma);
  const user = await createUser(t.prisma);
  const secret = await enrollTotp(t.prisma, user.id, keys, { enabledAt: new Date(0) });
  if (balance > 0n) await deposit(t.prisma, user.id, "BTC", balance);
  return { ...user, secret };
}
type Customer = Awaited<ReturnType<typeof customer>>;

async function addAddress(c: Customer, address: string, label = "Cold wallet") {
  const now = tick();
  const result = await addWithdrawalAddress(t.prisma, {
    userId: c.id,
    input: { coin: "BTC", address, label, totpCode: totpCodeFor(c.secret, now) },
    ip: "203.0.113.7",
    now,
  });
  if (!result.ok) throw new Error(result.message);
  return result;
}

/** Delivers the outbox and returns the token of the newest message's link to /account/freeze. */
async function freezeLinkFromMail(to: string): Promise<string> {
  await sendDueMail(t.prisma, inbox.config);
  const mail = inbox.smtp.received.filter((m) => m.to === to).at(-1);
  const match = /http:\/\/app\.test\/account\/freeze\?token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "");
  if (!match) throw new Error(`no freeze link in the mail to ${to}: ${mail?.subject ?? "no mail"}`);
  return match[1]!;
}

/** A withdrawal whose funds are held (the request's journal), left in `status`. */
async function heldWithdrawal(
  c: Customer,
  addressId: string,
  amountBase: bigint,
  status: WithdrawalStatus,
  processor: string | null = null,
) {
  const now = new Date();
  return t.prisma.$transaction(async (tx) => {
    const row = await tx.withdrawal.create({
      data: {
        userId: c.id,
        coin: "BTC",
        addressId,
        address: BTC_ADDRESSES[0]!,
        amountBase: bigIntToDecimal(amountBase),
        networkFeeBase: bigIntToDecimal(10_000n),
        netBase: bigIntToDecimal(amountBase - 10_000n),
        status: "REQUESTED",
        reviewRequired: status === "REQUESTED",
        idempotencyKey: randomUUID(),
        requestedAt: now,
        emailConfirmedAt: now,
      },
    });
    await postJournal(tx, {
      kind: "WITHDRAWAL_REQUEST",
      description: "test withdrawal: funds held",
      referenceType: "withdrawal",
      referenceId: row.id,
      postings: [
        { account: userAccount("USER_AVAILABLE", "BTC", c.id), amount: -amountBase },
        { account: userAccount("USER_HELD", "BTC", c.id), amount: amountBase },
      ],
    });
    if (status === "APPROVED") {
      await tx.withdrawal.update({
        where: { id: row.id },
        data: { status, approvedAt: now, processor, submittedAt: processor ? now : null },
      });
    }
    return row.id;
  });
}

const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");
const available = (userId: string) => balanceOf(t.prisma, userAccount("USER_AVAILABLE", "BTC", userId));
const held = (userId: string) => balanceOf(t.prisma, userAccount("USER_HELD", "BTC", userId));
const auditCount = (action: string, entityId: string) => t.prisma.auditLog.count({ where: { action, entityId } });

describe("the new-address notice", () => {
  it("is written with the address, in-app without a link's token and as mail naming a 7-day freeze token", async () => {
    const c = await customer();
    const first = await addAddress(c, BTC_ADDRESSES[0]!, "Ledger");
    const notices = await t.prisma.notification.findMany({ where: { userId: c.id } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: "security.new_withdrawal_address",
      title: "A new withdrawal address",
      link: "/wallet/addresses",
    });
    expect(notices[0]!.body).not.toMatch(/token/i);

    const mails = await t.prisma.mailOutbox.findMany({ where: { userId: c.id } });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: "security.new_withdrawal_address", toAddress: c.email });
    const params = mails[0]!.params as Record<string, unknown>;
    expect(params).toMatchObject({ coin: "BTC", label: "Ledger", address: first.address });
    const token = await t.prisma.accountToken.findUniqueOrThrow({ where: { id: String(params.tokenId) } });
    expect(token).toMatchObject({ userId: c.id, purpose: "FREEZE_WITHDRAWALS", usedAt: null });
    expect(token.payload).toMatchObject({ addressId: first.addressId, coin: "BTC", label: "Ledger" });
    const ttl = token.expiresAt.getTime() - token.createdAt.getTime();
    expect(Math.abs(ttl - FREEZE_LINK_TTL_MS)).toBeLessThan(5_000);

    // A second address gets its own link; the first one's keeps working.
    await addAddress(c, BTC_ADDRESSES[1]!, "Exchange");
    const tokens = await t.prisma.accountToken.findMany({
      where: { userId: c.id, purpose: "FREEZE_WITHDRAWALS", usedAt: null, expiresAt: { gt: new Date() } },
    });
    expect(tokens).toHaveLength(2);
    expect(await t.prisma.mailOutbox.count({ where: { userId: c.id, kind: "security.new_withdrawal_address" } })).toBe(
      2,
    );
  });

  it("is not written when the add is refused", async () => {
    const c = await customer();
    const now = tick();
    const refused = await addWithdrawalAddress(t.prisma, {
      userId: c.id,
      input: { coin: "BTC", address: BTC_ADDRESSES[0]!, label: "x", totpCode: wrongCode(totpCodeFor(c.secret, now)) },
      now,
    });
    expect(refused.ok).toBe(false);
    expect(await t.prisma.mailOutbox.count({ where: { userId: c.id } })).toBe(0);
    expect(await t.prisma.accountToken.count({ where: { userId: c.id } })).toBe(0);
  });
});

describe("the freeze link", () => {
  it("freezes once: unsent withdrawals cancelled with exact releases, address removed, sessions ended, admins told", async () => {
    const admin = await createUser(t.prisma, ["ADMIN"]);
    const c = await customer(1n * BTC);
    const spare = await usableBtcAddress(t.prisma, c.id);
    const added = await addAddress(c, BTC_ADDRESSES[0]!, "Not mine");
    const other = await addAddress(c, BTC_ADDRESSES[2]!, "Also not mine");
    const review = await heldWithdrawal(c, spare, 20_000_000n, "REQUESTED");
    const manual = await heldWithdrawal(c, spare, 10_000_000n, "APPROVED", "manual");
    const queued = await heldWithdrawal(c, spare, 7_000_000n, "APPROVED");
    const broadcasting = await heldWithdrawal(c, spare, 5_000_000n, "APPROVED", "node");
    expect(await available(c.id)).toBe(58_000_000n);
    expect(await held(c.id)).toBe(42_000_000n);
    await t.prisma.userSession.createMany({
      data: [
        { userId: c.id, ip: "10.0.0.1", userAgent: "phone" },
        { userId: c.id, ip: "10.0.0.2", userAgent: "laptop" },
      ],
    });
    await t.prisma.mailOutbox.deleteMany({});
    inbox.smtp.received.length = 0;

    const tokenId = async (addressId: string) => {
      const row = await t.prisma.accountToken.findFirstOrThrow({
        where: { userId: c.id, purpose: "FREEZE_WITHDRAWALS", payload: { path: ["addressId"], equals: addressId } },
      });
      return row.id;
    };
    const token = accountTokenFor(await tokenId(added.addressId), authSecret);
    const otherToken = accountTokenFor(await tokenId(other.addressId), authSecret);

    expect(await freezeLinkState(t.prisma, token)).toEqual({
      state: "ready",
      coin: "BTC",
      label: "Not mine",
      address: added.address,
    });
    const frozen = await freezeWithdrawalsByLink(t.prisma, { token, ip: "198.51.100.4" });
    expect(frozen).toMatchObject({ ok: true, userId: c.id, cancelled: 3, sessionsEnded: 2 });

    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } });
    expect(user.withdrawalsFrozenAt).not.toBeNull();
    expect(user.withdrawalsFrozenReason).toContain(added.address);
    expect(user.frozenAt).toBeNull(); // the account itself stays open
    const states = await t.prisma.withdrawal.findMany({ where: { userId: c.id }, select: { id: true, status: true } });
    expect(Object.fromEntries(states.map((w) => [w.id, w.status]))).toEqual({
      [review]: "CANCELLED",
      [manual]: "CANCELLED",
      [queued]: "CANCELLED",
      [broadcasting]: "APPROVED",
    });
    // Exactly the three cancelled holds are back; the one a processor holds stays held.
    expect(await available(c.id)).toBe(95_000_000n);
    expect(await held(c.id)).toBe(5_000_000n);
    expect(
      await t.prisma.journalTransaction.count({ where: { kind: "WITHDRAWAL_RELEASE", referenceId: review } }),
    ).toBe(1);
    expect(await unbalancedJournals(t.prisma)).toEqual([]);
    expect(await auditCount("withdrawal.cancelled", manual)).toBe(1);

    const entry = await t.prisma.withdrawalAddress.findUniqueOrThrow({ where: { id: added.addressId } });
    expect(entry.deletedAt).not.toBeNull();
    expect(await t.prisma.userSession.count({ where: { userId: c.id, revokedAt: null } })).toBe(0);
    expect(await t.prisma.userSession.count({ where: { userId: c.id, revokedReason: "withdrawals_frozen" } })).toBe(2);
    expect(await auditCount("withdrawals.frozen_by_user", c.id)).toBe(1);

    const notices = await t.prisma.notification.findMany({
      where: { kind: { in: ["security.withdrawals_frozen", "admin.withdrawals_frozen"] } },
      select: { userId: true, kind: true, link: true },
    });
    expect(notices).toContainEqual({ userId: c.id, kind: "security.withdrawals_frozen", link: "/wallet" });
    expect(notices).toContainEqual({
      userId: admin.id,
      kind: "admin.withdrawals_frozen",
      link: `/admin/users/${c.id}`,
    });
    await sendDueMail(t.prisma, inbox.config);
    const subjects = inbox.smtp.received.map((m) => [m.to, m.subject]);
    expect(subjects).toContainEqual([c.email, "Withdrawals from your Hashlease account are frozen"]);
    expect(subjects).toContainEqual([admin.email, `Withdrawals frozen by ${c.email}`]);
    expect(inbox.smtp.received.find((m) => m.to === c.email)?.text).toContain(
      "3 withdrawal(s) not yet sent were cancelled",
    );

    // The same link again, or another address's link: already frozen, nothing changes.
    const balanceAfter = await available(c.id);
    for (const again of [token, otherToken]) {
      const second = await freezeWithdrawalsByLink(t.prisma, { token: again, ip: null });
      expect(second).toMatchObject({ ok: false, code: "ALREADY_FROZEN" });
      expect(!second.ok && second.message).toMatch(/already frozen/);
    }
    expect(await freezeLinkState(t.prisma, token)).toMatchObject({ state: "frozen" });
    expect(await auditCount("withdrawals.frozen_by_user", c.id)).toBe(1);
    expect(await available(c.id)).toBe(balanceAfter);
    const otherRow = await t.prisma.accountToken.findUniqueOrThrow({ where: { id: await tokenId(other.addressId) } });
    expect(otherRow.usedAt).toBeNull();
  });

  it("refuses a forged, expired or used link after a lift, and changes nothing", async () => {
    const admin = await createUser(t.prisma, ["ADMIN"]);
    const c = await customer();
    await addAddress(c, BTC_ADDRESSES[0]!);
    const token = await freezeLinkFromMail(c.email);
    expect(await freezeWithdrawalsByLink(t.prisma, { token: "A".repeat(43), ip: null })).toMatchObject({
      ok: false,
      code: "INVALID_LINK",
    });
    expect(await freezeWithdrawalsByLink(t.prisma, { token: "short", ip: null })).toMatchObject({
      ok: false,
      code: "INVALID_LINK",
    });
    expect((await freezeWithdrawalsByLink(t.prisma, { token, ip: null })).ok).toBe(true);
    expect(
      await liftWithdrawalsFreeze(t.prisma, { adminId: admin.id, userId: c.id, note: "Called the customer" }),
    ).toEqual({ ok: true });
    // Used once: after the lift the old link cannot freeze again.
    expect(await freezeWithdrawalsByLink(t.prisma, { token, ip: null })).toMatchObject({
      ok: false,
      code: "INVALID_LINK",
    });
    expect(await freezeLinkState(t.prisma, token)).toEqual({ state: "invalid" });

    await addAddress(c, BTC_ADDRESSES[1]!);
    const late = await freezeLinkFromMail(c.email);
    await t.prisma.accountToken.updateMany({
      where: { userId: c.id, usedAt: null },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(await freezeWithdrawalsByLink(t.prisma, { token: late, ip: null })).toMatchObject({
      ok: false,
      code: "INVALID_LINK",
    });
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } });
    expect(user.withdrawalsFrozenAt).toBeNull();
  });

  itOnServer("two clicks at once freeze once", "several connections at once", async () => {
    const c = await customer(1n * BTC);
    const spare = await usableBtcAddress(t.prisma, c.id);
    await heldWithdrawal(c, spare, 30_000_000n, "REQUESTED");
    await addAddress(c, BTC_ADDRESSES[0]!);
    const token = await freezeLinkFromMail(c.email);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => freezeWithdrawalsByLink(t.prisma, { token, ip: null })),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok).map((a) => !a.ok && a.code)).toEqual([
      "ALREADY_FROZEN",
      "ALREADY_FROZEN",
      "ALREADY_FROZEN",
    ]);
    expect(await available(c.id)).toBe(1n * BTC);
    expect(await held(c.id)).toBe(0n);
    expect(await auditCount("withdrawals.frozen_by_user", c.id)).toBe(1);
  });
});

describe("while withdrawals are frozen", () => {
  it("a withdrawal request is refused with 403 WITHDRAWALS_FROZEN and writes nothing", async () => {
    const c = await customer(1n * BTC);
    const addressId = await usableBtcAddress(t.prisma, c.id);
    await addAddress(c, BTC_ADDRESSES[0]!);
    expect((await freezeWithdrawalsByLink(t.prisma, { token: await freezeLinkFromMail(c.email), ip: null })).ok).toBe(
      true,
    );
    const before = {
      withdrawals: await t.prisma.withdrawal.count({ where: { userId: c.id } }),
      journals: await t.prisma.journalTransaction.count(),
      keys: await t.prisma.idempotencyKey.count({ where: { userId: c.id } }),
      lastStep: (await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } })).totpLastStep,
    };
    const now = tick();
    const refused = await requestWithdrawal(t.prisma, {
      userId: c.id,
      idempotencyKey: randomUUID(),
      body: { coin: "BTC", addressId, amount: "0.01", totpCode: totpCodeFor(c.secret, now) },
      now,
    });
    expect(refused).toMatchObject({ ok: false, code: "WITHDRAWALS_FROZEN" });
    expect(!refused.ok && refused.message).toMatch(/frozen.*admin must look at your account and lift the freeze/);
    expect(refusalStatus("WITHDRAWALS_FROZEN")).toBe(403);
    expect({
      withdrawals: await t.prisma.withdrawal.count({ where: { userId: c.id } }),
      journals: await t.prisma.journalTransaction.count(),
      keys: await t.prisma.idempotencyKey.count({ where: { userId: c.id } }),
      lastStep: (await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } })).totpLastStep,
    }).toEqual(before);
    expect(await available(c.id)).toBe(1n * BTC);
  });

  it("adding an address stays possible and is noticed; its link answers already frozen", async () => {
    const c = await customer();
    await addAddress(c, BTC_ADDRESSES[0]!);
    expect((await freezeWithdrawalsByLink(t.prisma, { token: await freezeLinkFromMail(c.email), ip: null })).ok).toBe(
      true,
    );
    await addAddress(c, BTC_ADDRESSES[1]!, "Added while frozen");
    const token = await freezeLinkFromMail(c.email);
    expect(inbox.smtp.received.at(-1)?.subject).toBe("New BTC withdrawal address added");
    expect(await freezeWithdrawalsByLink(t.prisma, { token, ip: null })).toMatchObject({
      ok: false,
      code: "ALREADY_FROZEN",
    });
    expect(await t.prisma.withdrawalAddress.count({ where: { userId: c.id, deletedAt: null } })).toBe(1);
  });

  it("the processor hands over none of the account's approved withdrawals", async () => {
    const c = await customer(1n * BTC);
    const addressId = await usableBtcAddress(t.prisma, c.id);
    const approved = await heldWithdrawal(c, addressId, 10_000_000n, "APPROVED");
    await t.prisma.user.update({
      where: { id: c.id },
      data: { withdrawalsFrozenAt: new Date(), withdrawalsFrozenReason: "test" },
    });
    const handed: string[] = [];
    const processor: WithdrawalProcessor = {
      name: "recorder",
      async submit(w) {
        handed.push(w.id);
        return { status: "queued" };
      },
    };
    await processApprovedWithdrawals(t.prisma, processor);
    expect(handed).not.toContain(approved);
    expect(await t.prisma.withdrawal.findUniqueOrThrow({ where: { id: approved } })).toMatchObject({
      status: "APPROVED",
      processor: null,
      submittedAt: null,
    });
    await t.prisma.user.update({ where: { id: c.id }, data: { withdrawalsFrozenAt: null } });
    await processApprovedWithdrawals(t.prisma, processor);
    expect(handed).toContain(approved);
  });
});

describe("the admin's lift", () => {
  it("needs a live admin other than the customer and a note; is audited and tells the customer", async () => {
    const admin = await createUser(t.prisma, ["ADMIN"]);
    const frozenAdmin = await createUser(t.prisma, ["ADMIN"]);
    await t.prisma.user.update({ where: { id: frozenAdmin.id }, data: { frozenAt: new Date(), frozenReason: "x" } });
    const c = await customer();
    await addAddress(c, BTC_ADDRESSES[0]!);
    expect((await freezeWithdrawalsByLink(t.prisma, { token: await freezeLinkFromMail(c.email), ip: null })).ok).toBe(
      true,
    );
    const note = "Confirmed with the customer by phone";
    expect(await liftWithdrawalsFreeze(t.prisma, { adminId: c.id, userId: c.id, note })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    const notAdmin = await customer();
    expect(await liftWithdrawalsFreeze(t.prisma, { adminId: notAdmin.id, userId: c.id, note })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await liftWithdrawalsFreeze(t.prisma, { adminId: frozenAdmin.id, userId: c.id, note })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await liftWithdrawalsFreeze(t.prisma, { adminId: admin.id, userId: c.id, note: "  " })).toMatchObject({
      ok: false,
      code: "INVALID",
      fieldErrors: { note: expect.stringMatching(/Write what you checked/) },
    });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } })).withdrawalsFrozenAt).not.toBeNull();

    expect(await liftWithdrawalsFreeze(t.prisma, { adminId: admin.id, userId: c.id, note, ip: "192.0.2.9" })).toEqual({
      ok: true,
    });
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } });
    expect(user).toMatchObject({ withdrawalsFrozenAt: null, withdrawalsFrozenReason: null });
    const lines = await t.prisma.auditLog.findMany({ where: { action: "withdrawals.unfrozen", entityId: c.id } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ actorId: admin.id, ip: "192.0.2.9" });
    expect(lines[0]!.details).toMatchObject({ note });
    expect(await t.prisma.notification.count({ where: { userId: c.id, kind: "security.withdrawals_unfrozen" } })).toBe(
      1,
    );
    await sendDueMail(t.prisma, inbox.config);
    expect(inbox.smtp.received.filter((m) => m.to === c.email).map((m) => m.subject)).toContain(
      "Withdrawals from your Hashlease account are possible again",
    );
    expect(await liftWithdrawalsFreeze(t.prisma, { adminId: admin.id, userId: c.id, note })).toMatchObject({
      ok: false,
      code: "UNCHANGED",
    });
  });
});

describe("through real SMTP", () => {
  it("the received notice's link freezes withdrawals, and the link itself is in no table", async () => {
    const c = await customer();
    await addAddress(c, BTC_ADDRESSES[0]!, "Hardware wallet");
    await sendDueMail(t.prisma, inbox.config);
    const mail = inbox.smtp.received.find((m) => m.to === c.email);
    expect(mail?.subject).toBe("New BTC withdrawal address added");
    expect(mail?.text).toContain(BTC_ADDRESSES[0]);
    expect(mail?.text).toContain("This wasn't me: freeze withdrawals");
    const token = /http:\/\/app\.test\/account\/freeze\?token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? "")?.[1];
    expect(token).toBeDefined();
    const outbox = await t.prisma.mailOutbox.findFirstOrThrow({ where: { userId: c.id } });
    expect(JSON.stringify(outbox.params)).not.toContain(token);
    const stored = await t.prisma.accountToken.findFirstOrThrow({ where: { userId: c.id } });
    expect(stored.tokenHash).not.toContain(token);

    expect(await freezeWithdrawalsByLink(t.prisma, { token: token!, ip: "198.51.100.8" })).toMatchObject({ ok: true });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } })).withdrawalsFrozenAt).not.toBeNull();
  });
});
