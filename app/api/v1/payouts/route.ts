// GET /api/v1/payouts?contractId=&from=&to= — the key owner's payouts with every stored input
// and figure of the formula (scope read).
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { listPayoutViews } from "@/lib/api/v1";
import { parseDay } from "@/lib/shared/days";

export const dynamic = "force-dynamic";

const spec = apiOperations.listPayouts;

export const GET = apiRoute({
  scope: spec.scope,
  query: spec.query,
  handler: async ({ prisma, user, query }) => {
    const from = query.from ? parseDay(query.from) : null;
    const to = query.to ? parseDay(query.to) : null;
    if (from && to && from > to) throw new ApiError(400, "invalid_request", "from: must not be after to.");
    const payouts = await listPayoutViews(prisma, {
      customerId: user.id,
      contractId: query.contractId,
      from,
      to,
      limit: query.limit,
    });
    return { status: 200, body: { payouts } };
  },
});
