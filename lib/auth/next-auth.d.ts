import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** Sign-in instant (ms since epoch), copied from the JWT. */
    authAt?: number;
    /** The server-side session (user_sessions.id), copied from the JWT. */
    sid?: string;
    user: { id: string; roles: string[]; name?: string | null; email?: string | null; image?: string | null };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    roles?: string[];
    /** Sign-in instant (ms): sessions older than the user's sessionsValidAfter are void. */
    authAt?: number;
    /** The user_sessions row of this sign-in; a JWT without one counts as signed out. */
    sid?: string;
  }
}
