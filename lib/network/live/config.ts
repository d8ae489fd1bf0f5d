// Which live sources run, from the environment. Nothing is fetched unless a base URL is set: CI,
// tests and the embedded demo never touch the internet. A coin is fetched when a chain source for
// it and the price source are both configured.
//
//   HASHLEASE_NETWORK_PROVIDER_URL_MEMPOOL         e.g. https://mempool.space      (BTC)
//   HASHLEASE_NETWORK_PROVIDER_URL_LITECOINSPACE   e.g. https://litecoinspace.org  (LTC)
//   HASHLEASE_NETWORK_PROVIDER_URL_COINGECKO       e.g. https://api.coingecko.com  (USD prices)
//   HASHLEASE_NETWORK_COINGECKO_API_KEY            optional; sent as CoinGecko's key header
//   HASHLEASE_NETWORK_REVIEW_THRESHOLD_PCT         default 20 (up to 2 decimals)
//   HASHLEASE_NETWORK_FETCH_TIMEOUT_MS             default 10000
import { parseDecimal } from "../../shared/decimal";
import { coingeckoSource } from "./coingecko";
import { BITCOIN, LITECOIN, mempoolSource } from "./mempool";
import type { NetworkSource } from "./source";

export const DEFAULT_REVIEW_THRESHOLD_BPS = 2_000n;
export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

export interface LiveConfig {
  chains: NetworkSource[];
  price: NetworkSource;
  /** A fetched figure moving more than this (basis points of the day before) holds the day for review. */
  thresholdBps: bigint;
  timeoutMs: number;
}

type Env = Record<string, string | undefined>;

function baseUrl(env: Env, name: string): string | null {
  const value = env[`HASHLEASE_NETWORK_PROVIDER_URL_${name}`]?.trim();
  if (!value) return null;
  const url = new URL(value); // throws on a malformed URL: a configuration error, loud at start
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`HASHLEASE_NETWORK_PROVIDER_URL_${name} must be an http(s) URL`);
  return value;
}

/** The review threshold in basis points (HASHLEASE_NETWORK_REVIEW_THRESHOLD_PCT, default 20 %). */
export function reviewThresholdBps(env: Env): bigint {
  const text = env.HASHLEASE_NETWORK_REVIEW_THRESHOLD_PCT?.trim();
  if (!text) return DEFAULT_REVIEW_THRESHOLD_BPS;
  const parsed = parseDecimal(text, 2);
  if (!parsed.ok || parsed.value <= 0n)
    throw new Error(`HASHLEASE_NETWORK_REVIEW_THRESHOLD_PCT must be a positive percentage (e.g. 20), got "${text}"`);
  return parsed.value;
}

/** The live sources configured in `env`, or null when none would run. */
export function liveConfig(env: Env = process.env): LiveConfig | null {
  const chains: NetworkSource[] = [];
  const mempool = baseUrl(env, "MEMPOOL");
  if (mempool) chains.push(mempoolSource("mempool.space", mempool, BITCOIN));
  const litecoinspace = baseUrl(env, "LITECOINSPACE");
  if (litecoinspace) chains.push(mempoolSource("litecoinspace.org", litecoinspace, LITECOIN));
  const coingecko = baseUrl(env, "COINGECKO");
  if (chains.length === 0 || !coingecko) return null;
  const timeout = Number(env.HASHLEASE_NETWORK_FETCH_TIMEOUT_MS || DEFAULT_FETCH_TIMEOUT_MS);
  if (!Number.isInteger(timeout) || timeout < 100 || timeout > 120_000)
    throw new Error("HASHLEASE_NETWORK_FETCH_TIMEOUT_MS must be a whole number of milliseconds, 100..120000");
  return {
    chains,
    price: coingeckoSource("coingecko", coingecko, env.HASHLEASE_NETWORK_COINGECKO_API_KEY?.trim() || undefined),
    thresholdBps: reviewThresholdBps(env),
    timeoutMs: timeout,
  };
}
