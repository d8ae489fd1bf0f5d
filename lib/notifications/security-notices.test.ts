// The security notices of issue 15 written in the event's own transaction: turning 2FA on and off
// and creating an API key each write exactly one in-app notice and one outbox row (security kinds
// cannot be switched off, so a stored "off" changes nothing); a refused 2FA code or a refused key
// writes neither.
import { describe, expect, it } from "vitest";
import { createApiKey } from "../api/keys";
import { TOTP_PERIOD_S, totpCodeFor } from "../auth/totp";
import { confirmTotpEnrolment, disableTwoFactor, startTotpEnrolment } from "../auth/two-factor";
import { createUser } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestDatabase } from "../testing/test-database";

withTestSecrets();
const t = withTestDatabase();

async function written(userId: string) {
  const [notifications, mails] = await Promise.all([
    t.prisma.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
    t.prisma.mailOutbox.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
  ]);
  return { notifications, mails };
}

describe("security notices", () => {
  it("turning two-factor authentication on and then off writes one notice and one mail each", async () => {
    const user = await createUser(t.prisma);
    const at = new Date();
    const started = await startTotpEnrolment(t.prisma, { userId: user.id, ip: null });
    if (!started.ok) throw new Error(started.message);
    const wrong = totpCodeFor(started.secret, at) === "000000" ? "111111" : "000000";
    expect(await confirmTotpEnrolment(t.prisma, { userId: user.id, ip: null, code: wrong, now: at })).toMatchObject({
      ok: false,
    });
    expect(await written(user.id)).toEqual({ notifications: [], mails: [] });

    const on = await confirmTotpEnrolment(t.prisma, {
      userId: user.id,
      ip: null,
      code: totpCodeFor(started.secret, at),
      now: at,
    });
    expect(on.ok).toBe(true);
    let rows = await written(user.id);
    expect(rows.notifications.map((n) => [n.kind, n.title, n.link])).toEqual([
      ["security.two_factor_changed", "Two-factor authentication is on", "/settings/security"],
    ]);
    expect(rows.mails.map((m) => [m.kind, m.toAddress, m.params])).toEqual([
      ["security.two_factor_changed", user.email, { enabled: true }],
    ]);

    // A stored "off" for a security kind is ignored.
    await t.prisma.notificationPreference.create({
      data: { userId: user.id, kind: "security.two_factor_changed", email: false },
    });
    const later = new Date(at.getTime() + TOTP_PERIOD_S * 1000);
    const off = await disableTwoFactor(t.prisma, {
      userId: user.id,
      ip: null,
      code: totpCodeFor(started.secret, later),
      now: later,
    });
    expect(off.ok).toBe(true);
    rows = await written(user.id);
    expect(rows.notifications.map((n) => n.title)).toEqual([
      "Two-factor authentication is on",
      "Two-factor authentication is off",
    ]);
    expect(rows.mails.map((m) => m.params)).toEqual([{ enabled: true }, { enabled: false }]);
  });

  it("creating an API key writes one notice and one mail with its name and scopes; a refused key neither", async () => {
    const user = await createUser(t.prisma, ["CUSTOMER"]);
    const refused = await createApiKey(t.prisma, { userId: user.id, label: "bot", scopes: ["read", "admin"] });
    expect(refused.ok).toBe(false);
    expect(await written(user.id)).toEqual({ notifications: [], mails: [] });

    const created = await createApiKey(t.prisma, { userId: user.id, label: "trading bot", scopes: ["trade", "read"] });
    expect(created.ok).toBe(true);
    const rows = await written(user.id);
    expect(rows.notifications.map((n) => [n.kind, n.title, n.link])).toEqual([
      ["security.api_key_created", "API key created", "/settings/api-keys"],
    ]);
    expect(rows.mails.map((m) => [m.kind, m.toAddress, m.params])).toEqual([
      ["security.api_key_created", user.email, { name: "trading bot", scopes: "read, trade" }],
    ]);
  });
});
