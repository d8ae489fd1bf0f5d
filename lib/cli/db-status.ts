// npm run db:status — Prisma's own reading of the migration history (the schema engine,
// as wasm): what `prisma migrate status` would say about DATABASE_URL or the embedded db.
import { withDatabase } from "../db/embedded";
import { migrationsDir } from "../db/migrate";
import { diagnoseMigrationHistory } from "../db/schema-engine";

await withDatabase(async (url) => {
  const diagnosis = await diagnoseMigrationHistory(url, migrationsDir);
  console.log(JSON.stringify(diagnosis, null, 2));
  const healthy =
    diagnosis.hasMigrationsTable &&
    !diagnosis.history &&
    diagnosis.failedMigrationNames.length === 0 &&
    diagnosis.editedMigrationNames.length === 0;
  console.log(healthy ? "migration history is up to date" : "migration history needs attention");
  process.exitCode = healthy ? 0 : 1;
});
