// A fresh, migrated database per test file: on the PostgreSQL server in DATABASE_URL when
// it is set (a new database is created beside the one named there and dropped afterwards),
// else on an in-memory embedded PGlite served over the wire protocol, exactly as the app
// uses it. Either way the test talks through the app's own Prisma client and adapter.
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { migrate } from "../db/migrate";
import { servePglite } from "../db/pglite-server";

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** True when running on a real PostgreSQL server (not the embedded PGlite). */
  real: boolean;
  drop(): Promise<void>;
}

export async function createEmptyDatabase(): Promise<Omit<TestDatabase, "prisma"> & { drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `hl_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      real: true,
      async drop() {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const db = await PGlite.create();
  const server = await servePglite(db);
  return {
    url: server.url,
    real: false,
    async drop() {
      await server.stop();
      await db.close();
    },
  };
}

export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  await migrate(empty.url);
  if (options.poolMax) process.env.DATABASE_POOL_MAX = String(options.poolMax);
  const prisma = createPrismaClient(empty.url);
  return {
    ...empty,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await empty.drop();
    },
  };
}

/**
 * A test database with a second client on it, as a second app instance with its own pool: for
 * tests of two workers racing the same job. `drop` closes both.
 */
export async function createTestDatabaseWithSecondClient(): Promise<TestDatabase & { second: PrismaClient }> {
  const t = await createTestDatabase();
  const second = createPrismaClient(t.url);
  const dropDatabase = t.drop;
  const drop = () => second.$disconnect().then(dropDatabase);
  return { ...t, second, drop };
}
