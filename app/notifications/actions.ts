"use server";

// Server actions of /notifications, each one formAction (app/_lib/form-action.ts): the user id
// comes from the session, so a notice of someone else's answers "not found". Marking read changes
// the header's unread badge on every page, so the whole layout is revalidated.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { doneState, formAction } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/inbox";

const PATH = "/notifications";

function refreshBadge(): void {
  revalidatePath("/", "layout");
}

export const markReadAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({ id: z.string().max(64) }),
  run: ({ user, input }) => markNotificationRead(db(), { userId: user.id, notificationId: input.id }),
  done: () => {
    refreshBadge();
    return doneState("Marked read.");
  },
});

export const markAllReadAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({}),
  run: ({ user }) => markAllNotificationsRead(db(), { userId: user.id }),
  done: (result) => {
    refreshBadge();
    return doneState(
      result.marked === 0
        ? "Nothing was unread."
        : `Marked ${result.marked} notice${result.marked === 1 ? "" : "s"} read.`,
    );
  },
});
