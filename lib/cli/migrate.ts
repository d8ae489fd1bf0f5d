// npm run db:migrate — applies pending migrations to DATABASE_URL, or to the embedded
// database when DATABASE_URL is unset.
import { withDatabase } from "../db/embedded";
import { migrate } from "../db/migrate";

await withDatabase(async (url) => {
  const result = await migrate(url, { log: (line) => console.log(line) });
  console.log(`migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
});
