// next-auth v4 configuration: credentials sign-in (password step, then for 2FA accounts a
// code step that trades the signed login ticket and a code for the session), JWT sessions
// carrying the user id, roles, the sign-in instant and the server-side session id (`sid`,
// a user_sessions row made at sign-in and ended at sign-out: lib/auth/sessions.ts).
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { recordAudit } from "../audit/audit";
import { db } from "../db/client";
import { clientIp, headerRecord } from "../http/request";
import { log } from "../observability/log";
import { acceptedAuthSecrets, getSecrets, refreshSecrets, type AppSecrets } from "../secrets";
import { authenticate, completeSecondFactor, normalizeEmail } from "./login";
import {
  issueLoginTicket,
  LOGIN_TICKET_COOKIE,
  LOGIN_TICKET_TTL_MS,
  readLoginTicket,
  ticketFromCookieHeader,
} from "./login-ticket";
import type { LoginError } from "./messages";
import { decodeWithSecrets } from "./session-token";
import { revokeSession, SESSION_MAX_AGE_S, startSession, type SecondFactorMethod } from "./sessions";

export { SESSION_MAX_AGE_S };

/** Thrown from authorize(); next-auth passes the message to the client as `error`. */
class LoginRefused extends Error {
  constructor(code: LoginError) {
    super(code);
  }
}

type SignedInUser = { id: string; email: string; name: string; roles: string[]; sid?: string };

/** Where the sign-in came from: the client IP and the browser's user agent. */
interface Origin {
  ip: string;
  userAgent: string | null;
}

async function refuse(ip: string, email: string, reason: LoginError, userId: string | null = null): Promise<never> {
  await recordAudit(db(), {
    actorId: null,
    action: "auth.login_failed",
    entityType: "user",
    entityId: userId,
    ip,
    details: { email, reason },
  });
  throw new LoginRefused(reason);
}

/** The session row (and its auth.login audit line); its id goes into the JWT as `sid`. */
async function signedIn(
  origin: Origin,
  user: SignedInUser,
  secondFactor: SecondFactorMethod | null,
): Promise<SignedInUser> {
  const { sessionId } = await startSession(db(), {
    userId: user.id,
    ip: origin.ip,
    userAgent: origin.userAgent,
    secondFactor,
  });
  return { id: user.id, email: user.email, name: user.name, roles: user.roles, sid: sessionId };
}

/**
 * Secure cookies (and next-auth's __Secure-/__Host- names) whenever the app is served over
 * https; plain ones only for an http NEXTAUTH_URL such as the http://localhost demo, where a
 * browser would drop Secure cookies. All of them are httpOnly and SameSite Lax or Strict.
 */
export function secureCookies(): boolean {
  return process.env.NEXTAUTH_URL?.startsWith("https://") ?? false;
}

function ticketCookieOptions(maxAgeS: number) {
  // Only the sign-in callback needs it; Strict so no other site's request carries it.
  return { httpOnly: true, sameSite: "strict" as const, secure: secureCookies(), path: "/api/auth", maxAge: maxAgeS };
}

/**
 * Step 1: email + password. For an account with 2FA a right password signs nobody in: it
 * sets the signed, httpOnly login ticket (see login-ticket.ts) and asks for the code.
 */
async function passwordStep(
  authSecret: string,
  email: string,
  password: string,
  origin: Origin,
): Promise<SignedInUser> {
  const { ip } = origin;
  const result = await authenticate(db(), { email, password, ip });
  if (result.ok) return signedIn(origin, result.user, null);
  if (result.code === "SECOND_FACTOR_REQUIRED") {
    // authenticate() only says this after the password matched this email's account.
    const user = await db().user.findUniqueOrThrow({
      where: { email: normalizeEmail(email) },
      select: { id: true, email: true },
    });
    const jar = await cookies();
    jar.set(LOGIN_TICKET_COOKIE, issueLoginTicket(user, authSecret), ticketCookieOptions(LOGIN_TICKET_TTL_MS / 1000));
    throw new LoginRefused("SECOND_FACTOR_REQUIRED");
  }
  return refuse(ip, normalizeEmail(email), result.code);
}

/** Step 2: the ticket from step 1 plus a TOTP code or a recovery code. */
async function codeStep(
  secrets: Pick<AppSecrets, "authSecret" | "previousAuthSecret">,
  code: string,
  origin: Origin,
  cookieHeader: string | null,
): Promise<SignedInUser> {
  const { ip } = origin;
  const given = ticketFromCookieHeader(cookieHeader);
  let ticket = readLoginTicket(given, acceptedAuthSecrets(secrets));
  if (!ticket.ok && ticket.error === "INVALID") {
    // Signed by an instance that read a rotated auth secret first? Read ours again (at most every 10 s).
    const fresh = await refreshSecrets();
    if (fresh.authSecret !== secrets.authSecret) ticket = readLoginTicket(given, acceptedAuthSecrets(fresh));
  }
  if (!ticket.ok) return refuse(ip, "", "SECOND_FACTOR_EXPIRED");
  const result = await completeSecondFactor(db(), { userId: ticket.userId, code, ip });
  if (!result.ok) return refuse(ip, ticket.email, result.code, ticket.userId);
  (await cookies()).set(LOGIN_TICKET_COOKIE, "", ticketCookieOptions(0));
  return signedIn(origin, result.user, result.method);
}

export async function getAuthOptions(): Promise<AuthOptions> {
  const secrets = await getSecrets();
  return {
    secret: secrets.authSecret,
    // Sessions signed before a rotation of the auth secret still open (and are re-encoded with the new one).
    jwt: { decode: (params) => decodeWithSecrets(params, secrets) },
    // next-auth's own cookies: httpOnly, SameSite=Lax, Secure + prefixed names over https.
    useSecureCookies: secureCookies(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          code: { label: "Authenticator code", type: "text" },
        },
        async authorize(credentials, req) {
          const headers = req.headers as Record<string, unknown> | undefined;
          const ip = clientIp(headerRecord(headers)) ?? "unknown";
          const userAgent = typeof headers?.["user-agent"] === "string" ? headers["user-agent"] : null;
          const origin = { ip, userAgent };
          const code = String(credentials?.code ?? "").trim();
          if (code) return codeStep(secrets, code, origin, typeof headers?.cookie === "string" ? headers.cookie : null);
          return passwordStep(
            secrets.authSecret,
            String(credentials?.email ?? "").slice(0, 254),
            String(credentials?.password ?? "").slice(0, 200),
            origin,
          );
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.roles = (user as { roles?: string[] }).roles ?? [];
          token.authAt = Date.now();
          token.sid = (user as { sid?: string }).sid;
        }
        return token;
      },
      async session({ session, token }) {
        session.user = { ...session.user, id: String(token.uid ?? ""), roles: token.roles ?? [] };
        session.authAt = token.authAt;
        session.sid = token.sid;
        return session;
      },
    },
    events: {
      // Sign-out ends the session on the server: a copy of the cookie opens nothing after it.
      // next-auth clears the cookie even if this throws (it logs SIGNOUT_ERROR), so the
      // failure is logged loudly here too.
      async signOut({ token }) {
        if (!token?.uid || typeof token.sid !== "string") return;
        try {
          await revokeSession(db(), { userId: token.uid, sessionId: token.sid, reason: "signed_out", ip: null });
        } catch (error) {
          log.error({ err: error }, "auth: sign-out could not end the session on the server");
          throw error;
        }
      },
    },
  };
}
