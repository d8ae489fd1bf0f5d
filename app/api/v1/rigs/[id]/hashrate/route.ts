// GET /api/v1/rigs/{id}/hashrate?hours=24 — one of the key owner's rigs, measured from its
// verified Stratum shares; anyone else's rig is 404 (scope operate).
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { hashratePointsView } from "@/lib/api/v1";
import { rigStratumView, rigVerifiedHashrate } from "@/lib/stratum/queries";

export const dynamic = "force-dynamic";

const spec = apiOperations.getRigHashrate;

export const GET = apiRoute({
  scope: spec.scope,
  query: spec.query,
  handler: async ({ prisma, user, params, query }) => {
    const parsed = spec.params.safeParse(params);
    if (!parsed.success) throw new ApiError(400, "invalid_request", "id: send a rig id (a UUID).");
    const rigId = parsed.data.id;
    const [view, points] = await Promise.all([
      rigStratumView(prisma, user.id, rigId),
      rigVerifiedHashrate(prisma, user.id, rigId, { hours: query.hours }),
    ]);
    if (!view || !points) throw new ApiError(404, "not_found", "You have no rig with this id.");
    const { accepted, stale, duplicate, lowDifficulty, invalid } = view.today;
    return {
      status: 200,
      body: {
        rigId,
        verifiable: view.verifiable,
        online: view.online,
        lastShareAt: view.lastShareAt?.toISOString() ?? null,
        points: hashratePointsView(points),
        today: { accepted, stale, duplicate, lowDifficulty, invalid, hashrateHs: view.today.hashrateHs.toString() },
        days: view.days.map((d) => ({ ...d, hashrateHs: d.hashrateHs.toString() })),
      },
    };
  },
});
