// The app's secrets from AWS Secrets Manager, served by moto's real server on 127.0.0.1 and
// written there with the AWS SDK as an operator would (create-secret, put-secret-value), then
// rotated: put-secret-value moves AWSCURRENT to the new version and AWSPREVIOUS to the old one.
// The app reads the new values once its cache (SECRETS_CACHE_TTL_MS) runs out, or earlier when a
// session arrives that another instance signed with the new secret (refreshSecrets), and what was
// sealed or signed before still opens: TOTP-style ciphertexts under a retired key id that the
// new version still lists, audit lines and checkpoints under the retired HMAC and signing keys,
// sessions, login tickets and mailed links under the previous auth secret (AWSPREVIOUS). Mail
// goes out with the new SMTP credentials. A second rotation retires the first auth secret.
// Runs wherever moto_server is installed; in CI (CI=true) a missing one fails the file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateSecretCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { simpleParser } from "mailparser";
import { encode } from "next-auth/jwt";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recordAudit, sealAuditLog, verifyAuditChain } from "../audit/audit";
import { publishAuditCheckpoint } from "../audit/checkpoints";
import { consumeAccountToken, mailAccountLink } from "../auth/account-tokens";
import { issueLoginTicket, readLoginTicket } from "../auth/login-ticket";
import { getAuthOptions } from "../auth/options";
import { sendDueMail } from "../mail/sender";
import { mailConfig } from "../mail/transport";
import { createUser } from "../testing/fixtures";
import { motoMissingReason, startMoto, type Moto } from "../testing/moto";
import { withTestDatabase } from "../testing/test-database";
import { generateAuditSigningKeyEntry } from "./audit-keys";
import { decryptSecret, encryptSecret, needsReencryption } from "./encryption";
import { acceptedAuthSecrets, clearSecretsCache, getSecrets } from "./index";
import { SECRETS_REFRESH_MIN_INTERVAL_MS } from "./secrets";
import { keyB64 } from "./test-helpers";

const skipReason = motoMissingReason("secrets-rotation.test.ts");
const SECRET_ID = "hashlease/production";
const TTL_MS = 60_000;

/** Runs `fn` with the clock `ms` ahead (Date only; the database keeps its own clock, so no writes in `fn`). */
async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + ms);
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

const t = withTestDatabase();
let moto: Moto;
let sm: SecretsManagerClient;
let dataDir: string;

// The mail provider: accepts only the credentials it currently issues (rotated with the secret).
const smtpAccepted = new Set<string>();
const mailbox: { user: string; text: string }[] = [];
let smtp: SMTPServer;
let smtpPort = 0;

const auth = { v1: `auth-v1-${keyB64(24)}`, v2: `auth-v2-${keyB64(24)}`, v3: `auth-v3-${keyB64(24)}` };
const enc = { k1: `k1:${keyB64()}`, k2: `k2:${keyB64()}` };
const hmac = { h1: `h1:${keyB64()}`, h2: `h2:${keyB64()}` };
const signing = { s1: generateAuditSigningKeyEntry("s1"), s2: generateAuditSigningKeyEntry("s2") };
const smtpUrl = (password: string) => `smtp://mailer:${password}@127.0.0.1:${smtpPort}`;

function version(authSecret: string, keys: "v1" | "v2", smtpPassword: string): string {
  const v2 = keys === "v2";
  return JSON.stringify({
    AUTH_SECRET: authSecret,
    // Rotation of a key ring: the new key is added and made active, the retired one stays listed.
    ENCRYPTION_KEYS: v2 ? `${enc.k1},${enc.k2}` : enc.k1,
    AUDIT_HMAC_KEYS: v2 ? `${hmac.h1},${hmac.h2}` : hmac.h1,
    AUDIT_SIGNING_KEYS: v2 ? `${signing.s1},${signing.s2}` : signing.s1,
    SMTP_URL: smtpUrl(smtpPassword),
    STRIPE_SECRET_KEY: v2 ? "sk_live_rotated" : "sk_live_first",
  });
}

async function stages(): Promise<string[][]> {
  const { Versions } = await sm.send(new ListSecretVersionIdsCommand({ SecretId: SECRET_ID }));
  return (Versions ?? []).map((v) => [...(v.VersionStages ?? [])].sort()).filter((s) => s.length > 0);
}

beforeAll(async () => {
  if (skipReason) return;
  moto = await startMoto();
  smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(login, _session, callback) {
      if (smtpAccepted.has(`${login.username}:${login.password}`)) callback(null, { user: login.username });
      else callback(Object.assign(new Error("535 authentication failed"), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mailbox.push({ user: String(session.user), text: mail.text ?? "" });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as import("node:net").AddressInfo).port;
  dataDir = mkdtempSync(join(tmpdir(), "hashlease-rotation-"));
  for (const [name, value] of Object.entries({
    SECRETS_MANAGER_SECRET_ID: SECRET_ID,
    SECRETS_CACHE_TTL_MS: String(TTL_MS),
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    // Environment secrets lose to Secrets Manager; set here to prove it.
    AUTH_SECRET: "environment-secret-that-must-not-be-used-0123",
    ENCRYPTION_KEYS: undefined,
    AUDIT_HMAC_KEYS: undefined,
    AUDIT_SIGNING_KEYS: undefined,
    HASHLEASE_DATA_DIR: dataDir,
    HASHLEASE_AUDIT_CHECKPOINT_DIR: join(dataDir, "checkpoints"),
    HASHLEASE_AUDIT_CHECKPOINT_S3_BUCKET: undefined,
    APP_URL: "http://app.test",
  })) {
    vi.stubEnv(name, value);
  }
  clearSecretsCache();
  sm = new SecretsManagerClient({ region: "us-east-1", endpoint: moto.endpoint });
}, 60_000);

afterAll(async () => {
  (await mailConfig().catch(() => null))?.transport.close();
  sm?.destroy();
  await moto?.stop();
  if (smtp) await new Promise<void>((resolve) => smtp.close(() => resolve()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
  clearSecretsCache();
});

describe.skipIf(skipReason)("secrets from Secrets Manager (moto), rotated", () => {
  // Sealed, signed and issued under the first version; checked after the rotation.
  let sealed: { ciphertext: string; keyId: string };
  let sessionCookie: string;
  let ticket: string;
  let userId: string;

  it("reads every secret the app loads from the secret's current version", async () => {
    smtpAccepted.add("mailer:smtp-pass-1");
    await sm.send(new CreateSecretCommand({ Name: SECRET_ID, SecretString: version(auth.v1, "v1", "smtp-pass-1") }));
    expect(await stages()).toEqual([["AWSCURRENT"]]);

    const secrets = await getSecrets();
    expect(secrets.authSecret).toBe(auth.v1);
    expect(secrets.previousAuthSecret).toBeNull(); // moto: no AWSPREVIOUS before a rotation
    expect([...secrets.keyRing.keys.keys()]).toEqual(["k1"]);
    expect(secrets.audit.hmac.activeKeyId).toBe("h1");
    expect(secrets.audit.signing.activeKeyId).toBe("s1");
    expect(secrets.smtpUrl).toBe(smtpUrl("smtp-pass-1"));
    expect(secrets.stripeSecretKey).toBe("sk_live_first");

    const user = await createUser(t.prisma);
    userId = user.id;
    sealed = encryptSecret("JBSWY3DPEHPK3PXP", secrets.keyRing, `totp:${userId}`);
    expect(sealed.keyId).toBe("k1");
    for (let i = 0; i < 3; i++) {
      await recordAudit(t.prisma, { actorId: null, action: "test.before", entityType: "test", details: { i } });
    }
    expect(await sealAuditLog(t.prisma)).toBe(3);
    expect(await publishAuditCheckpoint(t.prisma)).toBeTruthy();
    sessionCookie = await encode({ token: { uid: userId, sid: "s-1", authAt: Date.now() }, secret: auth.v1 });
    ticket = issueLoginTicket(user, auth.v1);
    // A link issued now (row hashed under v1) is mailed only after the rotation.
    await t.prisma.$transaction((tx) =>
      mailAccountLink(tx, secrets.authSecret, {
        userId,
        to: user.email,
        purpose: "VERIFY_EMAIL",
        ttlMs: 3_600_000,
        kind: "account.verify_email",
      }),
    );
  });

  it("after put-secret-value: the old values while cached, the new ones once another instance's session shows them, and the old data still opens", async () => {
    smtpAccepted.clear(); // the provider rotated too: only the new password works
    smtpAccepted.add("mailer:smtp-pass-2");
    clearSecretsCache(); // a fresh read of the first version: the 10 s below count from here
    const cached = await getSecrets();
    expect(cached.authSecret).toBe(auth.v1);
    await sm.send(
      new PutSecretValueCommand({ SecretId: SECRET_ID, SecretString: version(auth.v2, "v2", "smtp-pass-2") }),
    );
    expect((await stages()).sort()).toEqual([["AWSCURRENT"], ["AWSPREVIOUS"]]);
    expect(await getSecrets()).toBe(cached); // within the TTL

    // Another instance read the new version first and signed a session with it. This one, behind,
    // reads its secrets again for it, though not within 10 s of its last read (a flood of bad
    // cookies costs one read per 10 s).
    const fromAhead = await encode({ token: { uid: userId, sid: "s-2" }, secret: auth.v2 });
    const behind = await getAuthOptions();
    expect(behind.secret).toBe(auth.v1);
    const decodeBehind = (token: string) => Promise.resolve(behind.jwt!.decode!({ token, secret: behind.secret! }));
    await expect(decodeBehind(fromAhead)).rejects.toThrow();
    expect(await getSecrets()).toBe(cached);
    expect(await later(SECRETS_REFRESH_MIN_INTERVAL_MS, () => decodeBehind(fromAhead))).toMatchObject({ sid: "s-2" });
    const secrets = await getSecrets();
    expect(secrets).not.toBe(cached);
    expect(secrets.authSecret).toBe(auth.v2);
    expect(secrets.previousAuthSecret).toBe(auth.v1);
    expect(secrets.stripeSecretKey).toBe("sk_live_rotated");
    expect(secrets.smtpUrl).toBe(smtpUrl("smtp-pass-2"));

    // Encryption: new values under k2; the value sealed under k1 opens and is due for re-sealing.
    expect(secrets.keyRing.activeKeyId).toBe("k2");
    expect(decryptSecret(sealed.ciphertext, sealed.keyId, secrets.keyRing, `totp:${userId}`)).toBe("JBSWY3DPEHPK3PXP");
    expect(needsReencryption(sealed.keyId, secrets.keyRing)).toBe(true);
    const resealed = encryptSecret("JBSWY3DPEHPK3PXP", secrets.keyRing, `totp:${userId}`);
    expect(resealed.keyId).toBe("k2");

    // Audit: new lines sealed under h2, a checkpoint signed with s2; the whole chain verifies.
    for (let i = 0; i < 2; i++) {
      await recordAudit(t.prisma, { actorId: null, action: "test.after", entityType: "test", details: { i } });
    }
    expect(await sealAuditLog(t.prisma)).toBe(2);
    expect(await publishAuditCheckpoint(t.prisma)).toBeTruthy();
    const keyIds = await t.prisma.auditLog.findMany({ orderBy: { seq: "asc" }, select: { hashKeyId: true } });
    expect(keyIds.map((l) => l.hashKeyId)).toEqual(["h1", "h1", "h1", "h2", "h2"]);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true, lines: 5, checkpoints: 2 });

    // The session signed before the rotation still opens, through next-auth's own decode.
    const options = await getAuthOptions();
    expect(options.secret).toBe(auth.v2);
    const claims = await options.jwt!.decode!({ token: sessionCookie, secret: options.secret! });
    expect(claims).toMatchObject({ uid: userId, sid: "s-1" });
    const stranger = await encode({ token: { uid: userId }, secret: `someone-else-${keyB64(24)}` });
    await expect(Promise.resolve(options.jwt!.decode!({ token: stranger, secret: options.secret! }))).rejects.toThrow();

    // The login ticket from the password step, signed under v1, still reads (only with the previous secret).
    expect(readLoginTicket(ticket, acceptedAuthSecrets(secrets))).toMatchObject({ ok: true, userId });
    expect(readLoginTicket(ticket, secrets.authSecret)).toEqual({ ok: false, error: "INVALID" });

    // Mail: sent with the new SMTP credentials; the link issued under v1 works.
    const config = await mailConfig();
    expect(await sendDueMail(t.prisma, config!)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(mailbox).toHaveLength(1);
    expect(mailbox[0]?.user).toBe("mailer");
    const token = /\/account\/verify\?token=([A-Za-z0-9_-]+)/.exec(mailbox[0]?.text ?? "")?.[1];
    expect(token).toBeDefined();
    const used = await t.prisma.$transaction((tx) => consumeAccountToken(tx, token!, "VERIFY_EMAIL"));
    expect(used?.userId).toBe(userId);
  });

  it("a second rotation, read when the cache runs out, retires the first auth secret: what only it signed no longer opens", async () => {
    await sm.send(
      new PutSecretValueCommand({ SecretId: SECRET_ID, SecretString: version(auth.v3, "v2", "smtp-pass-2") }),
    );
    expect((await getSecrets()).authSecret).toBe(auth.v2); // within the TTL
    const secrets = await later(TTL_MS + SECRETS_REFRESH_MIN_INTERVAL_MS, () => getSecrets());
    expect(secrets.authSecret).toBe(auth.v3);
    expect(secrets.previousAuthSecret).toBe(auth.v2);
    const options = await getAuthOptions();
    await expect(
      Promise.resolve(options.jwt!.decode!({ token: sessionCookie, secret: options.secret! })),
    ).rejects.toThrow();
    expect(readLoginTicket(ticket, acceptedAuthSecrets(secrets))).toEqual({ ok: false, error: "INVALID" });
    // Key rings live on in the new version: the k1 value still opens.
    expect(decryptSecret(sealed.ciphertext, sealed.keyId, secrets.keyRing, `totp:${userId}`)).toBe("JBSWY3DPEHPK3PXP");
  });
});
