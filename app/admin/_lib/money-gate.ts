// Whether the signed-in admin may take this page's money actions (2FA on, session signed in with a
// code: lib/auth/two-factor-guard.ts), for AdminPage's `moneyGate` (the banner, disabled buttons).
import type { CurrentUser } from "@/lib/auth/session";
import { moneyActionReadiness, type MoneyActionReadiness } from "@/lib/auth/two-factor-guard";
import { db } from "@/lib/db/client";

export function moneyReadiness(user: CurrentUser): Promise<MoneyActionReadiness> {
  return moneyActionReadiness(db(), { userId: user.id, via: { sessionId: user.sessionId } });
}
