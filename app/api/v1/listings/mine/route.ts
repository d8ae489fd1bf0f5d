// GET/POST /api/v1/listings/mine — the key owner's listings (scope operate).
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { inUnitText, joinedClient, listingView, operatorRefusal, requireTx } from "@/lib/api/v1";
import { listOperatorListings } from "@/lib/marketplace/listings";
import { createListing, listingInputSchema } from "@/lib/operator/listings";
import { microUsdText } from "@/lib/shared/decimal";

export const dynamic = "force-dynamic";

export const GET = apiRoute({
  scope: apiOperations.listMyListings.scope,
  handler: async ({ prisma, user }) => {
    const listings = await listOperatorListings(prisma, user.id);
    return { status: 200, body: { listings: listings.map(listingView) } };
  },
});

const create = apiOperations.createListing;

export const POST = apiRoute({
  scope: create.scope,
  mutating: true,
  body: create.body,
  handler: async ({ tx, user, body, ip }) => {
    const db = requireTx(tx);
    const coin = await db.coin.findUnique({ where: { asset: body.coin }, select: { hashrateUnitHs: true } });
    if (!coin) throw new ApiError(422, "invalid", "This coin is not offered on Hashlease.");
    // The core takes the operator form's text fields: exact decimal text of the same figures.
    const input = listingInputSchema.safeParse({
      coin: body.coin,
      title: body.title,
      price: microUsdText(BigInt(body.priceMicroUsdPerUnitDay)),
      maintenanceFee: microUsdText(BigInt(body.maintenanceFeeMicroUsdPerUnitDay)),
      minDays: String(body.minDays),
      maxDays: String(body.maxDays),
      minHashrate: inUnitText(BigInt(body.minHashrateHs), coin.hashrateUnitHs),
      rigIds: body.rigIds,
    });
    if (!input.success)
      throw new ApiError(422, "invalid", input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join(" "));
    const result = await createListing(joinedClient(db), { operatorId: user.id, input: input.data, ip });
    if (!result.ok) operatorRefusal(result);
    const [listing] = await listOperatorListings(joinedClient(db), user.id).then((rows) =>
      rows.filter((l) => l.id === result.listingId),
    );
    return { status: 201, body: listingView(listing!) };
  },
});
