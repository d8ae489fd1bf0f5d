// An operator's own audit line: the operator acts, from the request's IP, on one entity of
// theirs, inside the business operation's transaction (lib/audit/audit.ts appendAudit).
import { appendAudit, type AuditEntry } from "../audit/audit";
import type { Tx } from "../db/client";

export function operatorAudit(
  tx: Tx,
  by: { operatorId: string; ip?: string | null },
  action: string,
  [entityType, entityId]: readonly [string, string | null],
  details?: AuditEntry["details"],
): Promise<void> {
  return appendAudit(tx, { actorId: by.operatorId, action, entityType, entityId, ip: by.ip ?? null, details });
}
