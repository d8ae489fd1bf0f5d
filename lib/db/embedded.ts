// Embedded PostgreSQL for a fresh machine: PGlite (Postgres compiled to WASM) kept in the
// git-ignored data folder and served on 127.0.0.1 over the Postgres wire protocol by
// pglite-socket. The app then connects with the same pg driver adapter, SQL and migrations
// it uses against a real server. pglite-socket multiplexes connections onto PGlite's
// single session (lib/db/pglite-server.ts keeps each connection's statements together).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { servePglite } from "./pglite-server";

export const dataDir = path.resolve(process.env.HASHLEASE_DATA_DIR ?? ".data");
const pgliteDir = path.join(dataDir, "pglite");
const runningFile = path.join(dataDir, "embedded-db.json");

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The URL of an embedded database another local process is serving right now, if any. */
export function runningEmbeddedUrl(): string | null {
  if (!existsSync(runningFile)) return null;
  try {
    const { pid, url } = JSON.parse(readFileSync(runningFile, "utf8")) as { pid: number; url: string };
    return isAlive(pid) ? url : null;
  } catch {
    return null;
  }
}

export async function startEmbeddedDatabase(options: { port?: number } = {}): Promise<EmbeddedDatabase> {
  const other = runningEmbeddedUrl();
  if (other) throw new Error(`The embedded database is already served by another process at ${other}.`);
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(pgliteDir);
  const server = await servePglite(db, { port: options.port });
  const url = server.url;
  writeFileSync(runningFile, JSON.stringify({ pid: process.pid, url }));
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      rmSync(runningFile, { force: true });
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Runs `fn` with a database URL: DATABASE_URL when set, else the embedded database
 * (joining the running app's server if there is one, else serving it for the call).
 */
export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL ?? runningEmbeddedUrl();
  if (url) return fn(url);
  const embedded = await startEmbeddedDatabase();
  try {
    return await fn(embedded.url);
  } finally {
    await embedded.stop();
  }
}
