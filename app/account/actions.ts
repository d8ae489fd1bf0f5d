"use server";

// The account's emailed links and its own email and password, each one formAction
// (app/_lib/form-action.ts) around one core in lib/auth/. A link's token arrives as a hidden
// field of a POST form: opening a link (or a mail scanner prefetching it) changes nothing.
import { z } from "zod";
import { asResult, doneState, formAction, revalidate } from "@/app/_lib/form-action";
import { changePassword, confirmEmailChange, requestEmailChange } from "@/lib/auth/account-settings";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { emailField, resendVerification, verifyEmail } from "@/lib/auth/register";
import { reissueSessionCookie } from "@/lib/auth/session-cookie";
import { db } from "@/lib/db/client";
import { freezeWithdrawalsByLink } from "@/lib/wallet/withdrawal-freeze";

const token = z.string().trim().min(1, "This link is incomplete: open it again from the email.").max(100);
const password = z.string().min(1, "Enter a password.").max(200, "Password is too long (200 characters at most).");

export const verifyEmailAction = formAction({
  role: "ANYONE",
  path: "/account/verify",
  schema: z.object({ token }),
  run: ({ input, ip }) => verifyEmail(db(), input.token, ip),
  done: {
    revalidate: "/",
    message: "Your email address is verified. You can now buy hashrate and withdraw.",
  },
});

export const resendVerificationAction = formAction({
  role: "USER",
  path: "/dashboard",
  schema: z.object({}),
  run: ({ user }) => resendVerification(db(), user.id),
  done: {
    message: (result, _args, { user }) =>
      result.alreadyVerified
        ? "Your email address is already verified."
        : `We sent a new link to ${user.email}. It works for 24 hours; older links no longer work.`,
  },
});

export const forgotPasswordAction = formAction({
  role: "ANYONE",
  path: "/forgot-password",
  schema: z.object({ email: emailField }),
  run: ({ input, ip }) => requestPasswordReset(db(), { email: input.email, ip }),
  // The same sentence whether or not the address has an account.
  done: {
    message:
      "If an account uses that address, we sent it a link to choose a new password. The link works once, for 30 minutes.",
  },
});

export const resetPasswordAction = formAction({
  role: "ANYONE",
  path: "/reset-password",
  schema: z.object({ token, password }),
  secret: ["password"],
  run: ({ input, ip }) => resetPassword(db(), { token: input.token, password: input.password, ip }),
  done: { redirect: "/login?reset=1" },
});

export const confirmEmailChangeAction = formAction({
  role: "ANYONE",
  path: "/account/confirm-email",
  schema: z.object({ token }),
  run: ({ input, ip }) => confirmEmailChange(db(), { token: input.token, ip }),
  done: {
    revalidate: "/",
    message: (result) => `Your account's email is now ${result.email}. Sign in with it from now on.`,
  },
});

// "This wasn't me" on a new-address notice: no sign-in needed (whoever added the address may have
// taken the account over); the link itself is the proof.
export const freezeWithdrawalsAction = formAction({
  role: "ANYONE",
  path: "/account/freeze",
  schema: z.object({ token }),
  run: ({ input, ip }) => freezeWithdrawalsByLink(db(), { token: input.token, ip }),
  // No revalidation: it would re-render this page as "already frozen" over the answer below.
  // Every page that shows the freeze is dynamic, and every session of the account has ended.
  done: {
    message: (result) =>
      `Withdrawals are frozen. The address was removed from your address book, ${result.cancelled} withdrawal(s) not yet sent were cancelled and every session was signed out. Sign in, change your password; an admin will look at your account and lift the freeze.`,
  },
});

export const changeEmailAction = formAction({
  role: "USER",
  path: "/settings/security",
  schema: z.object({ newEmail: emailField, password }),
  secret: ["password"],
  run: ({ user, input, ip }) =>
    requestEmailChange(db(), { userId: user.id, newEmail: input.newEmail, password: input.password, ip }),
  done: {
    message: (result) =>
      `We sent a link to ${result.to}. Open it within 30 minutes to move your account there; until then nothing changes.`,
  },
});

export const changePasswordAction = formAction({
  role: "USER",
  path: "/settings/security",
  schema: z.object({ current: password, next: password }),
  secret: ["current", "next"],
  run: ({ user, input, ip }) =>
    asResult(
      changePassword(db(), {
        userId: user.id,
        current: input.current,
        next: input.next,
        ip,
        keepSessionId: user.sessionId,
      }),
    ),
  done: async (result, { user }) => {
    // Every other session is void now; this browser keeps its sign-in.
    const kept = await reissueSessionCookie(user.id, result.sessionsValidAfter);
    revalidate("/settings/security");
    return doneState(
      kept
        ? "Password changed. Your other sessions were signed out."
        : "Password changed. Sign in again with the new password.",
    );
  },
});
