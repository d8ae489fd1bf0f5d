// API key scopes and which roles may hold them. A key's scopes are chosen at creation from the
// owner's roles; at every request the key's scopes are intersected again with the owner's
// current roles, so a role taken away also takes its scopes away from existing keys.
//
//   CUSTOMER -> read, trade, withdraw      (browse, buy, read contracts/payouts/balances, withdraw)
//   OPERATOR -> telemetry, operate         (post rig telemetry, manage rigs and own listings)
//   ADMIN    -> admin                      (network data, payout runs)
import type { ApiScope, Role } from "../generated/prisma/client";

export const API_SCOPES = ["read", "trade", "withdraw", "telemetry", "operate", "admin"] as const;
export type ApiScopeName = (typeof API_SCOPES)[number];

export const SCOPES_BY_ROLE: Record<Role, readonly ApiScopeName[]> = {
  CUSTOMER: ["read", "trade", "withdraw"],
  OPERATOR: ["telemetry", "operate"],
  ADMIN: ["admin"],
};

export const SCOPE_DESCRIPTIONS: Record<ApiScopeName, string> = {
  read: "Read listings, your contracts, payouts, balances and withdrawals",
  trade: "Buy contracts from your balance",
  withdraw: "Request withdrawals to your address book (still needs a TOTP code)",
  telemetry: "Report daily average hashrate for your rigs",
  operate: "Manage your rigs and listings",
  admin: "Enter network data and run payout days",
};

export function scopesForRoles(roles: readonly Role[]): ApiScopeName[] {
  const allowed = new Set(roles.flatMap((role) => SCOPES_BY_ROLE[role] ?? []));
  return API_SCOPES.filter((scope) => allowed.has(scope));
}

export function isApiScopeName(value: string): value is ApiScopeName {
  return (API_SCOPES as readonly string[]).includes(value);
}

export function toDbScope(scope: ApiScopeName): ApiScope {
  return scope.toUpperCase() as ApiScope;
}

export function fromDbScope(scope: ApiScope): ApiScopeName {
  return scope.toLowerCase() as ApiScopeName;
}
