// Server-side sessions ("devices"). Every sign-in inserts a user_sessions row and puts its id
// in the JWT as `sid`; every check of the session (getCurrentUser, the purchase statement)
// requires that row to belong to the user, be unrevoked and have been seen within the session
// lifetime, so signing out, "sign out everywhere", a 2FA change or an admin freeze ends a
// session on the server at once: a copied cookie opens nothing afterwards. A JWT without
// `sid` (issued before sessions existed) counts as signed out. last_seen_at moves at most once
// a minute per session (a throttled UPDATE), so a page view costs one indexed read. Each
// operation is one transaction with its audit line.
import { appendAudit, appendUserAudit } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";
import type { Role } from "../generated/prisma/enums";
import { describeUserAgent } from "../http/user-agent";
import { notify } from "../notifications/notify";
import { formatInstantUtc } from "../shared/days";
import { refuse, type Result } from "../shared/result";
import { LAST_SEEN_THROTTLE_MS, SESSION_MAX_AGE_S } from "./session-limits";
import { requestSessionToken } from "./session-token";

export { LAST_SEEN_THROTTLE_MS, SESSION_MAX_AGE_S };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a session ended (user_sessions.revoked_reason). */
export type SessionEndReason =
  | "signed_out"
  | "signed_out_remotely"
  | "signed_out_everywhere"
  | "two_factor_enabled"
  | "account_frozen"
  | "withdrawals_frozen"
  | (string & {});

/** The earliest last_seen_at a live session may have at `now`. */
function liveSince(now: Date): Date {
  return new Date(now.getTime() - SESSION_MAX_AGE_S * 1000);
}

/**
 * True when this sign-in looks new for the user: no earlier session of theirs came from this
 * IP, or none used this browser string (a user agent). An unknown (null) IP or user agent
 * does not count as new on its own. Call it before inserting the new session's row; a user's
 * very first session is new.
 */
export async function isNewDevice(
  tx: Tx | PrismaClient,
  userId: string,
  ip: string | null,
  userAgent: string | null,
): Promise<boolean> {
  return (await deviceHistory(tx, userId, ip, userAgent)).newDevice;
}

async function deviceHistory(
  tx: Tx | PrismaClient,
  userId: string,
  ip: string | null,
  userAgent: string | null,
): Promise<{ newDevice: boolean; firstSession: boolean }> {
  const [row] = await tx.$queryRaw<{ any_session: boolean; ip_seen: boolean; agent_seen: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM user_sessions WHERE user_id = ${userId}::uuid) AS any_session,
           EXISTS (SELECT 1 FROM user_sessions WHERE user_id = ${userId}::uuid AND ip = ${ip}::text) AS ip_seen,
           EXISTS (SELECT 1 FROM user_sessions WHERE user_id = ${userId}::uuid AND user_agent = ${userAgent}::text)
             AS agent_seen`;
  if (!row?.any_session) return { newDevice: true, firstSession: true };
  return { newDevice: (ip !== null && !row.ip_seen) || (userAgent !== null && !row.agent_seen), firstSession: false };
}

/** How a session's second factor was given at sign-in (user_sessions.second_factor). */
export type SecondFactorMethod = "totp" | "recovery";

export interface SessionStart {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  /** "totp" or "recovery" when a second factor was asked; kept on the row (money actions need it). */
  secondFactor?: SecondFactorMethod | null;
  now?: Date;
}

/**
 * The sign-in itself: the session row and the auth.login audit line, in one transaction; a
 * sign-in from a new IP or browser also writes the security.new_sign_in notice (not the
 * account's very first sign-in, which is the owner's own, just after registering).
 */
export async function startSession(
  prisma: PrismaClient,
  input: SessionStart,
): Promise<{ sessionId: string; newDevice: boolean }> {
  const now = input.now ?? new Date();
  const userAgent = input.userAgent?.slice(0, 512) || null;
  return prisma.$transaction(async (tx) => {
    const { newDevice, firstSession } = await deviceHistory(tx, input.userId, input.ip, userAgent);
    const row = await tx.userSession.create({
      data: {
        userId: input.userId,
        ip: input.ip,
        userAgent,
        secondFactor: input.secondFactor ?? null,
        createdAt: now,
        lastSeenAt: now,
      },
      select: { id: true },
    });
    await appendUserAudit(tx, input.userId, {
      action: "auth.login",
      ip: input.ip,
      details: { sessionId: row.id, newDevice, ...(input.secondFactor ? { secondFactor: input.secondFactor } : {}) },
    });
    if (newDevice && !firstSession) {
      await notify(tx, {
        userId: input.userId,
        kind: "security.new_sign_in",
        params: { browser: describeUserAgent(userAgent), ip: input.ip, at: formatInstantUtc(now) },
      });
    }
    return { sessionId: row.id, newDevice };
  });
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  /** The address was proven with an emailed link; until then no buying and no withdrawing. */
  emailVerified: boolean;
  sessionId: string;
}

/**
 * The account behind a session cookie's claims, or null (anonymous): the session row must be
 * the user's, unrevoked and seen within the session lifetime; the account not frozen and its
 * sessions not voided after `authAt`. One indexed read; the throttled last-seen write only
 * when the row is over a minute stale.
 */
export async function sessionUser(
  prisma: PrismaClient,
  claims: { userId: string; sessionId: string | null | undefined; authAt: number | undefined; now?: Date },
): Promise<SessionUser | null> {
  const { userId, sessionId, authAt } = claims;
  if (!sessionId || !UUID.test(sessionId) || !UUID.test(userId) || authAt === undefined) return null;
  const now = claims.now ?? new Date();
  const [row] = await prisma.$queryRaw<
    { id: string; email: string; name: string; roles: Role[]; verified: boolean; last_seen_at: Date }[]
  >`
    SELECT u.id::text AS id, u.email, u.name, u.roles::text[] AS roles,
           u.email_verified_at IS NOT NULL AS verified, s.last_seen_at
      FROM user_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ${sessionId}::uuid AND s.user_id = ${userId}::uuid AND s.revoked_at IS NULL
       AND s.last_seen_at > ${liveSince(now)} AND u.frozen_at IS NULL
       AND u.sessions_valid_after <= ${new Date(authAt)}`;
  if (!row) return null;
  if (now.getTime() - row.last_seen_at.getTime() >= LAST_SEEN_THROTTLE_MS) await touchSession(prisma, sessionId, now);
  return { id: row.id, email: row.email, name: row.name, roles: row.roles, emailVerified: row.verified, sessionId };
}

/** last_seen_at = now, unless another request did it within the last minute. */
export async function touchSession(prisma: PrismaClient | Tx, sessionId: string, now: Date = new Date()) {
  const result = await prisma.userSession.updateMany({
    where: { id: sessionId, revokedAt: null, lastSeenAt: { lte: new Date(now.getTime() - LAST_SEEN_THROTTLE_MS) } },
    data: { lastSeenAt: now },
  });
  return result.count === 1;
}

export interface ActiveSession {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

/** The user's live sessions, most recently seen first. */
export async function listActiveSessions(
  prisma: PrismaClient,
  userId: string,
  now: Date = new Date(),
): Promise<ActiveSession[]> {
  return prisma.userSession.findMany({
    where: { userId, revokedAt: null, lastSeenAt: { gt: liveSince(now) } },
    orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
    select: { id: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true },
  });
}

interface Actor {
  /** Who ends the sessions: the user, or an admin. */
  actorId: string;
  ip: string | null;
  now?: Date;
}

/**
 * Ends every live session of the user but `keepSessionId` (null: all of them), inside the
 * caller's transaction (2FA turned on, password reset or change, a freeze), with one audit
 * line when any ended. Returns how many ended.
 */
export async function revokeOtherSessions(
  tx: Tx,
  userId: string,
  keepSessionId: string | null,
  reason: string,
  actor?: Actor,
): Promise<number> {
  const now = actor?.now ?? new Date();
  const keep = keepSessionId && UUID.test(keepSessionId) ? keepSessionId : null;
  const { count } = await tx.userSession.updateMany({
    where: { userId, revokedAt: null, lastSeenAt: { gt: liveSince(now) }, ...(keep ? { id: { not: keep } } : {}) },
    data: { revokedAt: now, revokedReason: reason },
  });
  if (count > 0)
    await appendAudit(tx, {
      actorId: actor?.actorId ?? userId,
      action: "auth.sessions_revoked",
      entityType: "user",
      entityId: userId,
      ip: actor?.ip ?? null,
      details: { reason, revoked: count, keptSessionId: keep },
    });
  return count;
}

export type SessionRefusalCode = "NOT_FOUND" | "CONFLICT";

/**
 * Ends one session of the user (sign-out, or "sign out" on another device's row). Another
 * user's session id is answered as not found and left alone.
 */
export async function revokeSession(
  prisma: PrismaClient,
  input: { userId: string; sessionId: string; reason: SessionEndReason; ip: string | null; now?: Date },
): Promise<Result<object, SessionRefusalCode>> {
  const now = input.now ?? new Date();
  if (!UUID.test(input.sessionId) || !UUID.test(input.userId))
    return refuse("NOT_FOUND", "This session is not active any more.");
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.userSession.updateMany({
      where: { id: input.sessionId, userId: input.userId, revokedAt: null },
      data: { revokedAt: now, revokedReason: input.reason },
    });
    if (count !== 1) return refuse("NOT_FOUND", "This session is not active any more.");
    await appendUserAudit(tx, input.userId, {
      action: "auth.session_revoked",
      ip: input.ip,
      details: { sessionId: input.sessionId, reason: input.reason },
    });
    return { ok: true };
  });
}

/** "Sign out" on another device's row of the devices page: never the session asking. */
export async function signOutOtherDevice(
  prisma: PrismaClient,
  input: { userId: string; currentSessionId: string; sessionId: string; ip: string | null; now?: Date },
): Promise<Result<object, SessionRefusalCode>> {
  if (input.sessionId === input.currentSessionId)
    return refuse("CONFLICT", "This is the device you are using: sign out from the menu instead.");
  return revokeSession(prisma, { ...input, reason: "signed_out_remotely" });
}

/**
 * "Sign out everywhere else" (`keepSessionId` the asking session) or "sign out everywhere"
 * (null): one transaction, one audit line whatever the count.
 */
export async function signOutSessions(
  prisma: PrismaClient,
  input: { userId: string; keepSessionId: string | null; ip: string | null; now?: Date },
): Promise<{ ok: true; revoked: number }> {
  const now = input.now ?? new Date();
  const reason = input.keepSessionId ? "signed_out_remotely" : "signed_out_everywhere";
  return prisma.$transaction(async (tx) => {
    const revoked = await revokeOtherSessions(tx, input.userId, input.keepSessionId, reason, {
      actorId: input.userId,
      ip: input.ip,
      now,
    });
    if (revoked === 0)
      await appendUserAudit(tx, input.userId, {
        action: "auth.sessions_revoked",
        ip: input.ip,
        details: { reason, revoked: 0, keptSessionId: input.keepSessionId },
      });
    return { ok: true as const, revoked };
  });
}

/** The session id (`sid`) of this request's session cookie, or null. Server code only. */
export async function currentSessionId(): Promise<string | null> {
  const token = await requestSessionToken();
  return typeof token?.sid === "string" ? token.sid : null;
}
