"use server";

// Server actions of /settings/notifications: one email switch per optional kind. The core
// (lib/notifications/preferences.ts) refuses unknown kinds and kinds that cannot be turned off.
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import { setNotificationPreference } from "@/lib/notifications/preferences";

const PATH = "/settings/notifications";

export const setPreferenceAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({
    kind: z.string().min(1, "Choose a kind of notice.").max(100),
    email: z.enum(["on", "off"], "Choose on or off."),
  }),
  run: ({ user, ip, input }) =>
    setNotificationPreference(db(), { userId: user.id, kind: input.kind, email: input.email === "on", ip }),
  done: {
    revalidate: PATH,
    message: (result) => `Email for “${result.label}” is ${result.email ? "on" : "off"}.`,
  },
});
