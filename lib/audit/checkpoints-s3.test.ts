// The S3 checkpoint sink with the real AWS SDK against moto's S3 server on 127.0.0.1 (started
// here; `pip install 'moto[server]'`, as .ci/run does). Configured through the environment as
// a deployment would (HASHLEASE_AUDIT_CHECKPOINT_S3_BUCKET / _ENDPOINT / _PREFIX): checkpoints
// land in the bucket, once each, the chain verifies against them, and a deleted or forged
// object is named. Skipped, saying why, where moto is not installed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clearSecretsCache } from "../secrets";
import { generateAuditSigningKeyEntry } from "../secrets/audit-keys";
import { AUTH_SECRET, keyB64 } from "../secrets/test-helpers";
import { freePort } from "../testing/free-port";
import { withTestDatabase } from "../testing/test-database";
import { recordAudit, sealAuditLog, verifyAuditChain } from "./audit";
import { checkpointSinkFromEnv, publishAuditCheckpoint, readAuditChainId } from "./checkpoints";

const motoInstalled = spawnSync("sh", ["-c", "command -v moto_server"]).status === 0;
if (!motoInstalled) {
  console.warn("checkpoints-s3.test.ts skipped: moto_server not found (pip install 'moto[server]')");
}

const BUCKET = "hashlease-audit";
const PREFIX = "prod/checkpoints/";
let moto: ChildProcess | undefined;
let endpoint = "";
let s3: S3Client;
const t = withTestDatabase();

beforeAll(async () => {
  if (!motoInstalled) return;
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      if (i > 100) throw new Error("moto_server did not start");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const [name, value] of Object.entries({
    SECRETS_MANAGER_SECRET_ID: undefined,
    AUTH_SECRET,
    ENCRYPTION_KEYS: `k1:${keyB64()}`,
    AUDIT_HMAC_KEYS: `h1:${keyB64()}`,
    AUDIT_SIGNING_KEYS: generateAuditSigningKeyEntry("s1"),
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    HASHLEASE_AUDIT_CHECKPOINT_S3_BUCKET: BUCKET,
    HASHLEASE_AUDIT_CHECKPOINT_S3_ENDPOINT: endpoint,
    HASHLEASE_AUDIT_CHECKPOINT_S3_PREFIX: PREFIX,
  })) {
    vi.stubEnv(name, value);
  }
  clearSecretsCache();
  s3 = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);

afterAll(() => {
  moto?.kill();
  s3?.destroy();
  vi.unstubAllEnvs();
  clearSecretsCache();
});

async function lines(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await recordAudit(t.prisma, { actorId: null, action: "test.line", entityType: "test", details: { i } });
  }
  await sealAuditLog(t.prisma);
}

async function keys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

describe.skipIf(!motoInstalled)("checkpoints in an S3 bucket (moto)", () => {
  it("are published once each, under the prefix and the chain id, and the chain verifies against them", async () => {
    const sink = checkpointSinkFromEnv();
    expect(sink.name).toBe(`s3://${BUCKET}/${PREFIX}`);
    await lines(3);
    expect(await publishAuditCheckpoint(t.prisma, { log: () => {} })).toMatchObject({ number: 1n, headSeq: 3n });
    await lines(2);
    expect(await publishAuditCheckpoint(t.prisma, { log: () => {} })).toMatchObject({ number: 2n, headSeq: 5n });
    const chainId = (await readAuditChainId(t.prisma))!;
    expect(await keys()).toEqual([`${PREFIX}${chainId}/000000000001.json`, `${PREFIX}${chainId}/000000000002.json`]);
    const body = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${chainId}/000000000002.json` }));
    expect(JSON.parse(await body.Body!.transformToString())).toMatchObject({ headSeq: "5", lines: "5", keyId: "s1" });
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true, lines: 5, checkpoints: 2, sinceCheckpoint: 0 });
    // The sink refuses to overwrite a checkpoint (conditional write).
    const [first] = (await sink.list(chainId)).map((stored) => stored.name);
    await expect(
      sink.put({
        chainId,
        number: 1n,
        headSeq: 1n,
        headHash: "0".repeat(64),
        lines: 1n,
        at: new Date().toISOString(),
        keyId: "s1",
        signature: "",
      }),
    ).rejects.toThrow();
    expect(first).toBe(`${chainId}/000000000001.json`);
  });

  it("a forged object is refused and a deleted one is named missing", async () => {
    const chainId = (await readAuditChainId(t.prisma))!;
    const key = `${PREFIX}${chainId}/000000000001.json`;
    const original = await (
      await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
    ).Body!.transformToString();
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: original.replace(/"lines":"3"/, '"lines":"1"') }),
    );
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "forged-checkpoint",
      reason: expect.stringContaining("has a signature that does not verify"),
    });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(await verifyAuditChain(t.prisma)).toMatchObject({
      ok: false,
      problem: "missing-checkpoint",
      brokenAtSeq: 3n,
      reason: expect.stringMatching(new RegExp(`^checkpoint 1 is missing from s3://${BUCKET}/${PREFIX}`)),
    });
  });
});
