// Admin and operator actions that move money or decide about it need 2FA on and a session signed
// in with a code (lib/auth/two-factor-guard.ts, `twoFactor` on formAction and apiRoute). Every
// action exported from app/admin/** and app/operator/** actions.ts is discovered on disk and must
// be either guarded (twoFactorPurpose) or exempt below with the reason, so a new money action
// without the guard fails here. Each guarded action is then driven, against a real database, as an
// admin without 2FA, with 2FA but a password-only session, and with 2FA and a session signed in with
// a code: refused (writing nothing) twice, then past the guard. The admin API operations likewise.
// The only stand-ins are the request context Next gives a running server, as in authz-matrix.test.ts.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { twoFactorPurpose } from "@/app/_lib/form-action";
import { resetRateLimiter } from "../api/auth";
import { signRequest } from "../api/hmac";
import { createApiKey } from "../api/keys";
import { startSession, type SecondFactorMethod } from "../auth/sessions";
import { totpCodeFor } from "../auth/totp";
import { confirmTotpEnrolment, startTotpEnrolment } from "../auth/two-factor";
import { requireTwoFactor } from "../auth/two-factor-guard";
import type { PrismaClient } from "../db/client";
import { clearSecretsCache } from "../secrets";
import { AUTH_SECRET, keyB64 } from "../secrets/test-helpers";
import {
  businessTables,
  discoverActions,
  loadAppModule,
  rowCounts as tableRowCounts,
  type DiscoveredAction,
} from "../testing/app-surface";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser, ensureBtc } from "../testing/fixtures";

const session = vi.hoisted(() => ({
  current: null as null | { user: { id: string; email: string; name: string }; authAt: number; sid: string },
}));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: vi.fn(async () => session.current),
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set() {}, delete() {} }),
}));
vi.mock("next/cache", () => ({
  revalidatePath: vi.fn(),
  revalidateTag: vi.fn(),
  updateTag: vi.fn(),
  refresh: vi.fn(),
}));

/** Admin and operator actions that neither move money nor decide about it, and why. */
const EXEMPT: Record<string, string> = {
  "app/admin/audit/actions.ts#verifyChainAction": "reads the audit chain; writes only its own verification line",
  "app/admin/ledger/actions.ts#reconcileNowAction": "compares cached balances with their postings; moves nothing",
  "app/operator/actions.ts#createFacilityAction": "a site and its power price: the operator's own cost figures",
  "app/operator/actions.ts#updateFacilityAction": "a site and its power price: the operator's own cost figures",
  "app/operator/actions.ts#setFacilityUpstreamAction":
    "the pool the operator's own rigs mine for; customers are paid from verified shares and network data",
  "app/operator/actions.ts#removeFacilityUpstreamAction": "back to pool mode; as setFacilityUpstreamAction",
  "app/operator/actions.ts#createRigAction": "inventory: capacity to sell, no value moves",
  "app/operator/actions.ts#updateRigAction": "inventory: capacity to sell, no value moves",
  "app/operator/actions.ts#importRigsAction": "inventory: capacity to sell, no value moves",
  "app/operator/actions.ts#changeRigStatusAction":
    "moves allocations to free capacity; what was delivered is settled by the payout run",
  "app/operator/actions.ts#createListingAction": "the price of future sales; a sold contract keeps its price",
  "app/operator/actions.ts#updateListingAction": "the price of future sales; a sold contract keeps its price",
  "app/operator/actions.ts#setListingPublishedAction": "on or off the marketplace; sold contracts run on",
  "app/operator/actions.ts#issueStratumLoginAction": "a rig's mining credentials (audited); no value",
  "app/operator/payable/actions.ts#requestPayoutAction":
    "guarded in its core, more strictly: requestOperatorPayout needs 2FA on and a fresh code per payout (payable.test.ts)",
  "app/operator/payable/actions.ts#linkPayoutAccountAction":
    "guarded in its core, more strictly: linkPayoutAccount needs 2FA on and a fresh code (payable.test.ts)",
  "app/operator/payable/actions.ts#movePayableToWalletAction":
    "moves the operator's own coin between its own payable and wallet; leaving the platform is a withdrawal (2FA, fresh code, whitelist, limits, review)",
  "app/operator/telemetry/actions.ts#recordTelemetryDayAction":
    "a declaration for days not settled, capped at nominal; measured shares win over it",
  "app/operator/telemetry/actions.ts#recordRigTelemetryAction":
    "a declaration for days not settled, capped at nominal; measured shares win over it",
};

/** The guarded actions and what their refusal names; a new one must be added here with its purpose. */
const GUARDED: Record<string, string> = {
  "app/admin/network/actions.ts#saveSnapshotAction": "enter network data",
  "app/admin/network/actions.ts#importSnapshotsAction": "import network data",
  "app/admin/network/actions.ts#approveSnapshotAction": "approve network data for settlement",
  "app/admin/payouts/actions.ts#rerunDayAction": "run payout days",
  "app/admin/payouts/actions.ts#settleAllAction": "run payout days",
  "app/admin/queues/actions.ts#retryFailedJobsAction": "retry failed jobs",
  "app/admin/users/actions.ts#freezeUserAction": "freeze accounts",
  "app/admin/users/actions.ts#unfreezeUserAction": "unfreeze accounts",
  "app/admin/users/actions.ts#liftWithdrawalsFreezeAction": "lift withdrawal freezes",
  "app/admin/withdrawals/actions.ts#approveWithdrawalAction": "approve withdrawals",
  "app/admin/withdrawals/actions.ts#rejectWithdrawalAction": "reject withdrawals",
  "app/admin/withdrawals/actions.ts#markSentAction": "mark withdrawals sent",
  "app/admin/withdrawals/actions.ts#markConfirmedAction": "mark withdrawals confirmed",
  "app/admin/withdrawals/actions.ts#freezeAccountAction": "freeze accounts",
  "app/admin/withdrawals/actions.ts#unfreezeAccountAction": "unfreeze accounts",
  "app/admin/withdrawals/actions.ts#approveOperatorPayoutAction": "approve operator payouts",
  "app/admin/withdrawals/actions.ts#rejectOperatorPayoutAction": "reject operator payouts",
};

let t: TestDatabase;
let prisma: PrismaClient;
let actions: Map<string, DiscoveredAction>;
let tables: string[];
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

function rowCounts(): Promise<Record<string, number>> {
  return tableRowCounts(prisma, tables);
}

type Admin = { id: string; email: string; name: string };

/** An admin whose 2FA was turned on a minute ago through the real enrolment. */
async function adminWithTwoFactor(): Promise<Admin> {
  const admin = await createUser(prisma, ["ADMIN"]);
  const at = new Date(Date.now() - 60_000);
  const actor = { userId: admin.id, ip: null, now: at };
  const started = await startTotpEnrolment(prisma, actor, { secret: SECRET });
  if (!started.ok) throw new Error(started.message);
  const confirmed = await confirmTotpEnrolment(prisma, { ...actor, code: totpCodeFor(SECRET, at) });
  if (!confirmed.ok) throw new Error(confirmed.message);
  return admin;
}

/** A sign-in as the login does it (a user_sessions row, its id in the JWT), with or without a code. */
async function signInAs(user: Admin, secondFactor: SecondFactorMethod | null) {
  const { sessionId: sid } = await startSession(prisma, {
    userId: user.id,
    ip: "203.0.113.1",
    userAgent: "two-factor test",
    secondFactor,
  });
  session.current = { user: { id: user.id, email: user.email, name: user.name }, authAt: Date.now(), sid };
}

let noTwoFactor: Admin;
let withTwoFactor: Admin;

beforeAll(async () => {
  vi.stubEnv("SECRETS_MANAGER_SECRET_ID", undefined);
  vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
  vi.stubEnv("ENCRYPTION_KEYS", `k1:${keyB64()}`);
  vi.stubEnv("ENCRYPTION_ACTIVE_KEY_ID", undefined);
  vi.stubEnv("__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS", "true");
  clearSecretsCache();
  t = await createTestDatabase({ poolMax: 4 });
  prisma = t.prisma;
  (globalThis as unknown as { hashleasePrisma?: PrismaClient }).hashleasePrisma = prisma;
  await ensureBtc(prisma);
  noTwoFactor = await createUser(prisma, ["ADMIN"]);
  withTwoFactor = await adminWithTwoFactor();
  tables = await businessTables(prisma);
  actions = await discoverActions(["app/admin", "app/operator"]);
});
afterAll(async () => {
  session.current = null;
  (globalThis as unknown as { hashleasePrisma?: PrismaClient }).hashleasePrisma = undefined;
  await t?.drop();
  vi.unstubAllEnvs();
  clearSecretsCache();
});

describe("every admin and operator action is guarded or exempt with a reason", () => {
  it("matches the actions on disk", () => {
    const guarded = [...actions].filter(([, fn]) => twoFactorPurpose(fn)).map(([key]) => key);
    const unguarded = [...actions.keys()].filter((key) => !guarded.includes(key));
    expect({
      guardedButNotListed: guarded.filter((key) => !(key in GUARDED)),
      listedButNotGuarded: Object.keys(GUARDED).filter((key) => !guarded.includes(key)),
      neitherGuardedNorExempt: unguarded.filter((key) => !(key in EXEMPT)),
      exemptButMissingOrGuarded: Object.keys(EXEMPT).filter((key) => !unguarded.includes(key)),
    }).toEqual({
      guardedButNotListed: [],
      listedButNotGuarded: [],
      neitherGuardedNorExempt: [],
      exemptButMissingOrGuarded: [],
    });
    for (const [key, purpose] of Object.entries(GUARDED)) expect(twoFactorPurpose(actions.get(key)), key).toBe(purpose);
    expect(guarded.length).toBe(17);
  });
});

type State = { status?: string; message?: string; twoFactorRequired?: boolean };

async function run(key: string): Promise<State> {
  const fn = actions.get(key)!;
  try {
    return (await fn({ status: "idle", fieldErrors: {}, values: {} }, new FormData())) as State;
  } catch (error) {
    // A redirect (success of an action that leaves the page) or an unexpected failure.
    const digest = (error as { digest?: unknown })?.digest;
    return { status: typeof digest === "string" ? digest.split(";")[0] : `thrown: ${String(error)}` };
  }
}

describe("each guarded action", () => {
  it.each(Object.entries(GUARDED))(
    "%s refuses without 2FA, writing nothing, and runs with it",
    async (key, purpose) => {
      await signInAs(noTwoFactor, null);
      let before = await rowCounts();
      const off = await run(key);
      expect(off).toMatchObject({
        status: "error",
        message: `Turn on two-factor authentication to ${purpose}.`,
        twoFactorRequired: true,
      });
      expect(await rowCounts()).toEqual(before);

      await signInAs(withTwoFactor, null);
      before = await rowCounts();
      const passwordOnly = await run(key);
      expect(passwordOnly).toMatchObject({ status: "error", twoFactorRequired: true });
      expect(passwordOnly.message).toMatch(/^Sign in again with your authenticator code to /);
      expect(await rowCounts()).toEqual(before);

      // Signed in with a code: past the guard (the empty form is then refused, or done, by the action itself).
      await signInAs(withTwoFactor, "totp");
      const on = await run(key);
      expect(on.twoFactorRequired).toBeUndefined();
      expect(on.message ?? "").not.toMatch(/two-factor|authenticator code/);
      expect(on.status).not.toMatch(/^thrown/);
    },
  );

  it("freezes an account only for an admin signed in with a code", async () => {
    const customer = await createUser(prisma, ["CUSTOMER"]);
    const freeze = actions.get("app/admin/users/actions.ts#freezeUserAction")!;
    const form = new FormData();
    form.set("userId", customer.id);
    form.set("reason", "Reported stolen device");
    await signInAs(noTwoFactor, null);
    expect(await freeze({ status: "idle" }, form)).toMatchObject({ status: "error", twoFactorRequired: true });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: customer.id } })).frozenAt).toBeNull();
    await signInAs(withTwoFactor, "recovery");
    expect(await freeze({ status: "idle" }, form)).toMatchObject({ status: "done" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: customer.id } })).frozenAt).not.toBeNull();
  });

  it("counts the session that confirmed the enrolment as signed in with a code", async () => {
    const admin = await createUser(prisma, ["ADMIN"]);
    const { sessionId } = await startSession(prisma, { userId: admin.id, ip: null, userAgent: "enrol" });
    const via = { sessionId };
    expect(await requireTwoFactor(prisma, { userId: admin.id, via, purpose: "approve withdrawals" })).toMatchObject({
      ok: false,
      code: "TWO_FACTOR_REQUIRED",
      message: "Turn on two-factor authentication to approve withdrawals.",
    });
    const now = new Date();
    expect((await startTotpEnrolment(prisma, { userId: admin.id, ip: null, now }, { secret: SECRET })).ok).toBe(true);
    const code = totpCodeFor(SECRET, now);
    expect((await confirmTotpEnrolment(prisma, { userId: admin.id, ip: null, now, code, sessionId })).ok).toBe(true);
    expect(await requireTwoFactor(prisma, { userId: admin.id, via, purpose: "approve withdrawals" })).toEqual({
      ok: true,
    });
  });
});

describe("admin API operations", () => {
  type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

  async function call(
    file: string,
    method: "PUT" | "POST",
    url: string,
    params: Record<string, string>,
    body: unknown,
    creds: { keyId: string; secret: string },
  ) {
    const mod = (await loadAppModule(file)) as Record<string, Handler>;
    const text = JSON.stringify(body);
    const headers = new Headers({ "content-type": "application/json", "idempotency-key": `tf-${randomUUID()}` });
    headers.set("authorization", signRequest({ ...creds, method, url, body: text }));
    return mod[method]!(new Request(`http://localhost:3000${url}`, { method, headers, body: text }), {
      params: Promise.resolve(params),
    });
  }

  async function adminKey(admin: Admin) {
    const created = await createApiKey(prisma, { userId: admin.id, label: "payouts", scopes: ["admin"] });
    if (!created.ok) throw new Error(created.message);
    return { keyId: created.key.keyId, secret: created.secret };
  }

  const PIPELINE_TABLES = ["api_nonces", "api_rate_buckets"];
  const day = "2026-01-05";
  const operations = [
    {
      name: "PUT /api/v1/network/{coin}/{day}",
      file: "app/api/v1/network/[coin]/[day]/route.ts",
      method: "PUT" as const,
      url: `/api/v1/network/BTC/${day}`,
      params: { coin: "BTC", day } as Record<string, string>,
      body: {
        difficulty: "102289407543323",
        blockTimeMs: 600000,
        blockSubsidyBase: "312500000",
        avgFeesPerBlockBase: "2000000",
        priceMicroUsd: "95000000000",
      },
      ok: 200,
    },
    {
      name: "POST /api/v1/payout-runs",
      file: "app/api/v1/payout-runs/route.ts",
      method: "POST" as const,
      url: "/api/v1/payout-runs",
      params: {} as Record<string, string>,
      body: { day },
      ok: 201,
    },
  ];

  it.each(operations)("$name: 403 two_factor_required without 2FA, runs with it", async (op) => {
    resetRateLimiter({ perSecond: 1000, burst: 1000 });
    const [offKey, onKey] = [await adminKey(noTwoFactor), await adminKey(withTwoFactor)];
    const before = await rowCounts();
    const refused = await call(op.file, op.method, op.url, op.params, op.body, offKey);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: { code: "two_factor_required", message: expect.stringMatching(/^Turn on two-factor authentication to /) },
    });
    const after = await rowCounts();
    // The signature's nonce and rate bucket are spent (the pipeline's guards); nothing the operation would write.
    const moved = Object.keys(before).filter((name) => before[name] !== after[name] && !PIPELINE_TABLES.includes(name));
    expect(moved).toEqual([]);
    const done = await call(op.file, op.method, op.url, op.params, op.body, onKey);
    expect(done.status, await done.clone().text()).toBe(op.ok);
  });
});
