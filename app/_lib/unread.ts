// The unread-notice count in the header of a signed-in page: one indexed COUNT
// (lib/notifications/inbox.ts), nothing at all for visitors. Like the viewer, a failing lookup
// shows no badge rather than taking the page down with it.
import { unstable_rethrow } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db/client";
import { unreadNotificationCount } from "@/lib/notifications/inbox";
import { log } from "@/lib/observability/log";

export const getUnreadCount = cache(async (userId: string): Promise<number> => {
  try {
    return await unreadNotificationCount(db(), userId);
  } catch (error) {
    unstable_rethrow(error);
    log.error({ err: error }, "header: unread notice count failed; showing no badge");
    return 0;
  }
});
