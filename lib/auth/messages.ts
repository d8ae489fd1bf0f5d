// Sign-in error codes and the words shown for them; safe to import from client components.
export type LoginError = "INVALID_CREDENTIALS" | "RATE_LIMITED" | "ACCOUNT_FROZEN" | "SECOND_FACTOR_REQUIRED";

export const loginErrorMessages: Record<LoginError, string> = {
  INVALID_CREDENTIALS: "Email or password is incorrect.",
  RATE_LIMITED: "Too many sign-in attempts. Wait 15 minutes and try again.",
  ACCOUNT_FROZEN: "This account is frozen. Contact support.",
  SECOND_FACTOR_REQUIRED: "Enter the 6-digit code from your authenticator app.",
};
