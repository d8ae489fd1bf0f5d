// POST /api/v1/payout-runs { day } — settle one UTC day (scope admin) and answer the run summary.
//
// settleDay runs its own transactions (retries, time limit, FAILED marking), so it cannot join
// the pipeline's idempotency transaction. It is idempotent by construction (each contract-day
// is paid once), so the key is honoured around it: a stored answer is replayed (a different
// body: 422) before anything runs; otherwise the day is settled and the summary stored with
// runIdempotent, which — should a concurrent call with the same key have stored first —
// answers that first summary instead (the second settle paid nothing twice).
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { requestHash, runIdempotent } from "@/lib/idempotency/idempotency";
import { PayoutDayError, settleDay } from "@/lib/payouts/run";
import { parseDay } from "@/lib/shared/days";

export const dynamic = "force-dynamic";

const spec = apiOperations.createPayoutRun;
const SCOPE = "api:POST /api/v1/payout-runs";

export const POST = apiRoute({
  scope: spec.scope,
  twoFactor: "run payout days",
  mutating: true,
  idempotency: "handler",
  body: spec.body,
  handler: async ({ prisma, user, body, idempotencyKey, now }) => {
    const key = idempotencyKey!;
    const request = { day: body.day };
    const stored = await prisma.idempotencyKey.findUnique({
      where: { userId_scope_key: { userId: user.id, scope: SCOPE, key } },
    });
    if (stored && stored.expiresAt > now && stored.responseStatus !== null) {
      if (stored.requestHash !== requestHash(request)) {
        throw new ApiError(
          422,
          "idempotency_key_reused",
          "This Idempotency-Key was already used for a different request.",
        );
      }
      return { status: stored.responseStatus, body: stored.responseBody, headers: { "idempotent-replayed": "true" } };
    }
    let summary;
    try {
      summary = await settleDay(prisma, parseDay(body.day)!, { actorId: user.id, now });
    } catch (error) {
      if (error instanceof PayoutDayError) throw new ApiError(422, "day_not_settleable", error.message);
      throw error;
    }
    const answer = JSON.parse(
      JSON.stringify(summary, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    ) as Record<string, string>;
    const outcome = await runIdempotent(prisma, { userId: user.id, scope: SCOPE, key, request, now }, async () => ({
      status: 201,
      body: answer,
    }));
    if (outcome.status === 422 && "error" in outcome.body) {
      throw new ApiError(
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was already used for a different request.",
      );
    }
    return { status: outcome.status, body: outcome.body };
  },
});
