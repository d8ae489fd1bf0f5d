// Signed checkpoints of the audit chain's head, published outside the database. Each one
// (chain id, number, head seq, head hash, line count, time, signing key id) is signed with the
// active Ed25519 key of AUDIT_SIGNING_KEYS and written once, never overwritten, to the sink: an
// S3-compatible bucket where HASHLEASE_AUDIT_CHECKPOINT_S3_BUCKET is set, else a folder
// (HASHLEASE_AUDIT_CHECKPOINT_DIR, default <data dir>/audit-checkpoints), and always as one JSON
// line on the structured log. The audit_checkpoints table is only an index of what was
// published: verification trusts the signed copies in the sink, and a number the index (or
// the numbering) says exists but the sink lacks is a missing checkpoint. Numbers are 1, 2, 3…
// per chain; a checkpoint is published only when the head moved.
import { sign, verify } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import type { PrismaClient, Tx } from "../db/client";
import { lineLogger } from "../observability/log";
import type { AuditSigningKeys } from "../secrets/audit-keys";
import { getSecrets } from "../secrets/secrets";
import { dataDir } from "../secrets/sources";

const CHECKPOINT_LOCK = 0x48414350; // "HACP"
export const AUDIT_CHECKPOINT_EVERY_MS = 5 * 60_000;
const FORMAT = "hashlease-audit-checkpoint/v1";

export interface AuditCheckpoint {
  chainId: string;
  number: bigint;
  headSeq: bigint;
  headHash: string;
  lines: bigint;
  /** ISO 8601, UTC. */
  at: string;
  keyId: string;
  /** Ed25519 over checkpointPayload, base64. */
  signature: string;
}

export interface StoredCheckpoint {
  /** Object name in the sink, e.g. "<chain id>/000000000003.json". */
  name: string;
  text: string;
}

export interface CheckpointSink {
  /** Where it writes, for messages ("folder /var/…", "s3://bucket/prefix"). */
  readonly name: string;
  /** Writes a new object; refuses (throws) if that checkpoint's object already exists. */
  put(checkpoint: AuditCheckpoint): Promise<void>;
  list(chainId: string): Promise<StoredCheckpoint[]>;
  /** The highest checkpoint number stored for the chain (0 if none), looking only above `after`. */
  latestNumber(chainId: string, after: bigint): Promise<bigint>;
}

export function checkpointPayload(c: Omit<AuditCheckpoint, "signature">): Buffer {
  return Buffer.from(
    [FORMAT, c.chainId, c.number, c.headSeq, c.headHash, c.lines, c.at, c.keyId].map(String).join("\n"),
    "utf8",
  );
}

export function signCheckpoint(unsigned: Omit<AuditCheckpoint, "signature" | "keyId">, keys: AuditSigningKeys) {
  const withKey = { ...unsigned, keyId: keys.activeKeyId };
  const key = keys.privateKeys.get(keys.activeKeyId)!;
  return { ...withKey, signature: sign(null, checkpointPayload(withKey), key).toString("base64") };
}

function objectName(chainId: string, number: bigint): string {
  return `${chainId}/${number.toString().padStart(12, "0")}.json`;
}

function numberOf(name: string): bigint | null {
  const match = /(\d{12})\.json$/.exec(name);
  return match ? BigInt(match[1]!) : null;
}

export function serializeCheckpoint(c: AuditCheckpoint): string {
  return `${JSON.stringify({
    format: FORMAT,
    chainId: c.chainId,
    number: c.number.toString(),
    headSeq: c.headSeq.toString(),
    headHash: c.headHash,
    lines: c.lines.toString(),
    at: c.at,
    keyId: c.keyId,
    signature: c.signature,
  })}\n`;
}

export type CheckpointReading = { ok: true; checkpoint: AuditCheckpoint } | { ok: false; reason: string };

/** Parses a stored checkpoint and checks its signature, its chain and its object name. */
export function readCheckpoint(stored: StoredCheckpoint, chainId: string, keys: AuditSigningKeys): CheckpointReading {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(stored.text) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: "is not valid JSON" };
  }
  const text = (name: string) => (typeof raw[name] === "string" ? (raw[name] as string) : null);
  const whole = (name: string) => (/^\d+$/.test(text(name) ?? "") ? BigInt(text(name)!) : null);
  const [number, headSeq, lines] = [whole("number"), whole("headSeq"), whole("lines")];
  const [cpChain, headHash, at, keyId, signature] = ["chainId", "headHash", "at", "keyId", "signature"].map(text);
  if (raw.format !== FORMAT || number === null || headSeq === null || lines === null) {
    return { ok: false, reason: `is not a ${FORMAT} checkpoint` };
  }
  if (!cpChain || !headHash || !at || !keyId || !signature) return { ok: false, reason: "lacks a field" };
  const checkpoint: AuditCheckpoint = { chainId: cpChain, number, headSeq, headHash, lines, at, keyId, signature };
  const publicKey = keys.publicKeys.get(keyId);
  if (!publicKey) return { ok: false, reason: `is signed with key "${keyId}", which is not in AUDIT_SIGNING_KEYS` };
  if (!verify(null, checkpointPayload(checkpoint), publicKey, Buffer.from(signature, "base64"))) {
    return { ok: false, reason: "has a signature that does not verify (forged or altered)" };
  }
  if (cpChain !== chainId || numberOf(stored.name) !== number) {
    return {
      ok: false,
      reason: `is a signed checkpoint of another chain or place (chain ${cpChain}, number ${number})`,
    };
  }
  return { ok: true, checkpoint };
}

// ---- The chain id ----

/** This database's chain id, or null before the first line was sealed. */
export async function readAuditChainId(db: PrismaClient | Tx): Promise<string | null> {
  return (await db.auditChain.findUnique({ where: { id: 1 } }))?.chainId ?? null;
}

export async function ensureAuditChainId(tx: Tx): Promise<string> {
  await tx.$executeRaw`INSERT INTO audit_chain (id) VALUES (1) ON CONFLICT (id) DO NOTHING`;
  return (await tx.auditChain.findUniqueOrThrow({ where: { id: 1 } })).chainId;
}

// ---- Sinks ----

export function directorySink(dir: string): CheckpointSink {
  return {
    name: `folder ${dir}`,
    async put(c) {
      await mkdir(join(dir, c.chainId), { recursive: true });
      // "wx": an existing checkpoint is never overwritten; read-only once written.
      await writeFile(join(dir, objectName(c.chainId, c.number)), serializeCheckpoint(c), { flag: "wx", mode: 0o444 });
    },
    async list(chainId) {
      const names = await listDir(join(dir, chainId));
      return Promise.all(
        names.map(async (file) => ({
          name: `${chainId}/${file}`,
          text: await readFile(join(dir, chainId, file), "utf8"),
        })),
      );
    },
    async latestNumber(chainId) {
      return (await listDir(join(dir, chainId))).reduce((max, file) => {
        const n = numberOf(file);
        return n !== null && n > max ? n : max;
      }, 0n);
    },
  };
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).filter((file) => file.endsWith(".json")).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

export function s3Sink(options: { bucket: string; prefix?: string; client: S3ClientConfig }): CheckpointSink {
  const prefix = options.prefix ?? "audit-checkpoints/";
  const client = new S3Client(options.client);
  const listKeys = async (chainId: string, startAfter?: string): Promise<string[]> => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: options.bucket,
          Prefix: `${prefix}${chainId}/`,
          StartAfter: token ? undefined : startAfter,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key?.endsWith(".json")) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  };
  return {
    name: `s3://${options.bucket}/${prefix}`,
    async put(c) {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: `${prefix}${objectName(c.chainId, c.number)}`,
          Body: serializeCheckpoint(c),
          ContentType: "application/json",
          IfNoneMatch: "*",
        }),
      );
    },
    async list(chainId) {
      const keys = await listKeys(chainId);
      return Promise.all(
        keys.map(async (key) => {
          const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
          return { name: key.slice(prefix.length), text: (await object.Body?.transformToString("utf8")) ?? "" };
        }),
      );
    },
    async latestNumber(chainId, after) {
      const keys = await listKeys(chainId, after > 0n ? `${prefix}${objectName(chainId, after)}` : undefined);
      return keys.reduce((max, key) => {
        const n = numberOf(key);
        return n !== null && n > max ? n : max;
      }, after);
    },
  };
}

/** The configured sink: the S3 bucket if HASHLEASE_AUDIT_CHECKPOINT_S3_BUCKET is set, else the folder. */
export function checkpointSinkFromEnv(env: NodeJS.ProcessEnv = process.env): CheckpointSink {
  const bucket = env.HASHLEASE_AUDIT_CHECKPOINT_S3_BUCKET?.trim();
  if (bucket) {
    const endpoint =
      env.HASHLEASE_AUDIT_CHECKPOINT_S3_ENDPOINT?.trim() ||
      env.AWS_ENDPOINT_URL_S3 ||
      env.AWS_ENDPOINT_URL ||
      undefined;
    return s3Sink({
      bucket,
      prefix: env.HASHLEASE_AUDIT_CHECKPOINT_S3_PREFIX ?? undefined,
      client: {
        region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
        endpoint,
        // MinIO, moto and most S3-compatible servers address buckets by path.
        forcePathStyle: endpoint !== undefined,
        requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
      },
    });
  }
  return directorySink(env.HASHLEASE_AUDIT_CHECKPOINT_DIR?.trim() || join(dataDir(), "audit-checkpoints"));
}

// ---- Publishing ----

/**
 * Publishes a checkpoint of the sealed head if it moved since the last one: signed, indexed in
 * audit_checkpoints and written to the sink in one transaction (a sink failure rolls the index
 * back), then logged. Returns the checkpoint, or null when there was nothing new.
 */
export async function publishAuditCheckpoint(
  prisma: PrismaClient,
  options: { sink?: CheckpointSink; keys?: AuditSigningKeys; log?: (line: string) => void } = {},
): Promise<AuditCheckpoint | null> {
  const sink = options.sink ?? checkpointSinkFromEnv();
  const keys = options.keys ?? (await getSecrets()).audit.signing;
  const log = options.log ?? lineLogger("audit-checkpoint");
  const checkpoint = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHECKPOINT_LOCK})`;
      const head = await tx.auditLog.findFirst({
        where: { seq: { not: null } },
        orderBy: { seq: "desc" },
        select: { seq: true, hash: true },
      });
      if (!head?.seq || !head.hash) return null;
      const last = await tx.auditCheckpoint.findFirst({ orderBy: { number: "desc" } });
      if (last && last.headSeq === head.seq) return null;
      const chainId = await ensureAuditChainId(tx);
      const indexed = last?.number ?? 0n;
      // A checkpoint written whose index row was lost (crash between the two) keeps its number.
      const stored = await sink.latestNumber(chainId, indexed);
      const lines = BigInt(await tx.auditLog.count({ where: { seq: { not: null, lte: head.seq } } }));
      const signed = signCheckpoint(
        {
          chainId,
          number: (stored > indexed ? stored : indexed) + 1n,
          headSeq: head.seq,
          headHash: head.hash,
          lines,
          at: new Date().toISOString(),
        },
        keys,
      );
      await tx.auditCheckpoint.create({
        data: {
          number: signed.number,
          headSeq: signed.headSeq,
          headHash: signed.headHash,
          lines: signed.lines,
          at: new Date(signed.at),
          keyId: signed.keyId,
          signature: signed.signature,
          sink: sink.name,
        },
      });
      await sink.put(signed);
      return signed;
    },
    { timeout: 30_000 },
  );
  if (checkpoint) {
    log(
      JSON.stringify({
        level: "info",
        event: "audit.checkpoint",
        sink: sink.name,
        ...JSON.parse(serializeCheckpoint(checkpoint)),
      }),
    );
  }
  return checkpoint;
}
