// Sign-in error codes and the words shown for them; safe to import from client components.
export type LoginError =
  | "INVALID_CREDENTIALS"
  | "RATE_LIMITED"
  | "ACCOUNT_FROZEN"
  | "SECOND_FACTOR_REQUIRED"
  | "SECOND_FACTOR_INVALID"
  | "SECOND_FACTOR_REPLAYED"
  | "SECOND_FACTOR_LOCKED"
  | "SECOND_FACTOR_EXPIRED";

export const loginErrorMessages: Record<LoginError, string> = {
  INVALID_CREDENTIALS: "Email or password is incorrect.",
  RATE_LIMITED: "Too many sign-in attempts. Wait 15 minutes and try again.",
  ACCOUNT_FROZEN: "This account is frozen. Contact support.",
  SECOND_FACTOR_REQUIRED: "Enter the 6-digit code from your authenticator app.",
  SECOND_FACTOR_INVALID:
    "That code is not right. Enter the current 6-digit code from your authenticator app, or an unused recovery code. Five wrong codes lock two-factor sign-in for 15 minutes.",
  SECOND_FACTOR_REPLAYED:
    "That code was already used. Wait for the next code in your authenticator app (a new one every 30 seconds).",
  SECOND_FACTOR_LOCKED: "Too many wrong codes: two-factor sign-in is locked for 15 minutes. Try again later.",
  SECOND_FACTOR_EXPIRED: "This sign-in took too long. Enter your email and password again.",
};

/** Until the address is proven the account browses but neither buys nor withdraws (issue 15). */
export const EMAIL_UNVERIFIED_MESSAGE = {
  buy: "Verify your email address before you buy: open the link we sent you, or send a new one from the banner at the top of the page.",
  withdraw:
    "Verify your email address before you withdraw: open the link we sent you, or send a new one from the banner at the top of the page.",
} as const;
