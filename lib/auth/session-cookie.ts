// Keeps the current browser signed in across a "void every older session" change (turning
// 2FA on): the session cookie is re-issued with the new sign-in instant (and the same `sid`,
// whose row is kept while the others are revoked), so only the other sessions fall behind
// sessionsValidAfter. Server actions and route handlers only.
import { encode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { getSecrets } from "../secrets";
import { decodeWithSecrets } from "./session-token";
import { SESSION_MAX_AGE_S } from "./sessions";

const NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/**
 * Re-issues this request's session cookie with authAt = `authAt` when the cookie belongs
 * to `userId`. Returns false (and changes nothing) when there is no such session, in which
 * case the user simply signs in again.
 */
export async function reissueSessionCookie(userId: string, authAt: Date): Promise<boolean> {
  const jar = await cookies();
  const name = NAMES.find((candidate) => jar.get(candidate)?.value);
  if (!name) return false;
  const secrets = await getSecrets();
  const authSecret = secrets.authSecret;
  const token = await decodeWithSecrets({ token: jar.get(name)?.value, secret: authSecret }, secrets).catch(() => null);
  if (!token || token.uid !== userId) return false;
  const value = await encode({
    token: { ...token, authAt: authAt.getTime() },
    secret: authSecret,
    maxAge: SESSION_MAX_AGE_S,
  });
  jar.set(name, value, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: name.startsWith("__Secure-"),
    maxAge: SESSION_MAX_AGE_S,
  });
  return true;
}

/** Deletes this request's session cookie (after "sign out everywhere" ended its session too). */
export async function clearSessionCookie(): Promise<void> {
  const jar = await cookies();
  for (const name of NAMES) if (jar.get(name)) jar.delete(name);
}
