import pg from "pg";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "../testing/test-database";
import { GENESIS_HASH, recordAudit, sealAuditLog, verifyAuditChain } from "./audit";

const t = withTestDatabase();

describe("hash-chained audit log", () => {
  it("an empty chain verifies", async () => {
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true, lines: 0, unsealed: 0 });
  });

  it("concurrent appends and concurrent sealers form one unbroken chain", async () => {
    const appends = Array.from({ length: 25 }, (_, i) =>
      recordAudit(t.prisma, {
        actorId: null,
        action: "test.event",
        entityType: "test",
        entityId: String(i),
        details: { i, nested: { b: 1, a: [1, "x"] } },
      }),
    );
    const sealers = Array.from({ length: 3 }, () => sealAuditLog(t.prisma, 4));
    await Promise.all([...appends, ...sealers]);
    await sealAuditLog(t.prisma, 7);
    expect(await verifyAuditChain(t.prisma, { pageSize: 6 })).toMatchObject({ ok: true, lines: 25, unsealed: 0 });
    const first = await t.prisma.auditLog.findFirstOrThrow({ where: { seq: 1n } });
    expect(first.prevHash).toBe(GENESIS_HASH);
    const seqs = (await t.prisma.auditLog.findMany({ select: { seq: true }, orderBy: { seq: "asc" } })).map(
      (r) => r.seq,
    );
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i + 1)));
  });

  it("unsealed lines are reported, then sealed", async () => {
    await recordAudit(t.prisma, { actorId: null, action: "test.late", entityType: "test" });
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true, lines: 25, unsealed: 1 });
    expect(await sealAuditLog(t.prisma)).toBe(1);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true, lines: 26, unsealed: 0 });
  });

  it("refuses DELETE and any UPDATE but sealing", async () => {
    await expect(t.prisma.auditLog.updateMany({ data: { action: "forged" } })).rejects.toThrow(/append-only/);
    await expect(t.prisma.auditLog.updateMany({ where: { seq: 1n }, data: { hash: "0".repeat(64) } })).rejects.toThrow(
      /append-only/,
    );
    await expect(t.prisma.auditLog.deleteMany({})).rejects.toThrow(/append-only/);
  });

  it("detects a line altered or removed behind the triggers' back", async () => {
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      await client.query("ALTER TABLE audit_log DISABLE TRIGGER USER");
      await client.query(`UPDATE audit_log SET details = '{"i": 999}' WHERE seq = 11`);
      expect(await verifyAuditChain(t.prisma)).toMatchObject({
        ok: false,
        lines: 10,
        brokenAtSeq: 11n,
        reason: "line content does not match its hash",
      });
      await client.query(`DELETE FROM audit_log WHERE seq = 11`);
      expect(await verifyAuditChain(t.prisma)).toMatchObject({
        ok: false,
        lines: 10,
        brokenAtSeq: 11n,
        reason: "a line is missing from the chain",
      });
    } finally {
      await client.query("ALTER TABLE audit_log ENABLE TRIGGER USER").catch(() => {});
      await client.end();
    }
  });
});
