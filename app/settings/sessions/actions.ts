"use server";

// Server actions of the devices page, each one formAction (app/_lib/form-action.ts): the session
// asking is always the one the request came with (CurrentUser.sessionId), never a form field;
// the session to end is checked to be the user's by the core (lib/auth/sessions.ts).
import { z } from "zod";
import { asResult, formAction } from "@/app/_lib/form-action";
import { clearSessionCookie } from "@/lib/auth/session-cookie";
import { signOutOtherDevice, signOutSessions } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";

const PATH = "/settings/sessions";

export const signOutDeviceAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({ sessionId: z.uuid("That is not a session.") }),
  run: ({ user, ip, input }) =>
    asResult(
      signOutOtherDevice(db(), { userId: user.id, currentSessionId: user.sessionId, sessionId: input.sessionId, ip }),
    ),
  done: { revalidate: PATH, message: "That device was signed out." },
});

export const signOutOtherDevicesAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({}),
  run: ({ user, ip }) => signOutSessions(db(), { userId: user.id, keepSessionId: user.sessionId, ip }),
  done: {
    revalidate: PATH,
    message: (result) =>
      result.revoked === 0
        ? "No other device was signed in."
        : `Signed out ${result.revoked} other ${result.revoked === 1 ? "device" : "devices"}.`,
  },
});

export const signOutEverywhereAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({}),
  run: async ({ user, ip }) => {
    const result = await signOutSessions(db(), { userId: user.id, keepSessionId: null, ip });
    // This session ended too: its cookie goes with it.
    await clearSessionCookie();
    return result;
  },
  done: { revalidate: "/", redirect: "/" },
});
