// PUT /api/v1/network/{coin}/{day} — enter or correct a coin's network inputs for a day (scope
// admin). Validated by lib/network/fields.ts parseSnapshot and saved by saveSnapshot (audit line
// included), inside the pipeline's idempotency transaction.
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { apiCode, invalidFields, joinedClient, requireTx } from "@/lib/api/v1";
import { parseSnapshot, snapshotFields } from "@/lib/network/fields";
import { saveSnapshot, snapshotCoins } from "@/lib/network/snapshots";
import { dayText, parseDay } from "@/lib/shared/days";

export const dynamic = "force-dynamic";

const spec = apiOperations.putNetworkSnapshot;

export const PUT = apiRoute({
  scope: spec.scope,
  twoFactor: "enter network data",
  mutating: true,
  body: spec.body,
  handler: async ({ tx, user, body, params, ip, now }) => {
    const path = spec.params.safeParse(params);
    if (!path.success) {
      const issue = path.error.issues[0];
      throw new ApiError(400, "invalid_request", `${issue?.path.join(".") || "path"}: ${issue?.message ?? "invalid"}`);
    }
    const db = requireTx(tx);
    const coins = await snapshotCoins(db);
    const coin = coins.find((c) => c.asset === path.data.coin);
    if (!coin) throw new ApiError(422, "invalid", `${path.data.coin} is not configured.`);
    // The core validates the admin form's texts; these are the same figures written exactly.
    const fields = snapshotFields(
      {
        coin: coin.asset,
        day: parseDay(path.data.day)!,
        difficulty: body.difficulty === undefined ? null : BigInt(body.difficulty),
        networkHashrateHs: body.networkHashrateHs === undefined ? null : BigInt(body.networkHashrateHs),
        blockTimeMs: body.blockTimeMs,
        blockSubsidyBase: BigInt(body.blockSubsidyBase),
        avgFeesPerBlockBase: BigInt(body.avgFeesPerBlockBase),
        priceMicroUsd: BigInt(body.priceMicroUsd),
        source: body.source,
      },
      coin,
    );
    const parsed = parseSnapshot(fields, coins, now);
    if (!parsed.ok) invalidFields(parsed.fieldErrors);
    const result = await saveSnapshot(joinedClient(db), { actorId: user.id, snapshot: parsed.value, ip });
    if (!result.ok) throw new ApiError(result.code === "FORBIDDEN" ? 403 : 409, apiCode(result.code), result.message);
    const s = result.snapshot;
    return {
      status: 200,
      body: {
        coin: s.coin,
        day: dayText(s.day),
        difficulty: s.difficulty?.toString() ?? null,
        networkHashrateHs: s.networkHashrateHs?.toString() ?? null,
        blockTimeMs: s.blockTimeMs,
        blockSubsidyBase: s.blockSubsidyBase.toString(),
        avgFeesPerBlockBase: s.avgFeesPerBlockBase.toString(),
        priceMicroUsd: s.priceMicroUsd.toString(),
        source: s.source,
        outcome: result.outcome,
        payoutsOnDay: result.payoutsOnDay,
      },
    };
  },
});
