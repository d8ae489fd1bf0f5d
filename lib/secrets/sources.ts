// Where the app's secrets come from: AWS Secrets Manager, environment variables, or (outside
// production) a file of generated secrets. Every source goes through buildSecrets, so the
// same names and the same validation apply whichever one is used.
import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { generateAuditSigningKeyEntry, parseAuditHmacKeys, parseAuditSigningKeys, type AuditKeys } from "./audit-keys";
import { SecretsConfigError, SecretsUnavailableError } from "./errors";
import { generateKeyRingEntry, parseKeyRing, type KeyRing } from "./key-ring";

export interface AppSecrets {
  /** Signs and encrypts session tokens (NextAuth), login tickets and emailed links. */
  readonly authSecret: string;
  /**
   * The auth secret before the last rotation (the Secrets Manager secret's AWSPREVIOUS version, or
   * AUTH_SECRET_PREVIOUS), null when there is none or it equals authSecret. It only verifies what
   * was signed before the rotation (sessions, login tickets, links being mailed); nothing is signed
   * with it. See acceptedAuthSecrets.
   */
  readonly previousAuthSecret: string | null;
  /** Keys for secrets at rest (TOTP secrets, API key secrets). */
  readonly keyRing: KeyRing;
  readonly stripeSecretKey: string | null;
  readonly stripeWebhookSecret: string | null;
  /** Sent to browsers; checked to really be a publishable key so a secret key never leaks. */
  readonly stripePublishableKey: string | null;
  /** smtp(s)://user:password@host:port for outgoing mail (lib/mail/transport.ts); null: no mail server. */
  readonly smtpUrl: string | null;
  /** The audit chain's HMAC keys and the checkpoint signing keys (lib/secrets/audit-keys.ts). */
  readonly audit: AuditKeys;
}

type SecretName =
  | "AUTH_SECRET"
  | "AUTH_SECRET_PREVIOUS"
  | "ENCRYPTION_KEYS"
  | "ENCRYPTION_ACTIVE_KEY_ID"
  | "STRIPE_SECRET_KEY"
  | "STRIPE_WEBHOOK_SECRET"
  | "STRIPE_PUBLISHABLE_KEY"
  | "SMTP_URL"
  | "AUDIT_HMAC_KEYS"
  | "AUDIT_HMAC_ACTIVE_KEY_ID"
  | "AUDIT_SIGNING_KEYS"
  | "AUDIT_SIGNING_ACTIVE_KEY_ID";
type Lookup = (name: SecretName) => string | undefined;

const AUDIT_NAMES: SecretName[] = [
  "AUDIT_HMAC_KEYS",
  "AUDIT_HMAC_ACTIVE_KEY_ID",
  "AUDIT_SIGNING_KEYS",
  "AUDIT_SIGNING_ACTIVE_KEY_ID",
];

const MIN_AUTH_SECRET_LENGTH = 32;
const DEV_SECRETS_FILE = "secrets.json";
/** Generated audit keys outside production, beside secrets.json (files that predate them stay as they are). */
const DEV_AUDIT_KEYS_FILE = "audit-keys.json";

function buildSecrets(
  source: string,
  get: Lookup,
  authSecretName = "AUTH_SECRET",
  previousAuthSecret: string | null = null,
): AppSecrets {
  const authSecret = get("AUTH_SECRET");
  const encryptionKeys = get("ENCRYPTION_KEYS");
  const missing = [authSecret ? null : authSecretName, encryptionKeys ? null : "ENCRYPTION_KEYS"].filter(Boolean);
  if (!authSecret || !encryptionKeys) {
    throw new SecretsConfigError(`Secrets from ${source} are incomplete: missing ${missing.join(" and ")}.`);
  }
  if (authSecret.length < MIN_AUTH_SECRET_LENGTH) {
    throw new SecretsConfigError(
      `Secrets from ${source}: AUTH_SECRET must be at least ${MIN_AUTH_SECRET_LENGTH} characters (openssl rand -base64 32).`,
    );
  }
  if (previousAuthSecret && previousAuthSecret.length < MIN_AUTH_SECRET_LENGTH) {
    throw new SecretsConfigError(
      `Secrets from ${source}: AUTH_SECRET_PREVIOUS must be at least ${MIN_AUTH_SECRET_LENGTH} characters.`,
    );
  }
  let keyRing: KeyRing;
  try {
    keyRing = parseKeyRing(encryptionKeys, get("ENCRYPTION_ACTIVE_KEY_ID"));
  } catch (err) {
    if (err instanceof SecretsConfigError) throw new SecretsConfigError(`Secrets from ${source}: ${err.message}`);
    throw err;
  }
  const stripeKey = (name: SecretName, prefixes: string[]): string | null => {
    const value = get(name);
    if (!value) return null;
    if (!prefixes.some((prefix) => value.startsWith(prefix))) {
      throw new SecretsConfigError(`Secrets from ${source}: ${name} must start with ${prefixes.join(" or ")}.`);
    }
    return value;
  };
  return {
    authSecret,
    previousAuthSecret: previousAuthSecret && previousAuthSecret !== authSecret ? previousAuthSecret : null,
    keyRing,
    stripeSecretKey: stripeKey("STRIPE_SECRET_KEY", ["sk_", "rk_"]),
    stripeWebhookSecret: stripeKey("STRIPE_WEBHOOK_SECRET", ["whsec_"]),
    stripePublishableKey: stripeKey("STRIPE_PUBLISHABLE_KEY", ["pk_"]),
    // From the source (credentials may live in Secrets Manager), else the environment.
    smtpUrl: smtpUrl(source, get("SMTP_URL") ?? envLookup("SMTP_URL")),
    audit: auditKeys(source, get),
  };
}

function auditKeys(source: string, get: Lookup): AuditKeys {
  const hmacKeys = get("AUDIT_HMAC_KEYS");
  const signingKeys = get("AUDIT_SIGNING_KEYS");
  if (!hmacKeys || !signingKeys) {
    const missing = [hmacKeys ? null : "AUDIT_HMAC_KEYS", signingKeys ? null : "AUDIT_SIGNING_KEYS"].filter(Boolean);
    throw new SecretsConfigError(
      `Secrets from ${source} are incomplete: missing ${missing.join(" and ")} (the audit trail's keys; see README).`,
    );
  }
  try {
    return {
      hmac: parseAuditHmacKeys(hmacKeys, get("AUDIT_HMAC_ACTIVE_KEY_ID")),
      signing: parseAuditSigningKeys(signingKeys, get("AUDIT_SIGNING_ACTIVE_KEY_ID")),
    };
  } catch (err) {
    if (err instanceof SecretsConfigError) throw new SecretsConfigError(`Secrets from ${source}: ${err.message}`);
    throw err;
  }
}

/**
 * Outside production a source without the audit keys (an older secrets.json, a test's
 * environment) takes them from the generated <data dir>/audit-keys.json; in production they
 * must come from the source itself.
 */
async function withDevAuditKeys(get: Lookup): Promise<Lookup> {
  if (!devSecretsAllowed() || (get("AUDIT_HMAC_KEYS") && get("AUDIT_SIGNING_KEYS"))) return get;
  const dir = dataDir();
  const source = `the generated file ${join(dir, DEV_AUDIT_KEYS_FILE)} (delete it to regenerate)`;
  const fromFile = recordLookup(
    parseSecretsJson(await readOrCreateDevSecretsFile(dir, DEV_AUDIT_KEYS_FILE, generateDevAuditKeys), source),
    source,
  );
  return (name) => (AUDIT_NAMES.includes(name) ? fromFile(name) : get(name));
}

function generateDevAuditKeys(): Record<string, string> {
  const suffix = randomBytes(6).toString("hex");
  return {
    AUDIT_HMAC_KEYS: generateKeyRingEntry(`audit-${suffix}`),
    AUDIT_SIGNING_KEYS: generateAuditSigningKeyEntry(`audit-${suffix}`),
  };
}

function smtpUrl(source: string, value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SecretsConfigError(`Secrets from ${source}: SMTP_URL is not a URL (smtp://user:password@host:587).`);
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new SecretsConfigError(`Secrets from ${source}: SMTP_URL must start with smtp:// or smtps://.`);
  }
  return value;
}

function envLookup(name: SecretName): string | undefined {
  const value = name === "AUTH_SECRET" ? process.env.AUTH_SECRET || process.env.NEXTAUTH_SECRET : process.env[name];
  return value?.trim() || undefined;
}

function recordLookup(record: Record<string, unknown>, source: string): Lookup {
  return (name) => {
    const value = record[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw new SecretsConfigError(`Secrets from ${source}: ${name} must be a string.`);
    return value.trim() || undefined;
  };
}

/** Parses a JSON object of secrets without ever echoing its content in an error. */
function parseSecretsJson(text: string, source: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretsConfigError(`Secrets from ${source} are not valid JSON.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SecretsConfigError(`Secrets from ${source} must be a JSON object of NAME: "value".`);
  }
  return parsed as Record<string, unknown>;
}

// ---- AWS Secrets Manager ----

export async function secretsFromSecretsManager(secretId: string): Promise<AppSecrets> {
  const source = `Secrets Manager secret "${secretId}"`;
  // Region and endpoint are passed explicitly so AWS_DEFAULT_REGION and the service-specific
  // endpoint variable behave as in the AWS CLI; credentials come from the SDK default chain.
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
  const endpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER || process.env.AWS_ENDPOINT_URL || undefined;
  const client = new SecretsManagerClient({
    region,
    endpoint,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  });
  // Both stages at once: a rotation (put-secret-value) moves AWSCURRENT to the new version and
  // AWSPREVIOUS to the one before, whose AUTH_SECRET still verifies what was signed with it.
  const read = async (stage: "AWSCURRENT" | "AWSPREVIOUS"): Promise<string | undefined | null> => {
    try {
      const output = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
      return output.SecretString;
    } catch (err) {
      if (err instanceof ResourceNotFoundException) {
        if (stage === "AWSPREVIOUS") return null; // never rotated
        throw new SecretsConfigError(
          `${source} was not found${region ? ` in ${region}` : ""}; check SECRETS_MANAGER_SECRET_ID and the AWS region.`,
          { cause: err },
        );
      }
      const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new SecretsUnavailableError(`Could not read ${source}: ${detail}`, { cause: err });
    }
  };
  let current: string | undefined | null;
  let previous: string | undefined | null;
  try {
    [current, previous] = await Promise.all([read("AWSCURRENT"), read("AWSPREVIOUS")]);
  } finally {
    client.destroy();
  }
  if (typeof current !== "string") {
    throw new SecretsConfigError(`${source} has no SecretString; store the secrets as a JSON object of strings.`);
  }
  const record = parseSecretsJson(current, source);
  return buildSecrets(
    source,
    await withDevAuditKeys(recordLookup(record, source)),
    "AUTH_SECRET",
    previousAuthSecretOf(previous),
  );
}

/**
 * AUTH_SECRET of the AWSPREVIOUS version. Only history: a version without one, or not JSON,
 * gives none (and no error: the current version is what the app runs on).
 */
function previousAuthSecretOf(secretString: string | undefined | null): string | null {
  if (typeof secretString !== "string") return null;
  try {
    const value = (JSON.parse(secretString) as Record<string, unknown> | null)?.AUTH_SECRET;
    return typeof value === "string" && value.trim().length >= MIN_AUTH_SECRET_LENGTH ? value.trim() : null;
  } catch {
    return null;
  }
}

// ---- Environment variables ----

/** True when any of the variables that make the environment the source is set. */
export function environmentHasSecrets(): boolean {
  return ["AUTH_SECRET", "NEXTAUTH_SECRET", "ENCRYPTION_KEYS", "ENCRYPTION_ACTIVE_KEY_ID"].some(
    (name) => !!process.env[name]?.trim(),
  );
}

export async function secretsFromEnvironment(): Promise<AppSecrets> {
  return buildSecrets(
    "environment variables",
    await withDevAuditKeys(envLookup),
    "AUTH_SECRET (or NEXTAUTH_SECRET)",
    envLookup("AUTH_SECRET_PREVIOUS") ?? null,
  );
}

// ---- Generated development secrets ----

export function devSecretsAllowed(): boolean {
  return process.env.NODE_ENV !== "production" || process.env.HASHLEASE_ALLOW_DEV_SECRETS === "1";
}

export function dataDir(): string {
  return process.env.HASHLEASE_DATA_DIR ?? ".data";
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * Returns the JSON text of <dir>/secrets.json, generating it on first use. The file appears
 * complete or not at all: it is written to a private temp file and hard-linked into place,
 * and link() fails if the name exists, so of processes starting at once exactly one wins and
 * every one reads the winner's file.
 */
export async function readOrCreateDevSecretsFile(
  dir: string,
  file = DEV_SECRETS_FILE,
  generate: () => Record<string, string> = generateDevSecrets,
): Promise<string> {
  const path = join(dir, file);
  const existing = await readIfExists(path);
  if (existing !== null) return existing;

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const generated = generate();
  const tempPath = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(tempPath, "wx", 0o600);
  try {
    await handle.chmod(0o600); // independent of the umask
    await handle.writeFile(`${JSON.stringify(generated, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tempPath, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    await unlink(tempPath).catch(() => undefined);
  }
  return readFile(path, "utf8");
}

function generateDevSecrets(): Record<string, string> {
  // A random key id, so data sealed under a since-deleted file fails as "unknown key id".
  const keyId = `dev-${randomBytes(6).toString("hex")}`;
  return {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEYS: generateKeyRingEntry(keyId),
    ENCRYPTION_ACTIVE_KEY_ID: keyId,
  };
}

/** Generated auth, encryption and audit secrets; Stripe keys and the mail server come from the environment. */
export async function secretsFromDevFile(): Promise<AppSecrets> {
  const dir = dataDir();
  const source = `the generated file ${join(dir, DEV_SECRETS_FILE)} (delete it to regenerate)`;
  const record = parseSecretsJson(await readOrCreateDevSecretsFile(dir), source);
  const fromFile = recordLookup(record, source);
  return buildSecrets(
    source,
    await withDevAuditKeys((name) => (name.startsWith("STRIPE_") ? envLookup(name) : fromFile(name))),
  );
}

/** The auth secrets that verify, current first: sign with authSecret alone, verify with these. */
export function acceptedAuthSecrets(secrets: Pick<AppSecrets, "authSecret" | "previousAuthSecret">): string[] {
  return secrets.previousAuthSecret ? [secrets.authSecret, secrets.previousAuthSecret] : [secrets.authSecret];
}
