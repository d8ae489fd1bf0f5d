// Issue 20: the attacks of someone with database superuser rights but without the audit keys,
// on real PostgreSQL, each on a chain of its own. They switch the triggers off
// (`SET LOCAL session_replication_role = replica`), edit a sealed line and recompute every
// later hash (plain SHA-256 as before the chain was keyed; the right HMAC under a guessed key;
// the whole chain relabelled as legacy), delete the tail, delete or forge a checkpoint in the
// folder sink, and verification must fail naming what happened: rewrite, truncation, missing
// checkpoint, forged checkpoint. A sound chain across a rotation of the HMAC key verifies.
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { verifyChainAsAdmin } from "../admin/audit-log";
import { clearSecretsCache } from "../secrets";
import { generateAuditSigningKeyEntry, LEGACY_AUDIT_KEY_ID } from "../secrets/audit-keys";
import { AUTH_SECRET, keyB64 } from "../secrets/test-helpers";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser, testAuditLines } from "../testing/fixtures";
import { runScript } from "../testing/run-script";
import { auditLineHash, auditLineMac, GENESIS_HASH, sealAuditLog, verifyAuditChain } from "./audit";
import { checkpointPayload, publishAuditCheckpoint, readAuditChainId } from "./checkpoints";

const h1 = `h1:${keyB64()}`;
const h2 = `h2:${keyB64()}`;
let checkpointDir: string;
const open: TestDatabase[] = [];
const quiet = () => {};

function useKeys(hmacKeys: string): void {
  vi.stubEnv("AUDIT_HMAC_KEYS", hmacKeys);
  clearSecretsCache();
}

beforeAll(async () => {
  checkpointDir = await mkdtemp(join(tmpdir(), "hashlease-checkpoints-"));
  vi.stubEnv("SECRETS_MANAGER_SECRET_ID", undefined);
  vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
  vi.stubEnv("ENCRYPTION_KEYS", `k1:${keyB64()}`);
  vi.stubEnv("AUDIT_SIGNING_KEYS", generateAuditSigningKeyEntry("s1"));
  vi.stubEnv("HASHLEASE_AUDIT_CHECKPOINT_DIR", checkpointDir);
  vi.stubEnv("HASHLEASE_AUDIT_CHECKPOINT_S3_BUCKET", undefined);
});
beforeEach(() => useKeys(h1));
afterAll(async () => {
  await Promise.all(open.map((t) => t.drop()));
  await rm(checkpointDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
  clearSecretsCache();
});

/** A chain of `lines` sealed lines with a checkpoint of its head. */
async function chain(lines = 7): Promise<TestDatabase> {
  const t = await createTestDatabase();
  open.push(t);
  await append(t, lines);
  await sealAuditLog(t.prisma);
  expect(await publishAuditCheckpoint(t.prisma, { log: quiet })).not.toBeNull();
  return t;
}

const append = (t: TestDatabase, count: number, from = 1) => testAuditLines(t.prisma, count, { from });

async function asSuperuser(t: TestDatabase, fn: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await fn(client);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

/**
 * The attacker's rewrite: changes line `seq`'s amount, then recomputes the hash of every line
 * from `from` on with `hash` and relabels them `keyId` (the chain links stay consistent).
 */
async function editAndRecompute(
  t: TestDatabase,
  seq: bigint,
  hash: (prevHash: string, line: Awaited<ReturnType<typeof lines>>[number]) => string,
  options: { from?: bigint; keyId?: string } = {},
): Promise<void> {
  await asSuperuser(t, async (c) => {
    await c.query(`UPDATE audit_log SET details = jsonb_set(details, '{amount}', '"999999"') WHERE seq = $1`, [
      seq.toString(),
    ]);
  });
  const from = options.from ?? seq;
  const rows = await lines(t);
  let prevHash = rows.find((r) => r.seq === from - 1n)?.hash ?? GENESIS_HASH;
  await asSuperuser(t, async (c) => {
    for (const row of rows.filter((r) => r.seq! >= from)) {
      const newHash = hash(prevHash, row);
      await c.query("UPDATE audit_log SET prev_hash = $1, hash = $2, hash_key_id = $3 WHERE id = $4", [
        prevHash,
        newHash,
        options.keyId ?? row.hashKeyId,
        row.id.toString(),
      ]);
      prevHash = newHash;
    }
  });
}

function lines(t: TestDatabase) {
  return t.prisma.auditLog.findMany({ where: { seq: { not: null } }, orderBy: { seq: "asc" } });
}

async function checkpointFiles(t: TestDatabase): Promise<string[]> {
  const chainId = (await readAuditChainId(t.prisma))!;
  return (await readdir(join(checkpointDir, chainId))).sort().map((file) => join(checkpointDir, chainId, file));
}

function auditVerify(t: TestDatabase): Promise<{ code: number | null; output: string }> {
  return runScript("audit:verify", { DATABASE_URL: t.url });
}

describe("a sound chain", () => {
  it("verifies against its signed checkpoints across a rotation of the HMAC key", async () => {
    const t = await chain(5);
    useKeys(`${h1},${h2}`); // h2 now seals; h1 stays listed for the lines it sealed
    await append(t, 3, 6);
    await sealAuditLog(t.prisma);
    const second = await publishAuditCheckpoint(t.prisma, { log: quiet });
    expect(second).toMatchObject({ number: 2n, headSeq: 8n, lines: 8n, keyId: "s1" });
    expect(await publishAuditCheckpoint(t.prisma, { log: quiet })).toBeNull(); // head unmoved: none
    expect((await lines(t)).map((r) => r.hashKeyId)).toEqual(["h1", "h1", "h1", "h1", "h1", "h2", "h2", "h2"]);
    await append(t, 1, 9);
    await sealAuditLog(t.prisma);
    expect(await verifyAuditChain(t.prisma)).toEqual({
      ok: true,
      lines: 9,
      unsealed: 0,
      checkpoints: 2,
      sinceCheckpoint: 1,
    });
    expect(await checkpointFiles(t)).toHaveLength(2);

    // Removing the retired key too early is named, not mistaken for a sound chain.
    useKeys(h2);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: false, problem: "unknown-key", brokenAtSeq: 1n });
  }, 60_000);

  it("publishes each checkpoint once, signed, to the folder and as one JSON line on the log", async () => {
    const t = await createTestDatabase();
    open.push(t);
    await append(t, 2);
    await sealAuditLog(t.prisma);
    const logged: string[] = [];
    const checkpoint = (await publishAuditCheckpoint(t.prisma, { log: (line) => logged.push(line) }))!;
    const [file] = await checkpointFiles(t);
    const stored = JSON.parse(await readFile(file!, "utf8")) as Record<string, string>;
    expect(stored).toMatchObject({ number: "1", headSeq: "2", lines: "2", keyId: "s1", chainId: checkpoint.chainId });
    expect(stored.headHash).toBe((await lines(t))[1]!.hash);
    expect(JSON.parse(logged[0]!)).toMatchObject({
      event: "audit.checkpoint",
      number: "1",
      signature: stored.signature,
    });
    // The file is never overwritten, and the index row is in the database.
    await expect(writeFile(file!, "{}", { flag: "wx" })).rejects.toThrow(/EEXIST/);
    expect(await t.prisma.auditCheckpoint.count()).toBe(1);
  });
});

describe("a superuser rewrites a sealed line and recomputes the chain", () => {
  it("with plain SHA-256, as an attacker without the key would: rewrite named at that line", async () => {
    const t = await chain();
    await editAndRecompute(t, 3n, (prev, row) => auditLineHash(prev, row));
    const target = (await lines(t))[2]!;
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "rewrite",
      brokenAtSeq: 3n,
      brokenAtId: target.id,
      lines: 2,
      reason: "line content does not match its hash",
    });
    const { code, output } = await auditVerify(t);
    expect(output).toContain(
      `audit chain BROKEN (rewritten) at line 3 (seq 3, id ${target.id}: line content does not match its hash)`,
    );
    expect(code).toBe(1);
  }, 120_000);

  it("relabelling the whole chain as pre-key legacy lines does not match the signed checkpoint", async () => {
    const t = await chain();
    await editAndRecompute(t, 3n, (prev, row) => auditLineHash(prev, row), { from: 1n, keyId: LEGACY_AUDIT_KEY_ID });
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "rewrite",
      brokenAtSeq: 7n,
      reason: expect.stringMatching(/^line does not match signed checkpoint 1/),
    });
  });

  it("with HMAC-SHA256 and the right chain id and key id but a guessed key: rewrite", async () => {
    const t = await chain();
    const chainId = (await readAuditChainId(t.prisma))!;
    const guessed = randomBytes(32);
    await editAndRecompute(t, 3n, (prev, row) => auditLineMac(guessed, "h1", chainId, prev, row));
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "rewrite",
      brokenAtSeq: 3n,
      reason: "line content does not match its hash",
    });
  });
});

describe("a superuser deletes the last lines", () => {
  it("is named a truncation, by npm run audit:verify and the admin console", async () => {
    const t = await chain();
    await asSuperuser(t, async (c) => {
      expect((await c.query("DELETE FROM audit_log WHERE seq >= 5")).rowCount).toBe(3);
    });
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "truncation",
      lines: 4,
      brokenAtSeq: 5n,
      brokenAtId: null,
      reason: expect.stringMatching(
        /^the chain ends at line 4, but signed checkpoint 1 \(.+\) covered 7 lines to seq 7$/,
      ),
    });
    const { code, output } = await auditVerify(t);
    expect(output).toMatch(/audit chain BROKEN \(truncated\) at line 5 \(seq 5: the chain ends at line 4/);
    expect(code).toBe(1);

    const admin = await createUser(t.prisma, ["ADMIN"]);
    const check = await verifyChainAsAdmin(t.prisma, { adminId: admin.id });
    expect(check).toMatchObject({ ok: true, result: { ok: false, problem: "truncation", brokenAtSeq: 5n } });
  }, 120_000);
});

describe("the checkpoints outside the database", () => {
  it("a deleted checkpoint, in the middle or the latest, is named missing", async () => {
    const t = await chain(3);
    for (const n of [4, 5]) {
      await append(t, 1, n);
      await sealAuditLog(t.prisma);
      await publishAuditCheckpoint(t.prisma, { log: quiet });
    }
    const files = await checkpointFiles(t);
    expect(files).toHaveLength(3);
    await unlink(files[1]!);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "missing-checkpoint",
      brokenAtSeq: 4n,
      reason: expect.stringMatching(/^checkpoint 2 is missing from folder .+ covering lines to seq 4\)$/),
    });
    // Deleting the latest one as well (with the tail it covered) is still noticed: the index lists it.
    await unlink(files[2]!);
    await asSuperuser(t, async (c) => void (await c.query("DELETE FROM audit_log WHERE seq = 5")));
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: false, problem: "missing-checkpoint" });
  });

  it("a checkpoint signed with another key, or altered after signing, is refused as forged", async () => {
    const t = await chain(3);
    const [file] = await checkpointFiles(t);
    const original = await readFile(file!, "utf8");
    const stored = JSON.parse(original) as Record<string, string>;

    // A new head the attacker would like the chain to end at, signed with a key of his own under the same id.
    const { privateKey } = generateKeyPairSync("ed25519");
    const forged: Record<string, string> = { ...stored, number: "2", headSeq: "2", lines: "2" };
    const payload = checkpointPayload({
      chainId: forged.chainId!,
      number: 2n,
      headSeq: 2n,
      headHash: forged.headHash!,
      lines: 2n,
      at: forged.at!,
      keyId: "s1",
    });
    forged.signature = sign(null, payload, privateKey).toString("base64");
    const forgedPath = file!.replace(/000000000001\.json$/, "000000000002.json");
    await writeFile(forgedPath, JSON.stringify(forged));
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "forged-checkpoint",
      reason: expect.stringMatching(/000000000002\.json .+ has a signature that does not verify/),
    });
    await unlink(forgedPath);

    await chmod(file!, 0o644);
    await writeFile(file!, JSON.stringify({ ...stored, lines: "2" }));
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: false, problem: "forged-checkpoint" });
    await writeFile(file!, original);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true, checkpoints: 1 });
  });
});

describe("lines sealed before the chain was keyed (legacy-sha256)", () => {
  /** A database as migration 20261208040000 leaves one: lines chained with plain SHA-256. */
  async function legacyChain(): Promise<TestDatabase> {
    const t = await createTestDatabase();
    open.push(t);
    await append(t, 4);
    const rows = await t.prisma.auditLog.findMany({ orderBy: { id: "asc" } });
    let prevHash = GENESIS_HASH;
    await asSuperuser(t, async (c) => {
      for (const [i, row] of rows.entries()) {
        const hash = auditLineHash(prevHash, row);
        await c.query("UPDATE audit_log SET seq = $1, prev_hash = $2, hash = $3, hash_key_id = $4 WHERE id = $5", [
          i + 1,
          prevHash,
          hash,
          LEGACY_AUDIT_KEY_ID,
          row.id.toString(),
        ]);
        prevHash = hash;
      }
    });
    return t;
  }

  it("are covered by the first checkpoint, after which keyed lines continue the chain", async () => {
    const t = await legacyChain();
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "missing-checkpoint",
      brokenAtSeq: 1n,
      reason: "lines sealed before the chain was keyed are covered by no signed checkpoint",
    });
    expect(await publishAuditCheckpoint(t.prisma, { log: quiet })).toMatchObject({ number: 1n, headSeq: 4n });
    await append(t, 2, 5);
    await sealAuditLog(t.prisma);
    expect((await lines(t)).map((r) => r.hashKeyId)).toEqual([...Array(4).fill(LEGACY_AUDIT_KEY_ID), "h1", "h1"]);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true, lines: 6, checkpoints: 1, sinceCheckpoint: 2 });
    // The database itself refuses sealing the old way from now on.
    await append(t, 1, 7);
    await expect(
      t.prisma.auditLog.updateMany({
        where: { seq: null },
        data: { seq: 99n, prevHash: GENESIS_HASH, hash: "f".repeat(64), hashKeyId: LEGACY_AUDIT_KEY_ID },
      }),
    ).rejects.toThrow(/append-only/);
  });

  it("rewritten and re-hashed the legacy way after the checkpoint: rewrite", async () => {
    const t = await legacyChain();
    await publishAuditCheckpoint(t.prisma, { log: quiet });
    await editAndRecompute(t, 2n, (prev, row) => auditLineHash(prev, row));
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "rewrite",
      brokenAtSeq: 4n,
      reason: expect.stringMatching(/^line does not match signed checkpoint 1/),
    });
  });
});
