// Delivers the outbox (outbox.ts), from any number of workers at once. Each message is claimed
// alone by one statement (FOR UPDATE SKIP LOCKED, a 2-minute lease, attempts + 1), rendered with
// the user's anti-phishing phrase as it is now, sent with Message-ID <id@domain>, then marked SENT
// with the server's answer. A permanent refusal (SMTP 5xx) or the 8th failed attempt marks it
// FAILED with the error; other failures wait 30 s * 2^(attempts-1), at most an hour.
//
// Exactly once per message id: two workers never hold the same row (the lease), and a row is
// SENT once. The one window left is a crash after the server answered 250 and before SENT was
// written: the lease runs out and the message goes again with the same Message-ID, which
// receiving servers and clients use to drop the copy. A crash anywhere else loses nothing.
import { accountTokenFor, hashAccountToken } from "../auth/account-tokens";
import type { PrismaClient } from "../db/client";
import { isNotificationKind } from "../notifications/kinds";
import { renderMail, TEMPLATES } from "./templates";
import type { MailConfig } from "./transport";

export const MAIL_LEASE_MS = 2 * 60_000;
export const MAIL_MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 60 * 60_000;

export function mailBackoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

interface Claimed {
  id: string;
  user_id: string | null;
  to_address: string;
  kind: string;
  params: Record<string, string | number | boolean | null>;
  attempts: number;
  phrase: string | null;
  /** account_tokens.token_hash of params.tokenId, when the message carries a link. */
  token_hash: string | null;
}

async function claimOne(prisma: PrismaClient): Promise<Claimed | null> {
  const rows = await prisma.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT id FROM mail_outbox
      WHERE status = 'PENDING' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
      ORDER BY next_attempt_at
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    UPDATE mail_outbox m
    SET locked_until = now() + ${MAIL_LEASE_MS} * interval '1 millisecond', attempts = m.attempts + 1
    FROM due
    WHERE m.id = due.id
    RETURNING m.id, m.user_id, m.to_address, m.kind, m.params, m.attempts,
      (SELECT anti_phishing_phrase FROM users u WHERE u.id = m.user_id) AS phrase,
      (SELECT t.token_hash FROM account_tokens t
        WHERE m.params->>'tokenId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
          AND t.id = (m.params->>'tokenId')::uuid) AS token_hash`;
  return rows[0] ?? null;
}

function messageDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "hashlease.local";
}

function smtpCode(error: unknown): number | null {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" ? code : null;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}

/**
 * The link's token, derived with the auth secret its row was issued under. Around a rotation of
 * the auth secret the instance that issued the row may have held the previous one (each caches
 * its secrets for SECRETS_CACHE_TTL_MS), so the secret whose token matches the stored hash is
 * used. When none does, this worker is the one behind: the message waits (retried with backoff)
 * until its secrets refresh, rather than mailing a link that cannot work.
 */
function linkToken(config: MailConfig, tokenId: string, tokenHash: string | null): string {
  const secrets = config.previousAuthSecret ? [config.authSecret, config.previousAuthSecret] : [config.authSecret];
  for (const secret of secrets) {
    const token = accountTokenFor(tokenId, secret);
    if (tokenHash === null || hashAccountToken(token) === tokenHash) return token;
  }
  throw new Error("the link's token was issued under an auth secret this worker does not hold yet; retried later");
}

async function deliver(config: MailConfig, mail: Claimed): Promise<string> {
  if (!isNotificationKind(mail.kind)) throw new Error(`unknown message kind ${mail.kind}`);
  const tokenId = typeof mail.params.tokenId === "string" ? mail.params.tokenId : null;
  const content = TEMPLATES[mail.kind](mail.params, {
    url: (path) => `${config.appUrl}${path}`,
    tokenUrl: (path) => {
      if (!tokenId) throw new Error(`${mail.kind} needs params.tokenId for its link`);
      return `${config.appUrl}${path}?token=${linkToken(config, tokenId, mail.token_hash)}`;
    },
  });
  const { subject, html, text } = await renderMail(content, mail.phrase);
  const info = (await config.transport.sendMail({
    from: config.from,
    to: mail.to_address,
    subject,
    html,
    text,
    messageId: `<${mail.id}@${messageDomain(config.from)}>`,
    headers: { "Auto-Submitted": "auto-generated", "X-Hashlease-Kind": mail.kind },
  })) as { response?: string };
  return String(info.response ?? "250 OK").slice(0, 1000);
}

export interface SendReport {
  sent: number;
  retried: number;
  failed: number;
}

/** Sends due messages until none is left or `limit` were tried. */
export async function sendDueMail(prisma: PrismaClient, config: MailConfig, limit = 50): Promise<SendReport> {
  const report: SendReport = { sent: 0, retried: 0, failed: 0 };
  for (let i = 0; i < limit; i++) {
    const mail = await claimOne(prisma);
    if (!mail) break;
    try {
      const response = await deliver(config, mail);
      await prisma.$executeRaw`
        UPDATE mail_outbox SET status = 'SENT', sent_at = now(), smtp_response = ${response},
          locked_until = NULL, last_error = NULL
        WHERE id = ${mail.id}::uuid AND status = 'PENDING'`;
      report.sent++;
    } catch (error) {
      const code = smtpCode(error);
      const permanent = (code !== null && code >= 500) || !isNotificationKind(mail.kind);
      const message = code !== null ? `${code} ${errorText(error)}` : errorText(error);
      if (permanent || mail.attempts >= MAIL_MAX_ATTEMPTS) {
        await prisma.$executeRaw`
          UPDATE mail_outbox SET status = 'FAILED', last_error = ${message}, locked_until = NULL
          WHERE id = ${mail.id}::uuid AND status = 'PENDING'`;
        report.failed++;
      } else {
        await prisma.$executeRaw`
          UPDATE mail_outbox SET last_error = ${message}, locked_until = NULL,
            next_attempt_at = now() + ${mailBackoffMs(mail.attempts)} * interval '1 millisecond'
          WHERE id = ${mail.id}::uuid AND status = 'PENDING'`;
        report.retried++;
      }
    }
  }
  return report;
}
