// The authorisation matrix: every server action and route handler found on disk must have a
// rule in lib/security/authz-rules.ts, and each is driven as anonymous, as each role and as a
// frozen account against a real database. The only stand-ins are the request context Next
// gives a running server: next-auth's getServerSession (the session cookie's decoded claims —
// the account behind them is still read from the database by getCurrentUser), next/headers
// (an empty request) and next/cache (no page cache outside a server).
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetRateLimiter } from "../api/auth";
import { signRequest } from "../api/hmac";
import { createApiKey } from "../api/keys";
import { startSession } from "../auth/sessions";
import type { PrismaClient } from "../db/client";
import { PEER_IP_HEADER } from "../http/client-ip";
import { stripeClient } from "../payments/stripe";
import { clearSecretsCache } from "../secrets";
import { AUTH_SECRET, keyB64 } from "../secrets/test-helpers";
import {
  appFiles,
  businessTables,
  discoverActions,
  loadAppModule,
  rowCounts as tableRowCounts,
} from "../testing/app-surface";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createListing, createUser, ensureBtc } from "../testing/fixtures";
import { ACTION_RULES, ROUTE_RULES, type ActionRule, type Role } from "./authz-rules";
import { RATE_LIMITS } from "./rate-limit";

const session = vi.hoisted(() => ({
  current: null as null | { user: { id: string; email: string; name: string }; authAt: number; sid: string },
  /** The request's cookies: signIn() puts a real next-auth session cookie here (read by getSessionClaims). */
  cookies: new Map<string, string>(),
}));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: vi.fn(async () => session.current),
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => {
    const jar = session.cookies;
    return {
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      has: (name: string) => jar.has(name),
      set: (name: string, value: string) => void jar.set(name, value),
      delete: (name: string) => void jar.delete(name),
    };
  },
}));
vi.mock("next/cache", () => ({
  revalidatePath: vi.fn(),
  revalidateTag: vi.fn(),
  updateTag: vi.fn(),
  refresh: vi.fn(),
}));

const ROOT = path.resolve(__dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

async function discoverRoutes(): Promise<Map<string, (...args: unknown[]) => Promise<Response> | Response>> {
  const found = new Map<string, (...args: unknown[]) => Promise<Response> | Response>();
  for (const file of appFiles(path.join(ROOT, "app"), "route.ts")) {
    const mod = await loadAppModule(file);
    for (const method of METHODS)
      if (typeof mod[method] === "function") found.set(`${file}#${method}`, mod[method] as () => Response);
  }
  return found;
}

// Outcomes ---------------------------------------------------------------------------------

type Outcome =
  | { kind: "login" }
  | { kind: "forbidden" }
  | { kind: "redirect"; to: string }
  | { kind: "state"; value: unknown }
  | { kind: "error"; message: string };

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { kind: "state", value: await run() };
  } catch (error) {
    const digest = (error as { digest?: unknown })?.digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) {
      const to = digest.split(";")[2] ?? "";
      return to.startsWith("/login") ? { kind: "login" } : { kind: "redirect", to };
    }
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;403") return { kind: "forbidden" };
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
}

const isAuthRefusal = (o: Outcome) => o.kind === "login" || o.kind === "forbidden";
/** A returned form state that says it failed (every action's error states carry status "error" or ok: false). */
function isErrorState(o: Outcome): boolean {
  if (o.kind !== "state" || !o.value || typeof o.value !== "object") return false;
  const v = o.value as { status?: unknown; ok?: unknown };
  return v.status === "error" || v.ok === false;
}

// Fixtures -------------------------------------------------------------------------------

type Persona = "anonymous" | Role | "frozen";
const PERSONAS: Persona[] = ["anonymous", "CUSTOMER", "OPERATOR", "ADMIN", "frozen"];

let t: TestDatabase;
let prisma: PrismaClient;
const users: Partial<Record<Persona, { id: string; email: string; name: string }>> = {};
let tables: string[] = [];
let market: { operatorId: string; listingId: string; rigIds: string[]; facilityId: string };
let customerKeyId: string;
let customerKeyRowId: string;
/** Owns the API key and the address the owner checks use (not one of the matrix personas). */
let objectOwner: { id: string; email: string; name: string };
let customerAddressId: string;
/** A live session of objectOwner's, which only objectOwner may end. */
let ownerSessionId: string;
/** An unread notice of objectOwner's, which only objectOwner may mark read. */
let ownerNoticeId: string;

async function signIn(persona: Persona) {
  const user = persona === "anonymous" ? undefined : users[persona];
  if (user) await signInAs(user);
  else signOut();
}
/** A sign-in as the login does it: a user_sessions row whose id the JWT carries as `sid`. */
async function signInAs(user: { id: string; email: string; name: string }) {
  const authAt = Date.now();
  const { sessionId: sid } = await startSession(prisma, { userId: user.id, ip: "203.0.113.1", userAgent: "matrix" });
  session.current = { user: { id: user.id, email: user.email, name: user.name }, authAt, sid };
  session.cookies.clear();
  session.cookies.set(
    "next-auth.session-token",
    await encode({ token: { uid: user.id, email: user.email, authAt, sid }, secret: AUTH_SECRET, maxAge: 3600 }),
  );
}
function signOut() {
  session.current = null;
  session.cookies.clear();
}

/** Row count of every table: "nothing was written" means none of them moved. */
function rowCounts(): Promise<Record<string, number>> {
  return tableRowCounts(prisma, tables);
}

function allowed(rule: ActionRule, persona: Persona): boolean {
  if (rule.allow === "anyone") return true;
  if (persona === "anonymous" || persona === "frozen") return false;
  return rule.allow === "signed-in" || rule.allow === persona;
}

/** Inputs that pass each action's own validation where it runs before the session check. */
const csvFile = (text: string) => new File([text], "upload.csv", { type: "text/csv" });
const RIG_FORM = () => ({
  facilityId: market.facilityId,
  model: "Antminer S21",
  serialNumber: `MATRIX-${Math.random().toString(36).slice(2, 10)}`,
  algorithm: "SHA256",
  nominalHashrate: "200",
  hashrateUnit: "TH/s",
  powerW: "3500",
  status: "ACTIVE",
});
const LISTING_FORM = () => ({
  coin: "BTC",
  title: "Matrix test fleet",
  price: "0.0195",
  maintenanceFee: "0.016",
  minDays: "1",
  maxDays: "30",
  minHashrate: "1",
});
const SAMPLE_FORMS: Record<string, () => Record<string, string | File>> = {
  "app/admin/network/actions.ts#importSnapshotsAction": () => ({ file: csvFile("coin,day\n") }),
  "app/admin/network/actions.ts#approveSnapshotAction": () => ({ coin: "BTC", day: "2020-01-01" }),
  "app/operator/actions.ts#createFacilityAction": () => ({
    name: "Matrix site",
    location: "Oslo, Norway",
    countryCode: "NO",
    powerPrice: "0.05",
  }),
  "app/operator/actions.ts#createRigAction": RIG_FORM,
  "app/operator/actions.ts#updateRigAction": RIG_FORM,
  "app/operator/actions.ts#importRigsAction": () => ({ file: csvFile("model\n") }),
  "app/operator/actions.ts#createListingAction": LISTING_FORM,
  "app/operator/actions.ts#updateListingAction": LISTING_FORM,
  "app/settings/api-keys/actions.ts#createApiKeyAction": () => ({ label: "matrix key", scopes: "read" }),
  "app/settings/security/actions.ts#confirmEnrolmentAction": () => ({ code: "123456" }),
  "app/settings/security/actions.ts#regenerateRecoveryCodesAction": () => ({ code: "123456" }),
  "app/settings/security/actions.ts#disableAction": () => ({ code: "123456" }),
  "app/operator/actions.ts#changeRigStatusAction": () => ({ status: "MAINTENANCE" }),
  "app/operator/actions.ts#setListingPublishedAction": () => ({ publish: "no" }),
  "app/operator/actions.ts#issueStratumLoginAction": () => ({}),
  "app/operator/actions.ts#setFacilityUpstreamAction": () => ({
    coin: "BTC",
    url: "stratum+tcp://pool.example.com:3333",
    username: "matrix.worker",
    password: "x",
  }),
  "app/operator/actions.ts#removeFacilityUpstreamAction": () => ({ coin: "BTC" }),
  "app/operator/actions.ts#updateFacilityAction": () => ({
    name: "Taken over",
    location: "Oslo, Norway",
    countryCode: "NO",
    powerPrice: "0.05",
  }),
  "app/settings/api-keys/actions.ts#rotateApiKeyAction": () => ({ key: customerKeyRowId }),
  "app/settings/api-keys/actions.ts#revokeApiKeyAction": () => ({ key: customerKeyRowId }),
  "app/wallet/addresses/actions.ts#deleteAddressAction": () => ({ addressId: customerAddressId }),
  "app/settings/sessions/actions.ts#signOutDeviceAction": () => ({ sessionId: ownerSessionId }),
  "app/notifications/actions.ts#markReadAction": () => ({ id: ownerNoticeId }),
  "app/settings/notifications/actions.ts#setPreferenceAction": () => ({ kind: "customer.payout_digest", email: "off" }),
  "app/settings/security/actions.ts#setPhraseAction": () => ({ phrase: "blue heron" }),
};
function objectId(key: string): string {
  const rule = ACTION_RULES[key];
  if (rule?.owner === "rig") return market.rigIds[0]!;
  if (rule?.owner === "listing") return market.listingId;
  if (rule?.owner === "facility") return market.facilityId;
  if (key.endsWith("#recordTelemetryDayAction")) return "2026-01-01";
  return "00000000-0000-4000-8000-000000000000";
}

function call(
  key: string,
  fn: (...args: unknown[]) => Promise<unknown>,
  fields: Record<string, string | File>,
): Promise<unknown> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const args = ACTION_RULES[key]!.args;
  if (args === "none") return fn();
  if (args === "form") return fn(form);
  if (args === "object") return fn({ ...fields });
  if (args === "id-state-form") return fn(objectId(key), { status: "idle" }, form);
  return fn({ status: "idle" }, form);
}

let actions: Map<string, (...args: unknown[]) => Promise<unknown>>;
let routes: Map<string, (...args: unknown[]) => Promise<Response> | Response>;

beforeAll(async () => {
  vi.stubEnv("SECRETS_MANAGER_SECRET_ID", undefined);
  vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
  vi.stubEnv("ENCRYPTION_KEYS", `k1:${keyB64()}`);
  vi.stubEnv("ENCRYPTION_ACTIVE_KEY_ID", undefined);
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", "whsec_matrix_test");
  // next.config.ts turns on experimental.authInterrupts; Next's build sets this for forbidden().
  vi.stubEnv("__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS", "true");
  clearSecretsCache();
  t = await createTestDatabase({ poolMax: 4 });
  prisma = t.prisma;
  (globalThis as unknown as { hashleasePrisma?: PrismaClient }).hashleasePrisma = prisma;
  await ensureBtc(prisma);
  for (const role of ["CUSTOMER", "OPERATOR", "ADMIN"] as const) users[role] = await createUser(prisma, [role]);
  const frozen = await createUser(prisma, ["CUSTOMER", "OPERATOR", "ADMIN"]);
  await prisma.user.update({ where: { id: frozen.id }, data: { frozenAt: new Date() } });
  users.frozen = frozen;
  const listing = await createListing(prisma, { rigsTh: [100] });
  const rig = await prisma.rig.findUniqueOrThrow({ where: { id: listing.rigIds[0]! } });
  market = { ...listing, facilityId: rig.facilityId };
  objectOwner = await createUser(prisma, ["CUSTOMER"]);
  const key = await createApiKey(prisma, { userId: objectOwner.id, label: "matrix", scopes: ["read"] });
  if (!key.ok) throw new Error(key.message);
  customerKeyId = key.key.keyId;
  customerKeyRowId = key.key.id;
  const address = await prisma.withdrawalAddress.create({
    data: {
      userId: objectOwner.id,
      coin: "BTC",
      address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
      label: "cold",
      validatedAt: new Date(),
      addressFormat: "bech32",
      usableAfter: new Date(),
    },
  });
  customerAddressId = address.id;
  ownerSessionId = (await startSession(prisma, { userId: objectOwner.id, ip: "198.51.100.1", userAgent: "owner" }))
    .sessionId;
  ownerNoticeId = (
    await prisma.notification.create({
      data: { userId: objectOwner.id, kind: "test.notice", title: "A notice", body: "Only the owner reads it." },
    })
  ).id;
  tables = await businessTables(prisma);
  actions = await discoverActions();
  routes = await discoverRoutes();
});
afterAll(async () => {
  signOut();
  (globalThis as unknown as { hashleasePrisma?: PrismaClient }).hashleasePrisma = undefined;
  await t?.drop();
  vi.unstubAllEnvs();
  clearSecretsCache();
});

describe("the rules table covers exactly what is on disk", () => {
  it("every server action export and every route method has a rule, and every rule names one", () => {
    const missingActions = [...actions.keys()].filter((k) => !(k in ACTION_RULES));
    const staleActions = Object.keys(ACTION_RULES).filter((k) => !actions.has(k));
    const missingRoutes = [...routes.keys()].filter((k) => !(k in ROUTE_RULES));
    const staleRoutes = Object.keys(ROUTE_RULES).filter((k) => !routes.has(k));
    expect({ missingActions, staleActions, missingRoutes, staleRoutes }).toEqual({
      missingActions: [],
      staleActions: [],
      missingRoutes: [],
      staleRoutes: [],
    });
    expect(actions.size).toBeGreaterThan(30);
    expect(routes.size).toBeGreaterThan(20);
  });
});

describe("server actions, as each persona", () => {
  const keys = Object.keys(ACTION_RULES);
  it.each(keys)("%s", async (key) => {
    const fn = actions.get(key);
    expect(fn, `${key} is not exported`).toBeTypeOf("function");
    const rule = ACTION_RULES[key]!;
    const report: string[] = [];
    // Disallowed personas first, so the allowed ones' writes do not mask a refused one's.
    const order = [...PERSONAS].sort((a, b) => Number(allowed(rule, a)) - Number(allowed(rule, b)));
    for (const persona of order) {
      await signIn(persona);
      const fields = SAMPLE_FORMS[key]?.() ?? {};
      const before = await rowCounts();
      const outcome = await outcomeOf(() => call(key, fn!, fields));
      const after = await rowCounts();
      if (process.env.AUTHZ_MATRIX_TRACE)
        console.log(
          `TRACE ${key} ${persona} ${allowed(rule, persona) ? "allowed" : "denied"} ${JSON.stringify(outcome).slice(0, 160)}`,
        );
      if (allowed(rule, persona)) {
        if (isAuthRefusal(outcome)) report.push(`${persona}: allowed by the rule but refused (${outcome.kind})`);
      } else {
        // The session check itself must refuse (SAMPLE_FORMS gets past any validation that runs
        // first): anonymous and frozen accounts are sent to sign in, a signed-in account
        // without the role gets the 403 page.
        const expected = persona === "anonymous" || persona === "frozen" ? "login" : "forbidden";
        if (outcome.kind !== expected)
          report.push(`${persona}: expected ${expected}, got ${JSON.stringify(outcome).slice(0, 300)}`);
        const moved = Object.keys(before).filter((name) => before[name] !== after[name]);
        if (moved.length) report.push(`${persona}: not allowed but wrote to ${moved.join(", ")}`);
      }
    }
    signOut();
    expect(report).toEqual([]);
  });
});

describe("server actions on another user's object", () => {
  const operatorOwner = () => market.operatorId;
  const customerOwner = () => objectOwner.id;
  const ownerChecks: { key: string; as: Role; owner: () => string; row: () => Promise<unknown> }[] = [
    {
      key: "app/operator/actions.ts#changeRigStatusAction",
      as: "OPERATOR",
      owner: operatorOwner,
      row: () => prisma.rig.findUnique({ where: { id: market.rigIds[0]! } }),
    },
    {
      key: "app/operator/actions.ts#setListingPublishedAction",
      as: "OPERATOR",
      owner: operatorOwner,
      row: () => prisma.listing.findUnique({ where: { id: market.listingId } }),
    },
    {
      key: "app/operator/actions.ts#updateRigAction",
      as: "OPERATOR",
      owner: operatorOwner,
      row: () => prisma.rig.findUnique({ where: { id: market.rigIds[0]! } }),
    },
    {
      key: "app/operator/actions.ts#updateListingAction",
      as: "OPERATOR",
      owner: operatorOwner,
      row: () => prisma.listing.findUnique({ where: { id: market.listingId } }),
    },
    {
      key: "app/operator/actions.ts#updateFacilityAction",
      as: "OPERATOR",
      owner: operatorOwner,
      row: () => prisma.facility.findUnique({ where: { id: market.facilityId } }),
    },
    {
      key: "app/operator/actions.ts#issueStratumLoginAction",
      as: "OPERATOR",
      owner: operatorOwner,
      row: () => prisma.rigStratumCredential.findUnique({ where: { rigId: market.rigIds[0]! } }),
    },
    {
      key: "app/operator/actions.ts#setFacilityUpstreamAction",
      as: "OPERATOR",
      owner: operatorOwner,
      row: () => prisma.facilityUpstream.findMany({ where: { facilityId: market.facilityId } }),
    },
    {
      key: "app/settings/api-keys/actions.ts#rotateApiKeyAction",
      as: "OPERATOR",
      owner: customerOwner,
      row: () => prisma.apiKey.findUnique({ where: { keyId: customerKeyId } }),
    },
    {
      key: "app/settings/api-keys/actions.ts#revokeApiKeyAction",
      as: "ADMIN",
      owner: customerOwner,
      row: () => prisma.apiKey.findUnique({ where: { keyId: customerKeyId } }),
    },
    {
      key: "app/settings/sessions/actions.ts#signOutDeviceAction",
      as: "CUSTOMER",
      owner: customerOwner,
      row: () => prisma.userSession.findUnique({ where: { id: ownerSessionId } }),
    },
    {
      key: "app/notifications/actions.ts#markReadAction",
      as: "CUSTOMER",
      owner: customerOwner,
      row: () => prisma.notification.findUnique({ where: { id: ownerNoticeId } }),
    },
    {
      key: "app/wallet/addresses/actions.ts#deleteAddressAction",
      as: "CUSTOMER",
      owner: customerOwner,
      row: () => prisma.withdrawalAddress.findUnique({ where: { id: customerAddressId } }),
    },
  ];
  /** Owner-only actions this file does not drive as a non-owner yet, and why. */
  const ownerNotDriven: Record<string, string> = {
    "app/checkout/test/[contractId]/actions.ts#payTestCheckout":
      "needs a pending test-mode Stripe checkout; a foreign contract id redirects to /dashboard (only the persona matrix runs here)",
    "app/checkout/test/[contractId]/actions.ts#cancelTestCheckout": "as payTestCheckout",
    "app/dashboard/actions.ts#resumeCheckoutAction":
      "openCheckout looks the contract up by id and customer: another's is RESERVATION_CLOSED like a missing one (lib/payments/stripe.test.ts)",
    "app/dashboard/actions.ts#cancelCheckoutAction":
      "cancelCheckout refuses another customer's checkout and writes nothing (lib/payments/stripe.test.ts)",
    "app/operator/telemetry/actions.ts#recordRigTelemetryAction":
      "the owner's positive control needs an ended, unsettled day on an active rig; the API telemetry route's ownership is checked below",
    "app/operator/actions.ts#removeFacilityUpstreamAction":
      "needs a saved upstream first; the core refuses another operator's facility (lib/stratum/upstream.test.ts)",
    "app/wallet/actions.ts#requestWithdrawalAction":
      "a withdrawal needs TOTP enrolment and a funded, unlocked address before ownership is reached",
    "app/wallet/actions.ts#cancelWithdrawalAction":
      "needs a pending withdrawal (TOTP, funded balance, unlocked address)",
    "app/wallet/actions.ts#resendWithdrawalLinkAction":
      "as cancelWithdrawalAction; the core refuses another user's withdrawal (lib/wallet/withdrawals.test.ts)",
  };
  it("every owner-only rule is driven here or says why not", () => {
    const owned = Object.entries(ACTION_RULES)
      .filter(([, r]) => r.owner)
      .map(([k]) => k);
    const uncovered = owned.filter((k) => !ownerChecks.some((c) => c.key === k) && !(k in ownerNotDriven));
    expect(uncovered).toEqual([]);
    expect(Object.keys(ownerNotDriven).filter((k) => !ACTION_RULES[k]?.owner)).toEqual([]);
  });
  it.each(ownerChecks.map((c) => [c.key, c] as const))(
    "%s refuses a non-owner and changes nothing; the owner's same call goes through",
    async (key, check) => {
      expect(ACTION_RULES[key]?.owner, `${key} should be marked owner-only`).toBeTruthy();
      // A second user of the role that may call the action, who does not own the object.
      const intruder = await createUser(prisma, [
        check.as,
        ...(check.as === "CUSTOMER" ? [] : (["CUSTOMER"] as const)),
      ]);
      // Signed in first: the sign-in's own session row is not the action's write.
      await signInAs(intruder);
      const rowBefore = JSON.stringify(await check.row(), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
      const before = await rowCounts();
      const outcome = await outcomeOf(() => call(key, actions.get(key)!, SAMPLE_FORMS[key]!()));
      signOut();
      expect(
        outcome.kind === "forbidden" || outcome.kind === "login" || isErrorState(outcome),
        JSON.stringify(outcome),
      ).toBe(true);
      expect(JSON.stringify(await check.row(), (_k, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(rowBefore);
      expect(await rowCounts()).toEqual(before);
      // The same input from the owner is accepted, so the refusal above was the ownership check.
      await signInAs(await prisma.user.findUniqueOrThrow({ where: { id: check.owner() } }));
      const own = await outcomeOf(() => call(key, actions.get(key)!, SAMPLE_FORMS[key]!()));
      signOut();
      expect(isAuthRefusal(own) || isErrorState(own) || own.kind === "error", JSON.stringify(own)).toBe(false);
      expect(JSON.stringify(await check.row(), (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toBe(
        rowBefore,
      );
    },
  );
});

// Route handlers -----------------------------------------------------------------------------

type Creds = { keyId: string; secret: string };
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

/** The URL path and params of a route file, with sample values for its dynamic segments. */
function routeTarget(file: string, values: Record<string, string> = {}) {
  const params: Record<string, string> = {};
  const segments = file
    .replace(/^app/, "")
    .replace(/\/route\.ts$/, "")
    .split("/")
    .map((segment) => {
      const m = /^\[(\w+)\]$/.exec(segment);
      if (!m) return segment;
      const name = m[1]!;
      params[name] =
        values[name] ??
        (
          { id: "00000000-0000-4000-8000-000000000000", coin: "BTC", day: "2026-01-01", year: "2025" } as Record<
            string,
            string
          >
        )[name] ??
        "x";
      return params[name];
    });
  return { path: segments.join("/"), params };
}

async function callRoute(
  key: string,
  init: { creds?: Creds; body?: string; values?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Response> {
  const [file, method] = key.split("#") as [string, string];
  const { path: urlPath, params } = routeTarget(file, init.values);
  const url = `http://localhost:3000${urlPath}`;
  const headers = new Headers(init.headers);
  const body = method === "GET" ? undefined : (init.body ?? "{}");
  if (body !== undefined) headers.set("content-type", "application/json");
  if (method !== "GET") headers.set("idempotency-key", `matrix-${Math.random().toString(36).slice(2)}`);
  if (init.creds) headers.set("authorization", signRequest({ ...init.creds, method, url: urlPath, body }));
  const handler = routes.get(key) as Handler;
  return handler(new Request(url, { method, headers, body }), { params: Promise.resolve(params) });
}

async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: string } } | null;
  return body?.error?.code;
}

describe("route handlers", () => {
  const scopeKeys = new Map<string, Creds>();
  let purchasable: string;
  beforeAll(async () => {
    purchasable = (await createListing(prisma, { rigsTh: [100] })).listingId;
    resetRateLimiter({ perSecond: 1000, burst: 1000 });
    // One key per scope, all held by an account with every role, so only the scope decides.
    const holder = await createUser(prisma, ["CUSTOMER", "OPERATOR", "ADMIN"]);
    for (const scope of ["read", "trade", "withdraw", "telemetry", "operate", "admin"]) {
      const created = await createApiKey(prisma, { userId: holder.id, label: `matrix ${scope}`, scopes: [scope] });
      if (!created.ok) throw new Error(created.message);
      scopeKeys.set(scope, { keyId: created.key.keyId, secret: created.secret });
    }
  });

  const apiKeyRoutes = Object.entries(ROUTE_RULES).filter(([, r]) => r.allow === "api-key");
  it.each(apiKeyRoutes.map(([k]) => k))(
    "%s: no signature 401, another scope 403 missing_scope, its scope gets past authorisation",
    async (key) => {
      const rule = ROUTE_RULES[key]!;
      if (rule.allow !== "api-key") throw new Error("unreachable");
      const report: string[] = [];
      const before = await rowCounts();
      const anonymous = await callRoute(key);
      if (anonymous.status !== 401) report.push(`anonymous: ${anonymous.status}`);
      for (const [scope, creds] of scopeKeys) {
        if (scope === rule.scope) continue;
        const response = await callRoute(key, { creds });
        const code = await errorCode(response);
        if (response.status !== 403 || code !== "missing_scope")
          report.push(`scope ${scope}: ${response.status} ${code}`);
      }
      const after = await rowCounts();
      // A signed request's nonce is stored before the scope check (replay protection): the one write a refusal makes.
      const moved = Object.keys(before).filter((name) => before[name] !== after[name] && name !== "api_nonces");
      if (moved.length) report.push(`refused requests wrote to ${moved.join(", ")}`);
      if (rule.scope) {
        const allowed = await callRoute(key, { creds: scopeKeys.get(rule.scope)! });
        if (allowed.status === 401 || (allowed.status === 403 && (await errorCode(allowed)) === "missing_scope")) {
          report.push(`scope ${rule.scope}: refused ${allowed.status} ${await errorCode(allowed)}`);
        }
      }
      expect(report).toEqual([]);
    },
  );

  it("GET /api/v1/contracts/{id} and its /hashrate: the buyer reads them, another customer's read key gets 404", async () => {
    const buyer = await createUser(prisma, ["CUSTOMER"]);
    const { deposit } = await import("../testing/fixtures");
    await deposit(prisma, buyer.id, "USD", 1_000_000_000n);
    const buyerKey = await createApiKey(prisma, { userId: buyer.id, label: "buyer", scopes: ["read", "trade"] });
    if (!buyerKey.ok) throw new Error(buyerKey.message);
    const creds = { keyId: buyerKey.key.keyId, secret: buyerKey.secret };
    const forSale = await createListing(prisma, { rigsTh: [100] });
    const order = {
      listingId: forSale.listingId,
      hashrate: (10n ** 12n * 10n).toString(),
      days: 30,
      payWith: "balance:USD",
    };
    const bought = await callRoute("app/api/v1/orders/route.ts#POST", { creds, body: JSON.stringify(order) });
    expect(bought.status, await bought.clone().text()).toBe(201);
    const contractId = ((await bought.json()) as { contractId: string }).contractId;
    expect(contractId).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await callRoute("app/api/v1/contracts/[id]/route.ts#GET", { creds, values: { id: contractId } });
    expect(mine.status).toBe(200);
    const other = await callRoute("app/api/v1/contracts/[id]/route.ts#GET", {
      creds: scopeKeys.get("read")!,
      values: { id: contractId },
    });
    expect(other.status).toBe(404);
    expect(JSON.stringify(await other.json())).not.toContain(buyer.id);
    const hashrate = "app/api/v1/contracts/[id]/hashrate/route.ts#GET";
    const mineMeasured = await callRoute(hashrate, { creds, values: { id: contractId } });
    expect(mineMeasured.status, await mineMeasured.clone().text()).toBe(200);
    expect(((await mineMeasured.json()) as { contractId: string }).contractId).toBe(contractId);
    const otherMeasured = await callRoute(hashrate, { creds: scopeKeys.get("read")!, values: { id: contractId } });
    expect(otherMeasured.status).toBe(404);
  });

  it("GET /api/v1/rigs/{id}/hashrate: the rig's operator reads it, another operator's key gets 404", async () => {
    const owner = await prisma.user.findUniqueOrThrow({ where: { id: market.operatorId } });
    const ownKey = await createApiKey(prisma, { userId: owner.id, label: "rig owner", scopes: ["operate"] });
    if (!ownKey.ok) throw new Error(ownKey.message);
    const rig = { id: market.rigIds[0]! };
    const mine = await callRoute("app/api/v1/rigs/[id]/hashrate/route.ts#GET", {
      creds: { keyId: ownKey.key.keyId, secret: ownKey.secret },
      values: rig,
    });
    expect(mine.status, await mine.clone().text()).toBe(200);
    expect(((await mine.json()) as { rigId: string }).rigId).toBe(rig.id);
    const other = await callRoute("app/api/v1/rigs/[id]/hashrate/route.ts#GET", {
      creds: scopeKeys.get("operate")!,
      values: rig,
    });
    expect(other.status).toBe(404);
  });

  it("POST /api/v1/telemetry for another operator's rig is refused and records nothing", async () => {
    const before = await prisma.rigTelemetry.count();
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const response = await callRoute("app/api/v1/telemetry/route.ts#POST", {
      creds: scopeKeys.get("telemetry")!,
      body: JSON.stringify([{ rigId: market.rigIds[0], day, avgHashrate: "100000000000000" }]),
    });
    expect([403, 404, 422]).toContain(response.status);
    expect(await prisma.rigTelemetry.count()).toBe(before);
  });

  const sessionRoutes = Object.entries(ROUTE_RULES)
    .filter(([, r]) => r.allow === "session")
    .map(([k]) => k);
  it.each(sessionRoutes)("%s: the session rule holds for each persona", async (key) => {
    const rule = ROUTE_RULES[key]!;
    if (rule.allow !== "session") throw new Error("unreachable");
    const report: string[] = [];
    for (const persona of PERSONAS) {
      await signIn(persona);
      // POST /api/contracts decodes the cookie itself and its purchase statement checks the
      // account, so it gets a purchase that passes validation (and is unaffordable: no balance).
      const body =
        key === "app/api/contracts/route.ts#POST"
          ? JSON.stringify({ listingId: purchasable, hashrate: "10", days: 30, paymentMethod: "BALANCE_USD" })
          : "{}";
      const response = await callRoute(key, { body });
      signOut();
      const ok = persona !== "anonymous" && persona !== "frozen" && (!rule.role || persona === rule.role);
      if (process.env.AUTHZ_MATRIX_TRACE)
        console.log(`TRACE ${key} ${persona} ${response.status} ${(await response.clone().text()).slice(0, 160)}`);
      if (ok ? [401, 403].includes(response.status) : ![401, 403].includes(response.status)) {
        report.push(`${persona}: ${response.status}`);
      } else if (!ok && (persona === "anonymous" || persona === "frozen") && response.status !== 401) {
        report.push(`${persona}: ${response.status}, expected 401`);
      }
    }
    expect(report).toEqual([]);
  });

  it("the Stripe webhook refuses a missing or wrong signature with 400 and records nothing", async () => {
    const before = await rowCounts();
    const missing = await callRoute("app/api/stripe/webhook/route.ts#POST", {
      body: JSON.stringify({ id: "evt_1", type: "checkout.session.completed" }),
    });
    expect(missing.status).toBe(400);
    const wrong = await callRoute("app/api/stripe/webhook/route.ts#POST", {
      body: JSON.stringify({ id: "evt_1", type: "checkout.session.completed" }),
      headers: { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` },
    });
    expect(wrong.status).toBe(400);
    expect(await rowCounts()).toEqual(before);
  });

  it("a flood of forged webhook calls from one IP gets 429 before its body is read; Stripe's deliveries are never limited", async () => {
    const key = "app/api/stripe/webhook/route.ts#POST";
    const stripe = stripeClient("sk_unused");
    const forger = { [PEER_IP_HEADER]: "203.0.113.66" };
    const forged = { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` };
    const { points } = RATE_LIMITS["stripe-webhook-bad-signature-ip"];
    for (let i = 0; i < points; i++) {
      const response = await callRoute(key, { body: "{}", headers: { ...forger, ...(i % 2 ? forged : {}) } });
      expect(response.status).toBe(400);
    }
    const payload = JSON.stringify({
      id: `evt_flood_${Date.now()}`,
      object: "event",
      type: "customer.created",
      data: { object: {} },
    });
    const signed = {
      "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_matrix_test" }),
    };
    // Cut off, even with a good signature: its body is not read.
    const limited = await callRoute(key, { body: payload, headers: { ...forger, ...signed } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await errorCode(limited)).toBe("RATE_LIMITED");
    // Stripe's deliveries from another address verify, so they spend nothing however many come.
    const stripeIp = { [PEER_IP_HEADER]: "3.18.12.63" };
    for (let i = 0; i <= points; i++) {
      const response = await callRoute(key, { body: payload, headers: { ...stripeIp, ...signed } });
      expect(response.status).toBe(200);
    }
    expect(await prisma.rateLimit.count({ where: { key: "stripe-webhook-bad-signature-ip:3.18.12.63" } })).toBe(0);
  });

  it("the metrics scrape does not exist without METRICS_TOKEN and wants that bearer token", async () => {
    const key = "app/api/metrics/route.ts#GET";
    const saved = process.env.METRICS_TOKEN;
    try {
      delete process.env.METRICS_TOKEN;
      expect((await callRoute(key)).status).toBe(404);
      process.env.METRICS_TOKEN = "scrape-token-for-the-matrix";
      await signIn("ADMIN"); // a session is not a token
      expect((await callRoute(key)).status).toBe(401);
      signOut();
      expect((await callRoute(key, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
      const ok = await callRoute(key, { headers: { authorization: "Bearer scrape-token-for-the-matrix" } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("hashlease_db_pool_connections");
    } finally {
      if (saved === undefined) delete process.env.METRICS_TOKEN;
      else process.env.METRICS_TOKEN = saved;
    }
  });

  it("public routes answer anonymous callers", async () => {
    for (const [key, rule] of Object.entries(ROUTE_RULES)) {
      if (rule.allow !== "public") continue;
      signOut();
      const response = await callRoute(key);
      expect([401, 403], `${key} answered ${response.status}`).not.toContain(response.status);
    }
  });
});
