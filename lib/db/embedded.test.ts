import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";

const dir = mkdtempSync(path.join(tmpdir(), "hl-embedded-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadEmbedded() {
  vi.resetModules();
  vi.stubEnv("HASHLEASE_DATA_DIR", dir);
  return import("./embedded");
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL (PGlite over the wire protocol)", () => {
  it("keeps data in the data folder across restarts and refuses a second server on it", async () => {
    const { startEmbeddedDatabase, runningEmbeddedUrl } = await loadEmbedded();
    const first = await startEmbeddedDatabase();
    try {
      expect(runningEmbeddedUrl()).toBe(first.url);
      await expect(startEmbeddedDatabase()).rejects.toThrow(/already served by another process/);
      await query(first.url, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42);");
      // Several pg connections at once, with transactions kept apart by the multiplexer.
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          query(first.url, `BEGIN; INSERT INTO kept VALUES (${i}); SELECT count(*)::int AS n FROM kept; COMMIT;`),
        ),
      );
      expect(results).toHaveLength(8);
    } finally {
      await first.stop();
    }
    expect(runningEmbeddedUrl()).toBeNull();

    const second = await startEmbeddedDatabase();
    try {
      const rows = await query(second.url, "SELECT count(*)::int AS n, max(v) AS top FROM kept");
      expect(rows[0]).toEqual({ n: 9, top: 42 });
    } finally {
      await second.stop();
    }
  });
});
