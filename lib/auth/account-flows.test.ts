// Registration, verification, password reset and email change end to end below the UI: each
// link is read back from a real SMTP server the outbox delivered to, and works exactly once.
import { describe, expect, it } from "vitest";
import { sendDueMail } from "../mail/sender";
import { withTestSecrets } from "../testing/secrets";
import { withTestMailServer } from "../testing/smtp";
import { withTestDatabase } from "../testing/test-database";
import { changePassword, confirmEmailChange, requestEmailChange } from "./account-settings";
import { authenticate } from "./login";
import { requestPasswordReset, resetPassword } from "./password-reset";
import { registerUser, resendVerification, verifyEmail } from "./register";

const { authSecret } = withTestSecrets();
const t = withTestDatabase({ poolMax: 6 });
const inbox = withTestMailServer(authSecret);
const password = "copper otter rides the tram";

/** Delivers the outbox and returns the token of the one message's link to `path`. */
async function linkFromMail(to: string, path: string): Promise<string> {
  await sendDueMail(t.prisma, inbox.config);
  const mail = inbox.smtp.received.filter((m) => m.to === to).at(-1);
  const match = new RegExp(`http://app\\.test${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail?.text ?? "");
  if (!match) throw new Error(`no ${path} link in the mail to ${to}: ${mail?.subject ?? "no mail"}`);
  return match[1]!;
}

async function register(email: string) {
  const answer = await registerUser(t.prisma, {
    name: "Nia",
    email,
    password,
    accountType: "CUSTOMER",
    acceptTerms: true,
  });
  expect(answer).toEqual({ ok: true });
  return t.prisma.user.findUniqueOrThrow({ where: { email } });
}

describe("email verification", () => {
  it("verifies with the emailed link once; a resent link voids the first", async () => {
    const user = await register("nia@example.com");
    const first = await linkFromMail(user.email, "/account/verify");
    expect(inbox.smtp.received.at(-1)?.subject).toBe("Verify your email for Hashlease");
    expect(await resendVerification(t.prisma, user.id)).toEqual({ ok: true, alreadyVerified: false });
    const second = await linkFromMail(user.email, "/account/verify");
    expect(second).not.toBe(first);
    expect(await verifyEmail(t.prisma, first)).toMatchObject({ ok: false, code: "INVALID_LINK" });
    expect(await verifyEmail(t.prisma, second)).toEqual({ ok: true, userId: user.id });
    expect(await verifyEmail(t.prisma, second)).toMatchObject({ ok: false, code: "INVALID_LINK" });
    const after = await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(await resendVerification(t.prisma, user.id)).toEqual({ ok: true, alreadyVerified: true });
  });

  it("limits resends to three an hour", async () => {
    const user = await register("resend@example.com");
    for (let i = 0; i < 3; i++) expect((await resendVerification(t.prisma, user.id)).ok).toBe(true);
    expect(await resendVerification(t.prisma, user.id)).toMatchObject({ ok: false, code: "RATE_LIMITED" });
  });

  it("tells the owner of a taken address, not the person at the form", async () => {
    const owner = await register("owner@example.com");
    await sendDueMail(t.prisma, inbox.config);
    inbox.smtp.received.length = 0;
    const again = await registerUser(t.prisma, {
      name: "Mallory",
      email: "Owner@Example.com",
      password: "another fine long passphrase",
      accountType: "OPERATOR",
      acceptTerms: true,
    });
    expect(again).toEqual({ ok: true });
    await sendDueMail(t.prisma, inbox.config);
    expect(inbox.smtp.received.map((m) => [m.to, m.subject])).toEqual([
      [owner.email, "Someone tried to register with your email"],
    ]);
    // Nothing changed on the account.
    const after = await t.prisma.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(after.passwordHash).toBe(owner.passwordHash);
    expect(after.roles).toEqual(["CUSTOMER"]);
  });
});

describe("password reset", () => {
  it("answers an unknown address like a known one and mails only the known one", async () => {
    await register("reset@example.com");
    await sendDueMail(t.prisma, inbox.config);
    inbox.smtp.received.length = 0;
    const known = await requestPasswordReset(t.prisma, { email: "RESET@example.com", ip: "198.51.100.1" });
    const unknown = await requestPasswordReset(t.prisma, { email: "ghost@example.com", ip: "198.51.100.1" });
    expect(known).toEqual({ ok: true });
    expect(unknown).toEqual(known);
    await sendDueMail(t.prisma, inbox.config);
    expect(inbox.smtp.received.map((m) => m.to)).toEqual(["reset@example.com"]);
  });

  it("resets once with the emailed link, ends every session and sends the notice", async () => {
    const user = await register("forgot@example.com");
    await t.prisma.userSession.create({ data: { userId: user.id, ip: "10.0.0.1", userAgent: "test" } });
    await requestPasswordReset(t.prisma, { email: user.email, ip: "10.0.0.9" });
    const token = await linkFromMail(user.email, "/reset-password");
    expect(inbox.smtp.received.at(-1)?.text).toContain("expires in 30 minutes");

    const weak = await resetPassword(t.prisma, { token, password: "forgot@example.com", ip: null });
    expect(weak).toMatchObject({ ok: false, code: "INVALID" });
    const done = await resetPassword(t.prisma, { token, password: "a brand new sentence to type", ip: "10.0.0.9" });
    expect(done).toEqual({ ok: true, email: user.email });
    expect(await resetPassword(t.prisma, { token, password: "and yet another one here", ip: null })).toMatchObject({
      ok: false,
      code: "INVALID_LINK",
    });

    const after = await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.sessionsValidAfter.getTime()).toBeGreaterThan(user.sessionsValidAfter.getTime());
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(await t.prisma.userSession.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    expect(await authenticate(t.prisma, { email: user.email, password, ip: "10.0.0.9" })).toMatchObject({ ok: false });
    expect(
      await authenticate(t.prisma, { email: user.email, password: "a brand new sentence to type", ip: "10.0.0.9" }),
    ).toMatchObject({ ok: true });
    await sendDueMail(t.prisma, inbox.config);
    expect(inbox.smtp.received.at(-1)?.subject).toBe("Your Hashlease password was changed");
  });

  it("refuses a forged or expired link", async () => {
    const user = await register("expired@example.com");
    await requestPasswordReset(t.prisma, { email: user.email, ip: null });
    const token = await linkFromMail(user.email, "/reset-password");
    await t.prisma.accountToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const refused = { ok: false, code: "INVALID_LINK" };
    expect(await resetPassword(t.prisma, { token, password: "a brand new sentence to type", ip: null })).toMatchObject(
      refused,
    );
    expect(
      await resetPassword(t.prisma, { token: "A".repeat(43), password: "a brand new sentence to type", ip: null }),
    ).toMatchObject(refused);
  });
});

describe("email and password changes", () => {
  it("moves the account to a new address through a link sent there, telling the old one", async () => {
    const user = await register("old@example.com");
    expect(
      await requestEmailChange(t.prisma, { userId: user.id, newEmail: "new@example.com", password: "nope", ip: null }),
    ).toMatchObject({ ok: false, code: "WRONG_PASSWORD" });
    expect(
      await requestEmailChange(t.prisma, { userId: user.id, newEmail: "New@Example.com", password, ip: null }),
    ).toEqual({ ok: true, to: "new@example.com" });
    const token = await linkFromMail("new@example.com", "/account/confirm-email");
    inbox.smtp.received.length = 0;
    expect(await confirmEmailChange(t.prisma, { token, ip: null })).toEqual({ ok: true, email: "new@example.com" });
    expect(await confirmEmailChange(t.prisma, { token, ip: null })).toMatchObject({ code: "INVALID_LINK" });
    await sendDueMail(t.prisma, inbox.config);
    expect(inbox.smtp.received.map((m) => [m.to, m.subject])).toEqual([
      ["old@example.com", "Your Hashlease email was changed"],
    ]);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe("new@example.com");
  });

  it("refuses to move onto an address another account took meanwhile", async () => {
    const user = await register("mover@example.com");
    await requestEmailChange(t.prisma, { userId: user.id, newEmail: "taken@example.com", password, ip: null });
    const token = await linkFromMail("taken@example.com", "/account/confirm-email");
    await register("taken@example.com");
    expect(await confirmEmailChange(t.prisma, { token, ip: null })).toMatchObject({ ok: false, code: "EMAIL_TAKEN" });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe("mover@example.com");
    expect(await t.prisma.notification.count({ where: { userId: user.id, kind: "security.email_changed" } })).toBe(0);
  });

  it("changes the password with the current one, ending the other sessions", async () => {
    const user = await register("change@example.com");
    const [kept, other] = await Promise.all(
      ["this", "other"].map((userAgent) => t.prisma.userSession.create({ data: { userId: user.id, userAgent } })),
    );
    const next = "the quiet violet harbour at noon";
    expect(
      await changePassword(t.prisma, {
        userId: user.id,
        current: "wrong one",
        next,
        ip: null,
        keepSessionId: kept!.id,
      }),
    ).toMatchObject({ ok: false, code: "WRONG_PASSWORD", fieldErrors: { current: expect.any(String) } });
    expect(
      await changePassword(t.prisma, { userId: user.id, current: password, next: "password1234", ip: null }),
    ).toMatchObject({ ok: false, code: "INVALID", fieldErrors: { next: expect.any(String) } });
    const done = await changePassword(t.prisma, {
      userId: user.id,
      current: password,
      next,
      ip: null,
      keepSessionId: kept!.id,
    });
    expect(done.ok).toBe(true);
    const sessions = await t.prisma.userSession.findMany({ where: { userId: user.id } });
    expect(sessions.find((s) => s.id === kept!.id)?.revokedAt).toBeNull();
    expect(sessions.find((s) => s.id === other!.id)?.revokedReason).toBe("password_changed");
  });
});
