// Server-side identity for pages, server actions and route handlers. The JWT only says who
// signed in and when; roles, freezes and session revocation are read from the database on
// every check, so a role change or a "log out everywhere" takes effect at once.
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "../db/client";
import type { Role } from "../generated/prisma/enums";
import { getAuthOptions } from "./options";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

/** Once per request (React cache): the header and the page guard share one lookup. */
export const getCurrentUser = cache(async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(await getAuthOptions());
  const uid = session?.user?.id;
  if (!uid) return null;
  const user = await db().user.findUnique({
    where: { id: uid },
    select: { id: true, email: true, name: true, roles: true, frozenAt: true, sessionsValidAfter: true },
  });
  if (!user || user.frozenAt) return null;
  if (session.authAt === undefined || user.sessionsValidAfter.getTime() > session.authAt) return null;
  return { id: user.id, email: user.email, name: user.name, roles: user.roles };
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
