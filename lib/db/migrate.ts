// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order and records each one
// in `_prisma_migrations` exactly as Prisma Migrate does (same table, columns and SHA-256
// checksum of the file), so `prisma migrate status/deploy` agree wherever the schema-engine
// binary exists. Unlike Prisma, each migration runs inside a transaction: a failed
// migration leaves nothing half-applied, only its failure row and logs.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const migrationsDir = path.resolve("prisma/migrations");

// Prisma Migrate's own advisory lock key, so this runner and `prisma migrate` exclude each other.
const PRISMA_ADVISORY_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export function readMigrations(dir = migrationsDir): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  try {
    // The bookkeeping table exists before any migration runs, so a failure can be recorded.
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    await client.query("COMMIT");
    for (const migration of migrations) {
      if (await applyOne(client, migration)) {
        log(`applied ${migration.name}`);
        result.applied.push(migration.name);
      } else {
        result.alreadyApplied.push(migration.name);
      }
    }
    return result;
  } finally {
    await client.end();
  }
}

/**
 * One migration in one transaction, under Prisma's advisory lock taken at transaction
 * scope: concurrent runners (and `prisma migrate`) wait, then see the migration applied.
 * The embedded PGlite serialises whole transactions, which gives the same exclusion.
 */
async function applyOne(client: pg.Client, migration: MigrationFile): Promise<boolean> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [PRISMA_ADVISORY_LOCK]);
    const { rows } = await client.query<MigrationRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const failed = rows.find((row) => row.finished_at === null);
    if (failed) {
      throw new MigrationBlocked(
        `Migration ${failed.migration_name} failed earlier and is not rolled back; fix it and mark it rolled back before migrating.`,
      );
    }
    const existing = rows.find((row) => row.migration_name === migration.name);
    if (existing) {
      await client.query("ROLLBACK");
      if (existing.checksum !== migration.checksum) {
        throw new MigrationBlocked(`Migration ${migration.name} was modified after it was applied (checksum differs).`);
      }
      return false;
    }
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [
      id,
    ]);
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    if (error instanceof MigrationBlocked) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // Record the failure the way Prisma does (a row without finished_at, with logs).
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, $3, $4, now(), 0)`,
      [id, migration.checksum, migration.name, message],
    );
    throw new Error(`Migration ${migration.name} failed: ${message}`);
  }
}

class MigrationBlocked extends Error {}
