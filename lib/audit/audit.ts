// Append-only, keyed hash-chained audit log. A business transaction appends its line like any
// other row — no global lock, so unrelated purchases never queue behind each other. The
// sealer then takes the unsealed lines in id order, under one advisory lock, and gives each
// its place in the chain (`seq`), the id of the key it used (`hash_key_id`) and
// hash = HMAC-SHA256(AUDIT_HMAC_KEYS[key id], chain id + key id + previous hash + canonical
// line). The key is not in the database, so rewriting the database cannot produce valid hashes;
// signed checkpoints of the head published outside it (./checkpoints.ts) catch deleted tails
// and a chain replaced wholesale. Changing or removing any sealed line breaks the chain from
// there on; the table's triggers refuse DELETE and every UPDATE except sealing an unsealed
// line. `npm start` seals every second and checkpoints every 5 minutes. Lines sealed before
// the key existed ('legacy-sha256', plain SHA-256) are accepted only as the chain's first
// lines and only up to the first checkpoint's head (./README.md).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { PrismaClient, Tx } from "../db/client";
import { currentRequestId } from "../observability/context";
import { LEGACY_AUDIT_KEY_ID, type AuditKeys } from "../secrets/audit-keys";
import type { KeyRing } from "../secrets/key-ring";
import { getSecrets } from "../secrets/secrets";
import {
  checkpointSinkFromEnv,
  ensureAuditChainId,
  readAuditChainId,
  readCheckpoint,
  type AuditCheckpoint,
  type CheckpointSink,
} from "./checkpoints";

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

function lineBody(line: AuditLine): string {
  const { at, actorId, action, entityType, entityId, ip, details } = line;
  return canonical({ at: at.toISOString(), actorId, action, entityType, entityId, ip, details });
}

/** The hash of a line sealed before the chain was keyed ('legacy-sha256'). */
export function auditLineHash(prevHash: string, line: AuditLine): string {
  return createHash("sha256")
    .update(`${prevHash}\n${lineBody(line)}`)
    .digest("hex");
}

/** The keyed hash of a line: HMAC-SHA256 under the key `keyId`, bound to this chain. */
export function auditLineMac(key: Buffer, keyId: string, chainId: string, prevHash: string, line: AuditLine): string {
  return createHmac("sha256", key)
    .update(`hashlease-audit/v2\n${chainId}\n${keyId}\n${prevHash}\n${lineBody(line)}`)
    .digest("hex");
}

function sameHex(a: string, b: string | null): boolean {
  return b !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Appends one line inside the caller's transaction (the business operation's own). A line written
 * while serving a request carries its id in `details.requestId` (inside the hashed body), so an
 * audit line leads to the request's log lines (lib/observability/context.ts).
 */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  const requestId = currentRequestId();
  const details = requestId ? { requestId, ...entry.details } : (entry.details ?? {});
  await tx.auditLog.create({
    data: {
      at: new Date(),
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      ip: entry.ip ?? null,
      details,
    },
  });
}

/** A user's action on their own account: the user is both the actor and the entity audited. */
export function appendUserAudit(
  tx: Tx,
  userId: string,
  entry: Omit<AuditEntry, "actorId" | "entityType" | "entityId">,
) {
  return appendAudit(tx, { actorId: userId, entityType: "user", entityId: userId, ...entry });
}

export async function recordAudit(prisma: PrismaClient, entry: AuditEntry): Promise<void> {
  await prisma.$transaction((tx) => appendAudit(tx, entry));
}

/**
 * Seals committed unsealed lines into the chain, in id order, `batch` at a time; returns how
 * many it sealed. Any number of sealers may run: they take turns on one advisory lock.
 */
export async function sealAuditLog(
  prisma: PrismaClient,
  batch = 5000,
  options: { keys?: KeyRing } = {},
): Promise<number> {
  const ring = options.keys ?? (await getSecrets()).audit.hmac;
  const keyId = ring.activeKeyId;
  const key = ring.keys.get(keyId)!;
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
      const chainId = await ensureAuditChainId(tx);
      let prevHash = last?.hash ?? GENESIS_HASH;
      let seq = last?.seq ?? 0n;
      const ids: bigint[] = [];
      const seqs: bigint[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const line of pending) {
        seq += 1n;
        const hash = auditLineMac(key, keyId, chainId, prevHash, line);
        ids.push(line.id);
        seqs.push(seq);
        prevs.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      await tx.$executeRaw`
        UPDATE audit_log a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash, hash_key_id = ${keyId}
          FROM unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) AS v(id, seq, prev_hash, hash)
         WHERE a.id = v.id`;
      return pending.length;
    });
    sealed += count;
    if (count < batch) return sealed;
  }
}

/**
 * What a broken chain shows: a sealed line changed, reordered, removed from the middle or
 * re-hashed (rewrite); lines a checkpoint covered are gone from the end (truncation); the
 * sink lacks a checkpoint the numbering or the index says was published (missing-checkpoint);
 * a checkpoint in the sink whose signature does not verify (forged-checkpoint); a line sealed
 * under a key id not in AUDIT_HMAC_KEYS (unknown-key: a retired key removed too early, or a
 * forgery).
 */
export type ChainProblem = "rewrite" | "truncation" | "missing-checkpoint" | "forged-checkpoint" | "unknown-key";

export const CHAIN_PROBLEM_LABELS: Record<ChainProblem, string> = {
  rewrite: "rewritten",
  truncation: "truncated",
  "missing-checkpoint": "checkpoint missing",
  "forged-checkpoint": "checkpoint forged",
  "unknown-key": "unknown key",
};

export type ChainVerification =
  | { ok: true; lines: number; unsealed: number; checkpoints: number; sinceCheckpoint: number }
  | {
      ok: false;
      problem: ChainProblem;
      lines: number;
      unsealed: number;
      checkpoints: number;
      brokenAtSeq: bigint;
      brokenAtId: bigint | null;
      reason: string;
    };

export interface VerifyOptions {
  pageSize?: number;
  /** Default: the audit keys from getSecrets(). */
  keys?: AuditKeys;
  /** Default: the configured sink (checkpointSinkFromEnv); null checks no checkpoints. */
  sink?: CheckpointSink | null;
}

/**
 * Checks the published checkpoints (each signed, none missing from the numbering or the
 * index), then walks the sealed chain in order, in pages, recomputing every hash and comparing
 * each checkpointed head; finally that the chain still reaches the last checkpoint. Read-only.
 */
export async function verifyAuditChain(prisma: PrismaClient, options: VerifyOptions = {}): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 5000;
  const keys = options.keys ?? (await getSecrets()).audit;
  const sink = options.sink === undefined ? checkpointSinkFromEnv() : options.sink;
  const unsealed = await prisma.auditLog.count({ where: { seq: null } });
  const chainId = await readAuditChainId(prisma);
  let lines = 0;
  let checkpoints: AuditCheckpoint[] = [];
  const broken = (problem: ChainProblem, brokenAtSeq: bigint, brokenAtId: bigint | null, reason: string) =>
    ({
      ok: false,
      problem,
      lines,
      unsealed,
      checkpoints: checkpoints.length,
      brokenAtSeq,
      brokenAtId,
      reason,
    }) as const;

  if (chainId !== null && sink !== null) {
    for (const stored of await sink.list(chainId)) {
      const reading = readCheckpoint(stored, chainId, keys.signing);
      if (!reading.ok)
        return broken("forged-checkpoint", 0n, null, `checkpoint ${stored.name} in ${sink.name} ${reading.reason}`);
      checkpoints.push(reading.checkpoint);
    }
    checkpoints.sort((a, b) => (a.number < b.number ? -1 : 1));
    checkpoints = checkpoints.filter((c, i) => i === 0 || c.number !== checkpoints[i - 1]!.number);
    const published = new Set(checkpoints.map((c) => c.number));
    const indexed = await prisma.auditCheckpoint.findMany({ orderBy: { number: "asc" } });
    const highest = [...checkpoints.map((c) => c.number), ...indexed.map((c) => c.number)].reduce(
      (a, b) => (b > a ? b : a),
      0n,
    );
    for (let n = 1n; n <= highest; n++) {
      if (published.has(n)) continue;
      const listed = indexed.find((c) => c.number === n);
      const next = checkpoints.find((c) => c.number > n);
      return broken(
        "missing-checkpoint",
        listed?.headSeq ?? next?.headSeq ?? 0n,
        null,
        `checkpoint ${n} is missing from ${sink.name}` +
          (listed ? ` (published ${listed.at.toISOString()}, covering lines to seq ${listed.headSeq})` : ""),
      );
    }
  }
  const byHead = new Map(checkpoints.map((c) => [c.headSeq, c]));
  const firstHead = checkpoints[0]?.headSeq ?? null;

  let prevHash = GENESIS_HASH;
  let lastSeq = 0n;
  let keyed = false;
  for (;;) {
    const page = await prisma.auditLog.findMany({
      where: { seq: { gt: lastSeq } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    if (page.length === 0) break;
    for (const row of page) {
      const seq = row.seq!;
      if (seq !== lastSeq + 1n) return broken("rewrite", lastSeq + 1n, null, "a line is missing from the chain");
      if (row.prevHash !== prevHash) {
        return broken("rewrite", seq, row.id, "previous-hash link does not match the line before");
      }
      if (row.hashKeyId === LEGACY_AUDIT_KEY_ID) {
        if (!sameHex(auditLineHash(prevHash, row), row.hash)) {
          return broken("rewrite", seq, row.id, "line content does not match its hash");
        }
        if (keyed) return broken("rewrite", seq, row.id, "an unkeyed (legacy) line after keyed lines");
        if (firstHead === null) {
          return broken(
            "missing-checkpoint",
            seq,
            row.id,
            "lines sealed before the chain was keyed are covered by no signed checkpoint",
          );
        }
        if (seq > firstHead) {
          return broken(
            "rewrite",
            seq,
            row.id,
            `an unkeyed (legacy) line beyond the first checkpoint (seq ${firstHead})`,
          );
        }
      } else {
        const key = row.hashKeyId === null ? undefined : keys.hmac.keys.get(row.hashKeyId);
        if (!key) {
          return broken(
            "unknown-key",
            seq,
            row.id,
            `sealed under key "${row.hashKeyId ?? ""}", which is not in AUDIT_HMAC_KEYS`,
          );
        }
        if (chainId === null || !sameHex(auditLineMac(key, row.hashKeyId!, chainId, prevHash, row), row.hash)) {
          return broken("rewrite", seq, row.id, "line content does not match its hash");
        }
        keyed = true;
      }
      const checkpoint = byHead.get(seq);
      if (checkpoint && checkpoint.headHash !== row.hash) {
        return broken(
          "rewrite",
          seq,
          row.id,
          `line does not match signed checkpoint ${checkpoint.number} (${checkpoint.at})`,
        );
      }
      prevHash = row.hash!;
      lastSeq = seq;
      lines += 1;
    }
  }
  const last = checkpoints.at(-1);
  if (last && lastSeq < last.headSeq) {
    return broken(
      "truncation",
      lastSeq + 1n,
      null,
      `the chain ends at line ${lastSeq}, but signed checkpoint ${last.number} (${last.at}) covered ${last.lines} lines to seq ${last.headSeq}`,
    );
  }
  return {
    ok: true,
    lines,
    unsealed,
    checkpoints: checkpoints.length,
    sinceCheckpoint: Number(lastSeq - (last?.headSeq ?? 0n)),
  };
}
