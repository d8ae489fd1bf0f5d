// The real Stripe SDK against a local HTTP stand-in of the API (real requests, real
// parsing), and webhook signatures made with the SDK's own test-header helper.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelCheckout, newEventId, openCheckout } from "../contracts/service";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createListing, createUser, rigLoads } from "../testing/fixtures";
import { testPurchase } from "../testing/purchase";
import { applyStripeEvent } from "./events";
import { stripeClient, verifyWebhook } from "./stripe";

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  form: URLSearchParams;
}

let t: TestDatabase;
let server: Server;
let base: string;
let failCreates = false;
let failAll = false;
const requests: Recorded[] = [];
/** The stand-in's sessions that are no longer open ("expired", "complete"); every other id is open. */
const sessionStatus = new Map<string, string>();

function session(id: string, form?: URLSearchParams) {
  return {
    id,
    object: "checkout.session",
    status: sessionStatus.get(id) ?? "open",
    payment_status: "unpaid",
    url: `https://checkout.stripe.test/c/pay/${id}`,
    amount_total: form ? Number(form.get("line_items[0][price_data][unit_amount]")) : 1170,
    client_reference_id: form?.get("client_reference_id") ?? null,
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, form });
      res.setHeader("content-type", "application/json");
      if (failAll) {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { type: "api_error", message: "stand-in outage" } }));
        return;
      }
      const expire = /^\/v1\/checkout\/sessions\/([\w]+)\/expire$/.exec(req.url ?? "");
      if (req.method === "POST" && expire) {
        sessionStatus.set(expire[1]!, "expired");
        res.end(JSON.stringify(session(expire[1]!)));
        return;
      }
      if (req.method === "POST" && req.url === "/v1/checkout/sessions") {
        if (failCreates) {
          res.statusCode = 500;
          res.end(JSON.stringify({ error: { type: "api_error", message: "stand-in failure" } }));
          return;
        }
        res.end(JSON.stringify(session(`cs_test_${requests.length}`, form)));
        return;
      }
      const match = /^\/v1\/checkout\/sessions\/([\w]+)$/.exec(req.url ?? "");
      if (req.method === "GET" && match) {
        res.end(JSON.stringify(session(match[1]!)));
        return;
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { type: "invalid_request_error", message: "no such route" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.drop();
});

/** A new buyer buys `hashrate` TH/s for 30 days of a new 50 TH/s listing by card, through Stripe. */
async function buyByCard(idempotencyKey: string, email: string, hashrate: string) {
  const stripe = stripeClient("sk_test_standin", base);
  const market = await createListing(t.prisma, { rigsTh: [50] });
  const buyer = await createUser(t.prisma);
  const body = { listingId: market.listingId, hashrate, days: 30, paymentMethod: "CARD" };
  const options = { idempotencyKey, ip: null, card: stripe, origin: "https://hashlease.test" };
  const res = await testPurchase(t.prisma, { id: buyer.id, email }, body, options);
  return { stripe, market, buyer, res };
}

describe("Stripe Checkout through the SDK", () => {
  it("creates the session with the exact charge, the contract id and a 30-minute-plus expiry", async () => {
    const { stripe, buyer, res } = await buyByCard("stripe-key-0001", "buyer@test.example", "20");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "PENDING_PAYMENT", checkoutMode: "stripe", chargedCents: "1170" });
    const contractId = "contractId" in res.body ? res.body.contractId : "";
    const create = requests.find((r) => r.method === "POST")!;
    expect(create.headers.authorization).toBe("Bearer sk_test_standin");
    expect(create.headers["idempotency-key"]).toBe(`checkout-${contractId}`);
    expect(create.form.get("mode")).toBe("payment");
    expect(create.form.get("line_items[0][price_data][currency]")).toBe("usd");
    expect(create.form.get("line_items[0][price_data][unit_amount]")).toBe("1170");
    expect(create.form.get("metadata[contractId]")).toBe(contractId);
    expect(create.form.get("client_reference_id")).toBe(contractId);
    expect(Number(create.form.get("expires_at"))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 30 * 60);
    expect(create.form.get("success_url")).toBe(`https://hashlease.test/dashboard?purchased=${contractId}`);
    const contract = await t.prisma.contract.findUniqueOrThrow({ where: { id: contractId } });
    expect(contract.stripeCheckoutSessionId).toMatch(/^cs_test_/);
    expect("checkoutUrl" in res.body && res.body.checkoutUrl).toBe(
      `https://checkout.stripe.test/c/pay/${contract.stripeCheckoutSessionId}`,
    );

    // Opening the checkout again (a retry) reuses the session instead of creating another.
    const again = await openCheckout(
      { prisma: t.prisma, user: { id: buyer.id, email: "x" }, card: stripe, origin: "https://hashlease.test" },
      contractId,
    );
    expect(again).toMatchObject({ ok: true, mode: "stripe" });
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("when Stripe fails, the reservation is released and the buyer told", async () => {
    failCreates = true;
    try {
      const { market, buyer, res } = await buyByCard("stripe-key-0002", "b@test.example", "20");
      expect(res).toMatchObject({ status: 502, body: { error: { code: "CHECKOUT_UNAVAILABLE" } } });
      expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe("0");
      expect(await t.prisma.contract.findFirstOrThrow({ where: { customerId: buyer.id } })).toMatchObject({
        status: "CANCELLED",
      });
    } finally {
      failCreates = false;
    }
  });
});

describe("a customer giving up a card checkout", () => {
  const contractOf = async (buyerId: string) => t.prisma.contract.findFirstOrThrow({ where: { customerId: buyerId } });

  it("expires the session at Stripe first, then releases the capacity, audited as the customer's", async () => {
    const { stripe, market, buyer } = await buyByCard("stripe-key-cancel-1", "d@test.example", "20");
    const pending = await contractOf(buyer.id);
    const ctx = { prisma: t.prisma, user: { id: buyer.id, email: "d@test.example" }, card: stripe, ip: "198.51.100.4" };
    // Nobody else can cancel it.
    const stranger = await createUser(t.prisma);
    expect(
      await cancelCheckout({ ...ctx, user: { id: stranger.id, email: "s@test.example" } }, pending.id),
    ).toMatchObject({
      ok: false,
      code: "RESERVATION_CLOSED",
    });
    expect(await cancelCheckout(ctx, pending.id)).toEqual({ ok: true, contractId: pending.id });
    const expired = requests.filter((r) => r.method === "POST" && r.path.endsWith("/expire"));
    expect(expired.map((r) => r.path)).toEqual([`/v1/checkout/sessions/${pending.stripeCheckoutSessionId}/expire`]);
    expect(await contractOf(buyer.id)).toMatchObject({ status: "CANCELLED", reservedUntil: null });
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe("0");
    const line = await t.prisma.auditLog.findFirstOrThrow({
      where: { action: "contract.reservation_cancelled", entityId: pending.id },
    });
    expect(line).toMatchObject({ actorId: buyer.id, ip: "198.51.100.4" });
    // Twice: refused, nothing more written.
    expect(await cancelCheckout(ctx, pending.id)).toMatchObject({ ok: false, code: "RESERVATION_CLOSED" });
    expect(
      await t.prisma.auditLog.count({ where: { action: "contract.reservation_cancelled", entityId: pending.id } }),
    ).toBe(1);
  });

  it("keeps a checkout that was paid meanwhile, and releases nothing while Stripe is unreachable", async () => {
    const { stripe, market, buyer } = await buyByCard("stripe-key-cancel-2", "e@test.example", "20");
    const pending = await contractOf(buyer.id);
    const ctx = { prisma: t.prisma, user: { id: buyer.id, email: "e@test.example" }, card: stripe, ip: null };
    failAll = true;
    try {
      expect(await cancelCheckout(ctx, pending.id)).toMatchObject({ ok: false, code: "CHECKOUT_UNAVAILABLE" });
    } finally {
      failAll = false;
    }
    expect(await contractOf(buyer.id)).toMatchObject({ status: "PENDING_PAYMENT" });
    sessionStatus.set(pending.stripeCheckoutSessionId!, "complete");
    expect(await cancelCheckout(ctx, pending.id)).toMatchObject({
      ok: false,
      code: "RESERVATION_CLOSED",
      message: expect.stringMatching(/was paid/),
    });
    expect(await contractOf(buyer.id)).toMatchObject({ status: "PENDING_PAYMENT" });
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).not.toBe("0");
  });
});

describe("webhook signatures", () => {
  it("accepts an event signed with the webhook secret and applies it; refuses a forged one", async () => {
    const secret = "whsec_test_secret";
    const { stripe, buyer, res } = await buyByCard("stripe-key-0003", "c@test.example", "10");
    const contract = await t.prisma.contract.findFirstOrThrow({ where: { customerId: buyer.id } });
    expect(res.status).toBe(201);
    const payload = JSON.stringify({
      id: newEventId(),
      object: "event",
      type: "checkout.session.completed",
      data: {
        object: {
          id: contract.stripeCheckoutSessionId,
          object: "checkout.session",
          payment_status: "paid",
          amount_total: Number(contract.chargedCents),
        },
      },
    });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const event = verifyWebhook(stripe, payload, header, secret);
    expect(await applyStripeEvent(t.prisma, event)).toEqual({ duplicate: false, effect: "activated" });
    expect(await applyStripeEvent(t.prisma, event)).toEqual({ duplicate: true });

    const forged = payload.replace(`"amount_total":${Number(contract.chargedCents)}`, '"amount_total":1');
    expect(() => verifyWebhook(stripe, forged, header, secret)).toThrow();
    expect(() =>
      verifyWebhook(
        stripe,
        payload,
        stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_other" }),
        secret,
      ),
    ).toThrow();
  });
});
