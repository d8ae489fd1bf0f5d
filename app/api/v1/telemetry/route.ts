// POST /api/v1/telemetry — average hashrate per rig per day for the key owner's rigs (scope
// telemetry). lib/operator/telemetry.ts recordTelemetry does the checks and the write; here it
// joins the pipeline's idempotency transaction.
import { refusalStatus } from "@/lib/api/error-codes";
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { apiCode, joinedClient, requireTx } from "@/lib/api/v1";
import { recordTelemetry } from "@/lib/operator/telemetry";

export const dynamic = "force-dynamic";

const spec = apiOperations.postTelemetry;

export const POST = apiRoute({
  scope: spec.scope,
  mutating: true,
  body: spec.body,
  handler: async ({ tx, user, body, ip, now }) => {
    const result = await recordTelemetry(joinedClient(requireTx(tx)), {
      operatorId: user.id,
      entries: body.map((e) => ({ rigId: e.rigId, day: e.day, avgHashrate: e.avgHashrate, unit: "H/s" })),
      source: "API",
      ip,
      now,
    });
    if (!result.ok) {
      const first = result.errors[0];
      const where = first ? ` Entry ${first.index} (${first.field}): ${first.message}` : "";
      throw new ApiError(refusalStatus(result.code), apiCode(result.code), `${result.message}${where}`);
    }
    const saved = result.saved.map((s) => ({
      rigId: s.rigId,
      day: s.day,
      reportedHashrateHs: s.reportedHashrateHs.toString(),
      replaced: s.previous !== null,
    }));
    return { status: 201, body: { saved, unchanged: result.unchanged } };
  },
});
