// The request pipeline of the HTTP API for programs (/api/v1). A route is
//
//   export const GET = apiRoute({ scope: "read", query: schema, handler: async (ctx) => ({ status: 200, body }) });
//
// and the pipeline does, in order: read the raw body (at most 1 MiB) -> authenticate the HMAC
// signature, key, IP, scope, rate limit and nonce (./auth.ts) -> for mutating routes require
// an Idempotency-Key -> validate query and JSON body with the route's zod schemas (400
// invalid_request naming the field) -> run the handler -> JSON answer. Handlers throw
// ApiError(status, code, message) for refusals. Every error is { "error": { "code", "message" } }.
//
// Idempotency of mutating routes (`mutating: true`):
// - idempotency "pipeline" (the default): the handler runs inside lib/idempotency's
//   runIdempotent transaction and must write through `ctx.tx`; its { status, body } is stored
//   24 h under (user, "api:<METHOD> <route>", key) with a hash of method, path, sorted query and
//   raw body. The same key with the same request answers the stored status and body again
//   (header Idempotent-Replayed: true); with a different request 422 idempotency_key_reused.
//   An ApiError thrown by the handler rolls everything back and stores nothing, so a corrected
//   retry with the same key runs; a refusal that should be replayed is returned, not thrown.
// - idempotency "handler": for business functions that claim the key in their own statement
//   (purchase_contract, requestWithdrawal): the pipeline only requires a well-formed header and
//   passes it as ctx.idempotencyKey; ctx.tx is null.
//
// `twoFactor: "run payout days"` marks an operation that moves money or decides about it: the
// key's owner must have 2FA on, else 403 two_factor_required before the body is read into the
// handler (lib/auth/two-factor-guard.ts: a key has no session, its signature is the possession proof).
//
// Amounts and hashrates travel as decimal strings of base units (schemas.ts BaseUnits: at most 40
// digits, as the database's NUMERIC(40, 0) columns), never JSON
// numbers; a bigint left in a response body is written as its decimal string.
import { z, type ZodType } from "zod";
import { requireTwoFactor } from "../auth/two-factor-guard";
import { db, type PrismaClient, type Tx } from "../db/client";
import type { Prisma, Role } from "../generated/prisma/client";
import { clientIp, requestTarget } from "../http/request";
import { IDEMPOTENCY_KEY_INVALID_MESSAGE, isValidIdempotencyKey, runIdempotent } from "../idempotency/idempotency";
import { log } from "../observability/log";
import { authenticateRequest } from "./auth";
import { API_ERROR_CODES, ApiError, errorBody } from "./errors";
import { canonicalQuery, sha256Hex } from "./hmac";
import type { ApiScopeName } from "./scopes";

export { ApiError, API_ERROR_CODES } from "./errors";
export type { ApiScopeName } from "./scopes";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiContext<Q, B> {
  prisma: PrismaClient;
  /** The idempotency transaction of a mutating route in "pipeline" mode; null otherwise. */
  tx: Tx | null;
  user: { id: string; roles: Role[] };
  apiKey: { id: string; keyId: string; scopes: ApiScopeName[] };
  query: Q;
  body: B;
  params: Record<string, string>;
  ip: string | null;
  idempotencyKey: string | null;
  now: Date;
  request: Request;
}

export interface ApiResult<R> {
  status: number;
  body: R;
  headers?: Record<string, string>;
}

export interface ApiRouteSpec<Q, B, R> {
  scope: ApiScopeName;
  mutating?: boolean;
  /** Default "pipeline" (see the top of this file). */
  idempotency?: "pipeline" | "handler";
  /** What the operation does with money ("run payout days"): the owner needs 2FA on (see the top). */
  twoFactor?: string;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  handler: (ctx: ApiContext<Q, B>) => Promise<ApiResult<R>>;
}

export type RouteContext = { params: Promise<Record<string, string>> };
export type ApiRouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export function apiJson(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : jsonText(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function apiErrorResponse(error: ApiError): Response {
  return apiJson(error.status, errorBody(error.code, error.message), error.headers);
}

/** "amount: must be a decimal string ..." — the first issue, naming its field. */
export function describeZodError(error: z.ZodError, where: "body" | "query"): string {
  const issue = error.issues[0];
  if (!issue) return `Invalid ${where}.`;
  const path = issue.path.length > 0 ? issue.path.map(String).join(".") : where;
  return `${path}: ${issue.message}`;
}

function validate<T>(schema: ZodType<T>, value: unknown, where: "body" | "query"): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, API_ERROR_CODES.invalidRequest, describeZodError(parsed.error, where));
  return parsed.data;
}

async function readBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES)
    throw new ApiError(413, "payload_too_large", `The body is limited to ${MAX_BODY_BYTES} bytes.`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES)
    throw new ApiError(413, "payload_too_large", `The body is limited to ${MAX_BODY_BYTES} bytes.`);
  return bytes;
}

export function apiRoute<Q = Record<string, string>, B = undefined, R = unknown>(
  spec: ApiRouteSpec<Q, B, R>,
): ApiRouteHandler {
  const idempotencyMode = spec.mutating ? (spec.idempotency ?? "pipeline") : null;
  return async (request, context) => {
    try {
      const prisma = db();
      const url = new URL(request.url);
      // What the client signed: the target as sent, not Next's re-encoded request.url.
      const target = requestTarget(request);
      const raw = await readBody(request);
      const bodySha256 = sha256Hex(raw);
      const ip = clientIp(request.headers);
      const key = await authenticateRequest(
        prisma,
        {
          method: request.method,
          path: target.path,
          search: target.search,
          authorization: request.headers.get("authorization"),
          bodySha256,
          ip,
        },
        { scope: spec.scope },
      );

      if (spec.twoFactor) {
        const guard = await requireTwoFactor(prisma, {
          userId: key.userId,
          via: { apiKeyId: key.id },
          purpose: spec.twoFactor,
        });
        if (!guard.ok) throw new ApiError(403, API_ERROR_CODES.twoFactorRequired, guard.message);
      }

      let idempotencyKey = request.headers.get("idempotency-key");
      if (idempotencyMode) {
        if (!idempotencyKey) {
          throw new ApiError(
            400,
            API_ERROR_CODES.idempotencyKeyRequired,
            "Send an Idempotency-Key header with every mutating call.",
          );
        }
        if (!isValidIdempotencyKey(idempotencyKey)) {
          throw new ApiError(400, API_ERROR_CODES.idempotencyKeyInvalid, IDEMPOTENCY_KEY_INVALID_MESSAGE);
        }
      } else {
        idempotencyKey = null;
      }

      const query = spec.query
        ? validate(spec.query, Object.fromEntries(url.searchParams), "query")
        : (Object.fromEntries(url.searchParams) as Q);
      let body = undefined as B;
      if (spec.body) {
        const text = new TextDecoder("utf-8", { fatal: false }).decode(raw);
        let json: unknown;
        try {
          json = text.trim() === "" ? undefined : JSON.parse(text);
        } catch {
          throw new ApiError(400, API_ERROR_CODES.invalidJson, "The body is not valid JSON.");
        }
        if (json === undefined)
          throw new ApiError(400, API_ERROR_CODES.invalidRequest, "body: a JSON body is required.");
        body = validate(spec.body, json, "body");
      }
      const params = context ? await context.params : {};
      const ctx: ApiContext<Q, B> = {
        prisma,
        tx: null,
        user: { id: key.userId, roles: key.userRoles },
        apiKey: { id: key.id, keyId: key.keyId, scopes: key.scopes },
        query,
        body,
        params,
        ip,
        idempotencyKey,
        now: new Date(),
        request,
      };

      if (idempotencyMode === "pipeline") {
        const outcome = await runIdempotent(
          prisma,
          {
            userId: key.userId,
            scope: `api:${request.method.toUpperCase()} ${url.pathname}`,
            key: idempotencyKey!,
            request: {
              method: request.method.toUpperCase(),
              path: url.pathname,
              query: canonicalQuery(target.search),
              bodySha256,
            },
          },
          async (tx) => {
            const result = await spec.handler({ ...ctx, tx });
            // Stored as JSON exactly as it will be sent (bigints as decimal strings).
            return { status: result.status, body: JSON.parse(jsonText(result.body ?? null)) as Prisma.InputJsonValue };
          },
        );
        if (outcome.status === 422 && !outcome.replayed && isIdempotencyRefusal(outcome.body)) {
          throw new ApiError(
            422,
            API_ERROR_CODES.idempotencyKeyReused,
            "This Idempotency-Key was already used for a different request.",
          );
        }
        return apiJson(outcome.status, outcome.body, outcome.replayed ? { "idempotent-replayed": "true" } : {});
      }
      const result = await spec.handler(ctx);
      return apiJson(result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof ApiError) return apiErrorResponse(error);
      log.error({ err: error }, "api: unexpected error");
      return apiJson(
        500,
        errorBody(
          API_ERROR_CODES.internalError,
          "Something went wrong on our side; the request may be retried with the same Idempotency-Key.",
        ),
      );
    }
  };
}

function isIdempotencyRefusal(body: unknown): boolean {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return code === "IDEMPOTENCY_KEY_REUSED" || code === "IDEMPOTENCY_KEY_INVALID" || code === "IDEMPOTENCY_KEY_EXPIRED";
}
