// The "password accepted" ticket between the two sign-in steps of a 2FA account. The
// password step hands it out in an httpOnly cookie; the code step trades it (plus a TOTP
// or recovery code) for a session. So the browser never keeps or resends the password,
// page scripts cannot read the ticket, and the ticket alone is worth nothing: it names the
// user, expires after five minutes and is HMAC-SHA-256-signed with a key derived from the
// auth secret (its own purpose label, so it is never confused with a session token). After a
// rotation of the auth secret a ticket signed under the previous one is still read.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const LOGIN_TICKET_COOKIE = "hashlease.2fa-ticket";
export const LOGIN_TICKET_TTL_MS = 5 * 60 * 1000;
const PURPOSE = "hashlease/login-ticket/v1";

interface TicketClaims {
  uid: string;
  email: string;
  /** Expiry, ms since epoch. */
  exp: number;
  nonce: string;
}

function key(authSecret: string): Buffer {
  return createHmac("sha256", authSecret).update(PURPOSE).digest();
}

function sign(payload: string, authSecret: string): Buffer {
  return createHmac("sha256", key(authSecret)).update(payload).digest();
}

export function issueLoginTicket(
  user: { id: string; email: string },
  authSecret: string,
  now: Date = new Date(),
): string {
  const claims: TicketClaims = {
    uid: user.id,
    email: user.email,
    exp: now.getTime() + LOGIN_TICKET_TTL_MS,
    nonce: randomBytes(12).toString("base64url"),
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${payload}.${sign(payload, authSecret).toString("base64url")}`;
}

export type TicketCheck =
  { ok: true; userId: string; email: string } | { ok: false; error: "MISSING" | "INVALID" | "EXPIRED" };

/** `authSecrets`: the secrets that verify (acceptedAuthSecrets), or one secret. */
export function readLoginTicket(
  ticket: string | undefined | null,
  authSecrets: string | readonly string[],
  now: Date = new Date(),
): TicketCheck {
  if (!ticket) return { ok: false, error: "MISSING" };
  const [payload, signature, extra] = ticket.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, error: "INVALID" };
  const given = Buffer.from(signature, "base64url");
  const signedBy = (secret: string) => {
    const expected = sign(payload, secret);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (!(typeof authSecrets === "string" ? [authSecrets] : authSecrets).some(signedBy)) {
    return { ok: false, error: "INVALID" };
  }
  let claims: Partial<TicketClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<TicketClaims>;
  } catch {
    return { ok: false, error: "INVALID" };
  }
  if (typeof claims.uid !== "string" || typeof claims.email !== "string" || typeof claims.exp !== "number") {
    return { ok: false, error: "INVALID" };
  }
  if (claims.exp <= now.getTime()) return { ok: false, error: "EXPIRED" };
  return { ok: true, userId: claims.uid, email: claims.email };
}

/** The ticket cookie's value from a raw Cookie header. */
export function ticketFromCookieHeader(header: string | undefined | null): string | null {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === LOGIN_TICKET_COOKIE)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
