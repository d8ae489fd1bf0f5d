// One call per event a person should hear about, inside the event's own transaction: the in-app
// notice (kinds with inApp) and the email through the outbox, unless the kind is optional and the
// user turned its email off (or never turned on a kind that is off by default).
import type { Tx } from "../db/client";
import { enqueueMail, type MailParams } from "../mail/outbox";
import { TEMPLATES } from "../mail/templates";
import { kindInfo, type NotificationKind } from "./kinds";

export interface Notice {
  userId: string;
  kind: NotificationKind;
  params?: MailParams;
}

/** In-app text needs no absolute links: the in-app list links to appPath inside the app. */
const IN_APP_CONTEXT = { url: (path: string) => path, tokenUrl: (path: string) => path };

export async function wantsEmail(tx: Tx, userId: string, kind: NotificationKind): Promise<boolean> {
  const info = kindInfo(kind);
  if (!info.optional) return true;
  const preference = await tx.notificationPreference.findUnique({
    where: { userId_kind: { userId, kind } },
    select: { email: true },
  });
  return preference?.email ?? info.emailByDefault;
}

/** Returns what was written: the notification's id and/or the outbox row's id. */
export async function notify(
  tx: Tx,
  notice: Notice,
): Promise<{ notificationId: string | null; mailId: string | null }> {
  const info = kindInfo(notice.kind);
  const params = notice.params ?? {};
  const user = await tx.user.findUniqueOrThrow({ where: { id: notice.userId }, select: { email: true } });
  let notificationId: string | null = null;
  if (info.inApp) {
    const content = TEMPLATES[notice.kind](params, IN_APP_CONTEXT);
    const row = await tx.notification.create({
      data: {
        userId: notice.userId,
        kind: notice.kind,
        title: content.heading,
        body: content.paragraphs[0] ?? content.subject,
        link: content.appPath ?? null,
      },
      select: { id: true },
    });
    notificationId = row.id;
  }
  const mailId = (await wantsEmail(tx, notice.userId, notice.kind))
    ? await enqueueMail(tx, { userId: notice.userId, to: user.email, kind: notice.kind, params })
    : null;
  return { notificationId, mailId };
}
