// The HTTP status of every refusal code, chosen here at the API edge and nowhere in lib/: a core
// function answers `{ ok: false, code, message, fieldErrors? }` (lib/shared/result.ts) and the
// route handler (app/api, lib/api) looks the code up. A code missing here is a 422: the request
// was understood and refused.

const STATUS_BY_CODE: Record<string, number> = {
  // Generic refusals of the core (lib/shared/result.ts).
  INVALID: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  // Idempotency keys.
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_INVALID: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_EXPIRED: 409,
  // Accounts and second factors.
  ACCOUNT_NOT_FOUND: 401,
  ACCOUNT_FROZEN: 403,
  WITHDRAWALS_FROZEN: 403,
  EMAIL_UNVERIFIED: 403,
  TOTP_NOT_ENABLED: 403,
  TWO_FACTOR_REQUIRED: 403,
  TOTP_INVALID: 422,
  TOTP_REPLAYED: 422,
  TOTP_LOCKED: 423,
  // Withdrawals (lib/wallet/withdrawal-request.ts).
  INVALID_REQUEST: 422,
  ADDRESS_UNUSABLE: 422,
  BELOW_MINIMUM: 422,
  INSUFFICIENT_FUNDS: 409,
  DAILY_LIMIT_EXCEEDED: 409,
};

/** The HTTP status for a refusal code of the core. */
export function refusalStatus(code: string): number {
  return STATUS_BY_CODE[code] ?? 422;
}
