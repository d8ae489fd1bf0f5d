"use server";

// Server actions of the security settings, each one formAction (app/_lib/form-action.ts): check
// the session (the user id always comes from the session, never from the form) -> parse the
// form with zod (the code is never echoed back) -> one core function in one transaction ->
// revalidate. Refusals come back as form state.
import { z } from "zod";
import { asResult, doneState, firstFieldError, formAction, revalidate } from "@/app/_lib/form-action";
import type { SecurityFormState } from "@/components/security/form-state";
import { setAntiPhishingPhrase } from "@/lib/auth/anti-phishing";
import { reissueSessionCookie } from "@/lib/auth/session-cookie";
import {
  cancelTotpEnrolment,
  confirmTotpEnrolment,
  disableTwoFactor,
  regenerateRecoveryCodes,
  startTotpEnrolment,
} from "@/lib/auth/two-factor";
import { db } from "@/lib/db/client";

const PATH = "/settings/security";
const codeForm = {
  schema: z.object({ code: z.string().trim().min(1, "Enter a code.").max(64, "That is not a code.") }),
  secret: ["code"],
  invalidMessage: firstFieldError,
} as const;

export const startEnrolmentAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({}),
  run: ({ user, ip }) => asResult(startTotpEnrolment(db(), { userId: user.id, ip })),
  refused: () => revalidate(PATH),
  done: { revalidate: PATH, message: "Scan the QR code, then enter the code your app shows." },
});

export const cancelEnrolmentAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({}),
  run: ({ user, ip }) => asResult(cancelTotpEnrolment(db(), { userId: user.id, ip })),
  refused: () => revalidate(PATH),
  done: { revalidate: PATH, message: "Set-up cancelled. Two-factor authentication stays off." },
});

export const confirmEnrolmentAction = formAction({
  role: "USER",
  path: PATH,
  ...codeForm,
  run: ({ user, ip, input }) =>
    asResult(confirmTotpEnrolment(db(), { userId: user.id, ip, code: input.code, sessionId: user.sessionId })),
  done: async (result, { user }): Promise<SecurityFormState> => {
    // Every other session is now void; this browser keeps its sign-in.
    const kept = await reissueSessionCookie(user.id, result.sessionsValidAfter);
    revalidate(PATH);
    return doneState(
      kept
        ? "Two-factor authentication is on. Other sessions were signed out."
        : "Two-factor authentication is on. All sessions were signed out: sign in again with your code.",
      { recoveryCodes: result.recoveryCodes },
    );
  },
});

export const regenerateRecoveryCodesAction = formAction({
  role: "USER",
  path: PATH,
  ...codeForm,
  run: ({ user, ip, input }) => asResult(regenerateRecoveryCodes(db(), { userId: user.id, ip, code: input.code })),
  refused: () => revalidate(PATH),
  done: (result): SecurityFormState => {
    revalidate(PATH);
    return doneState("New recovery codes made. The old ones no longer work.", { recoveryCodes: result.recoveryCodes });
  },
});

export const disableAction = formAction({
  role: "USER",
  path: PATH,
  ...codeForm,
  run: ({ user, ip, input }) => asResult(disableTwoFactor(db(), { userId: user.id, ip, code: input.code })),
  refused: () => revalidate(PATH),
  done: { revalidate: PATH, message: "Two-factor authentication is off. Your recovery codes no longer work." },
});

// The anti-phishing phrase: the core trims and checks it (4-40 characters); empty is "clear".
export const setPhraseAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({ phrase: z.string().max(200, "Use 4 to 40 characters.") }),
  invalidMessage: firstFieldError,
  run: ({ user, ip, input }) => setAntiPhishingPhrase(db(), { userId: user.id, phrase: input.phrase, ip }),
  done: {
    revalidate: PATH,
    message: (result) =>
      result.phrase
        ? `Saved. Every email from Hashlease now starts with “${result.phrase}”.`
        : "Your anti-phishing phrase is cleared.",
  },
});

export const clearPhraseAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({}),
  run: ({ user, ip }) => setAntiPhishingPhrase(db(), { userId: user.id, phrase: "", ip }),
  done: { revalidate: PATH, message: "Your anti-phishing phrase is cleared." },
});
