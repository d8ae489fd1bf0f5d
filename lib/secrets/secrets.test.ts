import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { generateAuditSigningKeyEntry } from "./audit-keys";
import { decryptSecret, encryptSecret } from "./encryption";
import { SecretsConfigError } from "./errors";
import { clearSecretsCache, getSecrets } from "./secrets";
import { readOrCreateDevSecretsFile } from "./sources";
import { AUTH_SECRET, isolateSecretsEnvironment, keyB64 } from "./test-helpers";

isolateSecretsEnvironment();

describe("getSecrets from environment variables", () => {
  it("reads every value", async () => {
    const k1 = keyB64();
    vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
    vi.stubEnv("ENCRYPTION_KEYS", `k1:${k1},k2:${keyB64()}`);
    vi.stubEnv("ENCRYPTION_ACTIVE_KEY_ID", "k1");
    vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_123");
    vi.stubEnv("STRIPE_WEBHOOK_SECRET", "whsec_456");
    vi.stubEnv("STRIPE_PUBLISHABLE_KEY", "pk_test_789");
    const secrets = await getSecrets();
    expect(secrets.authSecret).toBe(AUTH_SECRET);
    expect(secrets.keyRing.activeKeyId).toBe("k1");
    expect(secrets.keyRing.keys.get("k1")).toEqual(Buffer.from(k1, "base64"));
    expect(secrets.stripeSecretKey).toBe("sk_test_123");
    expect(secrets.stripeWebhookSecret).toBe("whsec_456");
    expect(secrets.stripePublishableKey).toBe("pk_test_789");
  });

  it("accepts NEXTAUTH_SECRET, defaults to the last key and leaves Stripe keys null", async () => {
    vi.stubEnv("NEXTAUTH_SECRET", AUTH_SECRET);
    vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64()},b:${keyB64()}`);
    const secrets = await getSecrets();
    expect(secrets.authSecret).toBe(AUTH_SECRET);
    expect(secrets.keyRing.activeKeyId).toBe("b");
    expect(secrets.stripeSecretKey).toBeNull();
    expect(secrets.stripeWebhookSecret).toBeNull();
    expect(secrets.stripePublishableKey).toBeNull();
  });

  it("names what is missing from a partial configuration instead of generating secrets", async () => {
    vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
    await expect(getSecrets()).rejects.toThrow(/environment variables are incomplete: missing ENCRYPTION_KEYS/);
    vi.stubEnv("AUTH_SECRET", undefined);
    vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64()}`);
    await expect(getSecrets()).rejects.toThrow(/missing AUTH_SECRET \(or NEXTAUTH_SECRET\)/);
  });

  it("rejects a short auth secret, a bad key ring and a secret key in the publishable slot", async () => {
    vi.stubEnv("AUTH_SECRET", "short");
    vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64()}`);
    await expect(getSecrets()).rejects.toThrow(/AUTH_SECRET must be at least 32 characters/);
    vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
    vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64(24)}`);
    await expect(getSecrets()).rejects.toThrow(
      /environment variables: ENCRYPTION_KEYS key "a" must be base64 of exactly 32 bytes/,
    );
    vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64()}`);
    vi.stubEnv("STRIPE_PUBLISHABLE_KEY", "sk_live_oops");
    await expect(getSecrets()).rejects.toThrow(/STRIPE_PUBLISHABLE_KEY must start with pk_/);
  });

  it("caches within the TTL and re-reads after clearSecretsCache", async () => {
    vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
    vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64()}`);
    const first = await getSecrets();
    vi.stubEnv("AUTH_SECRET", `${AUTH_SECRET}-rotated`);
    expect(await getSecrets()).toBe(first);
    clearSecretsCache();
    expect((await getSecrets()).authSecret).toBe(`${AUTH_SECRET}-rotated`);
  });

  it("rejects a malformed SECRETS_CACHE_TTL_MS and does not cache failures", async () => {
    vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
    vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64()}`);
    vi.stubEnv("SECRETS_CACHE_TTL_MS", "5 minutes");
    await expect(getSecrets()).rejects.toThrow(/SECRETS_CACHE_TTL_MS must be a whole number/);
    vi.stubEnv("SECRETS_CACHE_TTL_MS", "60000");
    expect((await getSecrets()).authSecret).toBe(AUTH_SECRET);
  });
});

describe("getSecrets from the generated development file", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hashlease-secrets-"));
    vi.stubEnv("HASHLEASE_DATA_DIR", join(dir, "data"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("generates the file once, mode 0600, and returns the same values afterwards", async () => {
    const first = await getSecrets();
    const path = join(dir, "data", "secrets.json");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.keyRing.keys.get(first.keyRing.activeKeyId)?.length).toBe(32);
    const sealed = encryptSecret("totp", first.keyRing);

    expect(await getSecrets()).toBe(first);
    clearSecretsCache();
    const again = await getSecrets();
    expect(again).not.toBe(first);
    expect(again.authSecret).toBe(first.authSecret);
    expect(again.keyRing.activeKeyId).toBe(first.keyRing.activeKeyId);
    expect(decryptSecret(sealed.ciphertext, sealed.keyId, again.keyRing)).toBe("totp");
    const onDisk = JSON.parse(await readFile(path, "utf8")) as Record<string, string>;
    expect(onDisk.AUTH_SECRET).toBe(first.authSecret);
    // The audit keys: generated beside it (mode 0600) the same way, the same after a re-read.
    const auditPath = join(dir, "data", "audit-keys.json");
    expect((await stat(auditPath)).mode & 0o777).toBe(0o600);
    expect(again.audit.hmac.activeKeyId).toBe(first.audit.hmac.activeKeyId);
    expect(again.audit.hmac.keys.get(again.audit.hmac.activeKeyId)).toEqual(
      first.audit.hmac.keys.get(first.audit.hmac.activeKeyId),
    );
    expect(again.audit.signing.activeKeyId).toBe(first.audit.signing.activeKeyId);
    expect(JSON.parse(await readFile(auditPath, "utf8"))).toHaveProperty("AUDIT_SIGNING_KEYS");
  });

  it("agrees between concurrent first calls", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => getSecrets()));
    for (const secrets of results) expect(secrets).toBe(results[0]);
    const files = await Promise.all(Array.from({ length: 20 }, () => readOrCreateDevSecretsFile(join(dir, "race"))));
    expect(new Set(files).size).toBe(1);
    expect(await readFile(join(dir, "race", "secrets.json"), "utf8")).toBe(files[0]);
  });

  it("agrees between separate processes starting at once", async () => {
    const script = join(dir, "child.mts");
    const sources = new URL("./sources.ts", import.meta.url).href;
    await writeFile(
      script,
      `import { readOrCreateDevSecretsFile } from ${JSON.stringify(sources)};
       const startAt = Number(process.argv[3]);
       await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
       process.stdout.write(await readOrCreateDevSecretsFile(process.argv[2]));`,
    );
    const startAt = String(Date.now() + 2_000);
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", script, join(dir, "multi"), startAt], {
          cwd: process.cwd(),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
      });
    const outputs = await Promise.all([run(), run(), run(), run()]);
    expect(new Set(outputs).size).toBe(1);
    expect(JSON.parse(outputs[0] ?? "")).toHaveProperty("ENCRYPTION_KEYS");
    expect(await readFile(join(dir, "multi", "secrets.json"), "utf8")).toBe(outputs[0]);
  }, 20_000);

  it("takes Stripe keys from the environment", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_dev");
    const secrets = await getSecrets();
    expect(secrets.stripeSecretKey).toBe("sk_test_dev");
    expect(secrets.stripePublishableKey).toBeNull();
  });

  it("is allowed in production only with HASHLEASE_ALLOW_DEV_SECRETS=1", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("HASHLEASE_ALLOW_DEV_SECRETS", "1");
    expect((await getSecrets()).authSecret.length).toBeGreaterThanOrEqual(32);
  });

  it("reports a corrupt file without echoing it", async () => {
    await readOrCreateDevSecretsFile(join(dir, "data"));
    await writeFile(join(dir, "data", "secrets.json"), "{ not json AUTH");
    await expect(getSecrets()).rejects.toThrow(/secrets\.json \(delete it to regenerate\) are not valid JSON/);
  });
});

describe("getSecrets in production", () => {
  it("throws a clear error naming the variables when no source is configured", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hashlease-secrets-"));
    try {
      vi.stubEnv("NODE_ENV", "production");
      vi.stubEnv("HASHLEASE_DATA_DIR", dir);
      const failure = getSecrets();
      await expect(failure).rejects.toThrow(SecretsConfigError);
      await expect(failure).rejects.toThrow(/SECRETS_MANAGER_SECRET_ID.*AUTH_SECRET and ENCRYPTION_KEYS/);
      await expect(stat(join(dir, "secrets.json"))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("still uses environment variables, the audit keys included", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
    vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64()}`);
    vi.stubEnv("AUDIT_HMAC_KEYS", `h1:${keyB64()},h2:${keyB64()}`);
    vi.stubEnv("AUDIT_SIGNING_KEYS", generateAuditSigningKeyEntry("s1"));
    const secrets = await getSecrets();
    expect(secrets.authSecret).toBe(AUTH_SECRET);
    expect(secrets.audit.hmac.activeKeyId).toBe("h2");
    expect(secrets.audit.signing.activeKeyId).toBe("s1");
    expect(secrets.audit.signing.publicKeys.get("s1")?.asymmetricKeyType).toBe("ed25519");
  });

  it("requires the audit keys from the source itself, and never generates them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hashlease-secrets-"));
    try {
      vi.stubEnv("NODE_ENV", "production");
      vi.stubEnv("HASHLEASE_DATA_DIR", dir);
      vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
      vi.stubEnv("ENCRYPTION_KEYS", `a:${keyB64()}`);
      await expect(getSecrets()).rejects.toThrow(
        /environment variables are incomplete: missing AUDIT_HMAC_KEYS and AUDIT_SIGNING_KEYS/,
      );
      vi.stubEnv("AUDIT_HMAC_KEYS", `h1:${keyB64()}`);
      vi.stubEnv("AUDIT_SIGNING_KEYS", `s1:${keyB64()}`);
      await expect(getSecrets()).rejects.toThrow(/AUDIT_SIGNING_KEYS key "s1" is not a base64 PKCS#8 private key/);
      vi.stubEnv("AUDIT_SIGNING_KEYS", generateAuditSigningKeyEntry("s1"));
      vi.stubEnv("AUDIT_HMAC_KEYS", `legacy-sha256:${keyB64()}`);
      await expect(getSecrets()).rejects.toThrow(/reserved key id "legacy-sha256"/);
      await expect(stat(join(dir, "audit-keys.json"))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
