// Single-use links sent by email (verify an address, reset a password, confirm an email change or
// a withdrawal, freeze withdrawals). The token in a link is HMAC-SHA256(auth secret, row id): the
// outbox stores only the row id (params.tokenId) and the sender derives the link when it renders
// the mail, so no table holds a usable token. account_tokens keeps SHA-256(token) only.
// A token is consumed by one atomic UPDATE ... RETURNING that requires it unused and unexpired,
// so two clicks racing each other redeem it once.
import { createHash, createHmac, randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import type { AccountTokenPurpose } from "../generated/prisma/enums";
import { enqueueMail, type MailParams } from "../mail/outbox";
import type { NotificationKind } from "../notifications/kinds";

const TOKEN_CONTEXT = "hashlease-account-token:";

/** The link's token for a row id: only whoever holds the auth secret can compute it. */
export function accountTokenFor(id: string, authSecret: string): string {
  return createHmac("sha256", authSecret)
    .update(TOKEN_CONTEXT + id)
    .digest("base64url");
}

export function hashAccountToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface IssuedToken {
  id: string;
  expiresAt: Date;
}

/**
 * Writes a token row; the caller puts `id` in the mail's params as tokenId. With `replace`, the
 * user's earlier unused tokens of the same purpose stop working (a new reset link voids the old);
 * with `replace: { samePayload: key }` only those whose payload has the same value at `key` (one
 * live link per withdrawal, not per user).
 */
export async function issueAccountToken(
  tx: Tx,
  authSecret: string,
  input: {
    userId: string;
    purpose: AccountTokenPurpose;
    ttlMs: number;
    payload?: Record<string, unknown>;
    replace?: boolean | { samePayload: string };
  },
): Promise<IssuedToken> {
  const now = new Date();
  if (input.replace) {
    const key = typeof input.replace === "object" ? input.replace.samePayload : null;
    await tx.accountToken.updateMany({
      where: {
        userId: input.userId,
        purpose: input.purpose,
        usedAt: null,
        expiresAt: { gt: now },
        ...(key ? { payload: { path: [key], equals: (input.payload?.[key] ?? null) as Prisma.InputJsonValue } } : {}),
      },
      data: { expiresAt: now },
    });
  }
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + input.ttlMs);
  await tx.accountToken.create({
    data: {
      id,
      userId: input.userId,
      purpose: input.purpose,
      tokenHash: hashAccountToken(accountTokenFor(id, authSecret)),
      payload: (input.payload ?? {}) as Prisma.InputJsonValue,
      expiresAt,
    },
  });
  return { id, expiresAt };
}

/**
 * Issues a fresh link of `purpose` (voiding the user's earlier unused ones, or with `voids` only
 * those of the same payload value) and queues the mail that carries it, in the caller's
 * transaction: the mail names the token row, never the token.
 */
export async function mailAccountLink(
  tx: Tx,
  authSecret: string,
  input: {
    userId: string;
    to: string;
    purpose: AccountTokenPurpose;
    ttlMs: number;
    payload?: Record<string, unknown>;
    kind: NotificationKind;
    params?: MailParams;
    voids?: { samePayload: string };
  },
): Promise<IssuedToken> {
  const token = await issueAccountToken(tx, authSecret, { ...input, replace: input.voids ?? true });
  await enqueueMail(tx, {
    userId: input.userId,
    to: input.to,
    kind: input.kind,
    params: { ...input.params, tokenId: token.id },
  });
  return token;
}

export interface ConsumedToken {
  id: string;
  userId: string;
  payload: Record<string, unknown>;
}

/** Redeems a token once: null when unknown, of another purpose, used already or expired. */
export async function consumeAccountToken(
  tx: Tx,
  token: string,
  purpose: AccountTokenPurpose,
): Promise<ConsumedToken | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const rows = await tx.$queryRaw<{ id: string; user_id: string; payload: Record<string, unknown> }[]>`
    UPDATE account_tokens SET used_at = now()
    WHERE token_hash = ${hashAccountToken(token)}
      AND purpose = ${purpose}::account_token_purpose
      AND used_at IS NULL AND expires_at > now()
    RETURNING id, user_id, payload`;
  const row = rows[0];
  return row ? { id: row.id, userId: row.user_id, payload: row.payload ?? {} } : null;
}

/** Reads a token without redeeming it (a confirmation page shows what the click will do). */
export async function peekAccountToken(
  tx: Tx,
  token: string,
  purpose: AccountTokenPurpose,
): Promise<ConsumedToken | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await tx.accountToken.findFirst({
    where: { tokenHash: hashAccountToken(token), purpose, usedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, userId: true, payload: true },
  });
  return row ? { id: row.id, userId: row.userId, payload: (row.payload ?? {}) as Record<string, unknown> } : null;
}
