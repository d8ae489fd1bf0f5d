// Vitest's global setup: says once, before any test, which database this run uses, so a
// reader of the output never has to guess whether the database suites ran on PostgreSQL or on
// the embedded PGlite (lib/testing/database.ts makes a fresh database per test file on it).
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export default async function setup(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    await client.end();
    const url = new URL(serverUrl);
    console.log(
      `vitest: database PostgreSQL ${rows[0]?.version} at ${url.hostname}:${url.port || 5432} (DATABASE_URL; a fresh database per test file)`,
    );
  } else {
    const db = await PGlite.create();
    const { rows } = await db.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    await db.close();
    console.log(
      `vitest: database embedded PGlite (PostgreSQL ${rows[0]?.version}, in memory, a fresh one per test file; DATABASE_URL is unset). ` +
        "Tests that need concurrent sessions are skipped here with their reason; set DATABASE_URL to run them.",
    );
  }
}
