// A client of the HTTP API written against its OpenAPI document only: it reads the document
// (from /api/v1/openapi.json), calls operations by operationId, signs each request with the
// published HMAC scheme (lib/api/hmac.ts signRequest, the helper the docs describe) and checks
// every answer against the document's schema for that operation and status. It imports no
// route code and no lib/api schema: what it knows of the API is what the document says.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { signRequest } from "../api/hmac";

type Json = Record<string, unknown>;

export interface ApiCredentials {
  keyId: string;
  secret: string;
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Mutating operations: default a fresh random key. */
  idempotencyKey?: string;
}

export interface CallResult<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

interface Operation {
  method: string;
  path: string;
  spec: Json;
}

export class SchemaMismatchError extends Error {}

export class OpenApiClient {
  private readonly operations = new Map<string, Operation>();

  constructor(
    readonly document: Json,
    readonly baseUrl: string,
    readonly credentials: ApiCredentials | null = null,
  ) {
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      for (const [method, spec] of Object.entries(item)) {
        this.operations.set(spec.operationId as string, { method: method.toUpperCase(), path, spec });
      }
    }
  }

  static async load(baseUrl: string): Promise<OpenApiClient> {
    const response = await fetch(new URL("/api/v1/openapi.json", baseUrl));
    if (!response.ok) throw new Error(`openapi.json answered ${response.status}`);
    return new OpenApiClient((await response.json()) as Json, baseUrl);
  }

  as(credentials: ApiCredentials): OpenApiClient {
    return new OpenApiClient(this.document, this.baseUrl, credentials);
  }

  operationIds(): string[] {
    return [...this.operations.keys()];
  }

  operation(operationId: string): Operation {
    const op = this.operations.get(operationId);
    if (!op) throw new Error(`The document has no operation ${operationId}`);
    return op;
  }

  /** Calls an operation; the answer is checked against the document (throws SchemaMismatchError). */
  async call<T = Json>(operationId: string, options: CallOptions = {}): Promise<CallResult<T>> {
    const op = this.operation(operationId);
    const parameters = (op.spec.parameters ?? []) as { name: string; in: string; required?: boolean }[];
    let path = op.path;
    for (const p of parameters.filter((p) => p.in === "path")) {
      const value = options.params?.[p.name];
      if (value === undefined) throw new Error(`${operationId} needs the path parameter ${p.name}`);
      path = path.replace(`{${p.name}}`, encodeURIComponent(value));
    }
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) search.set(name, value);
    const url = search.size > 0 ? `${path}?${search}` : path;
    const body = options.body === undefined ? "" : JSON.stringify(options.body);
    const headers: Record<string, string> = {};
    if (body) headers["content-type"] = "application/json";
    if (parameters.some((p) => p.in === "header" && p.name === "Idempotency-Key")) {
      headers["idempotency-key"] = options.idempotencyKey ?? `client-${randomUUID()}`;
    }
    const secured = Array.isArray(op.spec.security) && (op.spec.security as Json[]).some((s) => "hmac" in s);
    if (secured) {
      if (!this.credentials) throw new Error(`${operationId} needs a signed request: call .as(credentials) first`);
      headers.authorization = signRequest({
        keyId: this.credentials.keyId,
        secret: this.credentials.secret,
        method: op.method,
        url,
        body,
      });
    }
    const response = await fetch(new URL(url, this.baseUrl), { method: op.method, headers, ...(body ? { body } : {}) });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    this.check(operationId, response.status, json);
    return { status: response.status, body: json as T, headers: response.headers };
  }

  /** The answer must be documented for this status and match its schema. */
  check(operationId: string, status: number, body: unknown): void {
    const op = this.operation(operationId);
    const responses = op.spec.responses as Record<string, Json>;
    const documented = responses[String(status)];
    if (!documented)
      throw new SchemaMismatchError(
        `${operationId} answered ${status}, which the document does not list: ${JSON.stringify(body)}`,
      );
    const schema = ((documented.content as Json | undefined)?.["application/json"] as Json | undefined)?.schema;
    if (!schema) return;
    const parsed = z.fromJSONSchema(this.resolve(schema) as Parameters<typeof z.fromJSONSchema>[0]).safeParse(body);
    if (!parsed.success) {
      throw new SchemaMismatchError(
        `${operationId} ${status} does not match the document: ${parsed.error.message}\n${JSON.stringify(body)}`,
      );
    }
  }

  /** The schema with every $ref to components replaced by the component (the API has no cycles). */
  resolve(schema: unknown, depth = 0): unknown {
    if (depth > 64) throw new Error("$ref nesting too deep");
    if (Array.isArray(schema)) return schema.map((s) => this.resolve(s, depth + 1));
    if (!schema || typeof schema !== "object") return schema;
    const object = schema as Json;
    if (typeof object.$ref === "string") {
      const match = /^#\/components\/schemas\/(.+)$/.exec(object.$ref);
      if (!match) throw new Error(`Unsupported $ref ${object.$ref}`);
      const target = ((this.document.components as Json).schemas as Json)[match[1]!];
      const { $ref: _ref, ...rest } = object;
      return this.resolve({ ...(target as Json), ...rest }, depth + 1);
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, this.resolve(v, depth + 1)]));
  }
}
