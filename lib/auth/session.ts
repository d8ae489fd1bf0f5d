// Server-side identity for pages, server actions and route handlers. The JWT only says who
// signed in and when; roles, freezes and session revocation are read from the database on
// every check, so a role change or a "log out everywhere" takes effect at once.
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "../db/client";
import type { Role } from "../generated/prisma/enums";
import { getSecrets } from "../secrets";
import { getAuthOptions } from "./options";
import { decodeRemembered } from "./session-token";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  /** The address was proven with an emailed link; until then no buying and no withdrawing. */
  emailVerified: boolean;
}

/** Once per request (React cache): the header and the page guard share one lookup. */
export const getCurrentUser = cache(async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(await getAuthOptions());
  const uid = session?.user?.id;
  if (!uid) return null;
  const user = await db().user.findUnique({
    where: { id: uid },
    select: {
      id: true,
      email: true,
      name: true,
      roles: true,
      frozenAt: true,
      sessionsValidAfter: true,
      emailVerifiedAt: true,
    },
  });
  if (!user || user.frozenAt) return null;
  if (session.authAt === undefined || user.sessionsValidAfter.getTime() > session.authAt) return null;
  return { id: user.id, email: user.email, name: user.name, roles: user.roles, emailVerified: !!user.emailVerifiedAt };
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

/** Who the session cookie says signed in, and when; nothing about the account's state. */
export interface SessionClaims {
  userId: string;
  email: string;
  /** Sign-in instant, ms since epoch. */
  authAt: number;
}

/**
 * Decodes the session cookie only (no database read, no cookie refresh), for hot routes
 * that check the account in their own statement instead — POST /api/contracts passes
 * authAt to purchase_contract, which refuses a frozen, revoked or non-customer account
 * exactly as getCurrentUser would. Only the cookie counts (no Authorization: Bearer).
 */
export async function getSessionClaims(): Promise<SessionClaims | null> {
  const { authSecret } = await getSecrets();
  const req = { cookies: await cookies(), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"];
  const token = await getToken({ req, secret: authSecret, decode: decodeRemembered });
  if (!token?.uid || token.authAt === undefined) return null;
  return { userId: token.uid, email: token.email ?? "", authAt: token.authAt };
}
