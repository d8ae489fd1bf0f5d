// A user's in-app notices (written by notify() in the event's own transaction): the list newest
// first, the unread count the header shows on every signed-in page, and marking notices read.
// Every query names the user: a notice is only ever listed, counted or marked by its owner (an id
// of someone else's notice answers "not found", the same as an id that does not exist). The count
// is one COUNT over the partial index notifications_unread_idx (migration
// 20261208020000_notifications_unread), so its cost is the unread notices, not the history.
import type { PrismaClient } from "../db/client";
import { notFound, type Refusal } from "../shared/result";

export const NOTIFICATIONS_PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** A path inside the app, or null. */
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface NotificationPage {
  rows: NotificationRow[];
  page: number;
  pageCount: number;
  total: number;
  unread: number;
}

/** Page `page` (from 1; past the end: the last page) of the user's notices, newest first. */
export async function listNotifications(
  prisma: PrismaClient,
  userId: string,
  { page = 1, pageSize = NOTIFICATIONS_PAGE_SIZE }: { page?: number; pageSize?: number } = {},
): Promise<NotificationPage> {
  const [total, unread] = await Promise.all([
    prisma.notification.count({ where: { userId } }),
    unreadNotificationCount(prisma, userId),
  ]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  const rows = await prisma.notification.findMany({
    where: { userId },
    // The id breaks ties between notices of the same millisecond, so pages never overlap.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * pageSize,
    take: pageSize,
    select: { id: true, kind: true, title: true, body: true, link: true, createdAt: true, readAt: true },
  });
  return { rows, page: current, pageCount, total, unread };
}

/** How many of the user's notices are unread (the header's badge). */
export async function unreadNotificationCount(prisma: PrismaClient, userId: string): Promise<number> {
  return prisma.notification.count({ where: { userId, readAt: null } });
}

export type MarkReadResult = { ok: true; marked: number } | Refusal<"NOT_FOUND">;

/** Marks one of the user's own notices read; already read: nothing changes (its first read time stays). */
export async function markNotificationRead(
  prisma: PrismaClient,
  input: { userId: string; notificationId: string; now?: Date },
): Promise<MarkReadResult> {
  if (!UUID.test(input.notificationId)) return notFound("This notice");
  const mine = await prisma.notification.findFirst({
    where: { id: input.notificationId, userId: input.userId },
    select: { readAt: true },
  });
  if (!mine) return notFound("This notice");
  if (mine.readAt) return { ok: true, marked: 0 };
  const marked = await prisma.notification.updateMany({
    where: { id: input.notificationId, userId: input.userId, readAt: null },
    data: { readAt: input.now ?? new Date() },
  });
  return { ok: true, marked: marked.count };
}

/** Marks every unread notice of the user read; answers how many it marked. */
export async function markAllNotificationsRead(
  prisma: PrismaClient,
  input: { userId: string; now?: Date },
): Promise<{ ok: true; marked: number }> {
  const marked = await prisma.notification.updateMany({
    where: { userId: input.userId, readAt: null },
    data: { readAt: input.now ?? new Date() },
  });
  return { ok: true, marked: marked.count };
}
