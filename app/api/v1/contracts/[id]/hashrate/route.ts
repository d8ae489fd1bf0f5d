// GET /api/v1/contracts/{id}/hashrate?hours=24 — one of the key owner's contracts, measured from
// the verified Stratum shares of its rigs as the daily payout counts them; else 404 (scope read).
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { hashratePointsView } from "@/lib/api/v1";
import { contractVerifiedHashrate } from "@/lib/stratum/queries";

export const dynamic = "force-dynamic";

const spec = apiOperations.getContractHashrate;

export const GET = apiRoute({
  scope: spec.scope,
  query: spec.query,
  handler: async ({ prisma, user, params, query }) => {
    const parsed = spec.params.safeParse(params);
    if (!parsed.success) throw new ApiError(400, "invalid_request", "id: send a contract id (a UUID).");
    const verified = await contractVerifiedHashrate(prisma, user.id, parsed.data.id, { hours: query.hours });
    if (!verified) throw new ApiError(404, "not_found", "You have no contract with this id.");
    const { accepted, stale, duplicate, lowDifficulty, invalid } = verified.counts;
    return {
      status: 200,
      body: {
        contractId: parsed.data.id,
        points: hashratePointsView(verified.points),
        counts: { accepted, stale, duplicate, lowDifficulty, invalid },
        measuredRigs: verified.measuredRigs,
        rigs: verified.rigs,
      },
    };
  },
});
