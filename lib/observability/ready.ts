// What GET /api/ready answers: whether this instance should receive traffic. Liveness
// (/api/health) only asks "is the process up and the database reachable"; readiness also asks
// whether the schema is the one this build expects (a new build in front of an unmigrated database
// would fail on its first query of a new column) and whether a jobs worker is running (without
// one, payouts stop, mail waits and reservations never expire, while pages still render).
// Each check answers ok or a reason a person can act on; the route answers 503 if any is not ok.
import type { PrismaClient } from "../db/client";
import { checkDatabase } from "../db/health";
import { readMigrations, type MigrationFile } from "../db/migrate";
import { liveWorkers } from "./heartbeat";

export type Check = { ok: true; detail?: string } | { ok: false; reason: string };

export interface Readiness {
  ready: boolean;
  checks: { database: Check; migrations: Check; jobs: Check };
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/** The schema is current when every migration of this build is applied, finished and unedited. */
export async function migrationsCheck(prisma: PrismaClient, expected: MigrationFile[]): Promise<Check> {
  const rows = await prisma.$queryRaw<AppliedRow[]>`
    SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`;
  const applied = new Map(rows.map((row) => [row.migration_name, row]));
  const failed = rows.filter((row) => row.finished_at === null).map((row) => row.migration_name);
  if (failed.length) return { ok: false, reason: `migration failed and not rolled back: ${failed.join(", ")}` };
  const pending = expected.filter((m) => !applied.has(m.name)).map((m) => m.name);
  if (pending.length) return { ok: false, reason: `${pending.length} migration(s) not applied: ${pending.join(", ")}` };
  const edited = expected.filter((m) => applied.get(m.name)!.checksum !== m.checksum).map((m) => m.name);
  if (edited.length) return { ok: false, reason: `applied migration(s) edited since: ${edited.join(", ")}` };
  const known = new Set(expected.map((m) => m.name));
  const newer = rows.filter((row) => !known.has(row.migration_name)).length;
  // A database migrated by a newer build is fine for this one (migrations only add), but say so.
  return {
    ok: true,
    detail: newer ? `${expected.length} applied; ${newer} from a newer build` : `${expected.length} applied`,
  };
}

/** A jobs worker is running when one wrote its heartbeat recently (lib/observability/heartbeat.ts). */
export async function jobsCheck(prisma: PrismaClient, now = new Date()): Promise<Check> {
  const workers = await liveWorkers(prisma, now);
  if (workers.length === 0) return { ok: false, reason: "no jobs worker has reported in the last minute" };
  return { ok: true, detail: `${workers.length} worker(s)` };
}

export async function readiness(prisma: PrismaClient, now = new Date()): Promise<Readiness> {
  const database = await checkDatabase(prisma);
  if (!database.ok) {
    const skipped: Check = { ok: false, reason: "not checked: the database is unreachable" };
    return { ready: false, checks: { database, migrations: skipped, jobs: skipped } };
  }
  const [migrations, jobs] = await Promise.all([migrationsCheck(prisma, readMigrations()), jobsCheck(prisma, now)]);
  return { ready: migrations.ok && jobs.ok, checks: { database: { ok: true }, migrations, jobs } };
}
