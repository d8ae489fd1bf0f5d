// What the app exposes, found on disk, and what a call wrote: the authorisation matrix and the
// 2FA guard test both walk app/ for every server action and route, and both prove a refusal
// wrote nothing by counting the rows of every business table before and after.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "../db/client";

const ROOT = path.resolve(__dirname, "../..");

export type DiscoveredAction = (...args: unknown[]) => Promise<unknown>;

/** Files named `name` below `dir` (absolute), as repository paths ("app/wallet/actions.ts"), sorted. */
export function appFiles(dir: string, name: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) appFiles(full, name, out);
    else if (entry === name) out.push(path.relative(ROOT, full).split(path.sep).join("/"));
  }
  return out.sort();
}

/** A module of the app by its repository path. */
export async function loadAppModule(file: string): Promise<Record<string, unknown>> {
  return (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>;
}

/** Every function exported from an actions.ts under the given areas ("app", "app/admin"), keyed "file#name". */
export async function discoverActions(areas: readonly string[] = ["app"]): Promise<Map<string, DiscoveredAction>> {
  const found = new Map<string, DiscoveredAction>();
  for (const area of areas)
    for (const file of appFiles(path.join(ROOT, area), "actions.ts"))
      for (const [name, value] of Object.entries(await loadAppModule(file)))
        if (typeof value === "function") found.set(`${file}#${name}`, value as DiscoveredAction);
  return found;
}

/**
 * The business tables whose row counts show a write. rate_limits is left out: a refused caller's
 * spent point is the refusal's own record, not a business row (its own tests count it).
 */
export async function businessTables(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  return rows.map((r) => r.name).filter((name) => name !== "rate_limits");
}

/** The row count of each table, in one statement. */
export async function rowCounts(prisma: PrismaClient, tables: readonly string[]): Promise<Record<string, number>> {
  const select = tables.map((name) => `(SELECT count(*)::int FROM "${name}") AS "${name}"`).join(", ");
  const [row] = await prisma.$queryRawUnsafe<Record<string, number>[]>(`SELECT ${select}`);
  return row!;
}
