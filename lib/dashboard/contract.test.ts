// A customer's contract page data: their own contract only, its terms, allocation and history in
// words; ended and given-up contracts in the dashboard's history list.
import { describe, expect, it } from "vitest";
import { cancelCheckout } from "../contracts/service";
import { createListing, createUser, deposit } from "../testing/fixtures";
import { testPurchase } from "../testing/purchase";
import { withTestDatabase } from "../testing/test-database";
import { customerContract, customerPastContracts } from "./contract";

const t = withTestDatabase();
const PAGE = { payoutPage: 1, payoutPageSize: 31 };

describe("a customer's contract", () => {
  it("is shown to its owner only, with its terms, allocation and history", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const owner = await createUser(t.prisma);
    const other = await createUser(t.prisma);
    await deposit(t.prisma, owner.id, "USD", 10_000_000n);
    const body = { listingId: market.listingId, hashrate: "10", days: 30, paymentMethod: "BALANCE_USD" };
    const bought = await testPurchase(t.prisma, owner.id, body);
    expect(bought.status).toBe(201);
    const contractId = (bought.body as { contractId: string }).contractId;

    expect(await customerContract(t.prisma, other.id, contractId, PAGE)).toBeNull();
    const view = await customerContract(t.prisma, owner.id, contractId, PAGE);
    expect(view).not.toBeNull();
    expect(view!.contract).toMatchObject({ id: contractId, status: "ACTIVE", days: 30, hashrateHs: 10n * 10n ** 12n });
    expect(view!.allocations.map((a) => a.hashrateHs)).toEqual([10n * 10n ** 12n]);
    expect(view!.payouts).toMatchObject({ total: 0, deliveredTotalHs: 0n, allocatedTotalHs: 0n });
    expect(view!.history.map((h) => h.text)).toEqual(["Bought and activated"]);
    // Nothing of the admin view's internals travels to the customer's page.
    expect(view).not.toHaveProperty("journals");
    expect(view).not.toHaveProperty("customer");
    expect(await customerPastContracts(t.prisma, owner.id)).toEqual([]);
  });

  it("a cancelled checkout moves to the history list and says what happened", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const owner = await createUser(t.prisma);
    const body = { listingId: market.listingId, hashrate: "5", days: 30, paymentMethod: "CARD" };
    const opened = await testPurchase(t.prisma, owner.id, body);
    const contractId = (opened.body as { contractId: string }).contractId;
    const ctx = { prisma: t.prisma, user: { id: owner.id, email: owner.email }, card: "test" as const, ip: null };
    expect(await cancelCheckout(ctx, contractId)).toEqual({ ok: true, contractId });

    const past = await customerPastContracts(t.prisma, owner.id);
    expect(past.map((c) => [c.id, c.status])).toEqual([[contractId, "CANCELLED"]]);
    const view = await customerContract(t.prisma, owner.id, contractId, PAGE);
    expect(view!.history.map((h) => h.text)).toEqual([
      "Card checkout opened: capacity held",
      "Checkout cancelled: capacity released, nothing charged",
    ]);
  });
});
