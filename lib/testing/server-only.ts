// Tests that need what only a PostgreSQL server gives: several sessions at once (a lock held on
// one connection while another runs), or several processes on one database (killed workers).
// The embedded PGlite is one backend session: there such a test would wait on itself. On PGlite
// these tests are skipped, never silently: the reason is in the test's name and printed when the
// file is collected, and `npm test` names the database it used (lib/testing/global-setup.ts).
import { describe, it } from "vitest";

/** True when the tests run on a PostgreSQL server (DATABASE_URL), false on the embedded PGlite. */
export const onServer = !!process.env.DATABASE_URL;

function skipped(name: string, reason: string): string {
  const label = `${name} [needs PostgreSQL: ${reason}; skipped on the embedded PGlite, set DATABASE_URL to run it]`;
  console.warn(`skipped: ${label}`);
  return label;
}

/** `it`, run only on a PostgreSQL server; `reason` says what the embedded database cannot give. */
export function itOnServer(name: string, reason: string, fn: () => Promise<void>, timeoutMs?: number): void {
  if (onServer) it(name, fn, timeoutMs);
  else it.skip(skipped(name, reason), fn);
}

/** `describe`, run only on a PostgreSQL server; `reason` says what the embedded database cannot give. */
export function describeOnServer(name: string, reason: string, fn: () => void): void {
  if (onServer) describe(name, fn);
  else describe.skip(skipped(name, reason), fn);
}
