// The second factor behind every admin and operator action that moves money or decides about it
// (approving, rejecting and sending withdrawals, payout runs, network data a run settles with,
// freezes, retrying money jobs, operator payouts). An account without 2FA, or a session signed in
// with the password only, is refused before anything runs, so a refusal writes nothing.
//
// The rule, as a regulated exchange keeps it for its staff:
// - 2FA must be on for the account (TOTP; lib/auth/two-factor.ts), and
// - the session the action comes with must have been signed in with a second factor (a TOTP code,
//   or a one-time recovery code when the phone is lost), or be the session that confirmed the
//   enrolment with a code. user_sessions.second_factor records it at sign-in.
// Turning 2FA on voids every other session (sessionsValidAfter), and turning it off fails the
// first rule at once, so no session outlives the factor it was signed in with.
//
// No fresh code per action (step-up): a review queue is worked in batches and a code per click
// trains people to type codes without reading what they approve; the possession proof is the
// session's, which ends at sign-out, after the idle lifetime, or when any session ends it ("sign
// out everywhere"). Customers' own withdrawals keep their fresh code per request (DESIGN.md).
//
// API keys have no session: an API request (HMAC-signed with the key's secret, the possession
// factor of a program) needs only the owner's 2FA on.
//
// Use: `twoFactor: "approve withdrawals"` on formAction/objectAction (app/_lib/form-action.ts) or
// apiRoute (lib/api/handler.ts); elsewhere `requireTwoFactor(prisma, { userId, via, purpose })`
// first, and return its refusal. Pages that host such actions read moneyActionReadiness and show
// components/auth/two-factor-gate.tsx (the banner, and disabled buttons that say why).
import type { PrismaClient, Tx } from "../db/client";
import { refuse, type Refusal } from "../shared/result";

/** Where 2FA is turned on (the refusal and the banner link there). */
export const TWO_FACTOR_SETTINGS_PATH = "/settings/security";

export type TwoFactorRequired = Refusal<"TWO_FACTOR_REQUIRED">;

/** What the request is signed in with: a browser session (its user_sessions row) or an API key. */
export type MoneyActionChannel = { sessionId: string } | { apiKeyId: string };

export type MoneyActionReadiness =
  | { ready: true }
  /** "off": the account has no 2FA; "session": 2FA is on but this session was signed in without a code. */
  | { ready: false; reason: "off" | "session" };

/** Whether this account, through this session or key, may take money actions now. One indexed read. */
export async function moneyActionReadiness(
  prisma: PrismaClient | Tx,
  input: { userId: string; via: MoneyActionChannel },
): Promise<MoneyActionReadiness> {
  const sessionId = "sessionId" in input.via ? input.via.sessionId : null;
  const [row] = await prisma.$queryRaw<{ enabled: boolean; session_factor: string | null }[]>`
    SELECT u.totp_enabled_at IS NOT NULL AS enabled, s.second_factor AS session_factor
      FROM users u
      LEFT JOIN user_sessions s ON s.id = ${sessionId}::uuid AND s.user_id = u.id
     WHERE u.id = ${input.userId}::uuid`;
  if (!row?.enabled) return { ready: false, reason: "off" };
  if (sessionId !== null && row.session_factor === null) return { ready: false, reason: "session" };
  return { ready: true };
}

/** The sentence of a refusal (and of the banner) for `purpose`, e.g. "approve withdrawals". */
export function twoFactorMessage(reason: "off" | "session", purpose: string): string {
  return reason === "off"
    ? `Turn on two-factor authentication to ${purpose}.`
    : `Sign in again with your authenticator code to ${purpose}: this session was signed in with the password only.`;
}

/**
 * The guard itself: `{ ok: true }`, or the refusal (code TWO_FACTOR_REQUIRED, HTTP 403 at the API
 * edge) naming what could not be done and how to get there.
 */
export async function requireTwoFactor(
  prisma: PrismaClient | Tx,
  input: { userId: string; via: MoneyActionChannel; purpose: string },
): Promise<{ ok: true } | TwoFactorRequired> {
  const readiness = await moneyActionReadiness(prisma, input);
  return readiness.ready
    ? { ok: true }
    : refuse("TWO_FACTOR_REQUIRED", twoFactorMessage(readiness.reason, input.purpose));
}
