// GET /api/v1/payouts?contractId=&from=&to= — the key owner's payouts with every stored input
// and figure of the formula (scope read).
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { payoutView } from "@/lib/api/v1";
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
    const rows = await prisma.dailyPayout.findMany({
      where: {
        contract: { customerId: user.id },
        ...(query.contractId ? { contractId: query.contractId } : {}),
        ...(from || to ? { day: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } } : {}),
      },
      orderBy: [{ day: "desc" }, { contractId: "asc" }],
      take: query.limit,
    });
    return { status: 200, body: { payouts: rows.map(payoutView) } };
  },
});
