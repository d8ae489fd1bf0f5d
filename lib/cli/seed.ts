// npm run seed [-- --today YYYY-MM-DD] — writes the demo data into DATABASE_URL, or into
// the embedded database when DATABASE_URL is unset (migrate it first: npm run db:migrate).
// Idempotent: a re-run only adds what is missing, e.g. the network snapshots of the days
// since the last run. Demo users share a published password: never seed a real database.
import { parseArgs } from "node:util";
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";
import { seedDemoData } from "../demo/seed";

const { values } = parseArgs({ options: { today: { type: "string" } } });

function parseToday(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const today = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(today.getTime())) {
    throw new Error(`--today must be a date YYYY-MM-DD, got "${value}"`);
  }
  return today;
}

async function main() {
  const today = parseToday(values.today);
  await withDatabase(async (url) => {
    const prisma = createPrismaClient(url);
    try {
      const summary = await seedDemoData(prisma, { today, log: (line) => console.log(`[seed] ${line}`) });
      const { counts, created } = summary;
      console.log(`\nDemo data, network snapshots up to ${summary.today} (${summary.durationMs} ms):`);
      for (const key of Object.keys(counts) as (keyof typeof counts)[]) {
        console.log(`  ${key.padEnd(11)} ${String(counts[key]).padStart(5)}  (${created[key]} new)`);
      }
      console.log("\nDemo accounts (password for all of them):");
      for (const c of summary.credentials) {
        console.log(`  ${c.email.padEnd(28)} ${c.password}  ${c.roles.join(",").padEnd(17)} ${c.purpose}`);
      }
    } finally {
      await prisma.$disconnect();
    }
  });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[seed] failed: ${message}`);
  if (/does not exist/.test(message)) console.error("[seed] is the database migrated? Run: npm run db:migrate");
  process.exit(1);
});
