// Idempotency keys (DESIGN.md "Capacity and contracts"): a client-generated key, stored for
// 24 h with a hash of the request, makes a business operation happen once. The key row is
// inserted in the operation's own transaction: a concurrent duplicate blocks on the
// uncommitted row until the first commits (then replays its stored result) or rolls back
// (then runs itself). Same key + different request is refused.
import { createHash } from "node:crypto";
import type { PrismaClient, Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export interface IdempotentResponse<T> {
  status: number;
  body: T;
  /**
   * Commit the operation's writes but release the key instead of storing this answer, so a
   * corrected retry with the same key runs again (e.g. a refused 2FA code: the failed attempt
   * must count, yet the retry with the right code must not replay the refusal).
   */
  forget?: boolean;
}

export type IdempotentOutcome<T> =
  | (IdempotentResponse<T> & { replayed: boolean })
  | {
      status: 422;
      body: { error: { code: "IDEMPOTENCY_KEY_REUSED" | "IDEMPOTENCY_KEY_INVALID"; message: string } };
      replayed: false;
    };

function canonical(value: unknown): string {
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(",")}}`;
}

export function requestHash(request: unknown): string {
  return createHash("sha256").update(canonical(request)).digest("hex");
}

export function isValidIdempotencyKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export const IDEMPOTENCY_KEY_INVALID_MESSAGE = "Idempotency-Key must be 8-128 letters, digits, '-' or '_'.";

/** Why a business operation's Idempotency-Key was refused (missing, malformed, reused for another request, past its window). */
export type IdempotencyRefusalCode =
  "IDEMPOTENCY_KEY_REQUIRED" | "IDEMPOTENCY_KEY_INVALID" | "IDEMPOTENCY_KEY_REUSED" | "IDEMPOTENCY_KEY_EXPIRED";

/** A business operation's key, or why it cannot be used (missing or malformed); `what` names the operation ("withdrawal"). */
export function checkIdempotencyKey(
  key: string | null | undefined,
  what: string,
):
  | { ok: true; key: string }
  | { ok: false; code: "IDEMPOTENCY_KEY_REQUIRED" | "IDEMPOTENCY_KEY_INVALID"; message: string } {
  if (!key)
    return { ok: false, code: "IDEMPOTENCY_KEY_REQUIRED", message: `Send an Idempotency-Key with every ${what}.` };
  if (!isValidIdempotencyKey(key))
    return { ok: false, code: "IDEMPOTENCY_KEY_INVALID", message: IDEMPOTENCY_KEY_INVALID_MESSAGE };
  return { ok: true, key };
}

/**
 * Runs `operation` at most once per (user, scope, key) within 24 h. The operation runs in
 * the same transaction as the key's insertion and returns the response to store; if it
 * throws, nothing is stored and a retry runs again.
 */
export async function runIdempotent<T extends Prisma.InputJsonValue>(
  prisma: PrismaClient,
  input: {
    userId: string;
    scope: string;
    key: string;
    request: unknown;
    now?: Date;
    /**
     * Runs first in the transaction, before the key row is inserted: the place to take a lock
     * that serialises the user's operations (the key row's foreign key share-locks the user
     * row, so a FOR UPDATE of that row taken after it would deadlock with a concurrent call).
     */
    lockFirst?: (tx: Tx) => Promise<void>;
    /** Prisma's interactive-transaction limits, for operations that queue on a lock. */
    transaction?: { maxWait?: number; timeout?: number };
  },
  operation: (tx: Tx) => Promise<IdempotentResponse<T>>,
): Promise<IdempotentOutcome<T>> {
  if (!isValidIdempotencyKey(input.key)) {
    return {
      status: 422,
      replayed: false,
      body: {
        error: {
          code: "IDEMPOTENCY_KEY_INVALID",
          message: IDEMPOTENCY_KEY_INVALID_MESSAGE,
        },
      },
    };
  }
  const hash = requestHash(input.request);
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    if (input.lockFirst) await input.lockFirst(tx);
    // An expired key is forgotten; the same key may then start a new operation.
    await tx.idempotencyKey.deleteMany({
      where: { userId: input.userId, scope: input.scope, key: input.key, expiresAt: { lte: now } },
    });
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO idempotency_keys (user_id, scope, key, request_hash, expires_at)
      VALUES (${input.userId}::uuid, ${input.scope}, ${input.key}, ${hash}, ${new Date(now.getTime() + IDEMPOTENCY_TTL_MS)})
      ON CONFLICT (user_id, scope, key) DO NOTHING
      RETURNING id`;
    const id = inserted[0]?.id;
    if (!id) {
      const existing = await tx.idempotencyKey.findUniqueOrThrow({
        where: { userId_scope_key: { userId: input.userId, scope: input.scope, key: input.key } },
      });
      if (existing.requestHash !== hash) {
        return {
          status: 422 as const,
          replayed: false as const,
          body: {
            error: {
              code: "IDEMPOTENCY_KEY_REUSED" as const,
              message: "This Idempotency-Key was already used for a different request.",
            },
          },
        };
      }
      return { status: existing.responseStatus ?? 200, body: existing.responseBody as T, replayed: true };
    }
    const { forget, ...response } = await operation(tx);
    if (forget) await tx.idempotencyKey.delete({ where: { id } });
    else
      await tx.idempotencyKey.update({
        where: { id },
        data: { responseStatus: response.status, responseBody: response.body },
      });
    return { ...response, replayed: false };
  }, input.transaction);
}

/** Housekeeping: forget keys past their 24 h. */
export async function purgeExpiredIdempotencyKeys(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
