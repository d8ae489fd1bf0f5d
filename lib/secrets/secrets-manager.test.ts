// The Secrets Manager path with the real AWS SDK against a local stand-in of the service's
// JSON 1.1 API (POST /, X-Amz-Target: secretsmanager.GetSecretValue) with the AWSCURRENT and
// AWSPREVIOUS stages (rotation against moto's real server: secrets-rotation.test.ts).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SecretsConfigError, SecretsUnavailableError } from "./errors";
import { getSecrets, refreshSecrets, SECRETS_REFRESH_MIN_INTERVAL_MS } from "./secrets";
import { AUTH_SECRET, isolateSecretsEnvironment, keyB64 } from "./test-helpers";

interface SeenRequest {
  headers: IncomingHttpHeaders;
  body: unknown;
}

const ACCOUNT_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret";
const secretStrings = new Map<string, string>();
/** The version before the current one (storeSecret moves it here, as put-secret-value does). */
const previousStrings = new Map<string, string>();
const seen: SeenRequest[] = [];
let server: Server;
let endpoint: string;

function reply(res: import("node:http").ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "req-1" });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = null;
      }
      seen.push({ headers: req.headers, body });
      if (req.method !== "POST" || req.headers["x-amz-target"] !== "secretsmanager.GetSecretValue") {
        reply(res, 400, { __type: "UnknownOperationException", message: "unsupported operation" });
        return;
      }
      const { SecretId: secretId, VersionStage: stage = "AWSCURRENT" } =
        (body as { SecretId?: unknown; VersionStage?: unknown } | null) ?? {};
      const versions = stage === "AWSCURRENT" ? secretStrings : stage === "AWSPREVIOUS" ? previousStrings : null;
      const secretString = typeof secretId === "string" ? versions?.get(secretId) : undefined;
      if (typeof secretId !== "string" || secretString === undefined) {
        reply(res, 400, {
          __type: "ResourceNotFoundException",
          message: "Secrets Manager can't find the specified secret.",
        });
        return;
      }
      reply(res, 200, {
        ARN: `${ACCOUNT_ARN}:${secretId}-AbCdEf`,
        Name: secretId,
        SecretString: secretString,
        VersionId: "2f1e4c3a-0000-4000-8000-000000000001",
        VersionStages: [stage],
        CreatedDate: 1_700_000_000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

isolateSecretsEnvironment();

beforeEach(() => {
  seen.length = 0;
  secretStrings.clear();
  previousStrings.clear();
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint);
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLETEST");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
});

function storeSecret(id: string, values: Record<string, unknown>): void {
  const current = secretStrings.get(id);
  if (current !== undefined) previousStrings.set(id, current);
  secretStrings.set(id, JSON.stringify(values));
}

/** The requests for the current version: one per fetch of the secrets. */
const fetches = () => seen.filter((r) => (r.body as { VersionStage?: string } | null)?.VersionStage === "AWSCURRENT");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("getSecrets from AWS Secrets Manager", () => {
  it("fetches and parses the secret with a SigV4-signed request", async () => {
    const k1 = keyB64();
    const k2 = keyB64();
    storeSecret("hashlease/prod", {
      AUTH_SECRET,
      ENCRYPTION_KEYS: `k1:${k1},k2:${k2}`,
      ENCRYPTION_ACTIVE_KEY_ID: "k1",
      STRIPE_SECRET_KEY: "sk_live_abc",
      STRIPE_WEBHOOK_SECRET: "whsec_def",
      STRIPE_PUBLISHABLE_KEY: "pk_live_ghi",
    });
    vi.stubEnv("SECRETS_MANAGER_SECRET_ID", "hashlease/prod");
    // Environment secrets are ignored when a Secrets Manager secret is configured.
    vi.stubEnv("AUTH_SECRET", "env-value-that-must-not-win-0123456789");

    const secrets = await getSecrets();
    expect(secrets.authSecret).toBe(AUTH_SECRET);
    expect(secrets.keyRing.activeKeyId).toBe("k1");
    expect(secrets.keyRing.keys.get("k2")).toEqual(Buffer.from(k2, "base64"));
    expect(secrets.stripeSecretKey).toBe("sk_live_abc");
    expect(secrets.stripeWebhookSecret).toBe("whsec_def");
    expect(secrets.stripePublishableKey).toBe("pk_live_ghi");

    expect(fetches()).toHaveLength(1);
    const request = fetches()[0];
    expect(request?.body).toEqual({ SecretId: "hashlease/prod", VersionStage: "AWSCURRENT" });
    // The version before too (none yet: never rotated).
    expect(seen.map((r) => r.body)).toContainEqual({ SecretId: "hashlease/prod", VersionStage: "AWSPREVIOUS" });
    expect(secrets.previousAuthSecret).toBeNull();
    expect(request?.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETEST\/\d{8}\/us-east-1\/secretsmanager\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it("also honours AWS_DEFAULT_REGION and AWS_ENDPOINT_URL", async () => {
    storeSecret("s", { AUTH_SECRET, ENCRYPTION_KEYS: `a:${keyB64()}` });
    vi.stubEnv("SECRETS_MANAGER_SECRET_ID", "s");
    vi.stubEnv("AWS_REGION", undefined);
    vi.stubEnv("AWS_DEFAULT_REGION", "eu-west-1");
    vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", undefined);
    vi.stubEnv("AWS_ENDPOINT_URL", endpoint);
    expect((await getSecrets()).stripeSecretKey).toBeNull();
    expect(fetches()[0]?.headers.authorization).toContain("/eu-west-1/secretsmanager/aws4_request");
  });

  it("shares one request among concurrent callers, serves the cache within the TTL and refetches after it", async () => {
    storeSecret("rotating", { AUTH_SECRET, ENCRYPTION_KEYS: `a:${keyB64()}` });
    vi.stubEnv("SECRETS_MANAGER_SECRET_ID", "rotating");
    vi.stubEnv("SECRETS_CACHE_TTL_MS", "300");

    const [first, second, third] = await Promise.all([getSecrets(), getSecrets(), getSecrets()]);
    expect(fetches()).toHaveLength(1);
    expect(second).toBe(first);
    expect(third).toBe(first);

    const rotatedKey = keyB64();
    storeSecret("rotating", { AUTH_SECRET: `${AUTH_SECRET}-v2`, ENCRYPTION_KEYS: `a:${keyB64()},b:${rotatedKey}` });
    expect(await getSecrets()).toBe(first);
    expect(fetches()).toHaveLength(1);

    await sleep(400);
    const refreshed = await getSecrets();
    expect(fetches()).toHaveLength(2);
    expect(refreshed.authSecret).toBe(`${AUTH_SECRET}-v2`);
    expect(refreshed.keyRing.activeKeyId).toBe("b");
    expect(refreshed.previousAuthSecret).toBe(AUTH_SECRET);
    expect(await getSecrets()).toBe(refreshed);
    expect(fetches()).toHaveLength(2);
  });

  it("refreshSecrets reads again before the TTL, at most every 10 s, and keeps the cache while the service is out", async () => {
    storeSecret("early", { AUTH_SECRET, ENCRYPTION_KEYS: `a:${keyB64()}` });
    vi.stubEnv("SECRETS_MANAGER_SECRET_ID", "early");
    const first = await getSecrets();
    storeSecret("early", { AUTH_SECRET: `${AUTH_SECRET}-v2`, ENCRYPTION_KEYS: `a:${keyB64()}` });
    expect(await refreshSecrets()).toBe(first); // read just now
    expect(fetches()).toHaveLength(1);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + SECRETS_REFRESH_MIN_INTERVAL_MS);
      const second = await refreshSecrets();
      expect(second.authSecret).toBe(`${AUTH_SECRET}-v2`);
      expect(fetches()).toHaveLength(2);
      expect(await getSecrets()).toBe(second); // cached again for a full TTL

      vi.setSystemTime(Date.now() + SECRETS_REFRESH_MIN_INTERVAL_MS);
      secretStrings.delete("early"); // the read fails: what is cached stays
      expect(await refreshSecrets()).toBe(second);
      expect(await getSecrets()).toBe(second);
      expect(fetches()).toHaveLength(3);
      expect(await refreshSecrets()).toBe(second); // and is not retried at once
      expect(fetches()).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("gives a clear error for an unknown secret id, and does not cache it", async () => {
    vi.stubEnv("SECRETS_MANAGER_SECRET_ID", "does-not-exist");
    const failure = getSecrets();
    await expect(failure).rejects.toThrow(SecretsConfigError);
    await expect(failure).rejects.toThrow(
      /Secrets Manager secret "does-not-exist" was not found in us-east-1; check SECRETS_MANAGER_SECRET_ID/,
    );
    expect(fetches()).toHaveLength(1); // not retried: the SDK treats it as a client error

    storeSecret("does-not-exist", { AUTH_SECRET, ENCRYPTION_KEYS: `a:${keyB64()}` });
    expect((await getSecrets()).authSecret).toBe(AUTH_SECRET);
  });

  it("names missing and malformed values in the secret without echoing them", async () => {
    vi.stubEnv("SECRETS_MANAGER_SECRET_ID", "partial");
    storeSecret("partial", { AUTH_SECRET, STRIPE_SECRET_KEY: "sk_test_x" });
    await expect(getSecrets()).rejects.toThrow(
      /Secrets Manager secret "partial" are incomplete: missing ENCRYPTION_KEYS/,
    );

    storeSecret("partial", { AUTH_SECRET, ENCRYPTION_KEYS: 42 });
    await expect(getSecrets()).rejects.toThrow(/ENCRYPTION_KEYS must be a string/);

    secretStrings.set("partial", `not json ${AUTH_SECRET}`);
    const failure = getSecrets();
    await expect(failure).rejects.toThrow(/are not valid JSON/);
    await expect(failure).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(AUTH_SECRET) }),
    );
  });

  it("reports an unreachable service as unavailable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    vi.stubEnv("SECRETS_MANAGER_SECRET_ID", "anything");
    vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", `http://127.0.0.1:${port}`);
    await expect(getSecrets()).rejects.toThrow(SecretsUnavailableError);
  }, 15_000);
});
