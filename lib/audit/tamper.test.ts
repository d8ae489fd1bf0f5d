// The append-only guards and the tamper evidence behind them, on real PostgreSQL. The
// database refuses UPDATE and DELETE on the journals, postings and audit log (triggers of
// the init and audit-sealing migrations; sealing is the one UPDATE allowed on audit_log).
// A superuser can switch triggers off, so the hash chain is the second line: an attacker
// with superuser rights edits one sealed line with raw SQL, and both the real
// `npm run audit:verify` command and the admin console's verification name that line.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChainAsAdmin } from "../admin/audit-log";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser, deposit, testAuditLines } from "../testing/fixtures";
import { runScript } from "../testing/run-script";
import { sealAuditLog } from "./audit";

let t: TestDatabase;
let adminId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  adminId = (await createUser(t.prisma, ["ADMIN"])).id;
  const customer = await createUser(t.prisma);
  await deposit(t.prisma, customer.id, "USD", 1_000_000n);
  await testAuditLines(t.prisma, 5, { actorId: adminId });
  await sealAuditLog(t.prisma);
});
afterAll(() => t.drop());

async function asSuperuser<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function auditVerify(): Promise<{ code: number | null; output: string }> {
  return runScript("audit:verify", { DATABASE_URL: t.url });
}

describe("the database refuses UPDATE and DELETE", () => {
  it.each([
    ["journal_transactions", "UPDATE journal_transactions SET description = 'forged'"],
    ["journal_transactions", "DELETE FROM journal_transactions"],
    ["journal_transactions", "TRUNCATE journal_transactions CASCADE"],
    ["postings", "UPDATE postings SET amount = amount * 2"],
    ["postings", "DELETE FROM postings"],
    ["postings", "TRUNCATE postings"],
    ["audit_log", "UPDATE audit_log SET details = '{}'"],
    ["audit_log", "UPDATE audit_log SET hash = repeat('0', 64) WHERE seq = 1"],
    ["audit_log", "DELETE FROM audit_log"],
    ["audit_log", "TRUNCATE audit_log"],
  ])("%s: %s", async (table, sql) => {
    await expect(asSuperuser((c) => c.query(sql))).rejects.toThrow(new RegExp(`${table} is append-only`));
  });

  it("journals, postings and lines are all still there", async () => {
    expect(await t.prisma.journalTransaction.count()).toBe(1);
    expect(await t.prisma.posting.count()).toBe(2);
    expect(await t.prisma.auditLog.count()).toBe(5);
  });
});

describe("a superuser edits a sealed audit line behind the triggers' back", () => {
  it("npm run audit:verify passes on the untouched chain", async () => {
    const { code, output } = await auditVerify();
    expect(output).toMatch(/audit chain verified: 5 lines, unbroken/);
    expect(code).toBe(0);
  }, 120_000);

  it("npm run audit:verify and the admin console both name the edited line", async () => {
    const target = await t.prisma.auditLog.findFirstOrThrow({ where: { seq: 3n } });
    await asSuperuser(async (c) => {
      await c.query("BEGIN");
      await c.query("SET LOCAL session_replication_role = replica");
      const res = await c.query(
        `UPDATE audit_log SET details = jsonb_set(details, '{amount}', '"999999"') WHERE id = $1`,
        [target.id.toString()],
      );
      expect(res.rowCount).toBe(1);
      await c.query("COMMIT");
    });

    const { code, output } = await auditVerify();
    expect(output).toContain(
      `audit chain BROKEN (rewritten) at line 3 (seq 3, id ${target.id}: line content does not match its hash)`,
    );
    expect(output).toContain("2 lines verified before it");
    expect(code).toBe(1);

    const check = await verifyChainAsAdmin(t.prisma, { adminId });
    expect(check).toMatchObject({
      ok: true,
      result: {
        ok: false,
        brokenAtSeq: 3n,
        brokenAtId: target.id,
        lines: 2,
        reason: "line content does not match its hash",
      },
    });
    const recorded = await t.prisma.auditLog.findFirstOrThrow({ where: { action: "audit.chain_verified" } });
    expect(recorded.details).toMatchObject({ ok: false, brokenAtSeq: "3", brokenAtId: target.id.toString() });
  }, 120_000);
});
