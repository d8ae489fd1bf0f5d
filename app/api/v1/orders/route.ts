// POST /api/v1/orders — buy a contract from balance (scope trade). The purchase statement
// (lib/contracts/service.ts executePurchase -> purchase_contract) claims the Idempotency-Key and
// stores its answer in the purchase's own transaction, so a retry replays the first answer.
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { apiCode, inUnitText } from "@/lib/api/v1";
import type { PayCoin } from "@/lib/contracts/purchase";
import { executePurchase } from "@/lib/contracts/service";

export const dynamic = "force-dynamic";

const spec = apiOperations.createOrder;

export const POST = apiRoute({
  scope: spec.scope,
  mutating: true,
  idempotency: "handler",
  body: spec.body,
  handler: async ({ prisma, user, body, idempotencyKey, ip }) => {
    const listing = await prisma.listing.findUnique({
      where: { id: body.listingId },
      select: { coin: true, coinConfig: { select: { hashrateUnitHs: true } } },
    });
    if (!listing) throw new ApiError(404, "listing_unavailable", "There is no listing with this id.");
    // balance:USD, or balance:<COIN> in any coin (the schema allows only USD and the coins).
    const asset = body.payWith.slice("balance:".length) as "USD" | PayCoin;
    const result = await executePurchase({
      prisma,
      user: { id: user.id, email: "" },
      idempotencyKey,
      // The purchase statement reads the hashrate in the listing's pricing unit: the same H/s exactly.
      body: {
        listingId: body.listingId,
        hashrate: inUnitText(BigInt(body.hashrate), listing.coinConfig.hashrateUnitHs),
        days: body.days,
        paymentMethod: asset === "USD" ? "BALANCE_USD" : "BALANCE_COIN",
        ...(asset === "USD" ? {} : { payCoin: asset }),
      },
      ip,
      // Balance only: the schema offers no card (payWith is balance:USD or balance:<COIN>).
      card: null,
      origin: "",
    });
    if ("error" in result.body)
      throw new ApiError(result.status, apiCode(result.body.error.code), result.body.error.message);
    const c = result.body;
    // A replay answers the stored first answer with the first status (executePurchase says 200).
    return {
      status: 201,
      body: {
        contractId: c.contractId,
        status: c.status,
        paymentMethod: c.paymentMethod,
        hashrateHs: c.hashrateHs,
        days: c.days,
        totalPriceMicroUsd: c.totalPriceMicroUsd,
        paidCoinBase: c.paidCoinBase,
        paidAsset: c.paidAsset,
        paidAmountBase: c.paidAmountBase,
        rateMicroUsd: c.rateMicroUsd,
      },
    };
  },
});
