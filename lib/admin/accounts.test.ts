// Freezing and unfreezing accounts on a real database: the reason is required, an admin
// cannot freeze their own account, freezing twice is refused, and both steps are audited.
// What a frozen account cannot do is tested where it is refused (lib/wallet/withdrawals.test.ts,
// lib/auth/login.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser } from "../testing/fixtures";
import { freezeAccount, unfreezeAccount } from "./accounts";

let t: TestDatabase;
let admin: { id: string };

beforeAll(async () => {
  t = await createTestDatabase();
  admin = await createUser(t.prisma, ["ADMIN"]);
});
afterAll(async () => {
  await t.drop();
});

describe("freezing accounts", () => {
  it("needs a reason, never the admin's own account, refuses a second freeze; freeze and unfreeze are audited", async () => {
    const c = await createUser(t.prisma);
    expect(await freezeAccount(t.prisma, { adminId: admin.id, userId: c.id, reason: "" })).toMatchObject({
      ok: false,
      code: "INVALID",
      field: "reason",
    });
    expect(await freezeAccount(t.prisma, { adminId: admin.id, userId: admin.id, reason: "test" })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(
      await freezeAccount(t.prisma, { adminId: admin.id, userId: c.id, reason: "Chargeback under investigation" }),
    ).toEqual({ ok: true });
    expect(await freezeAccount(t.prisma, { adminId: admin.id, userId: c.id, reason: "again" })).toMatchObject({
      ok: false,
      code: "UNCHANGED",
    });
    expect(await unfreezeAccount(t.prisma, { adminId: admin.id, userId: c.id })).toEqual({ ok: true });
    const audit = await t.prisma.auditLog.findMany({
      where: { entityType: "user", entityId: c.id },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["account.frozen", admin.id],
      ["account.unfrozen", admin.id],
    ]);
    expect(audit[0]!.details).toEqual({ reason: "Chargeback under investigation" });
  });
});
