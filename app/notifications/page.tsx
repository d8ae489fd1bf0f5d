import type { Metadata } from "next";
import Link from "next/link";
import { firstParam, type SearchParams } from "@/app/_lib/search-params";
import { formatInstantUtc } from "@/components/format";
import { ActionButton } from "@/components/forms/action-button";
import { Pager } from "@/components/pager";
import { EmptyState, PageHeader, StatusBadge } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { listNotifications } from "@/lib/notifications/inbox";
import { markAllReadAction, markReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("/notifications");
  const raw = firstParam((await searchParams).page);
  const requested = raw && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  const list = await listNotifications(db(), user.id, { page: requested });

  return (
    <div className="page">
      <PageHeader
        title="Notifications"
        description={
          <>
            What happened in your account, newest first.{" "}
            <Link href="/settings/notifications" className="underline underline-offset-2">
              Choose which of these are also emailed to you
            </Link>
            .
          </>
        }
        actions={
          list.unread > 0 ? (
            <ActionButton action={markAllReadAction} pendingLabel="Marking…">
              Mark all read
            </ActionButton>
          ) : null
        }
      />
      {list.total === 0 ? (
        <EmptyState title="No notifications yet">
          Security notices (a new sign-in, two-factor changes, a new API key or withdrawal address) and news about your
          contracts appear here.
        </EmptyState>
      ) : (
        <>
          <p className="mb-4 text-sm text-slate-600" aria-live="polite">
            {list.unread === 0 ? "All read." : `${list.unread} unread.`}
            {list.pageCount > 1 ? ` Page ${list.page} of ${list.pageCount}.` : ""}
          </p>
          <ol aria-label="Notifications" className="space-y-3">
            {list.rows.map((row) => {
              const unread = row.readAt === null;
              return (
                <li
                  key={row.id}
                  aria-label={`${unread ? "Unread: " : ""}${row.title}`}
                  className={`card flex flex-col gap-3 p-4 sm:flex-row sm:items-start sm:justify-between ${
                    unread ? "border-l-4 border-l-brand-600 bg-brand-50/40" : ""
                  }`}
                >
                  <div className="min-w-0">
                    <div className="flex flex-wrap items-center gap-2">
                      <h2 className={`text-base text-slate-900 ${unread ? "font-semibold" : "font-medium"}`}>
                        {row.link ? (
                          <Link href={row.link} className="hover:underline">
                            {row.title}
                          </Link>
                        ) : (
                          row.title
                        )}
                      </h2>
                      {unread ? <StatusBadge status="UNREAD" label="Unread" tone="brand" /> : null}
                    </div>
                    <p className="mt-1 text-sm text-slate-700">{row.body}</p>
                    <p className="mt-1 text-xs text-slate-600">
                      <time dateTime={row.createdAt.toISOString()}>{formatInstantUtc(row.createdAt)}</time>
                    </p>
                  </div>
                  {unread ? (
                    <ActionButton
                      action={markReadAction}
                      hidden={{ id: row.id }}
                      variant="ghost"
                      label={`Mark read: ${row.title}`}
                    >
                      Mark read
                    </ActionButton>
                  ) : null}
                </li>
              );
            })}
          </ol>
          <Pager page={list.page} pageCount={list.pageCount} href={(p) => `/notifications?page=${p}`} />
        </>
      )}
    </div>
  );
}
