// GET /api/v1/hashprice?coin=BTC&from=&to= — a coin's hashprice per UTC day (scope read, like
// the listings it is compared with): what one pricing unit earned, from the stored network
// snapshots through the payout formula (lib/marketplace/hashprice.ts).
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import {
  defaultHashpriceWindow,
  HASHPRICE_DEFAULT_DAYS,
  HASHPRICE_MAX_DAYS,
  hashpriceHistory,
} from "@/lib/marketplace/hashprice";
import { HASHPRICE_UNITS } from "@/lib/profitability/hashprice";
import { DAY_MS, dayText, parseDay } from "@/lib/shared/days";
import { decimalText, powerOfTenDecimals } from "@/lib/shared/decimal";

export const dynamic = "force-dynamic";

const spec = apiOperations.getHashprice;

export const GET = apiRoute({
  scope: spec.scope,
  query: spec.query,
  handler: async ({ prisma, query, now }) => {
    const to = query.to ? parseDay(query.to)! : defaultHashpriceWindow(now).to;
    const from = query.from ? parseDay(query.from)! : new Date(to.getTime() - (HASHPRICE_DEFAULT_DAYS - 1) * DAY_MS);
    if (from > to) throw new ApiError(400, "invalid_request", "from: must not be after to.");
    if ((to.getTime() - from.getTime()) / DAY_MS + 1 > HASHPRICE_MAX_DAYS)
      throw new ApiError(400, "invalid_request", `from: the window may span at most ${HASHPRICE_MAX_DAYS} days.`);
    const [history] = await hashpriceHistory(prisma, { from, to, coins: [query.coin] });
    if (!history) throw new ApiError(400, "invalid_request", `coin: ${query.coin} is not configured.`);
    const coinScale = history.decimals + powerOfTenDecimals(HASHPRICE_UNITS);
    return {
      status: 200,
      body: {
        coin: history.coin,
        unitHs: history.unitHs.toString(),
        unitLabel: history.unitLabel,
        decimals: history.decimals,
        poolFeeBps: history.poolFeeBps,
        from: dayText(from),
        to: dayText(to),
        days: history.days.map((d) => ({
          day: dayText(d.day),
          grossMicroBasePerUnitDay: d.grossMicroBase.toString(),
          grossCoinPerUnitDay: decimalText(d.grossMicroBase, coinScale),
          grossMicroUsdPerUnitDay: d.grossMicroUsd.toString(),
          afterPoolFeeMicroBasePerUnitDay: d.afterPoolFeeMicroBase.toString(),
          afterPoolFeeMicroUsdPerUnitDay: d.afterPoolFeeMicroUsd.toString(),
          priceMicroUsd: d.priceMicroUsd.toString(),
          networkHashrateHs: d.networkHashrateHs.toString(),
        })),
      },
    };
  },
});
