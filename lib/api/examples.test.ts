// Every operation of the OpenAPI document carries a request example where it takes a body and a
// response example for each success response, and each example is valid: the route's own zod
// schema accepts it (so the examples on /docs/api cannot drift from what the API takes and answers).
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { apiOperations, type ApiOperationSpec } from "./schemas";

type Json = Record<string, unknown>;
const json = (value: unknown) => value as Json;

const operations = Object.entries(json(openApiDocument().paths)).flatMap(([path, item]) =>
  Object.entries(json(item)).map(([method, op]) => ({ path, method, op: json(op) })),
);
const specOf = (operationId: string) =>
  (Object.values(apiOperations) as ApiOperationSpec[]).find((s) => s.operationId === operationId)!;

describe("the OpenAPI document's examples", () => {
  it("covers every operation of the API", () => {
    expect(operations.map((o) => o.op.operationId).sort()).toEqual(Object.keys(apiOperations).sort());
  });

  it.each(operations)("$method $path has a valid request example when it takes a body", ({ op }) => {
    const spec = specOf(op.operationId as string);
    const media = json(json(json(op.requestBody ?? {}).content ?? {})["application/json"]);
    if (!spec.body) {
      expect(op.requestBody).toBeUndefined();
      return;
    }
    expect(media.example, "request example").toBeDefined();
    const parsed = spec.body.safeParse(media.example);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it.each(operations)("$method $path has a valid example for each success response", ({ op }) => {
    const spec = specOf(op.operationId as string);
    const successes = Object.entries(json(op.responses)).filter(([status]) => /^2\d\d$/.test(status));
    expect(successes.length).toBeGreaterThan(0);
    for (const [status, response] of successes) {
      const media = json(json(json(response).content)["application/json"]);
      expect(media.example, `${status} example`).toBeDefined();
      expect(Number(status)).toBe(spec.response.status);
      const parsed = spec.response.schema.safeParse(media.example);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });

  it("a broken example would be caught: the schema refuses a number where base units are a string", () => {
    const spec = specOf("createOrder");
    expect(spec.body!.safeParse({ ...json(spec.body!.parse(exampleOf("createOrder"))), hashrate: 1e13 }).success).toBe(
      false,
    );
  });
});

function exampleOf(operationId: string): unknown {
  const op = operations.find((o) => o.op.operationId === operationId)!.op;
  return json(json(json(op.requestBody).content)["application/json"]).example;
}
