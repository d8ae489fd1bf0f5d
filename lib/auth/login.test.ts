import { describe, expect, it } from "vitest";
import { TERMS_VERSION } from "../legal/documents";
import { AUTH_SECRET } from "../secrets/test-helpers";
import { withTestSecrets } from "../testing/secrets";
import { withTestDatabase } from "../testing/test-database";
import { authenticate, completeSecondFactor, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from "./login";
import {
  issueLoginTicket,
  LOGIN_TICKET_COOKIE,
  LOGIN_TICKET_TTL_MS,
  readLoginTicket,
  ticketFromCookieHeader,
} from "./login-ticket";
import { loginErrorMessages } from "./messages";
import { hashPassword, verifyPassword } from "./password";
import { registerUser } from "./register";
import { totpCodeFor } from "./totp";
import { confirmTotpEnrolment, startTotpEnrolment } from "./two-factor";

withTestSecrets();
const t = withTestDatabase();

const password = "correct horse battery staple";

describe("password hashing", () => {
  it("stores scrypt hashes with a random salt, never the password", async () => {
    const a = await hashPassword(password);
    const b = await hashPassword(password);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(password);
    expect(await verifyPassword(password, a)).toBe(true);
    expect(await verifyPassword(`${password}!`, a)).toBe(false);
    expect(await verifyPassword(password, "garbage")).toBe(false);
  });
});

describe("registration", () => {
  it("creates a customer with a hashed password and a normalised email", async () => {
    const result = await registerUser(t.prisma, {
      name: "Ada",
      email: "  Ada@Example.COM ",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    expect(result.ok).toBe(true);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(user.roles).toEqual(["CUSTOMER"]);
    expect(user.passwordHash).not.toContain(password);
    expect(user.termsVersion).toBe(TERMS_VERSION);
    expect(user.termsAcceptedAt).toBeInstanceOf(Date);
    const line = await t.prisma.auditLog.findFirstOrThrow({ where: { action: "auth.registered", entityId: user.id } });
    expect(line.details).toMatchObject({ termsVersion: TERMS_VERSION });
  });

  it("refuses a sign-up that does not accept the terms, with the field named, and writes nothing", async () => {
    const before = await t.prisma.user.count();
    for (const acceptTerms of [undefined, false, "off", ""]) {
      const result = await registerUser(t.prisma, {
        name: "Tess",
        email: "tess@example.com",
        password,
        accountType: "CUSTOMER",
        acceptTerms,
      });
      expect(result).toEqual({
        ok: false,
        code: "INVALID",
        message: "Check the field marked below.",
        fieldErrors: {
          acceptTerms: "Accept the terms of service, the risk disclosure and the privacy notice to sign up.",
        },
      });
    }
    // The form's checkbox sends "on".
    expect(
      await registerUser(t.prisma, {
        name: "Tess",
        email: "tess@example.com",
        password,
        accountType: "CUSTOMER",
        acceptTerms: "on",
      }),
    ).toEqual({ ok: true });
    expect(await t.prisma.user.count()).toBe(before + 1);
  });

  it("operators also get the customer role; nobody registers as admin", async () => {
    const op = await registerUser(t.prisma, {
      name: "Op",
      email: "op@example.com",
      password,
      accountType: "OPERATOR",
      acceptTerms: true,
    });
    expect(op.ok).toBe(true);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { email: "op@example.com" } })).roles).toEqual([
      "OPERATOR",
      "CUSTOMER",
    ]);
    const admin = await registerUser(t.prisma, {
      name: "Eve",
      email: "eve@example.com",
      password,
      accountType: "ADMIN",
      acceptTerms: true,
    });
    expect(admin).toEqual({
      ok: false,
      code: "INVALID",
      message: "Check the field marked below.",
      fieldErrors: { accountType: "Choose an account type." },
    });
  });

  it("explains every bad field and writes nothing", async () => {
    const before = await t.prisma.user.count();
    const result = await registerUser(t.prisma, {
      name: "",
      email: "not-an-email",
      password: "short",
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    expect(result).toEqual({
      ok: false,
      code: "INVALID",
      message: "Check the 3 fields marked below.",
      fieldErrors: {
        name: "Enter your name.",
        email: "Enter a valid email address.",
        password: "Use at least 12 characters for your password.",
      },
    });
    expect(await t.prisma.user.count()).toBe(before);
  });

  it("answers a taken email exactly as a free one, creates one account and tells its owner once", async () => {
    const results = await Promise.all(
      ["race@example.com", "RACE@example.com", "race@EXAMPLE.com"].map((email) =>
        registerUser(t.prisma, { name: "R", email, password, accountType: "CUSTOMER", acceptTerms: true }),
      ),
    );
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: "race@example.com" } });
    expect(user.emailVerifiedAt).toBeNull();
    const mails = await t.prisma.mailOutbox.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    // One verification link for the new account, one note (of the two attempts: hourly at most).
    expect(mails.map((m) => m.kind).sort()).toEqual(["account.registration_attempt", "account.verify_email"]);
    expect(mails.every((m) => m.toAddress === "race@example.com")).toBe(true);
  });

  it("refuses a weak password, the email as password, and sign-up floods from one address", async () => {
    const weak = await registerUser(t.prisma, {
      name: "Wes",
      email: "wes@example.com",
      password: "password1234",
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    expect(weak).toMatchObject({
      ok: false,
      code: "INVALID",
      fieldErrors: { password: expect.stringMatching(/common/) },
    });
    const own = await registerUser(t.prisma, {
      name: "Wes",
      email: "wes.longname@example.com",
      password: "wes.longname@example.com",
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    expect(own).toMatchObject({ fieldErrors: { password: "Your password cannot be your email address." } });
    expect(await t.prisma.user.count({ where: { email: { startsWith: "wes" } } })).toBe(0);

    const answers = [];
    for (let i = 0; i < 11; i++) {
      answers.push(
        await registerUser(
          t.prisma,
          { name: "Flood", email: `flood${i}@example.com`, password, accountType: "CUSTOMER", acceptTerms: true },
          { ip: "203.0.113.9" },
        ),
      );
    }
    expect(answers.slice(0, 10).every((a) => a.ok)).toBe(true);
    expect(answers[10]).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    expect(await t.prisma.user.count({ where: { email: { startsWith: "flood" } } })).toBe(10);
  });
});

describe("login", () => {
  it("signs in with the right password, any email casing", async () => {
    const result = await authenticate(t.prisma, { email: "ADA@example.com", password, ip: "10.0.0.1" });
    expect(result).toMatchObject({ ok: true, user: { email: "ada@example.com", roles: ["CUSTOMER"] } });
  });

  it("answers a wrong password and an unknown email with the same generic error", async () => {
    const wrong = await authenticate(t.prisma, {
      email: "ada@example.com",
      password: "wrong password!!",
      ip: "10.0.0.2",
    });
    const unknown = await authenticate(t.prisma, { email: "nobody@example.com", password, ip: "10.0.0.2" });
    expect(wrong).toEqual({ ok: false, code: "INVALID_CREDENTIALS", message: loginErrorMessages.INVALID_CREDENTIALS });
    expect(unknown).toEqual(wrong);
  });

  it("locks an account after repeated failures, even for the right password, from any IP", async () => {
    await registerUser(t.prisma, {
      name: "Bob",
      email: "bob@example.com",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      const r = await authenticate(t.prisma, {
        email: "bob@example.com",
        password: "wrong password!!",
        ip: `10.1.0.${i}`,
      });
      expect(r).toEqual({ ok: false, code: "INVALID_CREDENTIALS", message: loginErrorMessages.INVALID_CREDENTIALS });
    }
    expect(await authenticate(t.prisma, { email: "bob@example.com", password, ip: "10.2.0.1" })).toEqual({
      ok: false,
      code: "RATE_LIMITED",
      message: loginErrorMessages.RATE_LIMITED,
    });
    // An unknown account is limited the same way, so the lock reveals nothing.
    for (let i = 0; i <= MAX_FAILURES_PER_ACCOUNT; i++) {
      await authenticate(t.prisma, { email: "ghost@example.com", password, ip: `10.3.0.${i}` });
    }
    expect(await authenticate(t.prisma, { email: "ghost@example.com", password, ip: "10.3.1.1" })).toEqual({
      ok: false,
      code: "RATE_LIMITED",
      message: loginErrorMessages.RATE_LIMITED,
    });
  });

  it("concurrent guesses cannot slip past the account limit", async () => {
    await registerUser(t.prisma, {
      name: "Cy",
      email: "cy@example.com",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        authenticate(t.prisma, { email: "cy@example.com", password: `guess-${i}-xxxxxxxx`, ip: `10.4.0.${i}` }),
      ),
    );
    expect(guesses.filter((g) => !g.ok && g.code === "INVALID_CREDENTIALS").length).toBeLessThanOrEqual(
      MAX_FAILURES_PER_ACCOUNT,
    );
    expect(await authenticate(t.prisma, { email: "cy@example.com", password, ip: "10.4.1.1" })).toEqual({
      ok: false,
      code: "RATE_LIMITED",
      message: loginErrorMessages.RATE_LIMITED,
    });
  });

  it("limits one IP spraying many accounts", async () => {
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      await authenticate(t.prisma, { email: `spray${i}@example.com`, password: "wrong password!!", ip: "10.9.9.9" });
    }
    expect(await authenticate(t.prisma, { email: "ada@example.com", password, ip: "10.9.9.9" })).toEqual({
      ok: false,
      code: "RATE_LIMITED",
      message: loginErrorMessages.RATE_LIMITED,
    });
    expect((await authenticate(t.prisma, { email: "ada@example.com", password, ip: "10.9.9.10" })).ok).toBe(true);
  });

  it("refuses a frozen account and asks for the second factor when 2FA is on", async () => {
    await registerUser(t.prisma, {
      name: "Fay",
      email: "fay@example.com",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    await t.prisma.user.update({ where: { email: "fay@example.com" }, data: { frozenAt: new Date() } });
    expect(await authenticate(t.prisma, { email: "fay@example.com", password, ip: "10.5.0.1" })).toEqual({
      ok: false,
      code: "ACCOUNT_FROZEN",
      message: loginErrorMessages.ACCOUNT_FROZEN,
    });

    await registerUser(t.prisma, {
      name: "Gus",
      email: "gus@example.com",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    const gus = await t.prisma.user.update({
      where: { email: "gus@example.com" },
      data: { totpEnabledAt: new Date() },
    });
    expect(await authenticate(t.prisma, { email: "gus@example.com", password, ip: "10.5.0.2" })).toEqual({
      ok: false,
      code: "SECOND_FACTOR_REQUIRED",
      message: loginErrorMessages.SECOND_FACTOR_REQUIRED,
    });
    const verifier = async (userId: string, code: string) => userId === gus.id && code === "123456";
    expect(
      await authenticate(
        t.prisma,
        { email: "gus@example.com", password, ip: "10.5.0.2", secondFactorCode: "000000" },
        verifier,
      ),
    ).toEqual({
      ok: false,
      code: "SECOND_FACTOR_REQUIRED",
      message: loginErrorMessages.SECOND_FACTOR_REQUIRED,
    });
    expect(
      (
        await authenticate(
          t.prisma,
          { email: "gus@example.com", password, ip: "10.5.0.2", secondFactorCode: "123456" },
          verifier,
        )
      ).ok,
    ).toBe(true);
  });
});

describe("two-factor sign-in (code step)", () => {
  it("after the password: a wrong code, the right code once, a replay, a recovery code once", async () => {
    await registerUser(t.prisma, {
      name: "Hal",
      email: "hal@example.com",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    const hal = await t.prisma.user.findUniqueOrThrow({ where: { email: "hal@example.com" } });
    const started = await startTotpEnrolment(t.prisma, { userId: hal.id, ip: null });
    if (!started.ok) throw new Error(started.message);
    const enrolledAt = new Date(Date.now() - 60_000);
    const confirmed = await confirmTotpEnrolment(t.prisma, {
      userId: hal.id,
      ip: null,
      code: totpCodeFor(started.secret, enrolledAt),
      now: enrolledAt,
    });
    if (!confirmed.ok) throw new Error(confirmed.message);

    expect(await authenticate(t.prisma, { email: "hal@example.com", password, ip: "10.6.0.1" })).toEqual({
      ok: false,
      code: "SECOND_FACTOR_REQUIRED",
      message: loginErrorMessages.SECOND_FACTOR_REQUIRED,
    });

    const now = new Date();
    const right = totpCodeFor(started.secret, now);
    const wrong = String((Number(right) + 5) % 1_000_000).padStart(6, "0");
    expect(await completeSecondFactor(t.prisma, { userId: hal.id, code: wrong, ip: "10.6.0.1", now })).toEqual({
      ok: false,
      code: "SECOND_FACTOR_INVALID",
      message: loginErrorMessages.SECOND_FACTOR_INVALID,
    });
    expect(await completeSecondFactor(t.prisma, { userId: hal.id, code: right, ip: "10.6.0.1", now })).toEqual({
      ok: true,
      method: "totp",
      user: { id: hal.id, email: "hal@example.com", name: "Hal", roles: ["CUSTOMER"] },
    });
    expect(await completeSecondFactor(t.prisma, { userId: hal.id, code: right, ip: "10.6.0.1", now })).toEqual({
      ok: false,
      code: "SECOND_FACTOR_REPLAYED",
      message: loginErrorMessages.SECOND_FACTOR_REPLAYED,
    });

    const recovery = confirmed.recoveryCodes[0]!;
    expect(await completeSecondFactor(t.prisma, { userId: hal.id, code: recovery, ip: "10.6.0.1", now })).toMatchObject(
      { ok: true, method: "recovery" },
    );
    expect(await completeSecondFactor(t.prisma, { userId: hal.id, code: recovery, ip: "10.6.0.1", now })).toEqual({
      ok: false,
      code: "SECOND_FACTOR_INVALID",
      message: loginErrorMessages.SECOND_FACTOR_INVALID,
    });

    // The right password (its step) and each completed sign-in count as successes, never as failures.
    expect(await t.prisma.loginAttempt.count({ where: { email: "hal@example.com", succeeded: true } })).toBe(3);
    expect(await t.prisma.loginAttempt.count({ where: { email: "hal@example.com", succeeded: false } })).toBe(0);
    expect(await authenticate(t.prisma, { email: "hal@example.com", password, ip: "10.6.0.2" })).toEqual({
      ok: false,
      code: "SECOND_FACTOR_REQUIRED",
      message: loginErrorMessages.SECOND_FACTOR_REQUIRED,
    });
  });

  it("complete 2FA sign-ins are not failures: many from one IP lock out nobody behind it", async () => {
    await registerUser(t.prisma, {
      name: "Max",
      email: "max@example.com",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    await registerUser(t.prisma, {
      name: "Neighbour",
      email: "neighbour@example.com",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    const max = await t.prisma.user.findUniqueOrThrow({ where: { email: "max@example.com" } });
    const started = await startTotpEnrolment(t.prisma, { userId: max.id, ip: null });
    if (!started.ok) throw new Error(started.message);
    const enrolledAt = new Date(Date.now() - 3_600_000);
    const confirmed = await confirmTotpEnrolment(t.prisma, {
      userId: max.id,
      ip: null,
      code: totpCodeFor(started.secret, enrolledAt),
      now: enrolledAt,
    });
    if (!confirmed.ok) throw new Error(confirmed.message);
    const office = "10.12.0.1";
    for (let i = 0; i < MAX_FAILURES_PER_IP + 5; i++) {
      const step = await authenticate(t.prisma, { email: "max@example.com", password, ip: office });
      expect(step).toMatchObject({ ok: false, code: "SECOND_FACTOR_REQUIRED" });
      // Each sign-in completes with a fresh code (one 30-second step apart, as a person would).
      const now = new Date(Date.now() - (MAX_FAILURES_PER_IP + 5 - i) * 30_000);
      const done = await completeSecondFactor(t.prisma, {
        userId: max.id,
        code: totpCodeFor(started.secret, now),
        ip: office,
        now,
      });
      expect(done.ok, `sign-in ${i + 1}`).toBe(true);
    }
    expect((await authenticate(t.prisma, { email: "neighbour@example.com", password, ip: office })).ok).toBe(true);
    expect(await t.prisma.loginAttempt.count({ where: { ip: office, succeeded: false } })).toBe(0);
  });

  it("locks after five wrong codes, and a frozen account is refused even with the right code", async () => {
    await registerUser(t.prisma, {
      name: "Ivy",
      email: "ivy@example.com",
      password,
      accountType: "CUSTOMER",
      acceptTerms: true,
    });
    const ivy = await t.prisma.user.findUniqueOrThrow({ where: { email: "ivy@example.com" } });
    const started = await startTotpEnrolment(t.prisma, { userId: ivy.id, ip: null });
    if (!started.ok) throw new Error(started.message);
    const enrolledAt = new Date(Date.now() - 60_000);
    await confirmTotpEnrolment(t.prisma, {
      userId: ivy.id,
      ip: null,
      code: totpCodeFor(started.secret, enrolledAt),
      now: enrolledAt,
    });

    const now = new Date();
    const right = totpCodeFor(started.secret, now);
    const wrong = String((Number(right) + 9) % 1_000_000).padStart(6, "0");
    const errors = [];
    for (let i = 0; i < 5; i++)
      errors.push(
        (await completeSecondFactor(t.prisma, { userId: ivy.id, code: wrong, ip: "10.7.0.1", now })) as {
          code: string;
        },
      );
    expect(errors.map((e) => e.code)).toEqual([...Array(4).fill("SECOND_FACTOR_INVALID"), "SECOND_FACTOR_LOCKED"]);
    expect(await completeSecondFactor(t.prisma, { userId: ivy.id, code: right, ip: "10.7.0.1", now })).toEqual({
      ok: false,
      code: "SECOND_FACTOR_LOCKED",
      message: loginErrorMessages.SECOND_FACTOR_LOCKED,
    });

    const afterLock = new Date(now.getTime() + 15 * 60 * 1000);
    await t.prisma.user.update({ where: { id: ivy.id }, data: { frozenAt: new Date() } });
    expect(
      await completeSecondFactor(t.prisma, {
        userId: ivy.id,
        code: totpCodeFor(started.secret, afterLock),
        ip: "10.7.0.1",
        now: afterLock,
      }),
    ).toEqual({ ok: false, code: "ACCOUNT_FROZEN", message: loginErrorMessages.ACCOUNT_FROZEN });
  });

  it("an account whose 2FA was turned off meanwhile gets the expired-ticket answer", async () => {
    const gus = await t.prisma.user.findUniqueOrThrow({ where: { email: "gus@example.com" } });
    await t.prisma.user.update({ where: { id: gus.id }, data: { totpEnabledAt: null } });
    expect(await completeSecondFactor(t.prisma, { userId: gus.id, code: "123456", ip: "10.8.0.1" })).toEqual({
      ok: false,
      code: "SECOND_FACTOR_EXPIRED",
      message: loginErrorMessages.SECOND_FACTOR_EXPIRED,
    });
  });
});

describe("login ticket", () => {
  const user = { id: "6f1c1d5e-0000-4000-8000-000000000001", email: "hal@example.com" };
  const now = new Date("2026-11-25T12:00:00Z");

  it("names the user for five minutes, then expires", () => {
    const ticket = issueLoginTicket(user, AUTH_SECRET, now);
    expect(readLoginTicket(ticket, AUTH_SECRET, now)).toEqual({ ok: true, userId: user.id, email: user.email });
    expect(readLoginTicket(ticket, AUTH_SECRET, new Date(now.getTime() + LOGIN_TICKET_TTL_MS - 1))).toMatchObject({
      ok: true,
    });
    expect(readLoginTicket(ticket, AUTH_SECRET, new Date(now.getTime() + LOGIN_TICKET_TTL_MS))).toEqual({
      ok: false,
      error: "EXPIRED",
    });
    expect(issueLoginTicket(user, AUTH_SECRET, now)).not.toBe(ticket);
  });

  it("refuses a forged, altered or foreign ticket", () => {
    const ticket = issueLoginTicket(user, AUTH_SECRET, now);
    const [payload, signature] = ticket.split(".") as [string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const otherUser = Buffer.from(JSON.stringify({ ...claims, uid: "someone-else" })).toString("base64url");
    expect(readLoginTicket(`${otherUser}.${signature}`, AUTH_SECRET, now)).toEqual({ ok: false, error: "INVALID" });
    expect(readLoginTicket(ticket, `${AUTH_SECRET}-other`, now)).toEqual({ ok: false, error: "INVALID" });
    for (const bad of ["", "x", `${payload}.`, `${payload}.${signature}.x`, `${payload}.AAAA`]) {
      expect(readLoginTicket(bad, AUTH_SECRET, now)).toMatchObject({ ok: false });
    }
    expect(readLoginTicket(undefined, AUTH_SECRET, now)).toEqual({ ok: false, error: "MISSING" });
  });

  it("is read from the Cookie header by name", () => {
    expect(ticketFromCookieHeader(`a=1; ${LOGIN_TICKET_COOKIE}=abc.def; b=2`)).toBe("abc.def");
    expect(ticketFromCookieHeader("a=1")).toBeNull();
    expect(ticketFromCookieHeader(undefined)).toBeNull();
  });
});
