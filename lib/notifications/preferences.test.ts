// Notification preferences against real PostgreSQL: every kind of the catalogue is listed (a
// role's categories to that role only) with its effective choice; an optional kind switched off
// still writes the in-app notice but no outbox row, and on again mails; a security kind cannot
// be switched off (refused, nothing stored, its mail still goes); every change is audited.
import { describe, expect, it } from "vitest";
import { createUser } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestDatabase } from "../testing/test-database";
import { NOTIFICATION_KINDS, type NotificationKind } from "./kinds";
import { notify } from "./notify";
import { notificationPreferences, setNotificationPreference } from "./preferences";

withTestSecrets();
const t = withTestDatabase();

async function written(userId: string, kind: NotificationKind, params = {}) {
  return t.prisma.$transaction((tx) => notify(tx, { userId, kind, params }));
}

function effective(groups: Awaited<ReturnType<typeof notificationPreferences>>, kind: NotificationKind) {
  return groups.flatMap((g) => g.kinds).find((k) => k.kind === kind);
}

describe("notification preferences", () => {
  it("lists every kind the user can receive with its default, security kinds locked", async () => {
    const operator = await createUser(t.prisma, ["OPERATOR"]);
    const groups = await notificationPreferences(t.prisma, operator);
    const listed = groups.flatMap((g) => g.kinds.map((k) => k.kind));
    const expected = (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).filter(
      (k) => !["customer", "admin"].includes(NOTIFICATION_KINDS[k].category),
    );
    expect(listed.sort()).toEqual(expected.sort());
    expect(groups.map((g) => g.category)).toContain("operator");
    expect(groups.map((g) => g.category)).not.toContain("admin");
    expect(effective(groups, "security.new_sign_in")).toMatchObject({ optional: false, email: true });
    expect(effective(groups, "security.new_sign_in")?.lockedReason).toMatch(/when something changes/);
    expect(effective(groups, "operator.rig_offline")).toMatchObject({
      optional: true,
      email: true,
      lockedReason: null,
    });

    const customer = await createUser(t.prisma, ["CUSTOMER"]);
    const theirs = await notificationPreferences(t.prisma, customer);
    // Off until chosen: the digest's default.
    expect(effective(theirs, "customer.payout_digest")).toMatchObject({ optional: true, email: false });
    expect(effective(theirs, "operator.rig_offline")).toBeUndefined();
  });

  it("an optional kind switched off writes the in-app notice but no mail; on again, both", async () => {
    const user = await createUser(t.prisma, ["OPERATOR"]);
    const off = await setNotificationPreference(t.prisma, {
      userId: user.id,
      kind: "operator.rig_offline",
      email: false,
      ip: "10.0.0.9",
    });
    expect(off).toEqual({ ok: true, kind: "operator.rig_offline", label: "A rig went offline", email: false });
    expect(effective(await notificationPreferences(t.prisma, user), "operator.rig_offline")?.email).toBe(false);

    const silent = await written(user.id, "operator.rig_offline", { serial: "R-1", since: "10:00" });
    expect(silent.notificationId).not.toBeNull();
    expect(silent.mailId).toBeNull();
    expect(await t.prisma.mailOutbox.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.prisma.notification.count({ where: { userId: user.id, kind: "operator.rig_offline" } })).toBe(1);

    await setNotificationPreference(t.prisma, { userId: user.id, kind: "operator.rig_offline", email: true });
    const loud = await written(user.id, "operator.rig_offline", { serial: "R-1", since: "11:00" });
    expect(loud.mailId).not.toBeNull();
    expect(await t.prisma.mailOutbox.count({ where: { userId: user.id, kind: "operator.rig_offline" } })).toBe(1);

    const audit = await t.prisma.auditLog.findMany({
      where: { entityId: user.id, action: "notifications.preference_changed" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.details)).toEqual([
      { kind: "operator.rig_offline", email: false, before: true },
      { kind: "operator.rig_offline", email: true, before: false },
    ]);
    expect(audit[0]?.ip).toBe("10.0.0.9");
  });

  it("refuses to switch off a security notice or an unknown kind, and the security mail still goes", async () => {
    const user = await createUser(t.prisma);
    const locked = await setNotificationPreference(t.prisma, {
      userId: user.id,
      kind: "security.two_factor_changed",
      email: false,
    });
    expect(locked).toMatchObject({ ok: false, code: "NOT_OPTIONAL" });
    expect(!locked.ok && locked.message).toMatch(/cannot be turned off/);
    const unknown = await setNotificationPreference(t.prisma, {
      userId: user.id,
      kind: "marketing.news",
      email: false,
    });
    expect(unknown).toMatchObject({ ok: false, code: "UNKNOWN_KIND", message: "There is no such kind of notice." });
    expect(await t.prisma.notificationPreference.count({ where: { userId: user.id } })).toBe(0);

    // Even a stored "off" (written past the core) does not silence a security kind.
    await t.prisma.notificationPreference.create({
      data: { userId: user.id, kind: "security.two_factor_changed", email: false },
    });
    const sent = await written(user.id, "security.two_factor_changed", { enabled: true });
    expect(sent.mailId).not.toBeNull();
    expect(effective(await notificationPreferences(t.prisma, user), "security.two_factor_changed")?.email).toBe(true);
    expect(await t.prisma.auditLog.count({ where: { entityId: user.id } })).toBe(0);
  });
});
