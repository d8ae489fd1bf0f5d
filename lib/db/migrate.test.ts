import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createEmptyDatabase } from "../testing/database";
import { migrate, migrationsDir, readMigrations } from "./migrate";
import { diagnoseMigrationHistory } from "./schema-engine";

type Empty = Awaited<ReturnType<typeof createEmptyDatabase>>;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDb(): Promise<Empty> {
  const db = await createEmptyDatabase();
  cleanups.push(() => db.drop());
  return db;
}

function copyMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hl-migrations-"));
  cpSync(migrationsDir, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function rows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (
      await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        applied_steps_count: number;
        logs: string | null;
      }>(
        `SELECT migration_name, checksum, finished_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
      )
    ).rows;
  } finally {
    await client.end();
  }
}

describe("db:migrate", () => {
  it("applies every migration once and records it as Prisma does (sha256 of the file)", async () => {
    const db = await emptyDb();
    const first = await migrate(db.url);
    const files = readMigrations();
    expect(first.applied).toEqual(files.map((f) => f.name));
    const recorded = await rows(db.url);
    expect(recorded.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of recorded.entries()) {
      const sql = readFileSync(path.join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(files[i]?.checksum).toBe(row.checksum);
    }
    const second = await migrate(db.url);
    expect(second).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name) });
  });

  it("Prisma's own schema engine reads the history as up to date", async () => {
    const db = await emptyDb();
    await migrate(db.url);
    const diagnosis = await diagnoseMigrationHistory(db.url, migrationsDir);
    expect(diagnosis).toEqual({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
  });

  it("Prisma's engine sees a pending migration as pending, and it applies", async () => {
    const db = await emptyDb();
    await migrate(db.url);
    const dir = copyMigrations();
    mkdirSync(path.join(dir, "20261201000000_add_note"));
    writeFileSync(
      path.join(dir, "20261201000000_add_note", "migration.sql"),
      'ALTER TABLE "users" ADD COLUMN "note" TEXT;\n',
    );
    const before = await diagnoseMigrationHistory(db.url, dir);
    expect(before.history).toEqual({
      diagnostic: "databaseIsBehind",
      unappliedMigrationNames: ["20261201000000_add_note"],
    });
    expect((await migrate(db.url, { dir })).applied).toEqual(["20261201000000_add_note"]);
    expect((await diagnoseMigrationHistory(db.url, dir)).history).toBeNull();
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const db = await emptyDb();
    await migrate(db.url);
    const dir = copyMigrations();
    const file = path.join(dir, "20261123000000_init", "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited\n`);
    await expect(migrate(db.url, { dir })).rejects.toThrow(/20261123000000_init was modified after it was applied/);
    expect((await diagnoseMigrationHistory(db.url, dir)).editedMigrationNames).toEqual(["20261123000000_init"]);
  });

  it("a failing migration leaves nothing half-applied and blocks later runs until resolved", async () => {
    const db = await emptyDb();
    const dir = copyMigrations();
    mkdirSync(path.join(dir, "20261202000000_broken"));
    writeFileSync(
      path.join(dir, "20261202000000_broken", "migration.sql"),
      'CREATE TABLE "half" (id int);\nSELECT * FROM "no_such_table";\n',
    );
    await expect(migrate(db.url, { dir })).rejects.toThrow(/20261202000000_broken failed: .*no_such_table/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const half = await client.query(`SELECT to_regclass('public.half') AS t`);
    await client.end();
    expect(half.rows[0].t).toBeNull();
    const recorded = await rows(db.url);
    const broken = recorded.find((r) => r.migration_name === "20261202000000_broken");
    expect(broken?.finished_at).toBeNull();
    expect(broken?.logs).toMatch(/no_such_table/);
    expect((await diagnoseMigrationHistory(db.url, dir)).failedMigrationNames).toEqual(["20261202000000_broken"]);
    await expect(migrate(db.url, { dir })).rejects.toThrow(/failed earlier and is not rolled back/);
  });

  it("two runners started at once apply each migration exactly once", async () => {
    const db = await emptyDb();
    const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    const appliedCount = results.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedCount).toBe(readMigrations().length);
    expect((await rows(db.url)).length).toBe(readMigrations().length);
  });
});
