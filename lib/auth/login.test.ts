import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { authenticate, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from "./login";
import { hashPassword, verifyPassword } from "./password";
import { registerUser } from "./register";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

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
    const result = await registerUser(t.prisma, { name: "Ada", email: "  Ada@Example.COM ", password, accountType: "CUSTOMER" });
    expect(result.ok).toBe(true);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(user.roles).toEqual(["CUSTOMER"]);
    expect(user.passwordHash).not.toContain(password);
  });

  it("operators also get the customer role; nobody registers as admin", async () => {
    const op = await registerUser(t.prisma, { name: "Op", email: "op@example.com", password, accountType: "OPERATOR" });
    expect(op.ok).toBe(true);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { email: "op@example.com" } })).roles).toEqual(["OPERATOR", "CUSTOMER"]);
    const admin = await registerUser(t.prisma, { name: "Eve", email: "eve@example.com", password, accountType: "ADMIN" });
    expect(admin).toEqual({ ok: false, fieldErrors: { accountType: "Choose an account type." } });
  });

  it("explains every bad field and writes nothing", async () => {
    const before = await t.prisma.user.count();
    const result = await registerUser(t.prisma, { name: "", email: "not-an-email", password: "short", accountType: "CUSTOMER" });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        name: "Enter your name.",
        email: "Enter a valid email address.",
        password: "Use at least 12 characters for your password.",
      },
    });
    expect(await t.prisma.user.count()).toBe(before);
  });

  it("refuses a duplicate email (case-insensitive), also when two sign-ups race", async () => {
    const results = await Promise.all(
      ["race@example.com", "RACE@example.com", "race@EXAMPLE.com"].map((email) =>
        registerUser(t.prisma, { name: "R", email, password, accountType: "CUSTOMER" }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(
      Array(2).fill({ ok: false, fieldErrors: { email: "An account with this email already exists. Sign in instead." } }),
    );
  });
});

describe("login", () => {
  it("signs in with the right password, any email casing", async () => {
    const result = await authenticate(t.prisma, { email: "ADA@example.com", password, ip: "10.0.0.1" });
    expect(result).toMatchObject({ ok: true, user: { email: "ada@example.com", roles: ["CUSTOMER"] } });
  });

  it("answers a wrong password and an unknown email with the same generic error", async () => {
    const wrong = await authenticate(t.prisma, { email: "ada@example.com", password: "wrong password!!", ip: "10.0.0.2" });
    const unknown = await authenticate(t.prisma, { email: "nobody@example.com", password, ip: "10.0.0.2" });
    expect(wrong).toEqual({ ok: false, error: "INVALID_CREDENTIALS" });
    expect(unknown).toEqual(wrong);
  });

  it("locks an account after repeated failures, even for the right password, from any IP", async () => {
    await registerUser(t.prisma, { name: "Bob", email: "bob@example.com", password, accountType: "CUSTOMER" });
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      const r = await authenticate(t.prisma, { email: "bob@example.com", password: "wrong password!!", ip: `10.1.0.${i}` });
      expect(r).toEqual({ ok: false, error: "INVALID_CREDENTIALS" });
    }
    expect(await authenticate(t.prisma, { email: "bob@example.com", password, ip: "10.2.0.1" })).toEqual({ ok: false, error: "RATE_LIMITED" });
    // An unknown account is limited the same way, so the lock reveals nothing.
    for (let i = 0; i <= MAX_FAILURES_PER_ACCOUNT; i++) {
      await authenticate(t.prisma, { email: "ghost@example.com", password, ip: `10.3.0.${i}` });
    }
    expect(await authenticate(t.prisma, { email: "ghost@example.com", password, ip: "10.3.1.1" })).toEqual({ ok: false, error: "RATE_LIMITED" });
  });

  it("concurrent guesses cannot slip past the account limit", async () => {
    await registerUser(t.prisma, { name: "Cy", email: "cy@example.com", password, accountType: "CUSTOMER" });
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => authenticate(t.prisma, { email: "cy@example.com", password: `guess-${i}-xxxxxxxx`, ip: `10.4.0.${i}` })),
    );
    expect(guesses.filter((g) => !g.ok && g.error === "INVALID_CREDENTIALS").length).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
    expect(await authenticate(t.prisma, { email: "cy@example.com", password, ip: "10.4.1.1" })).toEqual({ ok: false, error: "RATE_LIMITED" });
  });

  it("limits one IP spraying many accounts", async () => {
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      await authenticate(t.prisma, { email: `spray${i}@example.com`, password: "wrong password!!", ip: "10.9.9.9" });
    }
    expect(await authenticate(t.prisma, { email: "ada@example.com", password, ip: "10.9.9.9" })).toEqual({ ok: false, error: "RATE_LIMITED" });
    expect((await authenticate(t.prisma, { email: "ada@example.com", password, ip: "10.9.9.10" })).ok).toBe(true);
  });

  it("refuses a frozen account and asks for the second factor when 2FA is on", async () => {
    await registerUser(t.prisma, { name: "Fay", email: "fay@example.com", password, accountType: "CUSTOMER" });
    await t.prisma.user.update({ where: { email: "fay@example.com" }, data: { frozenAt: new Date() } });
    expect(await authenticate(t.prisma, { email: "fay@example.com", password, ip: "10.5.0.1" })).toEqual({ ok: false, error: "ACCOUNT_FROZEN" });

    await registerUser(t.prisma, { name: "Gus", email: "gus@example.com", password, accountType: "CUSTOMER" });
    const gus = await t.prisma.user.update({ where: { email: "gus@example.com" }, data: { totpEnabledAt: new Date() } });
    expect(await authenticate(t.prisma, { email: "gus@example.com", password, ip: "10.5.0.2" })).toEqual({ ok: false, error: "SECOND_FACTOR_REQUIRED" });
    const verifier = async (userId: string, code: string) => userId === gus.id && code === "123456";
    expect(await authenticate(t.prisma, { email: "gus@example.com", password, ip: "10.5.0.2", secondFactorCode: "000000" }, verifier)).toEqual({
      ok: false,
      error: "SECOND_FACTOR_REQUIRED",
    });
    expect((await authenticate(t.prisma, { email: "gus@example.com", password, ip: "10.5.0.2", secondFactorCode: "123456" }, verifier)).ok).toBe(true);
  });
});
