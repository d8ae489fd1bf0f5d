// Append-only, hash-chained audit log. A business transaction appends its line like any
// other row — no global lock, so unrelated purchases never queue behind each other. The
// sealer then takes the unsealed lines in id order, under one advisory lock, and gives each
// its place in the chain (`seq`) and hash = sha256(previous hash + canonical line). Changing
// or removing any sealed line breaks the chain from there on; the table's triggers refuse
// DELETE and every UPDATE except sealing an unsealed line. `npm start` seals every second.
import { createHash } from "node:crypto";
import type { PrismaClient, Tx } from "../db/client";

export const GENESIS_HASH = "0".repeat(64);
const AUDIT_SEAL_LOCK = 0x48415544; // "HAUD"

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  ip?: string | null;
  details?: { [key: string]: Json };
}

interface AuditLine {
  at: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  details: unknown;
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export function auditLineHash(prevHash: string, line: AuditLine): string {
  const { at, actorId, action, entityType, entityId, ip, details } = line;
  const body = canonical({ at: at.toISOString(), actorId, action, entityType, entityId, ip, details });
  return createHash("sha256").update(`${prevHash}\n${body}`).digest("hex");
}

/** Appends one line inside the caller's transaction (the business operation's own). */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      at: new Date(),
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      ip: entry.ip ?? null,
      details: entry.details ?? {},
    },
  });
}

export async function recordAudit(prisma: PrismaClient, entry: AuditEntry): Promise<void> {
  await prisma.$transaction((tx) => appendAudit(tx, entry));
}

/**
 * Seals committed unsealed lines into the chain, in id order, `batch` at a time; returns how
 * many it sealed. Any number of sealers may run: they take turns on one advisory lock.
 */
export async function sealAuditLog(prisma: PrismaClient, batch = 5000): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_SEAL_LOCK})`;
      const last = await tx.auditLog.findFirst({
        where: { seq: { not: null } },
        orderBy: { seq: "desc" },
        select: { seq: true, hash: true },
      });
      const pending = await tx.auditLog.findMany({ where: { seq: null }, orderBy: { id: "asc" }, take: batch });
      if (pending.length === 0) return 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      let seq = last?.seq ?? 0n;
      const ids: bigint[] = [];
      const seqs: bigint[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const line of pending) {
        seq += 1n;
        const hash = auditLineHash(prevHash, line);
        ids.push(line.id);
        seqs.push(seq);
        prevs.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      await tx.$executeRaw`
        UPDATE audit_log a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
          FROM unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) AS v(id, seq, prev_hash, hash)
         WHERE a.id = v.id`;
      return pending.length;
    });
    sealed += count;
    if (count < batch) return sealed;
  }
}

export type ChainVerification =
  | { ok: true; lines: number; unsealed: number }
  | { ok: false; lines: number; unsealed: number; brokenAtSeq: bigint; brokenAtId: bigint | null; reason: string };

/** Walks the sealed chain in order, in pages, recomputing every hash (read-only). */
export async function verifyAuditChain(prisma: PrismaClient, pageSize = 5000): Promise<ChainVerification> {
  const unsealed = await prisma.auditLog.count({ where: { seq: null } });
  let prevHash = GENESIS_HASH;
  let lastSeq = 0n;
  let lines = 0;
  for (;;) {
    const page = await prisma.auditLog.findMany({
      where: { seq: { gt: lastSeq } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    if (page.length === 0) return { ok: true, lines, unsealed };
    for (const row of page) {
      const seq = row.seq!;
      if (seq !== lastSeq + 1n) {
        return {
          ok: false,
          lines,
          unsealed,
          brokenAtSeq: lastSeq + 1n,
          brokenAtId: null,
          reason: "a line is missing from the chain",
        };
      }
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          lines,
          unsealed,
          brokenAtSeq: seq,
          brokenAtId: row.id,
          reason: "previous-hash link does not match the line before",
        };
      }
      if (auditLineHash(prevHash, row) !== row.hash) {
        return {
          ok: false,
          lines,
          unsealed,
          brokenAtSeq: seq,
          brokenAtId: row.id,
          reason: "line content does not match its hash",
        };
      }
      prevHash = row.hash!;
      lastSeq = seq;
      lines += 1;
    }
  }
}
