// The OpenAPI 3.1 document of /api/v1, generated from lib/api/schemas.ts (the schemas the routes
// validate with) by zod 4's own JSON Schema converter: OpenAPI 3.1 schema objects are JSON
// Schema 2020-12, so no third-party mapper is needed.
import { z } from "zod";
import { operationExamples } from "./examples";
import { apiOperations, apiRegistry, type ApiOperationId, type ApiOperationSpec } from "./schemas";

const REF = (id: string) => `#/components/schemas/${id}`;

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request: malformed JSON, a body, query or path parameter that does not validate (error.message names the field), or a missing/malformed Idempotency-Key.",
  401: "Unauthenticated: missing or malformed Authorization header, unknown or revoked key, stale timestamp, reused nonce or bad signature (see error.code).",
  403: "Forbidden: the key lacks the operation's scope, the request comes from an IP outside the key's allowlist, or the account may not do this.",
  404: "Not found among the key owner's objects.",
  409: "Conflict with the current state (e.g. insufficient funds, not enough capacity, a settled day).",
  413: "The body is larger than 1 MiB.",
  422: "Refused by the business rules (e.g. terms out of range, an unsupported payment), or the same Idempotency-Key was used with a different request (idempotency_key_reused).",
  429: "Rate limit of the key exceeded; retry after the Retry-After header's seconds.",
};

// Markdown of the small subset /docs/api renders (paragraphs, "- " lists, `code`): every
// description of this document stays inside it (app/docs/api/_lib/markdown.test.ts).
export const SIGNING_DESCRIPTION = [
  "Every operation except this document is signed with an API key (create one at /settings/api-keys). Send the header",
  '`Authorization: HMAC apiKey="<key id>", signature="<hex>", timestamp="<unix seconds>", nonce="<random>"`',
  'where `signature = hex(HMAC-SHA256(secret, METHOD + "\\n" + path + "\\n" + sortedQuery + "\\n" + hex(sha256(rawBody)) + "\\n" + timestamp + "\\n" + nonce))`:',
  [
    "- `path` is the URL path without the query, e.g. `/api/v1/payouts`.",
    "- `sortedQuery` is the query string exactly as sent (after the `?`), split on `&`, the pieces sorted as plain strings (code-unit order) and joined with `&` again, nothing decoded or re-encoded: `?to=2026-02-01&note=a=b&from=x%20y` signs as `from=x%20y&note=a=b&to=2026-02-01`; empty when there is no query.",
    "- `rawBody` is the exact bytes of the body; a GET signs the hash of the empty string.",
    "- `timestamp` is Unix seconds; `nonce` is random and new for every request.",
  ].join("\n"),
  "A timestamp more than 300 s away from the server's clock, a nonce already seen within that window or a wrong signature is refused with 401 and a distinct error code.",
  "Mutating operations need an `Idempotency-Key` header (8-128 letters, digits, `-` or `_`): the same key with the same body answers the first response again (same status and body); with a different body, 422.",
  "Amounts and hashrates are decimal strings of base units (coin base units, micro-USD, H/s), never JSON numbers.",
].join("\n\n");

type JsonSchema = Record<string, unknown>;

function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiRegistry, {
    target: "draft-2020-12",
    io: "input",
    uri: REF,
    unrepresentable: "any",
  });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _drop, $id: _id, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

/** A schema as a $ref to its component when it is named, else inline (refs to named parts). */
function schemaOf(schema: z.ZodType, io: "input" | "output" = "input"): JsonSchema {
  const meta = apiRegistry.get(schema);
  if (meta?.id) return { $ref: REF(meta.id) };
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    metadata: apiRegistry,
  }) as JsonSchema;
  return toComponentRefs(rest) as JsonSchema;
}

/** A standalone conversion puts named parts under its own $defs: point them at the components. */
function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "$defs") continue;
    out[key] =
      key === "$ref" && typeof inner === "string"
        ? inner.replace(/^#\/\$defs\//, "#/components/schemas/")
        : toComponentRefs(inner);
  }
  return out;
}

function parameters(object: z.ZodObject | undefined, location: "path" | "query"): JsonSchema[] {
  if (!object) return [];
  return Object.entries(object.shape).map(([name, field]) => {
    const schema = schemaOf(field as z.ZodType);
    const description = (field as z.ZodType).description;
    const optional = (field as z.ZodType).safeParse(undefined).success;
    return {
      name,
      in: location,
      required: location === "path" ? true : !optional,
      ...(description ? { description } : {}),
      schema,
    };
  });
}

function operation(spec: ApiOperationSpec): JsonSchema {
  const examples = operationExamples[spec.operationId as ApiOperationId];
  const errorRef = { content: { "application/json": { schema: { $ref: REF("Error") } } } };
  const statuses = new Set<number>(spec.refusals);
  if (spec.scope) [401, 403, 429].forEach((s) => statuses.add(s));
  if (spec.mutating) statuses.add(400).add(413).add(422);
  const responses: Record<string, JsonSchema> = {
    [String(spec.response.status)]: {
      description: spec.response.description,
      content: {
        "application/json": { schema: schemaOf(spec.response.schema, "output"), example: examples.response },
      },
    },
  };
  for (const status of [...statuses].sort((a, b) => a - b)) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? "Refused.",
      ...errorRef,
      ...(status === 429
        ? { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer", minimum: 1 } } } }
        : {}),
    };
  }
  const headerParams = spec.mutating
    ? [
        {
          name: "Idempotency-Key",
          in: "header",
          required: true,
          description:
            "Client-generated key (8-128 letters, digits, '-' or '_'), kept 24 h: a retry with the same key and body answers the first response.",
          schema: { type: "string", pattern: "^[A-Za-z0-9_-]{8,128}$" },
        },
      ]
    : [];
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.scope ? `${spec.description}\n\nScope: \`${spec.scope}\`.` : spec.description,
    tags: [spec.scope ?? "public"],
    ...(spec.scope ? { security: [{ hmac: [] }], "x-scope": spec.scope } : { security: [] }),
    parameters: [...parameters(spec.params, "path"), ...parameters(spec.query, "query"), ...headerParams],
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemaOf(spec.body), example: examples.request } },
          },
        }
      : {}),
    responses,
  };
}

let cached: JsonSchema | null = null;

/** The OpenAPI 3.1 document (built once per process; the schemas are static). */
export function openApiDocument(): JsonSchema {
  if (cached) return cached;
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of Object.values(apiOperations) as ApiOperationSpec[]) {
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation(spec);
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Hashlease API",
      version: "1.0.0",
      description: `Programs that trade hashrate, report telemetry and run payouts.\n\n${SIGNING_DESCRIPTION}`,
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "read", description: "Scope read: listings, hashprice, contracts, payouts, balances, withdrawals." },
      { name: "trade", description: "Scope trade: buy contracts." },
      { name: "withdraw", description: "Scope withdraw: withdraw coins with 2FA." },
      { name: "telemetry", description: "Scope telemetry: operators report rig hashrate." },
      { name: "operate", description: "Scope operate: operators manage rigs and listings." },
      { name: "admin", description: "Scope admin: network data and payout runs." },
      { name: "public", description: "No signature." },
    ],
    paths,
    components: {
      securitySchemes: {
        hmac: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: SIGNING_DESCRIPTION,
        },
      },
      schemas: componentSchemas(),
    },
  };
  return cached;
}
