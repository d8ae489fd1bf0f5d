// npm run db:diff — prints the SQL Prisma's schema engine generates for prisma/schema.prisma
// from an empty database. Start a new migration from the part that differs from the
// existing migrations, in prisma/migrations/<timestamp>_<name>/migration.sql.
import { withDatabase } from "../db/embedded";
import { schemaSql } from "../db/schema-engine";

await withDatabase(async (url) => {
  process.stdout.write(await schemaSql(url));
});
