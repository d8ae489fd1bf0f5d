import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBoss } from "../jobs/queue";
import { createEmptyDatabase } from "../testing/database";
import { readDmmf, schemaDrift } from "./drift";
import { migrate, migrationsDir } from "./migrate";

describe("schema drift: migrations vs prisma/schema.prisma (Prisma's DMMF)", () => {
  let dmmf: Awaited<ReturnType<typeof readDmmf>>;
  beforeAll(async () => {
    dmmf = await readDmmf();
  });

  it("a freshly migrated database has every model, field, type, enum value, unique, index and key", async () => {
    const db = await createEmptyDatabase();
    try {
      await migrate(db.url);
      expect(await schemaDrift(db.url, dmmf)).toEqual([]);
      // The check is not vacuous: it walked the whole schema.
      expect(dmmf.datamodel.models.length).toBeGreaterThanOrEqual(20);
      expect(dmmf.datamodel.indexes.length).toBeGreaterThan(40);
    } finally {
      await db.drop();
    }
  });

  it("ignores the job queue's own schema (pg-boss creates `pgboss` itself at start)", async () => {
    const db = await createEmptyDatabase();
    const boss = createBoss(db.url, "client", () => {});
    try {
      await migrate(db.url);
      await boss.start();
      await boss.createQueue("drift-check");
      expect(await schemaDrift(db.url, dmmf)).toEqual([]);
    } finally {
      await boss.stop({ graceful: false, timeout: 1_000 });
      await db.drop();
    }
  });

  describe("a migration that lost part of the schema is caught", () => {
    let dir: string;
    let problems: string[];
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), "hl-migrations-"));
      cpSync(migrationsDir, dir, { recursive: true });
      const file = path.join(dir, "20261123000000_init", "migration.sql");
      const sql = readFileSync(file, "utf8");
      const mutilated = sql
        .replace(/\n\s*"frozen_reason" TEXT,/, "")
        .replace("'MAINTENANCE', 'OFFLINE', 'RETIRED'", "'MAINTENANCE', 'OFFLINE'")
        .replace('CREATE INDEX "rigs_listing_id_idx" ON "rigs"("listing_id");', "")
        .replace(/"price_micro_usd" BIGINT NOT NULL,(\s*"source")/, '"price_micro_usd" BIGINT,$1');
      expect(mutilated).not.toBe(sql);
      writeFileSync(file, mutilated);
      const db = await createEmptyDatabase();
      try {
        await migrate(db.url, { dir });
        problems = await schemaDrift(db.url, dmmf);
      } finally {
        await db.drop();
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("reports a removed column", () => {
      expect(problems).toContain("column users.frozen_reason (field User.frozenReason) is missing");
    });
    it("reports a removed enum value", () => {
      expect(problems).toContain("enum rig_status lacks value RETIRED");
    });
    it("reports a removed index", () => {
      expect(problems).toContain("index on rigs(listing_id) is missing");
    });
    it("reports a wrong nullability", () => {
      expect(problems).toContain("column network_snapshots.price_micro_usd is nullable, schema says required");
    });
  });
});
