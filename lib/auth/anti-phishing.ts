// The user's anti-phishing phrase (issue 15, DESIGN.md "Mail and notices"): a few words the user
// chooses, printed at the top of both parts of every message Hashlease sends them (the sender reads
// it at send time, lib/mail/sender.ts), so a mail without it is not from us. Trimmed, inner runs of
// spaces kept as one, 4-40 characters (counted as PostgreSQL counts them: code points, the column's
// CHECK has the last word), no control characters; empty clears it. The audit line says that the
// phrase was set or cleared, never the phrase: someone who reads the log must not learn it.
import { appendUserAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { refuseField, type Refusal } from "../shared/result";

export const PHRASE_MIN = 4;
export const PHRASE_MAX = 40;

/** The phrase as stored (null: cleared), or why it cannot be one. */
export function normalizePhrase(input: string): { ok: true; phrase: string | null } | { ok: false; message: string } {
  const phrase = input.trim().replace(/\s+/g, " ");
  if (phrase === "") return { ok: true, phrase: null };
  if (/[\u0000-\u001f\u007f-\u009f]/.test(phrase))
    return { ok: false, message: "Use letters, digits, spaces and punctuation only." };
  const length = [...phrase].length;
  if (length < PHRASE_MIN || length > PHRASE_MAX)
    return { ok: false, message: `Use ${PHRASE_MIN} to ${PHRASE_MAX} characters (now ${length}).` };
  return { ok: true, phrase };
}

export type PhraseResult = { ok: true; phrase: string | null } | Refusal<"INVALID">;

export async function setAntiPhishingPhrase(
  prisma: PrismaClient,
  input: { userId: string; phrase: string; ip?: string | null },
): Promise<PhraseResult> {
  const normalized = normalizePhrase(input.phrase);
  if (!normalized.ok) return refuseField("INVALID", "phrase", normalized.message);
  const { phrase } = normalized;
  return prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.userId }, data: { antiPhishingPhrase: phrase } });
    await appendUserAudit(tx, input.userId, {
      action: phrase ? "auth.anti_phishing_phrase_set" : "auth.anti_phishing_phrase_cleared",
      ip: input.ip ?? null,
    });
    return { ok: true, phrase };
  });
}

export async function antiPhishingPhrase(prisma: PrismaClient, userId: string): Promise<string | null> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { antiPhishingPhrase: true } });
  return user.antiPhishingPhrase;
}
