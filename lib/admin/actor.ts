// The admin behind an admin action, checked against the database inside the action's own
// transaction: pages and server actions check the session's role first, and every admin core
// function checks again here, so no other caller (a script, a future route) can skip it. A
// frozen account or one without the ADMIN role is refused; the refusal names no details.
import type { Tx } from "../db/client";
import type { Refusal } from "../shared/result";

export type AdminCheck = { ok: true } | Refusal<"FORBIDDEN">;

export const NOT_AN_ADMIN: AdminCheck = { ok: false, code: "FORBIDDEN", message: "Only an admin can do this." };

export async function checkAdmin(tx: Tx, actorId: string): Promise<AdminCheck> {
  if (!/^[0-9a-f-]{36}$/i.test(actorId)) return NOT_AN_ADMIN;
  const user = await tx.user.findUnique({ where: { id: actorId }, select: { roles: true, frozenAt: true } });
  return user && !user.frozenAt && user.roles.includes("ADMIN") ? { ok: true } : NOT_AN_ADMIN;
}
