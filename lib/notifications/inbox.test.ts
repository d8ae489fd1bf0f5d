// The in-app list against real PostgreSQL: newest first and paged, only the owner's notices are
// listed, counted or marked (someone else's id answers "not found" and changes nothing), marking
// one read keeps its first read time, "mark all" marks only the owner's, and the header's count
// follows.
import { describe, expect, it } from "vitest";
import { createUser } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestDatabase } from "../testing/test-database";
import { listNotifications, markAllNotificationsRead, markNotificationRead, unreadNotificationCount } from "./inbox";
import { notify } from "./notify";

withTestSecrets();
const t = withTestDatabase();

async function noticeFor(userId: string, name: string) {
  const { notificationId } = await t.prisma.$transaction((tx) =>
    notify(tx, { userId, kind: "security.api_key_created", params: { name, scopes: "read" } }),
  );
  return notificationId!;
}

describe("the notification list", () => {
  it("lists the user's own notices newest first, in pages, with the unread count", async () => {
    const me = await createUser(t.prisma);
    const other = await createUser(t.prisma);
    for (const name of ["first", "second", "third"]) await noticeFor(me.id, name);
    await noticeFor(other.id, "not mine");

    const all = await listNotifications(t.prisma, me.id);
    expect(all.total).toBe(3);
    expect(all.unread).toBe(3);
    expect(all.rows.map((r) => r.title)).toEqual(["API key created", "API key created", "API key created"]);
    expect(all.rows.every((r) => r.link === "/settings/api-keys" && r.readAt === null)).toBe(true);
    const times = all.rows.map((r) => r.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const page1 = await listNotifications(t.prisma, me.id, { page: 1, pageSize: 2 });
    const page2 = await listNotifications(t.prisma, me.id, { page: 2, pageSize: 2 });
    expect(page1.pageCount).toBe(2);
    expect(page1.rows).toHaveLength(2);
    expect(page2.rows).toHaveLength(1);
    expect(new Set([...page1.rows, ...page2.rows].map((r) => r.id)).size).toBe(3);
    // Past the end: the last page, not an empty one.
    expect((await listNotifications(t.prisma, me.id, { page: 9, pageSize: 2 })).page).toBe(2);

    expect(await unreadNotificationCount(t.prisma, me.id)).toBe(3);
    expect(await unreadNotificationCount(t.prisma, other.id)).toBe(1);
    const nobody = await createUser(t.prisma);
    expect(await listNotifications(t.prisma, nobody.id)).toMatchObject({ rows: [], total: 0, unread: 0, pageCount: 1 });
  });

  it("marks one of the user's own notices read, once, and refuses another user's", async () => {
    const me = await createUser(t.prisma);
    const other = await createUser(t.prisma);
    const mine = await noticeFor(me.id, "mine");
    const theirs = await noticeFor(other.id, "theirs");

    expect(await markNotificationRead(t.prisma, { userId: me.id, notificationId: theirs })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await markNotificationRead(t.prisma, { userId: me.id, notificationId: "not-a-uuid" })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await unreadNotificationCount(t.prisma, other.id)).toBe(1);

    const at = new Date("2026-12-08T10:00:00Z");
    expect(await markNotificationRead(t.prisma, { userId: me.id, notificationId: mine, now: at })).toEqual({
      ok: true,
      marked: 1,
    });
    expect(
      await markNotificationRead(t.prisma, { userId: me.id, notificationId: mine, now: new Date("2027-01-01") }),
    ).toEqual({ ok: true, marked: 0 });
    const row = await t.prisma.notification.findUniqueOrThrow({ where: { id: mine } });
    expect(row.readAt).toEqual(at);
    expect(await unreadNotificationCount(t.prisma, me.id)).toBe(0);
  });

  it("marks all of the user's notices read and no one else's", async () => {
    const me = await createUser(t.prisma);
    const other = await createUser(t.prisma);
    for (const name of ["a", "b", "c"]) await noticeFor(me.id, name);
    await noticeFor(other.id, "theirs");
    await markNotificationRead(t.prisma, {
      userId: me.id,
      notificationId: (await listNotifications(t.prisma, me.id)).rows[0]!.id,
    });

    expect(await markAllNotificationsRead(t.prisma, { userId: me.id })).toEqual({ ok: true, marked: 2 });
    expect(await unreadNotificationCount(t.prisma, me.id)).toBe(0);
    expect(await unreadNotificationCount(t.prisma, other.id)).toBe(1);
    expect((await listNotifications(t.prisma, me.id)).rows.every((r) => r.readAt !== null)).toBe(true);
    expect(await markAllNotificationsRead(t.prisma, { userId: me.id })).toEqual({ ok: true, marked: 0 });
  });

  it("counts through the partial index of unread notices", async () => {
    const me = await createUser(t.prisma);
    const plan = await t.prisma.$transaction(async (tx) => {
      // A fresh test table is tiny, so the planner would scan it; ask which index it would use.
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>`
        EXPLAIN SELECT count(*) FROM notifications WHERE user_id = ${me.id}::uuid AND read_at IS NULL`;
    });
    expect(plan.map((line) => line["QUERY PLAN"]).join("\n")).toContain("notifications_unread_idx");
  });
});
