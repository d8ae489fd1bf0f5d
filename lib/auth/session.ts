// Server-side identity for pages, server actions and route handlers. The JWT only says who
// signed in, when, and which server-side session (`sid`) it is; roles, freezes and the
// session's row (lib/auth/sessions.ts) are read from the database on every check, so a role
// change, a sign-out or a "sign out everywhere" takes effect at once.
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "../db/client";
import type { Role } from "../generated/prisma/enums";
import { getAuthOptions } from "./options";
import { requestSessionToken } from "./session-token";
import { sessionUser, type SessionUser } from "./sessions";

/** The signed-in account and the session (user_sessions row) the request came with. */
export type CurrentUser = SessionUser;

/** Once per request (React cache): the header and the page guard share one lookup. */
export const getCurrentUser = cache(async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(await getAuthOptions());
  const uid = session?.user?.id;
  if (!uid) return null;
  return sessionUser(db(), { userId: uid, sessionId: session.sid, authAt: session.authAt });
});

export function hasRole(user: CurrentUser | null, role: Role): boolean {
  return !!user && user.roles.includes(role);
}

/** For pages: anonymous -> /login (then back), signed in without the role -> 403 page. */
export async function requireRole(role: Role, returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!user.roles.includes(role)) forbidden();
  return user;
}

export async function requireUser(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** Who the session cookie says signed in, when, and in which session; nothing about their state. */
export interface SessionClaims {
  userId: string;
  email: string;
  /** Sign-in instant, ms since epoch. */
  authAt: number;
  /** The user_sessions row of this sign-in. */
  sessionId: string;
}

/**
 * Decodes the session cookie only (no database read, no cookie refresh), for hot routes
 * that check the account in their own statement instead — POST /api/contracts passes
 * authAt and the session id to the purchase statement, which refuses a frozen, revoked or
 * non-customer account and an ended session exactly as getCurrentUser would. Only the
 * cookie counts (no Authorization: Bearer). A cookie without `sid` is no session.
 */
export async function getSessionClaims(): Promise<SessionClaims | null> {
  const token = await requestSessionToken();
  if (!token?.uid || token.authAt === undefined || typeof token.sid !== "string") return null;
  return { userId: token.uid, email: token.email ?? "", authAt: token.authAt, sessionId: token.sid };
}
