// Decoding the session cookie for hot routes (lib/auth/session.ts getSessionClaims).
import { createHash } from "node:crypto";
import { decode, type JWT, type JWTDecodeParams } from "next-auth/jwt";

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
