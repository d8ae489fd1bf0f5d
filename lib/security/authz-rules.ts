// Who may call each server action and route handler. lib/security/authz-matrix.test.ts
// discovers every app/**/actions.ts export and every app/**/route.ts HTTP method on disk and
// fails on any of them without a rule here (and on any rule naming nothing), then drives each
// one as anonymous, as each role and as a frozen account and checks the rule holds.
import type { ApiScopeName } from "@/lib/api/scopes";

export type Role = "CUSTOMER" | "OPERATOR" | "ADMIN";

/**
 * How the action is called: a useActionState action (state, formData); a bound one with an
 * object id first (id, state, formData); a plain form action (formData); no arguments; or a
 * typed object (requestWithdrawalAction).
 */
export type ActionArgs = "state-form" | "id-state-form" | "form" | "none" | "object";

export interface ActionRule {
  /** "anyone": no session needed; "signed-in": any account that is not frozen; else that role. */
  allow: "anyone" | "signed-in" | Role;
  args: ActionArgs;
  /** The object the action acts on must belong to the caller (checked by the matrix where listed). */
  owner?: string;
}

export type RouteRule =
  | { allow: "public"; why: string }
  | { allow: "next-auth"; why: string }
  | { allow: "stripe-signature" }
  | { allow: "metrics-token" }
  /** Session cookie; without a role any signed-in account; "optional": anonymous gets a generic answer. */
  | { allow: "session"; role?: Role; optional?: boolean }
  | { allow: "api-key"; scope: ApiScopeName | null; owner?: string };

/** Key: `<file path from the repo root>#<export>`. */
export const ACTION_RULES: Record<string, ActionRule> = {
  "app/admin/audit/actions.ts#verifyChainAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/ledger/actions.ts#reconcileNowAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/network/actions.ts#saveSnapshotAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/network/actions.ts#importSnapshotsAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/network/actions.ts#approveSnapshotAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/queues/actions.ts#retryFailedJobsAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/payouts/actions.ts#rerunDayAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/payouts/actions.ts#settleAllAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/users/actions.ts#freezeUserAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/users/actions.ts#unfreezeUserAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/users/actions.ts#liftWithdrawalsFreezeAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/withdrawals/actions.ts#approveWithdrawalAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/withdrawals/actions.ts#rejectWithdrawalAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/withdrawals/actions.ts#markSentAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/withdrawals/actions.ts#markConfirmedAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/withdrawals/actions.ts#freezeAccountAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/withdrawals/actions.ts#unfreezeAccountAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/withdrawals/actions.ts#approveOperatorPayoutAction": { allow: "ADMIN", args: "state-form" },
  "app/admin/withdrawals/actions.ts#rejectOperatorPayoutAction": { allow: "ADMIN", args: "state-form" },
  "app/checkout/test/[contractId]/actions.ts#payTestCheckout": { allow: "CUSTOMER", args: "form", owner: "contract" },
  "app/checkout/test/[contractId]/actions.ts#cancelTestCheckout": {
    allow: "CUSTOMER",
    args: "form",
    owner: "contract",
  },
  "app/dashboard/actions.ts#resumeCheckoutAction": { allow: "CUSTOMER", args: "state-form", owner: "contract" },
  "app/dashboard/actions.ts#cancelCheckoutAction": { allow: "CUSTOMER", args: "state-form", owner: "contract" },
  "app/operator/actions.ts#createFacilityAction": { allow: "OPERATOR", args: "state-form" },
  "app/operator/actions.ts#updateFacilityAction": { allow: "OPERATOR", args: "id-state-form", owner: "facility" },
  "app/operator/actions.ts#setFacilityUpstreamAction": { allow: "OPERATOR", args: "id-state-form", owner: "facility" },
  "app/operator/actions.ts#removeFacilityUpstreamAction": {
    allow: "OPERATOR",
    args: "id-state-form",
    owner: "facility",
  },
  "app/operator/actions.ts#createRigAction": { allow: "OPERATOR", args: "state-form" },
  "app/operator/actions.ts#updateRigAction": { allow: "OPERATOR", args: "id-state-form", owner: "rig" },
  "app/operator/actions.ts#changeRigStatusAction": { allow: "OPERATOR", args: "id-state-form", owner: "rig" },
  "app/operator/actions.ts#importRigsAction": { allow: "OPERATOR", args: "state-form" },
  "app/operator/actions.ts#createListingAction": { allow: "OPERATOR", args: "state-form" },
  "app/operator/actions.ts#updateListingAction": { allow: "OPERATOR", args: "id-state-form", owner: "listing" },
  "app/operator/actions.ts#setListingPublishedAction": { allow: "OPERATOR", args: "id-state-form", owner: "listing" },
  "app/operator/actions.ts#issueStratumLoginAction": { allow: "OPERATOR", args: "id-state-form", owner: "rig" },
  "app/operator/payable/actions.ts#requestPayoutAction": { allow: "OPERATOR", args: "state-form" },
  "app/operator/payable/actions.ts#linkPayoutAccountAction": { allow: "OPERATOR", args: "state-form" },
  "app/operator/payable/actions.ts#movePayableToWalletAction": { allow: "OPERATOR", args: "state-form" },
  "app/operator/telemetry/actions.ts#recordTelemetryDayAction": { allow: "OPERATOR", args: "id-state-form" },
  "app/operator/telemetry/actions.ts#recordRigTelemetryAction": {
    allow: "OPERATOR",
    args: "id-state-form",
    owner: "rig",
  },
  "app/register/actions.ts#registerAction": { allow: "anyone", args: "state-form" },
  "app/account/actions.ts#verifyEmailAction": { allow: "anyone", args: "state-form" },
  "app/account/actions.ts#forgotPasswordAction": { allow: "anyone", args: "state-form" },
  "app/account/actions.ts#resetPasswordAction": { allow: "anyone", args: "state-form" },
  "app/account/actions.ts#confirmEmailChangeAction": { allow: "anyone", args: "state-form" },
  "app/account/actions.ts#freezeWithdrawalsAction": { allow: "anyone", args: "state-form" },
  "app/account/actions.ts#resendVerificationAction": { allow: "signed-in", args: "state-form" },
  "app/account/actions.ts#changeEmailAction": { allow: "signed-in", args: "state-form" },
  "app/account/actions.ts#changePasswordAction": { allow: "signed-in", args: "state-form" },
  "app/settings/api-keys/actions.ts#createApiKeyAction": { allow: "signed-in", args: "state-form" },
  "app/settings/api-keys/actions.ts#rotateApiKeyAction": { allow: "signed-in", args: "state-form", owner: "api-key" },
  "app/settings/api-keys/actions.ts#revokeApiKeyAction": { allow: "signed-in", args: "state-form", owner: "api-key" },
  "app/settings/sessions/actions.ts#signOutDeviceAction": { allow: "signed-in", args: "state-form", owner: "session" },
  "app/settings/sessions/actions.ts#signOutOtherDevicesAction": { allow: "signed-in", args: "state-form" },
  "app/settings/sessions/actions.ts#signOutEverywhereAction": { allow: "signed-in", args: "state-form" },
  "app/settings/security/actions.ts#startEnrolmentAction": { allow: "signed-in", args: "none" },
  "app/settings/security/actions.ts#cancelEnrolmentAction": { allow: "signed-in", args: "none" },
  "app/settings/security/actions.ts#confirmEnrolmentAction": { allow: "signed-in", args: "state-form" },
  "app/settings/security/actions.ts#regenerateRecoveryCodesAction": { allow: "signed-in", args: "state-form" },
  "app/settings/security/actions.ts#disableAction": { allow: "signed-in", args: "state-form" },
  "app/settings/security/actions.ts#setPhraseAction": { allow: "signed-in", args: "state-form" },
  "app/settings/security/actions.ts#clearPhraseAction": { allow: "signed-in", args: "state-form" },
  "app/settings/notifications/actions.ts#setPreferenceAction": { allow: "signed-in", args: "state-form" },
  "app/notifications/actions.ts#markReadAction": { allow: "signed-in", args: "state-form", owner: "notification" },
  "app/notifications/actions.ts#markAllReadAction": { allow: "signed-in", args: "state-form" },
  "app/tax/actions.ts#setProfileKindAction": { allow: "signed-in", args: "state-form" },
  "app/tax/actions.ts#lockYearAction": { allow: "signed-in", args: "state-form" },
  "app/wallet/actions.ts#requestWithdrawalAction": { allow: "CUSTOMER", args: "object", owner: "address" },
  "app/wallet/actions.ts#cancelWithdrawalAction": { allow: "CUSTOMER", args: "state-form", owner: "withdrawal" },
  "app/wallet/actions.ts#resendWithdrawalLinkAction": {
    allow: "CUSTOMER",
    args: "state-form",
    owner: "withdrawal",
  },
  "app/wallet/actions.ts#confirmWithdrawalAction": { allow: "anyone", args: "state-form" },
  "app/wallet/addresses/actions.ts#addAddressAction": { allow: "CUSTOMER", args: "state-form" },
  "app/wallet/addresses/actions.ts#deleteAddressAction": { allow: "CUSTOMER", args: "state-form", owner: "address" },
};

/** Key: `<route file path>#<HTTP method>`. */
export const ROUTE_RULES: Record<string, RouteRule> = {
  "app/admin/network/sample.csv/route.ts#GET": { allow: "session", role: "ADMIN" },
  "app/api/auth/[...nextauth]/route.ts#GET": {
    allow: "next-auth",
    why: "next-auth's own sign-in, session and CSRF endpoints",
  },
  "app/api/auth/[...nextauth]/route.ts#POST": {
    allow: "next-auth",
    why: "next-auth's own sign-in, session and CSRF endpoints",
  },
  "app/api/contracts/route.ts#POST": { allow: "session", role: "CUSTOMER" },
  "app/api/health/route.ts#GET": { allow: "public", why: "liveness probe, no account data" },
  "app/api/metrics/route.ts#GET": { allow: "metrics-token" },
  "app/api/ready/route.ts#GET": { allow: "public", why: "readiness probe: check names and reasons, no account data" },
  "app/api/stripe/webhook/route.ts#POST": { allow: "stripe-signature" },
  "app/api/v1/balances/route.ts#GET": { allow: "api-key", scope: "read" },
  "app/api/v1/contracts/[id]/route.ts#GET": { allow: "api-key", scope: "read", owner: "contract" },
  "app/api/v1/contracts/[id]/hashrate/route.ts#GET": { allow: "api-key", scope: "read", owner: "contract" },
  "app/api/v1/contracts/route.ts#GET": { allow: "api-key", scope: "read" },
  "app/api/v1/listings/mine/route.ts#GET": { allow: "api-key", scope: "operate" },
  "app/api/v1/listings/mine/route.ts#POST": { allow: "api-key", scope: "operate" },
  "app/api/v1/listings/route.ts#GET": { allow: "api-key", scope: "read" },
  "app/api/v1/hashprice/route.ts#GET": { allow: "api-key", scope: "read" },
  "app/api/v1/network/[coin]/[day]/route.ts#PUT": { allow: "api-key", scope: "admin" },
  "app/api/v1/openapi.json/route.ts#GET": { allow: "public", why: "the published API description" },
  "app/api/v1/orders/route.ts#POST": { allow: "api-key", scope: "trade" },
  "app/api/v1/payout-runs/route.ts#POST": { allow: "api-key", scope: "admin" },
  "app/api/v1/payouts/route.ts#GET": { allow: "api-key", scope: "read" },
  "app/api/v1/rigs/[id]/hashrate/route.ts#GET": { allow: "api-key", scope: "operate", owner: "rig" },
  "app/api/v1/rigs/route.ts#GET": { allow: "api-key", scope: "operate" },
  "app/api/v1/rigs/route.ts#POST": { allow: "api-key", scope: "operate" },
  "app/api/v1/telemetry/route.ts#POST": { allow: "api-key", scope: "telemetry", owner: "rig" },
  "app/api/v1/withdrawals/route.ts#GET": { allow: "api-key", scope: "read" },
  "app/api/v1/withdrawals/route.ts#POST": { allow: "api-key", scope: "withdraw" },
  "app/operator/rigs/import/sample.csv/route.ts#GET": {
    allow: "public",
    why: "a CSV template; the operator's first facility name only when signed in as one",
  },
  "app/tax/[year]/lines.csv/route.ts#GET": { allow: "session" },
  "app/tax/[year]/lots.csv/route.ts#GET": { allow: "session" },
};
