// The /api/v1 routes end to end on real PostgreSQL through a real HTTP server, driven by a
// client written against the OpenAPI document alone (lib/testing/openapi-client.ts): every
// answer is checked against the document's schema for its operation and status.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { totpCodeFor } from "../auth/totp";
import type { PrismaClient } from "../db/client";
import { balanceOf } from "../ledger/ledger";
import { dayText } from "../shared/days";
import { ShareLedger } from "../stratum/accounting";
import { apiRouteFiles, startApiServer } from "../testing/api-server";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import {
  btcSnapshotData,
  createListing,
  createUser,
  deposit,
  ensureBtc,
  ltcPrice,
  TH,
  usableBtcAddress,
} from "../testing/fixtures";
import { OpenApiClient, type ApiCredentials } from "../testing/openapi-client";
import { addContract } from "../testing/operator-fixtures";
import { setAppDatabase, withTestSecrets } from "../testing/secrets";
import { enrollTotp } from "../testing/totp";
import { confirmWithdrawalLink } from "../testing/withdrawals";
import { resetRateLimiter } from "./auth";
import { createApiKey } from "./keys";
import { contractSelect, contractView, payoutView } from "./v1";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestDatabase;
let prisma: PrismaClient;
let server: { url: string; close(): Promise<void> };
let client: OpenApiClient;

const { encryptionKeys } = withTestSecrets();
beforeAll(async () => {
  t = await createTestDatabase({ poolMax: 6 });
  prisma = t.prisma;
  // The route handlers use the app's db(); point it at this file's database.
  setAppDatabase(prisma);
  server = await startApiServer();
  client = await OpenApiClient.load(server.url);
});
afterAll(async () => {
  await server?.close();
  setAppDatabase(undefined);
  await t.drop();
});
beforeEach(() => resetRateLimiter({ perSecond: 1000, burst: 1000 }));

async function key(userId: string, scopes: string[]): Promise<ApiCredentials> {
  const created = await createApiKey(prisma, { userId, label: "api test", scopes });
  if (!created.ok) throw new Error(created.message);
  return { keyId: created.key.keyId, secret: created.secret };
}

describe("the OpenAPI document and the route files", () => {
  it("lists every route file's methods, and every documented operation has a route file", async () => {
    const files = apiRouteFiles();
    const fromFiles = new Set<string>();
    for (const f of files) {
      const routeModule = (await import(/* @vite-ignore */ `../../${f.file}`)) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"])
        if (typeof routeModule[method] === "function") fromFiles.add(`${method} ${f.template}`);
    }
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(client.document.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    expect([...fromFiles].sort()).toEqual([...documented].sort());
    expect(fromFiles.size).toBe(19);
  });

  it("describes the HMAC scheme, scopes, Idempotency-Key on mutating operations and the refusals", () => {
    const doc = client.document as Json;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.hmac.description).toContain("HMAC-SHA256");
    const order = client.operation("createOrder").spec as Json;
    expect(order["x-scope"]).toBe("trade");
    expect(order.parameters.map((p: Json) => p.name)).toContain("Idempotency-Key");
    expect(Object.keys(order.responses).sort()).toEqual([
      "201",
      "400",
      "401",
      "403",
      "404",
      "409",
      "413",
      "422",
      "429",
    ]);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
    expect((client.operation("listContracts").spec as Json).parameters).toEqual([]);
  });
});

describe("a program as customer, operator and admin", () => {
  it("buys a contract, reports telemetry, enters network data, runs the day and reads payouts and balances", async () => {
    const market = await createListing(prisma, { rigsTh: [100, 100] });
    const customer = await createUser(prisma, ["CUSTOMER"]);
    const admin = await createUser(prisma, ["ADMIN"]);
    // Network data and payout runs need the admin's 2FA on (lib/auth/two-factor-guard.ts).
    await enrollTotp(prisma, admin.id, encryptionKeys, { enabledAt: new Date(0) });
    await deposit(prisma, customer.id, "USD", 1_000_000_000n); // $1,000
    const asCustomer = client.as(await key(customer.id, ["read", "trade"]));
    const asOperator = client.as(await key(market.operatorId, ["telemetry", "operate"]));
    const asAdmin = client.as(await key(admin.id, ["admin"]));

    const listings = await asCustomer.call("listListings", { query: { coin: "BTC" } });
    expect(listings.status).toBe(200);
    expect(listings.body.listings).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: market.listingId, freeHs: (200n * TH).toString() })]),
    );

    // Buy 150 TH/s for 30 days from the USD balance; the same Idempotency-Key replays it.
    const order = { listingId: market.listingId, hashrate: (150n * TH).toString(), days: 30, payWith: "balance:USD" };
    const bought = await asCustomer.call<Json>("createOrder", { body: order, idempotencyKey: "order-0001" });
    expect(bought.status).toBe(201);
    expect(bought.body).toMatchObject({
      status: "ACTIVE",
      paymentMethod: "BALANCE_USD",
      hashrateHs: (150n * TH).toString(),
      days: 30,
      paidCoinBase: null,
      paidAsset: null,
      paidAmountBase: null,
      rateMicroUsd: null,
    });
    // 150 TH/s * $0.0195/TH/day = $2.925/day; 30 days = $87.75.
    expect(bought.body.totalPriceMicroUsd).toBe("87750000");
    const again = await asCustomer.call("createOrder", { body: order, idempotencyKey: "order-0001" });
    expect(again).toMatchObject({ status: 201, body: bought.body });
    const mismatch = await asCustomer.call<Json>("createOrder", {
      body: { ...order, days: 31 },
      idempotencyKey: "order-0001",
    });
    expect(mismatch.status).toBe(422);
    expect(await prisma.contract.count({ where: { customerId: customer.id } })).toBe(1);
    // Another coin than the listing's is accepted, but no LTC price is known yet: refused, nothing written.
    const otherCoin = await asCustomer.call<Json>("createOrder", {
      body: { ...order, hashrate: (10n * TH).toString(), payWith: "balance:LTC" },
    });
    expect(otherCoin).toMatchObject({
      status: 409,
      body: { error: { code: "no_price", message: "No LTC price is known yet; pay in USD or by card." } },
    });
    expect(await prisma.contract.count({ where: { customerId: customer.id } })).toBe(1);
    const broke = await asCustomer.call<Json>("createOrder", {
      body: { ...order, hashrate: (50n * TH).toString(), days: 365, payWith: "balance:BTC" },
    });
    expect(broke.status).toBe(409); // no BTC balance (and no price yet)

    const contractId = bought.body.contractId as string;
    const contracts = await asCustomer.call<Json>("listContracts");
    expect(contracts.body.contracts.map((c: Json) => c.id)).toEqual([contractId]);
    // The route's raw statement answers what contractView makes of Prisma's rows, key order included.
    const contractsViaPrisma = await prisma.contract.findMany({
      where: { customerId: customer.id },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      select: contractSelect,
    });
    expect(JSON.stringify(contracts.body.contracts)).toBe(JSON.stringify(contractsViaPrisma.map(contractView)));
    const one = await asCustomer.call<Json>("getContract", { params: { id: contractId } });
    expect(one.body).toMatchObject({ id: contractId, dailyPriceMicroUsd: "2925000", totalPriceMicroUsd: "87750000" });
    const stranger = client.as(await key((await createUser(prisma, ["CUSTOMER"])).id, ["read"]));
    expect((await stranger.call("getContract", { params: { id: contractId } })).status).toBe(404);
    expect((await stranger.call("createOrder", { body: order })).status).toBe(403); // no trade scope

    // The contract as if bought three days ago: its first paid day has ended.
    const day = new Date(
      Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 86_400_000,
    );
    await prisma.$executeRaw`UPDATE contracts SET activated_at = activated_at - interval '3 days', created_at = created_at - interval '3 days', start_day = ${day}::date, end_day = ${day}::date + 29 WHERE id = ${contractId}::uuid`;
    await prisma.$executeRaw`UPDATE allocations SET created_at = created_at - interval '3 days' WHERE contract_id = ${contractId}::uuid`;

    // Operator: rigs, listings, telemetry (rig 1 delivered 90 of 100 TH/s, rig 2 all of it).
    const rigs = await asOperator.call<Json>("listRigs");
    expect(rigs.body.rigs.map((r: Json) => r.id).sort()).toEqual([...market.rigIds].sort());
    const mine = await asOperator.call<Json>("listMyListings");
    expect(mine.body.listings).toEqual([
      expect.objectContaining({ id: market.listingId, status: "PUBLISHED", freeHs: (50n * TH).toString() }),
    ]);
    const telemetry = [
      { rigId: market.rigIds[0], day: dayText(day), avgHashrate: (90n * TH).toString() },
      { rigId: market.rigIds[1], day: dayText(day), avgHashrate: (100n * TH).toString() },
    ];
    const posted = await asOperator.call<Json>("postTelemetry", { body: telemetry, idempotencyKey: "telemetry-0001" });
    expect(posted.status).toBe(201);
    expect(posted.body.saved).toHaveLength(2);
    expect(
      (await asOperator.call("postTelemetry", { body: telemetry, idempotencyKey: "telemetry-0001" })).body,
    ).toEqual(posted.body);
    const foreign = await asOperator.call<Json>("postTelemetry", {
      body: [{ ...telemetry[0], rigId: "00000000-0000-4000-8000-000000000000" }],
    });
    expect(foreign.status).toBe(403);
    expect((await asCustomer.call("postTelemetry", { body: telemetry })).status).toBe(403);

    // Admin: network data for the day, then the run (replayed by its key).
    const snapshot = {
      difficulty: "150000000000000",
      blockTimeMs: 600_000,
      blockSubsidyBase: "312500000",
      avgFeesPerBlockBase: "2500000",
      priceMicroUsd: "97250000000",
      source: "api test",
    };
    const saved = await asAdmin.call<Json>("putNetworkSnapshot", {
      params: { coin: "BTC", day: dayText(day) },
      body: snapshot,
    });
    expect(saved).toMatchObject({
      status: 200,
      body: {
        outcome: "created",
        coin: "BTC",
        day: dayText(day),
        difficulty: "150000000000000",
        networkHashrateHs: null,
      },
    });
    expect(
      (await asOperator.call("putNetworkSnapshot", { params: { coin: "BTC", day: dayText(day) }, body: snapshot }))
        .status,
    ).toBe(403);
    const run = await asAdmin.call<Json>("createPayoutRun", {
      body: { day: dayText(day) },
      idempotencyKey: "run-day-0001",
    });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ day: dayText(day), contractsSettled: 1, contractsUnsettled: 0 });
    const replay = await asAdmin.call<Json>("createPayoutRun", {
      body: { day: dayText(day) },
      idempotencyKey: "run-day-0001",
    });
    expect(replay).toMatchObject({ status: 201, body: run.body });
    expect(await prisma.payoutRun.count()).toBe(1);

    // Customer: the payout with its inputs and figures, and the balances it moved.
    const payouts = await asCustomer.call<Json>("listPayouts", {
      query: { contractId, from: dayText(day), to: dayText(day) },
    });
    expect(payouts.body.payouts).toHaveLength(1);
    // The route's raw statement answers what payoutView makes of Prisma's rows, key order included.
    const viaPrisma = await prisma.dailyPayout.findMany({
      where: { contract: { customerId: customer.id } },
      orderBy: [{ day: "desc" }, { contractId: "asc" }],
    });
    expect(JSON.stringify((await asCustomer.call<Json>("listPayouts")).body.payouts)).toBe(
      JSON.stringify(viaPrisma.map(payoutView)),
    );
    const p = payouts.body.payouts[0];
    // Hd: 150 TH/s allocated across both rigs, rig 1 at 90 %.
    const allocations = await prisma.allocation.findMany({ where: { contractId } });
    const hd = allocations.reduce(
      (sum, a) => sum + (a.rigId === market.rigIds[0] ? (a.hashrateHs * 90n) / 100n : a.hashrateHs),
      0n,
    );
    expect(p).toMatchObject({
      day: dayText(day),
      allocatedHashrateHs: (150n * TH).toString(),
      deliveredHashrateHs: hd.toString(),
      priceMicroUsd: "97250000000",
      blockTimeMs: 600_000,
      curtailed: false,
    });
    expect(BigInt(p.netBase)).toBe(BigInt(p.grossBase) - BigInt(p.poolFeeBase) - BigInt(p.maintenanceFeeBase));
    expect(BigInt(p.underDeliveryCreditMicroUsd)).toBe(((150n * TH - hd) * 2_925_000n) / (150n * TH));
    const run0 = run.body.totals[0];
    expect(run0).toMatchObject({
      coin: "BTC",
      customerNetBase: p.netBase,
      poolFeesBase: p.poolFeeBase,
      maintenanceFeesBase: p.maintenanceFeeBase,
    });

    const balances = await asCustomer.call<Json>("listBalances");
    const byAsset = Object.fromEntries(balances.body.balances.map((b: Json) => [b.asset, b]));
    expect(byAsset.USD.available).toBe(
      (1_000_000_000n - 87_750_000n + BigInt(p.underDeliveryCreditMicroUsd)).toString(),
    );
    expect(byAsset.BTC).toMatchObject({ available: p.netBase, held: "0", priceMicroUsd: "97250000000" });
    expect((await asCustomer.call<Json>("listWithdrawals")).body).toEqual({ withdrawals: [] });
    // A base-unit amount too large for any balance is refused in base-unit words, not the form's coin example.
    const asWithdrawer = client.as(await key(customer.id, ["withdraw"]));
    const huge = await asWithdrawer.call<Json>("createWithdrawal", {
      body: { coin: "BTC", addressId: crypto.randomUUID(), amount: "9".repeat(38), totp: "123456" },
      idempotencyKey: "withdraw-huge-0001",
    });
    expect(huge.status).toBe(422);
    expect(huge.body.error.message).toBe(
      "amount: larger than any BTC balance can be; send at most 32 digits of base units.",
    );
    expect((await asCustomer.call<Json>("listPayouts", { query: { from: "2026-02-30" } })).status).toBe(400);
  });

  it("pays a BTC listing with balance:LTC at LTC's latest price, the rate stored on the contract", async () => {
    const market = await createListing(prisma, { rigsTh: [100] });
    const customer = await createUser(prisma, ["CUSTOMER"]);
    const today = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
    const priceDay = new Date(today.getTime() - 86_400_000);
    await ltcPrice(prisma, priceDay, 80_000_000n); // $80 per LTC
    await deposit(prisma, customer.id, "LTC", 10n ** 8n); // 1 LTC
    const asCustomer = client.as(await key(customer.id, ["read", "trade"]));
    // 20 TH/s * $0.0195 * 30 days = $11.70 = 0.14625 LTC at $80.
    const order = { listingId: market.listingId, hashrate: (20n * TH).toString(), days: 30, payWith: "balance:LTC" };
    const bought = await asCustomer.call<Json>("createOrder", { body: order, idempotencyKey: "ltc-order-1" });
    expect(bought.status).toBe(201);
    expect(bought.body).toMatchObject({
      status: "ACTIVE",
      paymentMethod: "BALANCE_COIN",
      totalPriceMicroUsd: "11700000",
      paidCoinBase: "14625000",
      paidAsset: "LTC",
      paidAmountBase: "14625000",
      rateMicroUsd: "80000000",
    });
    const contract = await prisma.contract.findUniqueOrThrow({ where: { id: bought.body.contractId as string } });
    expect(contract).toMatchObject({
      coin: "BTC",
      paidAsset: "LTC",
      paidRateMicroUsd: 80_000_000n,
      paidRateDay: priceDay,
    });
    expect(contract.paidAmountBase?.toString()).toBe("14625000");
    expect(await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "LTC", userId: customer.id })).toBe(
      10n ** 8n - 14_625_000n,
    );
    // A second order the remaining 0.85375 LTC does not cover: 80 TH/s * 60 days = $93.60 = 1.17 LTC.
    const tooMuch = await asCustomer.call<Json>("createOrder", {
      body: { ...order, hashrate: (80n * TH).toString(), days: 60 },
    });
    expect(tooMuch).toMatchObject({
      status: 409,
      body: { error: { code: "insufficient_funds", message: "Your LTC balance does not cover this contract." } },
    });
    expect(await prisma.contract.count({ where: { customerId: customer.id } })).toBe(1);
  });

  it("creates rigs and draft listings for the operator, in base units", async () => {
    const market = await createListing(prisma, { rigsTh: [10] });
    const facility = await prisma.facility.findFirstOrThrow({ where: { operatorId: market.operatorId } });
    const asOperator = client.as(await key(market.operatorId, ["operate"]));
    const rigBody = {
      facilityId: facility.id,
      model: "Antminer S21 XP",
      serialNumber: "API-0001",
      algorithm: "SHA256",
      nominalHashrateHs: "270000000000000",
      powerW: 3645,
    };
    const rig = await asOperator.call<Json>("createRig", { body: rigBody });
    expect(rig).toMatchObject({
      status: 201,
      body: { nominalHashrateHs: "270000000000000", status: "ACTIVE", listingId: null },
    });
    expect((await asOperator.call<Json>("createRig", { body: rigBody })).status).toBe(409);
    const listing = await asOperator.call<Json>("createListing", {
      body: {
        coin: "BTC",
        title: "API fleet",
        priceMicroUsdPerUnitDay: "19500",
        maintenanceFeeMicroUsdPerUnitDay: "16000",
        minDays: 7,
        maxDays: 180,
        minHashrateHs: "500000000000",
        rigIds: [rig.body.id],
      },
    });
    expect(listing).toMatchObject({
      status: 201,
      body: {
        status: "DRAFT",
        priceMicroUsdPerUnitDay: "19500",
        minHashrateHs: "500000000000",
        totalHs: "270000000000000",
      },
    });
    const bad = await asOperator.call<Json>("createListing", {
      body: { coin: "BTC", title: "x", priceMicroUsdPerUnitDay: 19500 },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
  });
});

describe("hashprice", () => {
  it("answers a coin's hashprice per day from the stored snapshots, and 400 for a bad window", async () => {
    await ensureBtc(prisma);
    const first = new Date(Date.UTC(2021, 2, 1));
    const second = new Date(Date.UTC(2021, 2, 2));
    for (const [day, price] of [
      [first, 95_000_000_000n],
      [second, 100_000_000_000n],
    ] as const) {
      await prisma.networkSnapshot.upsert({
        where: { coin_day: { coin: "BTC", day } },
        update: {},
        create: { ...btcSnapshotData(day, price) },
      });
    }
    const reader = await createUser(prisma, ["CUSTOMER"]);
    const asReader = client.as(await key(reader.id, ["read"]));

    const answer = await asReader.call<Json>("getHashprice", {
      query: { coin: "BTC", from: "2021-02-27", to: "2021-03-02" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ coin: "BTC", unitLabel: "TH/s", from: "2021-02-27", to: "2021-03-02" });
    // The hand-computed day of lib/profitability/hashprice.test.ts, then the same at $100,000.
    expect(answer.body.days).toEqual([
      {
        day: "2021-03-01",
        grossMicroBasePerUnitDay: "43250620",
        grossCoinPerUnitDay: "0.0000004325062",
        grossMicroUsdPerUnitDay: "41088",
        afterPoolFeeMicroBasePerUnitDay: "42601860",
        afterPoolFeeMicroUsdPerUnitDay: "40471",
        priceMicroUsd: "95000000000",
        networkHashrateHs: "1073741824000000000000",
      },
      expect.objectContaining({ day: "2021-03-02", grossMicroUsdPerUnitDay: "43250" }),
    ]);

    const refused = async (query: Record<string, string>) => {
      const r = await asReader.call<Json>("getHashprice", { query });
      expect(r.status, JSON.stringify(query)).toBe(400);
      return r.body.error.message as string;
    };
    expect(await refused({ coin: "BTC", from: "2021-03-02", to: "2021-03-01" })).toBe("from: must not be after to.");
    expect(await refused({ coin: "BTC", from: "2020-01-01", to: "2021-03-01" })).toBe(
      "from: the window may span at most 366 days.",
    );
    expect(await refused({ coin: "BTC", from: "2021-02-30" })).toContain("This is not a calendar day.");
    expect(await refused({ coin: "DOGECOIN" })).toContain("Send a coin");
    expect(await refused({})).toMatch(/^coin:/);
    // The default window: the 90 days up to today, answered with both ends.
    const latest = await asReader.call<Json>("getHashprice", { query: { coin: "BTC" } });
    expect(latest.status).toBe(200);
    expect(latest.body.to).toBe(dayText(new Date()));
  });
});

describe("verified hashrate", () => {
  it("per rig for its operator and per contract for its customer, measured from share counters; 404 for anyone else", async () => {
    const market = await createListing(prisma, { rigsTh: [100] });
    const rigId = market.rigIds[0]!;
    const contractId = await addContract(prisma, market.listingId, [{ rigId, th: 50 }]);
    const customerId = (await prisma.contract.findUniqueOrThrow({ where: { id: contractId } })).customerId;
    // 20 minutes ago: 60 TH/s over a whole 10-minute bucket (work in hashes).
    const ledger = new ShareLedger(prisma);
    const bucket = Math.floor(Date.now() / 600_000) * 600_000 - 1_200_000;
    ledger.accept(rigId, 60n * TH * 600n, bucket + 60_000);
    ledger.reject(rigId, "duplicate", bucket + 60_000);
    await ledger.flush();

    const asOperator = client.as(await key(market.operatorId, ["operate"]));
    const rig = await asOperator.call<Json>("getRigHashrate", { params: { id: rigId }, query: { hours: "1" } });
    expect(rig.status).toBe(200);
    expect(rig.body).toMatchObject({ rigId, verifiable: true, online: false });
    expect(rig.body.points).toHaveLength(6);
    expect(rig.body.points.find((p: Json) => p.at === new Date(bucket).toISOString())).toEqual({
      at: new Date(bucket).toISOString(),
      hashrateHs: (60n * TH).toString(),
    });

    const asCustomer = client.as(await key(customerId, ["read"]));
    const contract = await asCustomer.call<Json>("getContractHashrate", { params: { id: contractId } });
    expect(contract.status).toBe(200);
    expect(contract.body).toMatchObject({
      contractId,
      measuredRigs: 1,
      rigs: 1,
      counts: { accepted: 1, duplicate: 1 },
    });
    expect(contract.body.points).toHaveLength(144);
    expect(contract.body.points.find((p: Json) => p.at === new Date(bucket).toISOString()).hashrateHs).toBe(
      (30n * TH).toString(), // 50 of the rig's 100 TH/s: half of what it measured
    );

    const stranger = (await createUser(prisma, ["CUSTOMER", "OPERATOR"])).id;
    const other = client.as(await key(stranger, ["read", "operate"]));
    expect((await other.call("getRigHashrate", { params: { id: rigId } })).status).toBe(404);
    expect((await other.call("getContractHashrate", { params: { id: contractId } })).status).toBe(404);
    expect(
      (await asCustomer.call("getContractHashrate", { params: { id: contractId }, query: { hours: "0" } })).status,
    ).toBe(400);
  });
});

describe("a withdrawal requested with a key", () => {
  it("answers 201 awaiting the emailed link, and only the link approves it", async () => {
    await ensureBtc(prisma);
    const customer = await createUser(prisma, ["CUSTOMER"]);
    const secret = await enrollTotp(prisma, customer.id, encryptionKeys, { enabledAt: new Date(0) });
    const address = { id: await usableBtcAddress(prisma, customer.id) };
    await deposit(prisma, customer.id, "BTC", 5_000_000n);
    const asCustomer = client.as(await key(customer.id, ["read", "withdraw"]));
    const body = { coin: "BTC", amount: "1000000", addressId: address.id, totp: totpCodeFor(secret, new Date()) };
    const created = await asCustomer.call<Json>("createWithdrawal", { body, idempotencyKey: "api-withdrawal-1" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "REQUESTED", awaitingEmailConfirmation: true, amountBase: "1000000" });
    expect(Date.parse(created.body.confirmBy)).toBeGreaterThan(Date.now() + 29 * 60_000);
    // Nothing approved it: it waits for the customer's click, held.
    const listed = await asCustomer.call<Json>("listWithdrawals");
    expect(listed.body.withdrawals).toMatchObject([
      { id: created.body.id, status: "REQUESTED", awaitingEmailConfirmation: true },
    ]);
    expect(await balanceOf(prisma, { type: "USER_HELD", asset: "BTC", userId: customer.id })).toBe(1_000_000n);

    expect(await confirmWithdrawalLink(prisma, created.body.id)).toMatchObject({ ok: true });
    const after = await asCustomer.call<Json>("listWithdrawals");
    expect(after.body.withdrawals).toMatchObject([
      { id: created.body.id, status: "APPROVED", awaitingEmailConfirmation: false, confirmBy: null },
    ]);
  });
});
