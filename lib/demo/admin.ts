// Demo admin with 2FA on (issue 23): admin actions that move money refuse an account without 2FA
// or a session signed in without a code (lib/auth/two-factor-guard.ts), so the demo admin is
// enrolled with a fixed authenticator key that npm start prints on the embedded demo only, as the
// demo withdrawer's (lib/demo/withdrawer.ts). Through the real enrolment (start, then confirm
// with the code of that instant), two weeks and a day before `today`: its audit line, notice and
// recovery codes are real, and the code's time step is long past when anyone signs in.
// Idempotent: an admin with 2FA on is left as it is.
import { totpCodeFor, totpUri } from "../auth/totp";
import { confirmTotpEnrolment, startTotpEnrolment } from "../auth/two-factor";
import type { PrismaClient } from "../db/client";
import { DEMO_ADMIN_TOTP_SECRET } from "./catalog";
import { dayDate, utcDayNumber } from "./network";
import { DEMO_ADMIN_EMAIL } from "./withdrawer";

export { DEMO_ADMIN_TOTP_SECRET } from "./catalog";

const ENROLLED_DAYS_AGO = 15;

/** The otpauth:// URI of the demo admin's key (an authenticator app takes it as a QR code or a link). */
export function demoAdminTotpUri(): string {
  return totpUri(DEMO_ADMIN_TOTP_SECRET, DEMO_ADMIN_EMAIL);
}

export async function ensureDemoAdminTwoFactor(
  prisma: PrismaClient,
  today: Date,
  log: (msg: string) => void,
): Promise<void> {
  const admin = await prisma.user.findUniqueOrThrow({
    where: { email: DEMO_ADMIN_EMAIL },
    select: { id: true, totpEnabledAt: true },
  });
  if (admin.totpEnabledAt) return;
  const at = new Date(dayDate(utcDayNumber(today) - ENROLLED_DAYS_AGO).getTime() + 9 * 3_600_000);
  const actor = { userId: admin.id, ip: null, now: at };
  const started = await startTotpEnrolment(prisma, actor, { secret: DEMO_ADMIN_TOTP_SECRET });
  if (!started.ok) return log(`demo admin: 2FA enrolment refused (${started.message})`);
  const confirmed = await confirmTotpEnrolment(prisma, { ...actor, code: totpCodeFor(DEMO_ADMIN_TOTP_SECRET, at) });
  if (!confirmed.ok) return log(`demo admin: 2FA confirmation refused (${confirmed.message})`);
  log("demo admin: 2FA on (the authenticator key npm start prints)");
}
