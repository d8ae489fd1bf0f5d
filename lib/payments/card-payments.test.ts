// Card purchases are never free: without a Stripe key and without the explicit test-checkout
// flag there is no card payment at all, and a card purchase is refused before anything is
// reserved (issue: a deployment that forgot its Stripe key must not activate contracts paid by nothing).
import { describe, expect, it, vi } from "vitest";
import { clearSecretsCache } from "../secrets";
import { AUTH_SECRET, isolateSecretsEnvironment, keyB64 } from "../secrets/test-helpers";
import { createListing, createUser, deposit } from "../testing/fixtures";
import { testPurchase } from "../testing/purchase";
import { withTestDatabase } from "../testing/test-database";
import { cardPayments, cardPaymentsMode, CONNECT_STANDIN_URL_ENV, connectPayments, type CardPayments } from "./config";
import { STANDIN_TEST_ACCOUNTS, startStripeStandin } from "./stripe-standin";

describe("cardPayments: which checkout this instance offers", () => {
  isolateSecretsEnvironment();
  const secrets = (stripeKey?: string) => {
    vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
    vi.stubEnv("ENCRYPTION_KEYS", `k1:${keyB64()}`);
    if (stripeKey) vi.stubEnv("STRIPE_SECRET_KEY", stripeKey);
    clearSecretsCache();
  };

  it("no Stripe key and no flag: none, whatever NODE_ENV says", async () => {
    secrets();
    expect(await cardPayments()).toBeNull();
    vi.stubEnv("HASHLEASE_TEST_CHECKOUT", "yes");
    expect(cardPaymentsMode(await cardPayments())).toBe("off");
  });

  it("the test checkout only with HASHLEASE_TEST_CHECKOUT=1", async () => {
    secrets();
    vi.stubEnv("HASHLEASE_TEST_CHECKOUT", "1");
    expect(await cardPayments()).toBe("test");
  });

  it("operator payouts (Stripe Connect): the stand-in only with the test checkout, nothing without either", async () => {
    secrets();
    const standin = await startStripeStandin({ accounts: STANDIN_TEST_ACCOUNTS });
    try {
      vi.stubEnv(CONNECT_STANDIN_URL_ENV, standin.base);
      expect(await connectPayments()).toBeNull(); // no test-checkout flag: a stand-in URL alone is not enough
      vi.stubEnv("HASHLEASE_TEST_CHECKOUT", "1");
      const stripe = await connectPayments();
      expect(stripe).not.toBeNull();
      const account = await stripe!.accounts.retrieve("acct_1HashleaseDemoOps");
      expect(account).toMatchObject({ payouts_enabled: true, capabilities: { transfers: "active" } });
      vi.stubEnv(CONNECT_STANDIN_URL_ENV, undefined);
      expect(await connectPayments()).toBeNull();
    } finally {
      await standin.close();
    }
  });

  it("a Stripe key means Stripe, flag or not", async () => {
    secrets("sk_test_configured");
    vi.stubEnv("HASHLEASE_TEST_CHECKOUT", "1");
    const card = await cardPayments();
    expect(cardPaymentsMode(card)).toBe("stripe");
  });
});

describe("a card purchase where card payments are off", () => {
  const t = withTestDatabase();
  const buy = (userId: string, card: CardPayments, paymentMethod: string, key: string) =>
    testPurchase(
      t.prisma,
      userId,
      { listingId: listingId!, hashrate: "10", days: 30, paymentMethod },
      { card, idempotencyKey: key },
    );
  let listingId: string | undefined;

  it("is refused with 409 CARD_PAYMENTS_UNAVAILABLE and reserves nothing; balance purchases still work", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    listingId = market.listingId;
    const buyer = await createUser(t.prisma);
    const refused = await buy(buyer.id, null, "CARD", "card-off-0001");
    expect(refused).toEqual({
      status: 409,
      body: {
        error: {
          code: "CARD_PAYMENTS_UNAVAILABLE",
          message: expect.stringContaining("Card payments are not available"),
          field: "paymentMethod",
        },
      },
    });
    expect(await t.prisma.contract.count({ where: { customerId: buyer.id } })).toBe(0);
    expect(await t.prisma.allocation.count()).toBe(0);
    expect(await t.prisma.idempotencyKey.count()).toBe(0);

    await deposit(t.prisma, buyer.id, "USD", 100_000_000n);
    const paid = await buy(buyer.id, null, "BALANCE_USD", "card-off-0002");
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ status: "ACTIVE", checkoutUrl: null });

    // The same card purchase with the test checkout switched on reserves and opens it.
    const test = await buy(buyer.id, "test", "CARD", "card-off-0003");
    expect(test.status).toBe(201);
    expect(test.body).toMatchObject({ status: "PENDING_PAYMENT", checkoutMode: "test" });
  });
});
