// USD prices from CoinGecko's public API (https://docs.coingecko.com/reference/simple-price):
// `GET /api/v3/simple/price?ids=bitcoin,litecoin&vs_currencies=usd&include_last_updated_at=true`
// answers `{ "bitcoin": { "usd": 67187.3358936566, "last_updated_at": 1711356300 }, ... }`.
//
// Decisions:
//  - The price is read from the JSON text exactly and truncated to the micro-dollar (it arrives
//    with up to ~10 decimals; network_snapshots.price_micro_usd is micro-USD per whole coin).
//    Truncating, not rounding, so a stored price never exceeds the one published.
//  - Stale: a price whose `last_updated_at` is older than MAX_PRICE_AGE_MS (CoinGecko refreshes every
//    minute) or in the future is refused; so is a missing coin, a zero or negative price.
import { z } from "zod";
import type { Asset } from "../../generated/prisma/enums";
import { MICRO_USD_DECIMALS } from "../../shared/decimal";
import {
  getJson,
  joinUrl,
  jsonInteger,
  jsonScaled,
  NetworkSourceError,
  type CoinFigures,
  type NetworkSource,
} from "./source";

/** CoinGecko's ids of the platform's coins. */
export const COINGECKO_IDS: Partial<Record<Asset, string>> = {
  BTC: "bitcoin",
  LTC: "litecoin",
  DOGE: "dogecoin",
  BCH: "bitcoin-cash",
  KAS: "kaspa",
  ETC: "ethereum-classic",
  XMR: "monero",
};

export const MAX_PRICE_AGE_MS = 3600_000;
const MAX_PRICE_FUTURE_MS = 5 * 60_000;

const answerSchema = z.record(
  z.string(),
  z.object({ usd: jsonScaled(MICRO_USD_DECIMALS), last_updated_at: jsonInteger }).loose(),
);

/**
 * `apiKey`: a CoinGecko API key, sent as the header CoinGecko documents for its host
 * (`x-cg-pro-api-key` on pro-api.coingecko.com, else the demo plan's `x-cg-demo-api-key`); never in
 * the URL, which is stored as each price's source.
 */
export function coingeckoSource(name: string, baseUrl: string, apiKey?: string): NetworkSource {
  const keyHeader: Record<string, string> = apiKey
    ? { [new URL(baseUrl).hostname.startsWith("pro-api.") ? "x-cg-pro-api-key" : "x-cg-demo-api-key"]: apiKey }
    : {};
  const coins = Object.keys(COINGECKO_IDS) as Asset[];
  return {
    name,
    coins,
    async fetchFigures(wanted, ctx) {
      const result = new Map<Asset, CoinFigures>();
      const asked = wanted.filter((c) => COINGECKO_IDS[c]);
      if (asked.length === 0) return result;
      const ids = asked.map((c) => COINGECKO_IDS[c]!).join(",");
      const url = joinUrl(
        baseUrl,
        `/api/v3/simple/price?ids=${encodeURIComponent(ids)}&vs_currencies=usd&include_last_updated_at=true`,
      );
      const answer = await getJson(name, url, answerSchema, ctx, keyHeader);
      for (const coin of asked) {
        const id = COINGECKO_IDS[coin]!;
        const fail = (detail: string) => new NetworkSourceError(name, url, `${id}: ${detail}`);
        const quote = answer[id];
        if (!quote) throw fail("no price in the answer");
        if (quote.usd <= 0n) throw fail("the price is 0 or negative");
        const updatedMs = Number(quote.last_updated_at) * 1000;
        if (updatedMs < ctx.now.getTime() - MAX_PRICE_AGE_MS)
          throw fail(
            `stale: last updated ${new Date(updatedMs).toISOString()}, over 1 h before ${ctx.now.toISOString()}`,
          );
        if (updatedMs > ctx.now.getTime() + MAX_PRICE_FUTURE_MS)
          throw fail(`last updated ${new Date(updatedMs).toISOString()}, in the future`);
        result.set(coin, {
          values: { price_micro_usd: { value: quote.usd, provider: name, url, fetchedAt: ctx.now } },
        });
      }
      return result;
    },
  };
}
