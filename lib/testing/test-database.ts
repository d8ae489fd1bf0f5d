// A test file's own database as two hooks: `const t = withTestDatabase()` at the top level (after
// `withTestSecrets()`, where a file has it) creates and migrates it in a beforeAll and drops it in an
// afterAll, in place of a `let t` set by hooks of the file's own. Hooks registered after the call
// run after the creation and (Vitest runs after-hooks in reverse) before the drop; `atEnd` runs the
// file's closing checks on the data just before the drop; `timeoutMs` is the hooks' (a large fixture's
// file waits longer than Vitest's hookTimeout).
import { afterAll, beforeAll } from "vitest";
import type { PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "./database";

export function withTestDatabase(
  options: { poolMax?: number; atEnd?: (prisma: PrismaClient) => Promise<void>; timeoutMs?: number } = {},
): TestDatabase {
  let database: TestDatabase | undefined;
  const current = () => {
    if (!database) throw new Error("The test database exists from the file's first beforeAll on.");
    return database;
  };
  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: options.poolMax });
  }, options.timeoutMs);
  afterAll(async () => {
    if (!database) return;
    await options.atEnd?.(database.prisma);
    await database.drop();
  }, options.timeoutMs);
  return {
    get url() {
      return current().url;
    },
    get prisma() {
      return current().prisma;
    },
    get real() {
      return current().real;
    },
    drop: () => current().drop(),
  };
}
