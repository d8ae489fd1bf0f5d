// Decoding the session cookie for hot routes (lib/auth/session.ts getSessionClaims) and for
// currentSessionId (lib/auth/sessions.ts).
import { createHash } from "node:crypto";
import { decode, getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";
import { cookies } from "next/headers";
import { acceptedAuthSecrets, getSecrets, refreshSecrets, type AppSecrets } from "../secrets";

type AuthSecrets = Pick<AppSecrets, "authSecret" | "previousAuthSecret">;

// next-auth's decode derives the key (HKDF) and decrypts the JWE on every call, which costs
// more CPU than the whole purchase statement. The same cookie under the same secret always
// decodes to the same claims, so remember them by (secret, cookie) until the token's expiry;
// a tampered or expired cookie is never remembered.
const rememberedTokens = new Map<string, { token: JWT; expiresAtMs: number }>();
const REMEMBERED_MAX = 10_000;

export async function decodeRemembered(params: JWTDecodeParams): Promise<JWT | null> {
  if (!params.token) return null;
  const cacheKey = `${createHash("sha256").update(String(params.secret)).digest("base64")}:${params.token}`;
  const now = Date.now();
  const hit = rememberedTokens.get(cacheKey);
  if (hit && hit.expiresAtMs > now) return hit.token;
  if (hit) rememberedTokens.delete(cacheKey);
  const token = await decode(params);
  const expiresAtMs = typeof token?.exp === "number" ? token.exp * 1000 : 0;
  if (token && expiresAtMs > now) {
    if (rememberedTokens.size >= REMEMBERED_MAX) rememberedTokens.delete(rememberedTokens.keys().next().value!);
    rememberedTokens.set(cacheKey, { token, expiresAtMs });
  }
  return token;
}

async function decodeWithEach(params: JWTDecodeParams, secrets: readonly string[]): Promise<JWT | null> {
  let failure: unknown = null;
  for (const secret of secrets) {
    try {
      const token = await decodeRemembered({ ...params, secret });
      if (token) return token;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return null;
}

/**
 * Decodes with each accepted auth secret (the current one, then the one before its rotation:
 * acceptedAuthSecrets), so a rotation signs nobody out; next-auth re-encodes a session it reads
 * with the current secret. A token none of them opens may come from an instance that read the
 * rotated secret first: the secrets are read again (refreshSecrets, at most every 10 s) and, if
 * they changed, tried once more. Throws the first secret's error when nothing opens the token.
 */
export async function decodeWithSecrets(params: JWTDecodeParams, secrets: AuthSecrets): Promise<JWT | null> {
  try {
    return await decodeWithEach(params, acceptedAuthSecrets(secrets));
  } catch (error) {
    const fresh = await refreshSecrets();
    if (fresh.authSecret === secrets.authSecret) throw error;
    return decodeWithEach(params, acceptedAuthSecrets(fresh));
  }
}

/**
 * This request's session cookie, decoded (remembered as above), or null. No database read
 * and no cookie refresh: the claims only (uid, authAt, sid). Server code only.
 */
export async function requestSessionToken(): Promise<JWT | null> {
  const secrets = await getSecrets();
  const req = { cookies: await cookies(), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"];
  return getToken({
    req,
    secret: secrets.authSecret,
    decode: (params) => decodeWithSecrets(params, secrets),
  });
}
