// The one Prisma client of the app: Prisma 7 "prisma-client" generator with the pg driver
// adapter (no Rust query engine). The embedded database (PGlite) is served over the
// Postgres wire protocol by lib/db/embedded.ts, so both paths use this same adapter.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
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

const POOLS = Symbol.for("hashlease.db.pools");

/** The connection pools of this process's Prisma clients, open or not (read by the metrics scrape). */
export function connectionPools(): Set<pg.Pool> {
  return ((globalThis as Record<symbol, unknown>)[POOLS] ??= new Set<pg.Pool>()) as Set<pg.Pool>;
}

export function createPrismaClient(connectionString = databaseUrl()): PrismaClient {
  const max = Number(process.env.DATABASE_POOL_MAX ?? 10);
  // The pool is made here, not by the adapter, so its use can be observed (lib/observability);
  // the adapter still ends it on $disconnect.
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
  const pools = connectionPools();
  pools.add(pool);
  const end = pool.end.bind(pool);
  pool.end = (async () => {
    pools.delete(pool);
    await end();
  }) as typeof pool.end;
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
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
