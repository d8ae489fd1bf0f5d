// How long a session lives and how often its last-seen instant is written: shared by the
// session checks (lib/auth/sessions.ts) and the purchase statement (lib/contracts/purchase.ts),
// which checks the session row in SQL itself. No imports, so any domain may read them.

/** A session cookie lives 8 hours; a session unseen for that long is over on the server too. */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;
/** last_seen_at is written at most this often per session. */
export const LAST_SEEN_THROTTLE_MS = 60_000;
