// Prisma's own schema engine, compiled to WebAssembly (@prisma/schema-engine-wasm), driven
// through the pg driver adapter. The native schema-engine binary cannot be downloaded on
// these machines; the wasm build computes the same diffs, so migration SQL is Prisma's own.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { readMigrations } from "./migrate";

type DiffTarget = { tag: "empty" } | { tag: "schemaDatamodel"; files: { path: string; content: string }[] };

interface WasmSchemaEngine {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string }>;
  diagnoseMigrationHistory(input: {
    migrationsList: MigrationList;
    optInToShadowDatabase: boolean;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<MigrationHistoryDiagnosis>;
  free(): void;
}

interface MigrationList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: { path: string; migrationFile: { path: string; content: { tag: "ok"; value: string } } }[];
}

export interface MigrationHistoryDiagnosis {
  editedMigrationNames: string[];
  failedMigrationNames: string[];
  hasMigrationsTable: boolean;
  history: null | { diagnostic: string; unappliedMigrationNames?: string[]; unpersistedMigrationNames?: string[] };
}

const require = createRequire(import.meta.url);
let engineClass: Promise<{ new: (...args: unknown[]) => Promise<WasmSchemaEngine> }> | undefined;

function loadEngineClass() {
  engineClass ??= (async () => {
    const runtime = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const wasm = new WebAssembly.Module(readFileSync(path.join(pkgDir, "schema_engine_bg.wasm")));
    const instance = new WebAssembly.Instance(wasm, {
      "./schema_engine_bg.js": runtime as unknown as WebAssembly.ModuleImports,
    });
    (runtime as unknown as { __wbg_set_wasm(e: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime.SchemaEngine as unknown as { new: (...args: unknown[]) => Promise<WasmSchemaEngine> };
  })();
  return engineClass;
}

export const schemaPath = path.resolve("prisma/schema.prisma");

const noFilters = { externalTables: [], externalEnums: [] };

async function withEngine<T>(
  connectionString: string,
  fn: (engine: WasmSchemaEngine, schema: string) => Promise<T>,
): Promise<T> {
  const content = readFileSync(schemaPath, "utf8");
  const Engine = await loadEngineClass();
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString }));
  const engine = await Engine.new({ datamodels: [["schema.prisma", content]] }, () => {}, factory);
  try {
    return await fn(engine, content);
  } finally {
    engine.free();
  }
}

/**
 * The SQL Prisma generates for the whole schema from an empty database (what
 * `prisma migrate diff --from-empty --to-schema` prints). Diffing from a live database is
 * not offered: the pg adapter cannot read pg_catalog's internal "char" columns that
 * introspection needs, so drift is checked by lib/db/drift.test.ts instead.
 */
export async function schemaSql(connectionString: string): Promise<string> {
  return withEngine(connectionString, async (engine, content) => {
    const result = await engine.diff({
      from: { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout;
  });
}

/** What `prisma migrate status` reports: Prisma's own reading of `_prisma_migrations`. */
export async function diagnoseMigrationHistory(
  connectionString: string,
  migrationsDir: string,
): Promise<MigrationHistoryDiagnosis> {
  const migrationDirectories = readMigrations(migrationsDir).map((m) => ({
    path: m.name,
    migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: m.sql } },
  }));
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return withEngine(connectionString, (engine) =>
    engine.diagnoseMigrationHistory({
      migrationsList: {
        baseDir: migrationsDir,
        lockfile: {
          path: "migration_lock.toml",
          content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
        },
        shadowDbInitScript: "",
        migrationDirectories,
      },
      optInToShadowDatabase: false,
      filters: noFilters,
    }),
  );
}
