// GET /api/v1/listings — published listings with free capacity (scope read).
import { apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { listingView } from "@/lib/api/v1";
import { listMarketplace } from "@/lib/marketplace/listings";
import { coinRevenues, latestNetworks } from "@/lib/marketplace/network";

export const dynamic = "force-dynamic";

const spec = apiOperations.listListings;

export const GET = apiRoute({
  scope: spec.scope,
  query: spec.query,
  handler: async ({ prisma, query }) => {
    const networks = await latestNetworks(prisma);
    const page = await listMarketplace(prisma, {
      coin: query.coin,
      algorithm: query.algorithm,
      sort: "price_asc",
      page: query.page,
      pageSize: query.pageSize,
      revenues: coinRevenues(networks),
    });
    return {
      status: 200,
      body: { listings: page.rows.map(listingView), total: page.total, page: query.page, pageSize: query.pageSize },
    };
  },
});
