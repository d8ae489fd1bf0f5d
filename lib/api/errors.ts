// Errors of the HTTP API for programs. Every refusal is JSON `{ "error": { "code", "message" } }`
// with the right status; codes are lower_snake_case and stable (clients branch on them).

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The refusal codes the pipeline itself answers with (handlers add their own). */
export const API_ERROR_CODES = {
  missingAuthorization: "missing_authorization", // 401: no Authorization header
  malformedAuthorization: "malformed_authorization", // 401: not `HMAC apiKey=..., signature=..., timestamp=..., nonce=...`
  unknownApiKey: "unknown_api_key", // 401
  revokedApiKey: "revoked_api_key", // 401
  timestampOutOfWindow: "timestamp_out_of_window", // 401: more than 300 s from the server's clock
  nonceReused: "nonce_reused", // 401: nonce already seen for this key within the window
  badSignature: "bad_signature", // 401
  missingScope: "missing_scope", // 403
  ipNotAllowed: "ip_not_allowed", // 403
  accountFrozen: "account_frozen", // 403
  twoFactorRequired: "two_factor_required", // 403: a money operation and the key's owner has 2FA off
  rateLimited: "rate_limited", // 429 (+ Retry-After)
  invalidRequest: "invalid_request", // 400: body/query failed validation
  invalidJson: "invalid_json", // 400
  idempotencyKeyRequired: "idempotency_key_required", // 400
  idempotencyKeyInvalid: "idempotency_key_invalid", // 400
  idempotencyKeyReused: "idempotency_key_reused", // 422: same key, different request
  internalError: "internal_error", // 500
} as const;

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
