// Hostile inputs against every request schema of the HMAC API, then against the real route
// handlers: a refusal is always a zod error with a message (the schema) or a 400/422
// { error: { code, message } } (the route), never a throw, never a 500, never a row written.
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { PrismaClient } from "../db/client";
import { PEER_IP_HEADER } from "../http/client-ip";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser } from "../testing/fixtures";
import { setAppDatabase, withTestSecrets } from "../testing/secrets";
import { enrollTotp } from "../testing/totp";
import { resetRateLimiter } from "./auth";
import { signRequest } from "./hmac";
import { createApiKey } from "./keys";
import { ALGORITHMS, apiOperations, COINS } from "./schemas";

// ---- Generators of valid values -------------------------------------------------------------

const uuid = fc.uuid({ version: 4 });
const day = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const baseUnits = fc
  .oneof(fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }), fc.bigInt({ min: 0n, max: 1000n }))
  .map(String);
const positiveUnits = fc
  .oneof(fc.bigInt({ min: 1n, max: 10n ** 40n - 1n }), fc.bigInt({ min: 1n, max: 1000n }))
  .map(String);
const coin = fc.constantFrom(...COINS);
const text = (min: number, max: number) =>
  fc.string({ unit: "grapheme", minLength: min, maxLength: max }).filter((s) => s.length >= min && s.length <= max);

type Kind =
  "queryInt" | "units" | "positiveUnits" | "int" | "uuid" | "day" | "enum" | "text" | "payWith" | "totp" | "uuidList";
interface Input {
  schema: z.ZodType;
  valid: fc.Arbitrary<Record<string, unknown>>;
  /** Field kinds of the object (of each entry, for an array body). */
  fields: Record<string, Kind>;
  optional?: string[];
  strict: boolean;
  array?: boolean;
  /** Query strings arrive as strings; numbers there are coerced. */
  query?: boolean;
}

const ops = apiOperations as unknown as Record<string, { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType }>;

const inputs: Record<string, Input> = {
  "listListings.query": {
    schema: ops.listListings!.query!,
    valid: fc.record(
      {
        coin,
        algorithm: fc.constantFrom(...ALGORITHMS),
        page: fc.integer({ min: 1, max: 100_000 }).map(String),
        pageSize: fc.integer({ min: 1, max: 100 }).map(String),
      },
      { requiredKeys: [] },
    ),
    fields: { coin: "enum", algorithm: "enum", page: "queryInt", pageSize: "queryInt" },
    optional: ["coin", "algorithm", "page", "pageSize"],
    strict: false,
    query: true,
  },
  "getContract.params": {
    schema: ops.getContract!.params!,
    valid: fc.record({ id: uuid }),
    fields: { id: "uuid" },
    strict: false,
  },
  "getContractHashrate.params": {
    schema: ops.getContractHashrate!.params!,
    valid: fc.record({ id: uuid }),
    fields: { id: "uuid" },
    strict: false,
  },
  "getContractHashrate.query": {
    schema: ops.getContractHashrate!.query!,
    valid: fc.record({ hours: fc.integer({ min: 1, max: 168 }).map(String) }, { requiredKeys: [] }),
    fields: { hours: "queryInt" },
    optional: ["hours"],
    strict: false,
    query: true,
  },
  "getRigHashrate.params": {
    schema: ops.getRigHashrate!.params!,
    valid: fc.record({ id: uuid }),
    fields: { id: "uuid" },
    strict: false,
  },
  "getRigHashrate.query": {
    schema: ops.getRigHashrate!.query!,
    valid: fc.record({ hours: fc.integer({ min: 1, max: 168 }).map(String) }, { requiredKeys: [] }),
    fields: { hours: "queryInt" },
    optional: ["hours"],
    strict: false,
    query: true,
  },
  "listPayouts.query": {
    schema: ops.listPayouts!.query!,
    valid: fc.record(
      { contractId: uuid, from: day, to: day, limit: fc.integer({ min: 1, max: 1000 }).map(String) },
      { requiredKeys: [] },
    ),
    fields: { contractId: "uuid", from: "day", to: "day", limit: "queryInt" },
    optional: ["contractId", "from", "to", "limit"],
    strict: false,
    query: true,
  },
  "getHashprice.query": {
    schema: ops.getHashprice!.query!,
    valid: fc.record({ coin, from: day, to: day }, { requiredKeys: ["coin"] }),
    fields: { coin: "enum", from: "day", to: "day" },
    optional: ["from", "to"],
    strict: false,
    query: true,
  },
  "createOrder.body": {
    schema: ops.createOrder!.body!,
    valid: fc.record({
      listingId: uuid,
      hashrate: positiveUnits,
      days: fc.integer({ min: 1, max: 3650 }),
      payWith: fc.constantFrom("USD", ...COINS).map((a) => `balance:${a}`),
    }),
    fields: { listingId: "uuid", hashrate: "positiveUnits", days: "int", payWith: "payWith" },
    strict: true,
  },
  "createWithdrawal.body": {
    schema: ops.createWithdrawal!.body!,
    valid: fc.record({ coin, amount: positiveUnits, addressId: uuid, totp: fc.stringMatching(/^[0-9]{6}$/) }),
    fields: { coin: "enum", amount: "positiveUnits", addressId: "uuid", totp: "totp" },
    strict: true,
  },
  "postTelemetry.body": {
    schema: ops.postTelemetry!.body!,
    valid: fc.record({ rigId: uuid, day, avgHashrate: baseUnits }),
    fields: { rigId: "uuid", day: "day", avgHashrate: "units" },
    strict: true,
    array: true,
  },
  "createRig.body": {
    schema: ops.createRig!.body!,
    valid: fc.record(
      {
        facilityId: uuid,
        model: text(1, 100),
        serialNumber: text(1, 100),
        algorithm: fc.constantFrom(...ALGORITHMS),
        nominalHashrateHs: positiveUnits,
        powerW: fc.integer({ min: 1, max: 1_000_000 }),
        status: fc.constantFrom("ACTIVE", "MAINTENANCE", "OFFLINE"),
      },
      { requiredKeys: ["facilityId", "model", "serialNumber", "algorithm", "nominalHashrateHs", "powerW"] },
    ),
    fields: {
      facilityId: "uuid",
      model: "text",
      serialNumber: "text",
      algorithm: "enum",
      nominalHashrateHs: "positiveUnits",
      powerW: "int",
      status: "enum",
    },
    optional: ["status"],
    strict: true,
  },
  "createListing.body": {
    schema: ops.createListing!.body!,
    valid: fc.record(
      {
        coin,
        title: text(3, 120),
        priceMicroUsdPerUnitDay: positiveUnits,
        maintenanceFeeMicroUsdPerUnitDay: baseUnits,
        minDays: fc.integer({ min: 1, max: 3650 }),
        maxDays: fc.integer({ min: 1, max: 3650 }),
        minHashrateHs: positiveUnits,
        rigIds: fc.array(uuid, { maxLength: 5 }),
      },
      {
        requiredKeys: [
          "coin",
          "title",
          "priceMicroUsdPerUnitDay",
          "maintenanceFeeMicroUsdPerUnitDay",
          "minDays",
          "maxDays",
          "minHashrateHs",
        ],
      },
    ),
    fields: {
      coin: "enum",
      title: "text",
      priceMicroUsdPerUnitDay: "positiveUnits",
      maintenanceFeeMicroUsdPerUnitDay: "units",
      minDays: "int",
      maxDays: "int",
      minHashrateHs: "positiveUnits",
      rigIds: "uuidList",
    },
    optional: ["rigIds"],
    strict: true,
  },
  "putNetworkSnapshot.params": {
    schema: ops.putNetworkSnapshot!.params!,
    valid: fc.record({ coin, day }),
    fields: { coin: "enum", day: "day" },
    strict: false,
  },
  "putNetworkSnapshot.body": {
    schema: ops.putNetworkSnapshot!.body!,
    valid: fc.record(
      {
        difficulty: positiveUnits,
        networkHashrateHs: positiveUnits,
        blockTimeMs: fc.integer({ min: 1, max: 3_600_000 }),
        blockSubsidyBase: baseUnits,
        avgFeesPerBlockBase: baseUnits,
        priceMicroUsd: positiveUnits,
        source: text(1, 100),
      },
      { requiredKeys: ["blockTimeMs", "blockSubsidyBase", "avgFeesPerBlockBase", "priceMicroUsd"] },
    ),
    fields: {
      difficulty: "positiveUnits",
      networkHashrateHs: "positiveUnits",
      blockTimeMs: "int",
      blockSubsidyBase: "units",
      avgFeesPerBlockBase: "units",
      priceMicroUsd: "positiveUnits",
      source: "text",
    },
    optional: ["difficulty", "networkHashrateHs", "source"],
    strict: true,
  },
  "createPayoutRun.body": {
    schema: ops.createPayoutRun!.body!,
    valid: fc.record({ day }),
    fields: { day: "day" },
    strict: true,
  },
};

// ---- Hostile values per field kind ------------------------------------------------------------

const HUGE = "9".repeat(100_000);
const notAString = [
  1,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1e300,
  null,
  true,
  false,
  [],
  {},
  ["1"],
  { value: "1" },
];
const amountLike = [
  "1e3",
  "0.5",
  "-1",
  " 1",
  "1 ",
  "+1",
  "01",
  "00",
  "0x10",
  "1_000",
  "1,000",
  "١٢٣",
  "１２３",
  "NaN",
  "Infinity",
  "",
  " ",
  "1\n",
  "1".repeat(41),
  HUGE,
  "١",
];
const hostile: Record<Kind, unknown[]> = {
  units: [...amountLike, ...notAString],
  positiveUnits: ["0", ...amountLike, ...notAString],
  int: [
    "1",
    "1e3",
    1.5,
    0.5,
    -1,
    -0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -Number.MAX_VALUE,
    1e300,
    2 ** 53,
    null,
    true,
    [],
    {},
    "١٢٣",
    "",
  ],
  // Query numbers are decimal digits only: exponents, signs, spaces, hex and other scripts' digits are refused.
  queryInt: [
    "1e3",
    " 7",
    "7 ",
    "+7",
    "0x10",
    "1_0",
    "0",
    "-1",
    "0.5",
    "1.5",
    "-0.5",
    "abc",
    "١٢٣",
    "１２",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    HUGE,
    "100001000",
    "[]",
    "{}",
    "true",
  ],
  uuid: [
    "",
    "x",
    " 0b1c9a52-3e43-4a57-9e4c-6d8e8f0a1b2c",
    "0b1c9a52-3e43-4a57-9e4c-6d8e8f0a1b2c ",
    "0b1c9a523e434a579e4c6d8e8f0a1b2c",
    "٠b1c9a52-3e43-4a57-9e4c-6d8e8f0a1b2c",
    HUGE,
    "'; DROP TABLE contracts; --",
    ...notAString,
  ],
  day: [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "26-11-24",
    "2026-11-24T00:00:00Z",
    " 2026-11-24",
    "٢٠٢٦-١١-٢٤",
    "2026/11/24",
    "",
    HUGE,
    20261124,
    ...notAString,
  ],
  enum: ["btc", "BTC ", " BTC", "", "ＢＴＣ", "SHA-256", "RETIRED", HUGE, ...notAString],
  text: ["", "a".repeat(100_001), ...notAString.filter((v) => typeof v !== "string")],
  payWith: ["balance:usd", "balance:", "card", "balance:USD ", "balance:EUR", "", HUGE, ...notAString],
  totp: ["12345", "1234567", "１２３４５６", "١٢٣٤٥٦", " 123456", "12 456", "", 123456, ...notAString],
  uuidList: [
    "x",
    [""],
    ["x"],
    [1],
    [null],
    Array.from({ length: 10_001 }, () => "0b1c9a52-3e43-4a57-9e4c-6d8e8f0a1b2c"),
    ...notAString.filter((v) => !Array.isArray(v)),
  ],
};
// In a query string every value is a string: what matters is the text.
const asQueryValue = (v: unknown) => (typeof v === "string" ? v : String(v));

/** Refused the way the API refuses: a zod error with a message for every issue, never a throw. */
function expectRefused(schema: z.ZodType, value: unknown) {
  let result: ReturnType<z.ZodType["safeParse"]>;
  expect(() => (result = schema.safeParse(value))).not.toThrow();
  expect(result!.success).toBe(false);
  expect(result!.error!.issues.length).toBeGreaterThan(0);
  for (const issue of result!.error!.issues) expect(issue.message.trim().length).toBeGreaterThan(0);
}

function sample(input: Input) {
  return input.array ? fc.array(input.valid, { minLength: 1, maxLength: 5 }) : input.valid;
}

describe("request schemas (properties)", () => {
  it("covers every request schema of apiOperations", () => {
    const present = Object.entries(ops).flatMap(([id, op]) =>
      (["params", "query", "body"] as const).filter((p) => op[p]).map((p) => `${id}.${p}`),
    );
    expect(present.sort()).toEqual(Object.keys(inputs).sort());
  });

  for (const [name, input] of Object.entries(inputs)) {
    describe(name, () => {
      it("accepts generated valid inputs", () => {
        fc.assert(
          fc.property(sample(input), (value) => {
            const result = input.schema.safeParse(value);
            if (!result.success)
              throw new Error(`refused ${JSON.stringify(value).slice(0, 300)}: ${result.error.message}`);
          }),
          { numRuns: 60 },
        );
      });

      it("refuses each hostile field value with a message", () => {
        const cases = Object.entries(input.fields).flatMap(([field, kind]) =>
          hostile[kind].map((bad) => [field, bad] as const),
        );
        fc.assert(
          fc.property(input.valid, fc.constantFrom(...cases), (valid, [field, bad]) => {
            const value = { ...valid, [field]: input.query ? asQueryValue(bad) : bad };
            // An optional query field may legitimately be absent or empty text.
            if (
              input.query &&
              value[field] === "" &&
              input.optional?.includes(field) &&
              input.fields[field] !== "queryInt"
            )
              return;
            expectRefused(input.schema, input.array ? [value] : value);
          }),
          { numRuns: Math.min(400, cases.length * 3) },
        );
      });

      it("refuses a missing required field, and an unknown field when strict", () => {
        const required = Object.keys(input.fields).filter((f) => !input.optional?.includes(f));
        fc.assert(
          fc.property(
            input.valid,
            fc.constantFrom(...required, "__extra__"),
            fc.string(),
            (valid, field, extraName) => {
              if (field === "__extra__") {
                if (!input.strict) return;
                const name = `x_${extraName}`;
                const value = { ...valid, [name]: "1" };
                expectRefused(input.schema, input.array ? [value] : value);
                return;
              }
              const value: Record<string, unknown> = { ...valid };
              delete value[field];
              expectRefused(input.schema, input.array ? [value] : value);
            },
          ),
          { numRuns: 60 },
        );
      });

      it("never throws on arbitrary JSON values, and explains every refusal", () => {
        fc.assert(
          fc.property(
            fc.oneof(
              fc.jsonValue(),
              fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }),
            ),
            (value) => {
              const result = input.schema.safeParse(value);
              if (!result.success)
                for (const issue of result.error.issues) expect(issue.message.trim().length).toBeGreaterThan(0);
            },
          ),
          { numRuns: 150 },
        );
      });
    });
  }

  it("refuses empty and oversized telemetry batches", () => {
    expectRefused(ops.postTelemetry!.body!, []);
    expectRefused(
      ops.postTelemetry!.body!,
      Array.from({ length: 1001 }, () => ({
        rigId: "0b1c9a52-3e43-4a57-9e4c-6d8e8f0a1b2c",
        day: "2026-11-24",
        avgHashrate: "1",
      })),
    );
  });
});

// ---- The real route handlers ----------------------------------------------------------------

let t: TestDatabase;
let prisma: PrismaClient;
let credentials: { keyId: string; secret: string };

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface RouteCase {
  name: string;
  method: "POST" | "PUT";
  url: string;
  params: Record<string, string>;
  load: () => Promise<Record<string, unknown>>;
  input: Input;
}
const routes: RouteCase[] = [
  {
    name: "POST /api/v1/orders",
    method: "POST",
    url: "/api/v1/orders",
    params: {},
    load: () => import("../../app/api/v1/orders/route"),
    input: inputs["createOrder.body"]!,
  },
  {
    name: "POST /api/v1/withdrawals",
    method: "POST",
    url: "/api/v1/withdrawals",
    params: {},
    load: () => import("../../app/api/v1/withdrawals/route"),
    input: inputs["createWithdrawal.body"]!,
  },
  {
    name: "POST /api/v1/telemetry",
    method: "POST",
    url: "/api/v1/telemetry",
    params: {},
    load: () => import("../../app/api/v1/telemetry/route"),
    input: inputs["postTelemetry.body"]!,
  },
  {
    name: "POST /api/v1/rigs",
    method: "POST",
    url: "/api/v1/rigs",
    params: {},
    load: () => import("../../app/api/v1/rigs/route"),
    input: inputs["createRig.body"]!,
  },
  {
    name: "POST /api/v1/listings/mine",
    method: "POST",
    url: "/api/v1/listings/mine",
    params: {},
    load: () => import("../../app/api/v1/listings/mine/route"),
    input: inputs["createListing.body"]!,
  },
  {
    name: "PUT /api/v1/network/BTC/2026-11-20",
    method: "PUT",
    url: "/api/v1/network/BTC/2026-11-20",
    params: { coin: "BTC", day: "2026-11-20" },
    load: () => import("../../app/api/v1/network/[coin]/[day]/route"),
    input: inputs["putNetworkSnapshot.body"]!,
  },
  {
    name: "POST /api/v1/payout-runs",
    method: "POST",
    url: "/api/v1/payout-runs",
    params: {},
    load: () => import("../../app/api/v1/payout-runs/route"),
    input: inputs["createPayoutRun.body"]!,
  },
];

async function counts() {
  const [contracts, postings, audit, rigs, listings, snapshots, journals] = await Promise.all([
    prisma.contract.count(),
    prisma.posting.count(),
    prisma.auditLog.count(),
    prisma.rig.count(),
    prisma.listing.count(),
    prisma.networkSnapshot.count(),
    prisma.journalTransaction.count(),
  ]);
  return { contracts, postings, audit, rigs, listings, snapshots, journals };
}

/** A hostile body: raw text that is not JSON, a JSON value of the wrong shape, or a valid body with one field made hostile. */
function hostileBody(input: Input): fc.Arbitrary<string> {
  const cases = Object.entries(input.fields).flatMap(([field, kind]) =>
    hostile[kind]
      .filter((v) => v !== HUGE && !(Array.isArray(v) && v.length > 100) && !(typeof v === "string" && v.length > 1000))
      .map((bad) => [field, bad] as const),
  );
  return fc.oneof(
    fc.constantFrom(
      "{",
      "not json",
      '{"a":}',
      "[1,2",
      "\u0000",
      '{"days": 1e999}',
      "null",
      "true",
      "1",
      '"text"',
      "[]",
      "{}",
    ),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.tuple(input.valid, fc.constantFrom(...cases)).map(([valid, [field, bad]]) => {
      const value = { ...valid, [field]: bad };
      return JSON.stringify(input.array ? [value] : value) ?? "";
    }),
    fc.tuple(input.valid, fc.string({ minLength: 1 })).map(([valid, extra]) => {
      const value = { ...valid, [`x_${extra}`]: 1 };
      return JSON.stringify(input.array ? [value] : value);
    }),
  );
}

describe("v1 route handlers with hostile bodies (real database)", () => {
  const { encryptionKeys } = withTestSecrets();
  beforeAll(async () => {
    t = await createTestDatabase({ poolMax: 4 });
    prisma = t.prisma;
    setAppDatabase(prisma);
    const user = await createUser(prisma, ["CUSTOMER", "OPERATOR", "ADMIN"]);
    // The admin operations need the owner's 2FA on (else 403 before the body is looked at).
    await enrollTotp(prisma, user.id, encryptionKeys, { enabledAt: new Date(0) });
    const created = await createApiKey(prisma, {
      userId: user.id,
      label: "property test",
      scopes: ["read", "trade", "withdraw", "telemetry", "operate", "admin"],
    });
    if (!created.ok) throw new Error(created.message);
    credentials = { keyId: created.key.keyId, secret: created.secret };
  }, 60_000);
  afterAll(async () => {
    setAppDatabase(undefined);
    await t?.drop();
  });
  beforeEach(() => resetRateLimiter({ perSecond: 100_000, burst: 100_000 }));

  it("reaches the handler with a well-formed body (so the refusals below are the body's, not the signature's)", async () => {
    const { POST } = (await import("../../app/api/v1/orders/route")) as unknown as Record<string, Handler>;
    const body = JSON.stringify({
      listingId: "0b1c9a52-3e43-4a57-9e4c-6d8e8f0a1b2c",
      hashrate: "1000000000000",
      days: 30,
      payWith: "balance:USD",
    });
    const authorization = signRequest({ ...credentials, method: "POST", url: "/api/v1/orders", body });
    const headers = new Headers({
      "content-type": "application/json",
      authorization,
      "idempotency-key": `prop-sanity-${Date.now()}`,
      [PEER_IP_HEADER]: "198.51.100.9",
    });
    const response = await POST!(new Request("http://api.test/api/v1/orders", { method: "POST", headers, body }), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("listing_unavailable");
  });

  for (const route of routes) {
    it(`${route.name}: 400/422 with { error: { code, message } }, never 500, nothing written`, async () => {
      const handler = ((await route.load()) as Record<string, Handler>)[route.method]!;
      const before = await counts();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(hostileBody(route.input), async (body) => {
          const authorization = signRequest({ ...credentials, method: route.method, url: route.url, body });
          const headers = new Headers({
            "content-type": "application/json",
            authorization,
            "idempotency-key": `prop-${route.method}-${++n}-${Date.now()}`,
            [PEER_IP_HEADER]: "198.51.100.9",
          });
          const response = await handler(
            new Request(`http://api.test${route.url}`, { method: route.method, headers, body }),
            { params: Promise.resolve(route.params) },
          );
          const json = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
          if (response.status !== 400 && response.status !== 422)
            throw new Error(`${response.status} for ${body.slice(0, 200)}: ${JSON.stringify(json).slice(0, 300)}`);
          expect(typeof json.error?.code).toBe("string");
          expect(typeof json.error?.message).toBe("string");
          expect((json.error!.message as string).length).toBeGreaterThan(0);
        }),
        { numRuns: 25 },
      );
      expect(await counts()).toEqual(before);
    }, 60_000);
  }
});
