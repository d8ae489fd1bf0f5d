import { describe, expect, it } from "vitest";
import { freezeAccount } from "../admin/accounts";
import { createUser } from "../testing/fixtures";
import { withTestDatabase } from "../testing/test-database";
import {
  isNewDevice,
  LAST_SEEN_THROTTLE_MS,
  listActiveSessions,
  revokeOtherSessions,
  revokeSession,
  SESSION_MAX_AGE_S,
  sessionUser,
  signOutOtherDevice,
  signOutSessions,
  startSession,
} from "./sessions";

const t = withTestDatabase({ poolMax: 4 });

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0";

async function signIn(userId: string, now = new Date(), ip = "203.0.113.1", userAgent = CHROME_LINUX) {
  const started = await startSession(t.prisma, { userId, ip, userAgent, now });
  return { sessionId: started.sessionId, authAt: now.getTime(), newDevice: started.newDevice };
}

async function auditLines(userId: string) {
  return t.prisma.auditLog.findMany({
    where: { entityId: userId },
    orderBy: { id: "asc" },
    select: { action: true, details: true, actorId: true },
  });
}

describe("startSession and sessionUser", () => {
  it("a sign-in makes a row with its IP and browser and an auth.login line; the session checks out", async () => {
    const user = await createUser(t.prisma, ["CUSTOMER", "OPERATOR"]);
    const now = new Date();
    const { sessionId, authAt } = await signIn(user.id, now);
    const row = await t.prisma.userSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row).toMatchObject({ userId: user.id, ip: "203.0.113.1", userAgent: CHROME_LINUX, revokedAt: null });
    expect(row.createdAt).toEqual(now);
    expect(await auditLines(user.id)).toEqual([
      { action: "auth.login", actorId: user.id, details: { sessionId, newDevice: true } },
    ]);
    expect(await sessionUser(t.prisma, { userId: user.id, sessionId, authAt, now })).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
      roles: ["CUSTOMER", "OPERATOR"],
      emailVerified: true,
      sessionId,
    });
  });

  it("a sign-in from a new IP or browser writes a security notice and its mail; the first and a known one do not", async () => {
    const user = await createUser(t.prisma);
    const notices = () =>
      t.prisma.notification.findMany({ where: { userId: user.id }, select: { kind: true, title: true } });
    const mails = () =>
      t.prisma.mailOutbox.findMany({
        where: { userId: user.id },
        select: { kind: true, toAddress: true, params: true },
      });
    await signIn(user.id);
    await signIn(user.id, new Date());
    expect(await notices()).toEqual([]);
    expect(await mails()).toEqual([]);

    const at = new Date(Date.UTC(2026, 11, 7, 9, 30, 0));
    expect((await signIn(user.id, at, "198.51.100.20", FIREFOX_MAC)).newDevice).toBe(true);
    expect(await notices()).toEqual([{ kind: "security.new_sign_in", title: "A sign-in from a new place" }]);
    expect(await mails()).toEqual([
      {
        kind: "security.new_sign_in",
        toAddress: user.email,
        params: { browser: "Firefox on macOS", ip: "198.51.100.20", at: "2026-12-07 09:30 UTC" },
      },
    ]);
    // The same new place again is known now.
    await signIn(user.id, new Date(), "198.51.100.20", FIREFOX_MAC);
    expect(await notices()).toHaveLength(1);
  });

  it("a JWT without sid, an unknown sid, another user's sid or a malformed one is anonymous", async () => {
    const user = await createUser(t.prisma);
    const other = await createUser(t.prisma);
    const mine = await signIn(user.id);
    const theirs = await signIn(other.id);
    const check = (sessionId: string | undefined) =>
      sessionUser(t.prisma, { userId: user.id, sessionId, authAt: mine.authAt });
    expect(await check(mine.sessionId)).not.toBeNull();
    expect(await check(undefined)).toBeNull();
    expect(await check("00000000-0000-4000-8000-00000000abcd")).toBeNull();
    expect(await check(theirs.sessionId)).toBeNull();
    expect(await check("'; DROP TABLE users; --")).toBeNull();
    expect(await sessionUser(t.prisma, { userId: user.id, sessionId: mine.sessionId, authAt: undefined })).toBeNull();
  });

  it("a revoked session, a frozen account, sessionsValidAfter and an idle session past its lifetime are anonymous", async () => {
    const user = await createUser(t.prisma);
    const now = new Date();
    const a = await signIn(user.id, now);
    const check = (s: { sessionId: string; authAt: number }, at = now) =>
      sessionUser(t.prisma, { userId: user.id, sessionId: s.sessionId, authAt: s.authAt, now: at });
    expect(await check(a)).not.toBeNull();
    // Idle for the whole lifetime: over, though never revoked.
    expect(await check(a, new Date(now.getTime() + SESSION_MAX_AGE_S * 1000 + 1))).toBeNull();
    await t.prisma.user.update({ where: { id: user.id }, data: { sessionsValidAfter: new Date(now.getTime() + 1) } });
    expect(await check(a)).toBeNull();
    await t.prisma.user.update({ where: { id: user.id }, data: { sessionsValidAfter: new Date(0) } });
    await t.prisma.user.update({ where: { id: user.id }, data: { frozenAt: now } });
    expect(await check(a)).toBeNull();
    await t.prisma.user.update({ where: { id: user.id }, data: { frozenAt: null } });
    expect(await check(a)).not.toBeNull();
    expect(
      (await revokeSession(t.prisma, { userId: user.id, sessionId: a.sessionId, reason: "signed_out", ip: null })).ok,
    ).toBe(true);
    expect(await check(a)).toBeNull();
  });

  it("last_seen_at moves at most once a minute", async () => {
    const user = await createUser(t.prisma);
    const start = new Date(Date.now() - 10 * 60_000);
    const s = await signIn(user.id, start);
    const seenAt = async () =>
      (await t.prisma.userSession.findUniqueOrThrow({ where: { id: s.sessionId } })).lastSeenAt;
    const at = (ms: number) => new Date(start.getTime() + ms);
    // The JWT's authAt is the sign-in's wall-clock instant, after the account was made.
    const authAt = Date.now();
    const check = async (now: Date) =>
      expect(await sessionUser(t.prisma, { userId: user.id, sessionId: s.sessionId, authAt, now })).not.toBeNull();
    await check(at(LAST_SEEN_THROTTLE_MS - 1));
    expect(await seenAt()).toEqual(start);
    await check(at(LAST_SEEN_THROTTLE_MS));
    expect(await seenAt()).toEqual(at(LAST_SEEN_THROTTLE_MS));
    await check(at(LAST_SEEN_THROTTLE_MS + 30_000));
    expect(await seenAt()).toEqual(at(LAST_SEEN_THROTTLE_MS));
    await check(at(2 * LAST_SEEN_THROTTLE_MS + 5));
    expect(await seenAt()).toEqual(at(2 * LAST_SEEN_THROTTLE_MS + 5));
    // Twenty checks at once inside one minute: one write at most, and the row still moved once.
    const burst = at(4 * LAST_SEEN_THROTTLE_MS);
    const before = await t.prisma.userSession.findUniqueOrThrow({ where: { id: s.sessionId } });
    await Promise.all(Array.from({ length: 20 }, (_, i) => check(new Date(burst.getTime() + i))));
    const after = await seenAt();
    expect(after.getTime()).toBeGreaterThanOrEqual(burst.getTime());
    expect(after.getTime()).toBeLessThan(burst.getTime() + 20);
    expect(after).not.toEqual(before.lastSeenAt);
  });
});

describe("ending sessions", () => {
  it("revokeSession ends the user's own session once, with a reason and an audit line; never another's", async () => {
    const user = await createUser(t.prisma);
    const intruder = await createUser(t.prisma);
    const s = await signIn(user.id);
    const foreign = await revokeSession(t.prisma, {
      userId: intruder.id,
      sessionId: s.sessionId,
      reason: "signed_out",
      ip: null,
    });
    expect(foreign).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect((await t.prisma.userSession.findUniqueOrThrow({ where: { id: s.sessionId } })).revokedAt).toBeNull();
    const now = new Date();
    expect(
      await revokeSession(t.prisma, {
        userId: user.id,
        sessionId: s.sessionId,
        reason: "signed_out",
        ip: "198.51.100.7",
        now,
      }),
    ).toEqual({ ok: true });
    expect(await t.prisma.userSession.findUniqueOrThrow({ where: { id: s.sessionId } })).toMatchObject({
      revokedAt: now,
      revokedReason: "signed_out",
    });
    const again = await revokeSession(t.prisma, {
      userId: user.id,
      sessionId: s.sessionId,
      reason: "signed_out",
      ip: null,
    });
    expect(again).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect((await auditLines(user.id)).map((l) => l.action)).toEqual(["auth.login", "auth.session_revoked"]);
    expect(await auditLines(intruder.id)).toEqual([]);
  });

  it("revokeOtherSessions keeps the one named, ends the user's others (not other users'), and counts them", async () => {
    const user = await createUser(t.prisma);
    const neighbour = await createUser(t.prisma);
    const [a, b, c] = [await signIn(user.id), await signIn(user.id), await signIn(user.id)];
    const theirs = await signIn(neighbour.id);
    await revokeSession(t.prisma, { userId: user.id, sessionId: c.sessionId, reason: "signed_out", ip: null });
    const revoked = await t.prisma.$transaction((tx) =>
      revokeOtherSessions(tx, user.id, a.sessionId, "password_changed"),
    );
    expect(revoked).toBe(1);
    const rows = await t.prisma.userSession.findMany({ where: { userId: user.id } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a.sessionId)?.revokedAt).toBeNull();
    expect(byId.get(b.sessionId)?.revokedReason).toBe("password_changed");
    expect(byId.get(c.sessionId)?.revokedReason).toBe("signed_out"); // ended before: left as it was
    expect((await t.prisma.userSession.findUniqueOrThrow({ where: { id: theirs.sessionId } })).revokedAt).toBeNull();
    const lines = await auditLines(user.id);
    expect(lines.at(-1)).toMatchObject({
      action: "auth.sessions_revoked",
      details: { reason: "password_changed", revoked: 1, keptSessionId: a.sessionId },
    });
    // Nothing left to end: 0 and no further line; with null every session ends.
    expect(await t.prisma.$transaction((tx) => revokeOtherSessions(tx, user.id, a.sessionId, "again"))).toBe(0);
    expect(await auditLines(user.id)).toHaveLength(lines.length);
    expect(await t.prisma.$transaction((tx) => revokeOtherSessions(tx, user.id, null, "everything"))).toBe(1);
    expect(await listActiveSessions(t.prisma, user.id)).toEqual([]);
    expect(await sessionUser(t.prisma, { userId: user.id, sessionId: a.sessionId, authAt: a.authAt })).toBeNull();
  });

  it("revokeOtherSessions rolls back with the caller's transaction", async () => {
    const user = await createUser(t.prisma);
    const s = await signIn(user.id);
    await expect(
      t.prisma.$transaction(async (tx) => {
        expect(await revokeOtherSessions(tx, user.id, null, "doomed")).toBe(1);
        throw new Error("the caller's operation failed");
      }),
    ).rejects.toThrow("the caller's operation failed");
    expect((await t.prisma.userSession.findUniqueOrThrow({ where: { id: s.sessionId } })).revokedAt).toBeNull();
  });

  it("the devices page's operations: sign out another device (not this one), everywhere else, everywhere", async () => {
    const user = await createUser(t.prisma);
    const here = await signIn(user.id);
    const phone = await signIn(user.id, new Date(), "198.51.100.20", FIREFOX_MAC);
    const laptop = await signIn(user.id);
    const tablet = await signIn(user.id);
    const self = await signOutOtherDevice(t.prisma, {
      userId: user.id,
      currentSessionId: here.sessionId,
      sessionId: here.sessionId,
      ip: null,
    });
    expect(self).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(
      await signOutOtherDevice(t.prisma, {
        userId: user.id,
        currentSessionId: here.sessionId,
        sessionId: phone.sessionId,
        ip: null,
      }),
    ).toEqual({ ok: true });
    expect((await listActiveSessions(t.prisma, user.id)).map((s) => s.id).sort()).toEqual(
      [here.sessionId, laptop.sessionId, tablet.sessionId].sort(),
    );
    expect(await signOutSessions(t.prisma, { userId: user.id, keepSessionId: here.sessionId, ip: null })).toEqual({
      ok: true,
      revoked: 2,
    });
    expect((await listActiveSessions(t.prisma, user.id)).map((s) => s.id)).toEqual([here.sessionId]);
    // Nothing else left: still one audit line for the request.
    const before = (await auditLines(user.id)).length;
    expect(await signOutSessions(t.prisma, { userId: user.id, keepSessionId: here.sessionId, ip: null })).toEqual({
      ok: true,
      revoked: 0,
    });
    expect(await auditLines(user.id)).toHaveLength(before + 1);
    expect(await signOutSessions(t.prisma, { userId: user.id, keepSessionId: null, ip: null })).toEqual({
      ok: true,
      revoked: 1,
    });
    expect(await listActiveSessions(t.prisma, user.id)).toEqual([]);
    const reasons = await t.prisma.userSession.findMany({
      where: { userId: user.id },
      select: { id: true, revokedReason: true },
    });
    expect(Object.fromEntries(reasons.map((r) => [r.id, r.revokedReason]))).toEqual({
      [here.sessionId]: "signed_out_everywhere",
      [phone.sessionId]: "signed_out_remotely",
      [laptop.sessionId]: "signed_out_remotely",
      [tablet.sessionId]: "signed_out_remotely",
    });
  });

  it("an admin freeze ends every session of the account", async () => {
    const admin = await createUser(t.prisma, ["ADMIN"]);
    const user = await createUser(t.prisma);
    const a = await signIn(user.id);
    await signIn(user.id);
    const adminSession = await signIn(admin.id);
    expect(
      await freezeAccount(t.prisma, { adminId: admin.id, userId: user.id, reason: "Suspicious withdrawals" }),
    ).toEqual({
      ok: true,
    });
    expect(await listActiveSessions(t.prisma, user.id)).toEqual([]);
    expect(await t.prisma.userSession.count({ where: { userId: user.id, revokedReason: "account_frozen" } })).toBe(2);
    expect((await listActiveSessions(t.prisma, admin.id)).map((s) => s.id)).toEqual([adminSession.sessionId]);
    const line = (await auditLines(user.id)).find((l) => l.action === "auth.sessions_revoked");
    expect(line).toMatchObject({ actorId: admin.id, details: { reason: "account_frozen", revoked: 2 } });
    await t.prisma.user.update({ where: { id: user.id }, data: { frozenAt: null } });
    expect(await sessionUser(t.prisma, { userId: user.id, sessionId: a.sessionId, authAt: a.authAt })).toBeNull();
  });
});

describe("listActiveSessions", () => {
  it("lists live sessions most recently seen first, without ended or idle-expired ones", async () => {
    const user = await createUser(t.prisma);
    const now = new Date();
    const old = await signIn(user.id, new Date(now.getTime() - SESSION_MAX_AGE_S * 1000 - 1000));
    const earlier = await signIn(user.id, new Date(now.getTime() - 60 * 60_000), "198.51.100.20", FIREFOX_MAC);
    const latest = await signIn(user.id, new Date(now.getTime() - 60_000));
    const ended = await signIn(user.id, now);
    await revokeSession(t.prisma, { userId: user.id, sessionId: ended.sessionId, reason: "signed_out", ip: null });
    const list = await listActiveSessions(t.prisma, user.id, now);
    expect(list.map((s) => s.id)).toEqual([latest.sessionId, earlier.sessionId]);
    expect(list[1]).toMatchObject({ ip: "198.51.100.20", userAgent: FIREFOX_MAC });
    expect(list.map((s) => s.id)).not.toContain(old.sessionId);
  });
});

describe("isNewDevice", () => {
  it("is true for a first session, an unseen IP or an unseen browser; false for a known pair", async () => {
    const user = await createUser(t.prisma);
    const other = await createUser(t.prisma);
    expect(await isNewDevice(t.prisma, user.id, "203.0.113.1", CHROME_LINUX)).toBe(true);
    const first = await signIn(user.id, new Date(), "203.0.113.1", CHROME_LINUX);
    expect(first.newDevice).toBe(true);
    expect(await isNewDevice(t.prisma, user.id, "203.0.113.1", CHROME_LINUX)).toBe(false);
    expect(await isNewDevice(t.prisma, user.id, "203.0.113.99", CHROME_LINUX)).toBe(true);
    expect(await isNewDevice(t.prisma, user.id, "203.0.113.1", FIREFOX_MAC)).toBe(true);
    // Unknown parts do not make a device new on their own.
    expect(await isNewDevice(t.prisma, user.id, null, CHROME_LINUX)).toBe(false);
    expect(await isNewDevice(t.prisma, user.id, "203.0.113.1", null)).toBe(false);
    // Another user's history does not count; an ended session still does.
    await signIn(other.id, new Date(), "192.0.2.50", FIREFOX_MAC);
    expect(await isNewDevice(t.prisma, user.id, "192.0.2.50", FIREFOX_MAC)).toBe(true);
    await revokeSession(t.prisma, { userId: user.id, sessionId: first.sessionId, reason: "signed_out", ip: null });
    expect(await isNewDevice(t.prisma, user.id, "203.0.113.1", CHROME_LINUX)).toBe(false);
    const second = await signIn(user.id, new Date(), "203.0.113.1", CHROME_LINUX);
    expect(second.newDevice).toBe(false);
    const third = await signIn(user.id, new Date(), "203.0.113.1", FIREFOX_MAC);
    expect(third.newDevice).toBe(true);
    await t.prisma.$transaction(async (tx) => {
      expect(await isNewDevice(tx, user.id, "203.0.113.1", FIREFOX_MAC)).toBe(false);
    });
  });
});
