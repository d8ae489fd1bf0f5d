// Every message Hashlease sends a person, by kind: who may turn its email off, and whether it also
// appears in the in-app list. DESIGN.md ("Mail and notices"): security notices and withdrawal
// states cannot be turned off; links that act on the account (verify, reset, confirm) are
// transactional mail only and never sit in the in-app list.

export type NotificationCategory = "account" | "security" | "operator" | "customer" | "admin";

export interface NotificationKindInfo {
  category: NotificationCategory;
  /** What a person reads in settings. */
  label: string;
  /** May the user turn the email off (preferences)? Security and account mail: never. */
  optional: boolean;
  /** Email when the user never chose. */
  emailByDefault: boolean;
  /** Also written to the in-app notification list. */
  inApp: boolean;
}

export const NOTIFICATION_KINDS = {
  "account.verify_email": {
    category: "account",
    label: "Verify your email",
    optional: false,
    emailByDefault: true,
    inApp: false,
  },
  "account.registration_attempt": {
    category: "account",
    label: "Someone tried to register with your email",
    optional: false,
    emailByDefault: true,
    inApp: false,
  },
  "account.reset_password": {
    category: "account",
    label: "Password reset link",
    optional: false,
    emailByDefault: true,
    inApp: false,
  },
  "account.confirm_email_change": {
    category: "account",
    label: "Confirm your new email",
    optional: false,
    emailByDefault: true,
    inApp: false,
  },
  "withdrawal.confirm": {
    category: "account",
    label: "Confirm a withdrawal",
    optional: false,
    emailByDefault: true,
    inApp: false,
  },
  "security.email_changed": {
    category: "security",
    label: "Email address changed",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "security.password_changed": {
    category: "security",
    label: "Password changed",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "security.new_sign_in": {
    category: "security",
    label: "Sign-in from a new place or browser",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "security.two_factor_changed": {
    category: "security",
    label: "Two-factor authentication turned on or off",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "security.new_withdrawal_address": {
    category: "security",
    label: "New withdrawal address",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "security.withdrawals_frozen": {
    category: "security",
    label: "Withdrawals frozen from a notice's link",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "security.withdrawals_unfrozen": {
    category: "security",
    label: "Withdrawals freeze lifted by an admin",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "security.api_key_created": {
    category: "security",
    label: "API key created",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "withdrawal.status": {
    category: "security",
    label: "Withdrawal status",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
  "operator.rig_offline": {
    category: "operator",
    label: "A rig went offline",
    optional: true,
    emailByDefault: true,
    inApp: true,
  },
  "operator.listing_sold_out": {
    category: "operator",
    label: "A listing sold out",
    optional: true,
    emailByDefault: true,
    inApp: true,
  },
  "operator.contract_bought": {
    category: "operator",
    label: "A contract was bought",
    optional: true,
    emailByDefault: true,
    inApp: true,
  },
  "customer.payout_digest": {
    category: "customer",
    label: "Daily payout digest",
    optional: true,
    emailByDefault: false,
    inApp: true,
  },
  "customer.contract_ending": {
    category: "customer",
    label: "A contract is ending",
    optional: true,
    emailByDefault: true,
    inApp: true,
  },
  "admin.withdrawals_waiting": {
    category: "admin",
    label: "Withdrawals waiting for review",
    optional: true,
    emailByDefault: true,
    inApp: true,
  },
  "admin.withdrawals_frozen": {
    category: "admin",
    label: "A customer froze their withdrawals",
    optional: false,
    emailByDefault: true,
    inApp: true,
  },
} as const satisfies Record<string, NotificationKindInfo>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(NOTIFICATION_KINDS, kind);
}

export function kindInfo(kind: NotificationKind): NotificationKindInfo {
  return NOTIFICATION_KINDS[kind];
}

/** The kinds a user may switch off, in settings order. */
export function optionalKinds(): NotificationKind[] {
  return (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).filter((kind) => NOTIFICATION_KINDS[kind].optional);
}
