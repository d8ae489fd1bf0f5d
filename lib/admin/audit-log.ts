// The admin's audit console: the audit lines with filters (actor email, action, entity), a
// page at a time on the table's indexes, and the "verify chain" action — it seals the lines
// still waiting (as `npm run audit:verify` does), walks the whole chain, and records who
// verified it and the outcome as an audit line of its own.
import { appendAudit, sealAuditLog, verifyAuditChain, type ChainVerification } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import type { Refusal } from "../shared/result";
import { checkAdmin } from "./actor";

export interface AuditFilter {
  /** Email of the actor (exact, case-insensitive); "system" for lines without an actor. */
  actor?: string;
  /** Action, exact ("account.frozen") or a prefix ending with a dot ("withdrawal."). */
  action?: string;
  entityType?: string;
  entityId?: string;
  /** One line by id (the link from a broken-chain report). */
  lineId?: string;
}

export interface AuditLineView {
  id: bigint;
  seq: bigint | null;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  details: unknown;
}

export async function listAuditLines(
  prisma: PrismaClient,
  filter: AuditFilter,
  options: { page: number; pageSize: number },
): Promise<{ rows: AuditLineView[]; total: number; unknownActor: boolean }> {
  let actorWhere = {};
  if (filter.actor) {
    const actor = filter.actor.trim().toLowerCase();
    if (actor === "system") actorWhere = { actorId: null };
    else {
      const user = await prisma.user.findUnique({ where: { email: actor }, select: { id: true } });
      if (!user) return { rows: [], total: 0, unknownActor: true };
      actorWhere = { actorId: user.id };
    }
  }
  const action = filter.action?.trim();
  const lineId = filter.lineId?.trim();
  if (lineId && !/^\d{1,18}$/.test(lineId)) return { rows: [], total: 0, unknownActor: false };
  const where = {
    ...actorWhere,
    ...(lineId ? { id: BigInt(lineId) } : {}),
    ...(action ? (action.endsWith(".") ? { action: { startsWith: action } } : { action }) : {}),
    ...(filter.entityType?.trim() ? { entityType: filter.entityType.trim() } : {}),
    ...(filter.entityId?.trim() ? { entityId: filter.entityId.trim() } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.auditLog.count({ where }),
    prisma.auditLog.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      include: { actor: { select: { email: true } } },
    }),
  ]);
  return {
    total,
    unknownActor: false,
    rows: rows.map((r) => ({
      ...auditLineHead(r),
      actorId: r.actorId,
      entityType: r.entityType,
      entityId: r.entityId,
      ip: r.ip,
      details: r.details,
    })),
  };
}

/** What every admin view of an audit line shows first: the line, its place in the chain, when, what and who. */
export function auditLineHead(line: {
  id: bigint;
  seq: bigint | null;
  at: Date;
  action: string;
  actor: { email: string } | null;
}) {
  return { id: line.id, seq: line.seq, at: line.at, action: line.action, actorEmail: line.actor?.email ?? null };
}

export interface AuditChainState {
  sealedLines: bigint;
  unsealedLines: number;
  /** When the oldest line still waiting for the sealer was written (null: none waiting). */
  oldestUnsealedAt: Date | null;
  lastVerification: { at: Date; ok: boolean; actorEmail: string | null; brokenAtSeq: string | null } | null;
}

export const VERIFIED_ACTION = "audit.chain_verified";

/** Cheap state of the chain for /admin (no walk): sealed and waiting lines, the last verification. */
export async function auditChainState(prisma: PrismaClient): Promise<AuditChainState> {
  const [last, unsealed, verification] = await Promise.all([
    prisma.auditLog.findFirst({ where: { seq: { not: null } }, orderBy: { seq: "desc" }, select: { seq: true } }),
    prisma.$queryRaw<
      { n: number; oldest: Date | null }[]
    >`SELECT count(*)::int AS n, min(at) AS oldest FROM audit_log WHERE seq IS NULL`,
    prisma.auditLog.findFirst({
      where: { action: VERIFIED_ACTION },
      orderBy: { id: "desc" },
      include: { actor: { select: { email: true } } },
    }),
  ]);
  const details = (verification?.details ?? {}) as { ok?: boolean; brokenAtSeq?: string | null };
  return {
    sealedLines: last?.seq ?? 0n,
    unsealedLines: unsealed[0]?.n ?? 0,
    oldestUnsealedAt: unsealed[0]?.oldest ?? null,
    lastVerification: verification
      ? {
          at: verification.at,
          ok: details.ok === true,
          actorEmail: verification.actor?.email ?? null,
          brokenAtSeq: details.brokenAtSeq ?? null,
        }
      : null,
  };
}

export type ChainCheck = { ok: true; sealed: number; result: ChainVerification } | Refusal<"FORBIDDEN">;

/** Seals, verifies the whole chain and records the verification (admin action, audited). */
export async function verifyChainAsAdmin(
  prisma: PrismaClient,
  input: { adminId: string; ip?: string | null },
): Promise<ChainCheck> {
  const check = await prisma.$transaction((tx) => checkAdmin(tx, input.adminId));
  if (!check.ok) return check;
  const sealed = await sealAuditLog(prisma);
  const result = await verifyAuditChain(prisma);
  await prisma.$transaction((tx) =>
    appendAudit(tx, {
      actorId: input.adminId,
      action: VERIFIED_ACTION,
      entityType: "audit_log",
      entityId: result.ok ? null : result.brokenAtSeq.toString(),
      ip: input.ip ?? null,
      details: result.ok
        ? { ok: true, lines: result.lines, sealedNow: sealed, checkpoints: result.checkpoints }
        : {
            ok: false,
            problem: result.problem,
            lines: result.lines,
            sealedNow: sealed,
            brokenAtSeq: result.brokenAtSeq.toString(),
            brokenAtId: result.brokenAtId === null ? null : result.brokenAtId.toString(),
            reason: result.reason,
          },
    }),
  );
  return { ok: true, sealed, result };
}
