// next-auth v4 configuration: credentials sign-in (password step, then an optional second
// factor step), JWT sessions carrying the user id, roles and the sign-in instant.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordAudit } from "../audit/audit";
import { db } from "../db/client";
import { getSecrets } from "../secrets";
import { authenticate } from "./login";
import type { LoginError } from "./messages";

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

function clientIp(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "") || "unknown";
}

/** Thrown from authorize(); next-auth passes the message to the client as `error`. */
class LoginRefused extends Error {
  constructor(code: LoginError) {
    super(code);
  }
}

export async function getAuthOptions(): Promise<AuthOptions> {
  const secrets = await getSecrets();
  return {
    secret: secrets.authSecret,
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
          const email = String(credentials?.email ?? "").slice(0, 254);
          const password = String(credentials?.password ?? "").slice(0, 200);
          const ip = clientIp(req.headers as Record<string, unknown> | undefined);
          const result = await authenticate(db(), {
            email,
            password,
            ip,
            secondFactorCode: credentials?.code || undefined,
          });
          if (!result.ok) {
            await recordAudit(db(), {
              actorId: null,
              action: "auth.login_failed",
              entityType: "user",
              ip,
              details: { email: email.trim().toLowerCase(), reason: result.error },
            });
            throw new LoginRefused(result.error);
          }
          await recordAudit(db(), {
            actorId: result.user.id,
            action: "auth.login",
            entityType: "user",
            entityId: result.user.id,
            ip,
          });
          return { id: result.user.id, email: result.user.email, name: result.user.name, roles: result.user.roles };
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
