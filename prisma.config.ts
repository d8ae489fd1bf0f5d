import { defineConfig } from "prisma/config";

// The Prisma CLI is used here only for `prisma generate`; migrations are applied by
// `npm run db:migrate` (lib/db/migrate.ts), which keeps Prisma's folder layout and
// `_prisma_migrations` bookkeeping so `prisma migrate status/deploy` agree with it.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx lib/cli/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/hashlease" },
});
