// API keys (DESIGN.md "API for programs"): per user, with scopes from the user's roles
// (./scopes.ts), a label and an optional IP allowlist. The secret is 32 random bytes, shown
// once at creation or rotation and stored AES-256-GCM encrypted with the key ring (AAD
// "api-key:<key id>" so a ciphertext copied to another key does not open). Rotation issues a
// new secret; the previous one keeps working for KEY_ROTATION_GRACE_MS (24 h) so programs
// can be redeployed without downtime; a second rotation within the grace ends the first
// secret's grace at once. Revocation is final. Every event is an audit line in the same
// transaction; a created key (settings page or `npm run api-key`) also writes the
// security.api_key_created notice and mail there.
//
// Hot path (./auth.ts): resolveApiKey keeps decrypted keys in process memory for
// KEY_CACHE_TTL_MS (10 s). Revoking or rotating through this module drops the entry at once
// in this process; other app instances notice within the TTL.
import { randomBytes } from "node:crypto";
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import type { Role } from "../generated/prisma/client";
import { notify } from "../notifications/notify";
import { decryptSecret, encryptSecret, getSecrets, type KeyRing } from "../secrets";
import { refuse, refuseField, type Refusal } from "../shared/result";
import { allowlistChecker, parseIpAllowlist } from "./ip-allowlist";
import { fromDbScope, isApiScopeName, scopesForRoles, toDbScope, type ApiScopeName } from "./scopes";

export const KEY_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;
export const KEY_CACHE_TTL_MS = 10_000;
export const MAX_ACTIVE_KEYS_PER_USER = 20;
const LABEL_MAX = 64;

export function secretAad(keyId: string): string {
  return `api-key:${keyId}`;
}

function newKeyId(): string {
  return `hlk_${randomBytes(12).toString("hex")}`;
}

function newSecret(): string {
  return `hls_${randomBytes(32).toString("base64url")}`;
}

async function ringOf(keyRing?: KeyRing): Promise<KeyRing> {
  return keyRing ?? (await getSecrets()).keyRing;
}

export type KeyField = "label" | "scopes" | "ipAllowlist" | "key";
/** A refusal; one about a form field (KeyField) names it in fieldErrors. */
export type KeyFailure = Refusal;

export interface ApiKeyView {
  id: string;
  keyId: string;
  label: string;
  scopes: ApiScopeName[];
  ipAllowlist: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  /** After a rotation: until when the previous secret still works. */
  previousValidUntil: Date | null;
}

export interface CreateKeyInput {
  userId: string;
  label: string;
  scopes: readonly string[];
  /** Addresses/CIDRs, as a list or one string separated by commas/spaces/new lines. */
  ipAllowlist?: string | readonly string[];
  ip?: string | null;
  /** Where the key was made, for the audit line (e.g. "cli"); default the settings page. */
  via?: string;
  keyRing?: KeyRing;
  now?: Date;
}

export type CreateKeyResult = { ok: true; key: ApiKeyView; secret: string } | KeyFailure;

/** The columns of an ApiKeyView, for any query that shows keys. */
export const API_KEY_VIEW_SELECT = {
  id: true,
  keyId: true,
  label: true,
  scopes: true,
  ipAllowlist: true,
  createdAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  revokedAt: true,
  previousValidUntil: true,
} as const;

/** The row as stored: scopes are the database enum. */
type ViewRow = Omit<ApiKeyView, "scopes"> & { scopes: Parameters<typeof fromDbScope>[0][] };

function toView(row: ViewRow): ApiKeyView {
  return { ...row, scopes: row.scopes.map(fromDbScope) };
}

export async function createApiKey(prisma: PrismaClient, input: CreateKeyInput): Promise<CreateKeyResult> {
  const label = input.label.trim();
  if (label.length === 0) return refuseField("invalid_label", "label", "Give the key a label.");
  if (label.length > LABEL_MAX)
    return refuseField("invalid_label", "label", `The label is at most ${LABEL_MAX} characters.`);
  const requested = [...new Set(input.scopes.map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (requested.length === 0) return refuseField("invalid_scopes", "scopes", "Choose at least one scope.");
  const unknown = requested.find((s) => !isApiScopeName(s));
  if (unknown) return refuseField("invalid_scopes", "scopes", `"${unknown}" is not a scope.`);
  const allowlist = parseIpAllowlist(input.ipAllowlist ?? []);
  if (!allowlist.ok) return refuseField("invalid_ip_allowlist", "ipAllowlist", allowlist.message);
  const keyRing = await ringOf(input.keyRing);
  const now = input.now ?? new Date();

  return prisma.$transaction(async (tx): Promise<CreateKeyResult> => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { roles: true, frozenAt: true } });
    if (!user) return refuse("unknown_user", "No such user.");
    if (user.frozenAt) return refuse("account_frozen", "This account is frozen; API keys cannot be created.");
    const allowed = scopesForRoles(user.roles);
    const forbidden = requested.find((s) => !allowed.includes(s as ApiScopeName));
    if (forbidden) {
      return refuseField("scope_not_allowed", "scopes", `Your roles do not allow the "${forbidden}" scope.`);
    }
    const active = await tx.apiKey.count({ where: { userId: input.userId, revokedAt: null } });
    if (active >= MAX_ACTIVE_KEYS_PER_USER) {
      return refuse("too_many_keys", `At most ${MAX_ACTIVE_KEYS_PER_USER} active keys; revoke one first.`);
    }
    const keyId = newKeyId();
    const secret = newSecret();
    const sealed = encryptSecret(secret, keyRing, secretAad(keyId));
    const scopes = (requested as ApiScopeName[]).sort((a, b) => allowed.indexOf(a) - allowed.indexOf(b));
    const row = await tx.apiKey.create({
      data: {
        userId: input.userId,
        keyId,
        label,
        scopes: scopes.map(toDbScope),
        secretEnc: sealed.ciphertext,
        secretKeyId: sealed.keyId,
        ipAllowlist: allowlist.entries,
        createdAt: now,
      },
      select: API_KEY_VIEW_SELECT,
    });
    await appendAudit(tx, {
      actorId: input.userId,
      action: "api_key.create",
      entityType: "api_key",
      entityId: row.id,
      ip: input.ip ?? null,
      details: { keyId, label, scopes, ipAllowlist: allowlist.entries, via: input.via ?? "settings" },
    });
    await notify(tx, {
      userId: input.userId,
      kind: "security.api_key_created",
      params: { name: label, scopes: scopes.join(", ") },
    });
    return { ok: true, key: toView(row), secret };
  });
}

export async function listApiKeys(prisma: PrismaClient, userId: string): Promise<ApiKeyView[]> {
  const rows = await prisma.apiKey.findMany({
    where: { userId },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: API_KEY_VIEW_SELECT,
  });
  return rows.map(toView);
}

export interface KeyActionInput {
  userId: string;
  /** The key's row id (uuid) or its public key id. */
  key: string;
  ip?: string | null;
  keyRing?: KeyRing;
  now?: Date;
}

const NOT_FOUND: KeyFailure = refuseField("key_not_found", "key", "No such API key.");

export async function revokeApiKey(
  prisma: PrismaClient,
  input: KeyActionInput,
): Promise<{ ok: true; key: ApiKeyView } | KeyFailure> {
  const now = input.now ?? new Date();
  const result = await prisma.$transaction(async (tx): Promise<{ ok: true; key: ApiKeyView } | KeyFailure> => {
    const [current] = await tx.$queryRaw<{ id: string; revoked_at: Date | null }[]>`
      SELECT id, revoked_at FROM api_keys
       WHERE user_id = ${input.userId}::uuid AND (id::text = ${input.key} OR key_id = ${input.key})
       FOR UPDATE`;
    if (!current) return NOT_FOUND;
    if (current.revoked_at) return refuseField("key_revoked", "key", "This key is already revoked.");
    const row = await tx.apiKey.update({
      where: { id: current.id },
      // The secrets go with the key: a revoked key can never sign again.
      data: { revokedAt: now, previousSecretEnc: null, previousSecretKeyId: null, previousValidUntil: null },
      select: API_KEY_VIEW_SELECT,
    });
    await appendAudit(tx, {
      actorId: input.userId,
      action: "api_key.revoke",
      entityType: "api_key",
      entityId: row.id,
      ip: input.ip ?? null,
      details: { keyId: row.keyId, label: row.label },
    });
    return { ok: true, key: toView(row) };
  });
  if (result.ok) invalidateApiKeyCache(result.key.keyId);
  return result;
}

export async function rotateApiKey(
  prisma: PrismaClient,
  input: KeyActionInput,
): Promise<{ ok: true; key: ApiKeyView; secret: string } | KeyFailure> {
  const now = input.now ?? new Date();
  const keyRing = await ringOf(input.keyRing);
  const result = await prisma.$transaction(
    async (tx): Promise<{ ok: true; key: ApiKeyView; secret: string } | KeyFailure> => {
      const [current] = await tx.$queryRaw<
        { id: string; key_id: string; secret_enc: string; secret_key_id: string; revoked_at: Date | null }[]
      >`
      SELECT id, key_id, secret_enc, secret_key_id, revoked_at FROM api_keys
       WHERE user_id = ${input.userId}::uuid AND (id::text = ${input.key} OR key_id = ${input.key})
       FOR UPDATE`;
      if (!current) return NOT_FOUND;
      if (current.revoked_at) return refuseField("key_revoked", "key", "A revoked key cannot be rotated.");
      const secret = newSecret();
      const sealed = encryptSecret(secret, keyRing, secretAad(current.key_id));
      const previousValidUntil = new Date(now.getTime() + KEY_ROTATION_GRACE_MS);
      const row = await tx.apiKey.update({
        where: { id: current.id },
        data: {
          secretEnc: sealed.ciphertext,
          secretKeyId: sealed.keyId,
          previousSecretEnc: current.secret_enc,
          previousSecretKeyId: current.secret_key_id,
          previousValidUntil,
        },
        select: API_KEY_VIEW_SELECT,
      });
      await appendAudit(tx, {
        actorId: input.userId,
        action: "api_key.rotate",
        entityType: "api_key",
        entityId: row.id,
        ip: input.ip ?? null,
        details: { keyId: row.keyId, label: row.label, previousValidUntil: previousValidUntil.toISOString() },
      });
      return { ok: true, key: toView(row), secret };
    },
  );
  if (result.ok) invalidateApiKeyCache(result.key.keyId);
  return result;
}

// ---- Hot path: key lookup with a short in-memory cache ----

export interface ResolvedApiKey {
  id: string;
  keyId: string;
  userId: string;
  userRoles: Role[];
  userFrozen: boolean;
  /** The key's scopes that the owner's current roles still allow. */
  scopes: ApiScopeName[];
  revoked: boolean;
  secret: Buffer;
  previousSecret: Buffer | null;
  previousValidUntilMs: number | null;
  ipAllowed: ((ip: string | null) => boolean) | null;
}

interface CacheEntry {
  key: ResolvedApiKey | null;
  expiresMs: number;
}

// On globalThis, like the Prisma client, so separately bundled server chunks (the settings
// page's actions, the API routes) share one cache and one invalidation.
interface KeyCacheState {
  entries: Map<string, CacheEntry>;
  loading: Map<string, Promise<ResolvedApiKey | null>>;
  generation: number;
}
const globalForKeys = globalThis as unknown as { hashleaseApiKeyState?: KeyCacheState };
const state: KeyCacheState = (globalForKeys.hashleaseApiKeyState ??= {
  entries: new Map(),
  loading: new Map(),
  generation: 0,
});
const cache = state.entries;
const loading = state.loading;

/**
 * Drops cached keys. Bumps the generation: a load that started before does not fill the cache
 * with what it read (it may predate the revocation or rotation that caused this).
 */
export function invalidateApiKeyCache(keyId?: string): void {
  state.generation += 1;
  if (keyId === undefined) {
    cache.clear();
    loading.clear();
  } else {
    cache.delete(keyId);
    loading.delete(keyId);
  }
}

/**
 * The key behind a public key id, decrypted; null when there is none. Cached briefly;
 * concurrent misses for one id share a single load.
 */
export async function resolveApiKey(
  prisma: PrismaClient,
  keyId: string,
  keyRing?: KeyRing,
): Promise<ResolvedApiKey | null> {
  const hit = cache.get(keyId);
  if (hit && hit.expiresMs > Date.now()) return hit.key;
  const running = loading.get(keyId);
  if (running) return running;
  const load = loadApiKey(prisma, keyId, keyRing).finally(() => loading.delete(keyId));
  loading.set(keyId, load);
  return load;
}

async function loadApiKey(prisma: PrismaClient, keyId: string, keyRing?: KeyRing): Promise<ResolvedApiKey | null> {
  const nowMs = Date.now();
  const startedAt = state.generation;
  const row = await prisma.apiKey.findUnique({
    where: { keyId },
    select: {
      id: true,
      keyId: true,
      userId: true,
      scopes: true,
      secretEnc: true,
      secretKeyId: true,
      previousSecretEnc: true,
      previousSecretKeyId: true,
      previousValidUntil: true,
      ipAllowlist: true,
      revokedAt: true,
      user: { select: { roles: true, frozenAt: true } },
    },
  });
  let key: ResolvedApiKey | null = null;
  if (row) {
    const ring = await ringOf(keyRing);
    const aad = secretAad(row.keyId);
    const allowed = scopesForRoles(row.user.roles);
    const hasPrevious = row.previousSecretEnc && row.previousSecretKeyId && row.previousValidUntil;
    key = {
      id: row.id,
      keyId: row.keyId,
      userId: row.userId,
      userRoles: row.user.roles,
      userFrozen: row.user.frozenAt !== null,
      scopes: row.scopes.map(fromDbScope).filter((s) => allowed.includes(s)),
      revoked: row.revokedAt !== null,
      secret: Buffer.from(decryptSecret(row.secretEnc, row.secretKeyId, ring, aad), "utf8"),
      previousSecret: hasPrevious
        ? Buffer.from(decryptSecret(row.previousSecretEnc!, row.previousSecretKeyId!, ring, aad), "utf8")
        : null,
      previousValidUntilMs: hasPrevious ? row.previousValidUntil!.getTime() : null,
      ipAllowed: allowlistChecker(row.ipAllowlist),
    };
  }
  // Unknown ids are cached too, so a flood of them costs one query per id per TTL.
  if (startedAt === state.generation) {
    if (cache.size > 10_000) cache.clear();
    cache.set(keyId, { key, expiresMs: nowMs + KEY_CACHE_TTL_MS });
  }
  return key;
}
