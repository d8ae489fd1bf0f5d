// The one Prisma client of the app: Prisma 7 "prisma-client" generator with the pg driver
// adapter (no Rust query engine). The embedded database (PGlite) is served over the
// Postgres wire protocol by lib/db/embedded.ts, so both paths use this same adapter.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm start` (it serves the embedded database) or set DATABASE_URL.",
    );
  }
  return url;
}

export function createPrismaClient(connectionString = databaseUrl()): PrismaClient {
  const max = Number(process.env.DATABASE_POOL_MAX ?? 10);
  const adapter = new PrismaPg({ connectionString, max, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { hashleasePrisma?: PrismaClient };

/** Lazily created so that importing this module never needs a database. */
export function db(): PrismaClient {
  globalForPrisma.hashleasePrisma ??= createPrismaClient();
  return globalForPrisma.hashleasePrisma;
}

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
