// The transactional outbox (DESIGN.md, "Mail and notices"): a business operation calls enqueueMail
// with its own transaction, so the message exists exactly when the event it reports committed. The
// sender (sender.ts) delivers it later, with retries; nothing here talks to a mail server.
import type { Tx } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import type { NotificationKind } from "../notifications/kinds";

/** Template parameters: plain values only, never a secret (a link carries params.tokenId). */
export type MailParams = Record<string, string | number | boolean | null>;

export interface MailToSend {
  /** The account the message is about, when there is one (its phrase is printed in the mail). */
  userId: string | null;
  to: string;
  kind: NotificationKind;
  params?: MailParams;
}

export async function enqueueMail(tx: Tx, mail: MailToSend): Promise<string> {
  const row = await tx.mailOutbox.create({
    data: {
      userId: mail.userId,
      toAddress: mail.to,
      kind: mail.kind,
      params: (mail.params ?? {}) as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  return row.id;
}
