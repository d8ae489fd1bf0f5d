import { describe, expect, it } from "vitest";
import { withTestDatabase } from "../testing/test-database";
import { createPrismaClient } from "./client";
import { checkDatabase } from "./health";

const t = withTestDatabase();

describe("database health", () => {
  it("is ok when the database answers", async () => {
    expect(await checkDatabase(t.prisma)).toEqual({ ok: true });
  });

  it("names the reason when the database is unreachable", async () => {
    // Port 9 on loopback: nothing listens there.
    const unreachable = createPrismaClient("postgresql://postgres:postgres@127.0.0.1:9/postgres");
    try {
      const health = await checkDatabase(unreachable, 3_000);
      expect(health.ok).toBe(false);
      expect(health.ok === false && health.reason).toMatch(/^database unreachable: /);
    } finally {
      await unreachable.$disconnect();
    }
  });
});
