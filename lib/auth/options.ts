// next-auth v4 configuration: credentials sign-in (password step, then for 2FA accounts a
// code step that trades the signed login ticket and a code for the session), JWT sessions
// carrying the user id, roles and the sign-in instant.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { recordAudit } from "../audit/audit";
import { db } from "../db/client";
import { clientIp, headerRecord } from "../http/request";
import { getSecrets } from "../secrets";
import { authenticate, completeSecondFactor, normalizeEmail } from "./login";
import {
  issueLoginTicket,
  LOGIN_TICKET_COOKIE,
  LOGIN_TICKET_TTL_MS,
  readLoginTicket,
  ticketFromCookieHeader,
} from "./login-ticket";
import type { LoginError } from "./messages";

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

/** Thrown from authorize(); next-auth passes the message to the client as `error`. */
class LoginRefused extends Error {
  constructor(code: LoginError) {
    super(code);
  }
}

type SignedInUser = { id: string; email: string; name: string; roles: string[] };

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

async function signedIn(ip: string, user: SignedInUser, secondFactor: string | null): Promise<SignedInUser> {
  await recordAudit(db(), {
    actorId: user.id,
    action: "auth.login",
    entityType: "user",
    entityId: user.id,
    ip,
    ...(secondFactor ? { details: { secondFactor } } : {}),
  });
  return { id: user.id, email: user.email, name: user.name, roles: user.roles };
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
async function passwordStep(authSecret: string, email: string, password: string, ip: string): Promise<SignedInUser> {
  const result = await authenticate(db(), { email, password, ip });
  if (result.ok) return signedIn(ip, result.user, null);
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
  authSecret: string,
  code: string,
  ip: string,
  cookieHeader: string | null,
): Promise<SignedInUser> {
  const ticket = readLoginTicket(ticketFromCookieHeader(cookieHeader), authSecret);
  if (!ticket.ok) return refuse(ip, "", "SECOND_FACTOR_EXPIRED");
  const result = await completeSecondFactor(db(), { userId: ticket.userId, code, ip });
  if (!result.ok) return refuse(ip, ticket.email, result.code, ticket.userId);
  (await cookies()).set(LOGIN_TICKET_COOKIE, "", ticketCookieOptions(0));
  return signedIn(ip, result.user, result.method);
}

export async function getAuthOptions(): Promise<AuthOptions> {
  const secrets = await getSecrets();
  return {
    secret: secrets.authSecret,
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
          const code = String(credentials?.code ?? "").trim();
          if (code)
            return codeStep(secrets.authSecret, code, ip, typeof headers?.cookie === "string" ? headers.cookie : null);
          return passwordStep(
            secrets.authSecret,
            String(credentials?.email ?? "").slice(0, 254),
            String(credentials?.password ?? "").slice(0, 200),
            ip,
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
        }
        return token;
      },
      async session({ session, token }) {
        session.user = { ...session.user, id: String(token.uid ?? ""), roles: token.roles ?? [] };
        session.authAt = token.authAt;
        return session;
      },
    },
  };
}
