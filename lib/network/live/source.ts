// One interface for every public source of network figures (a block explorer's API for
// difficulty, subsidy and fees; a price API for USD prices): an adapter asks its API over HTTP,
// checks the answer with zod and plausibility rules, and returns each figure in the units the
// database stores (fixed-point bigint, exactly) with where and when it was fetched. A bad answer
// (HTTP error, timeout, not JSON, wrong shape, zero or negative figures, stale timestamps) is a
// NetworkSourceError that says which provider and URL and what was wrong; never a guess.
//
// The HTTP fetch is injectable (`SourceContext.fetch`), and every adapter's base URL comes from
// configuration (./config.ts), so tests point them at a local server serving recorded answers.
import { z } from "zod";
import type { Asset } from "../../generated/prisma/enums";
import { JsonNumber, parseExactJson } from "../../shared/exact-json";

/** The snapshot columns a source can supply; each stored with its source (network_value_sources). */
export const SOURCED_FIELDS = [
  "difficulty",
  "network_hashrate_hs",
  "block_subsidy_base",
  "avg_fees_per_block_base",
  "price_micro_usd",
] as const;
export type SourcedField = (typeof SOURCED_FIELDS)[number];

export interface FetchedValue {
  value: bigint;
  /** The adapter's name (e.g. "mempool.space"). */
  provider: string;
  /** The URL whose answer held the value. */
  url: string;
  fetchedAt: Date;
}

/** What one source answered for one coin: some of the fields, and the chain's target block time. */
export interface CoinFigures {
  values: Partial<Record<SourcedField, FetchedValue>>;
  /** The protocol's target block time (chain sources only). */
  blockTimeMs?: number;
}

export interface SourceContext {
  /** The clock the answer is judged by (staleness). */
  now: Date;
  fetch: typeof fetch;
  timeoutMs: number;
}

export interface NetworkSource {
  readonly name: string;
  /** The coins it has figures for. */
  readonly coins: readonly Asset[];
  /** Figures of `coins` (a subset of this.coins) as of ctx.now; throws NetworkSourceError. */
  fetchFigures(coins: readonly Asset[], ctx: SourceContext): Promise<Map<Asset, CoinFigures>>;
}

export class NetworkSourceError extends Error {
  constructor(
    readonly provider: string,
    readonly url: string,
    detail: string,
  ) {
    super(`${provider} (${url}): ${detail}`);
    this.name = "NetworkSourceError";
  }
}

/**
 * GETs `url` and parses its JSON body exactly (numbers as JsonNumber) against `schema`. Any
 * failure is a NetworkSourceError naming the provider and URL.
 */
export async function getJson<S extends z.ZodType>(
  provider: string,
  url: string,
  schema: S,
  ctx: SourceContext,
  headers: Record<string, string> = {},
): Promise<z.output<S>> {
  const fail = (detail: string) => new NetworkSourceError(provider, url, detail);
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      headers: { accept: "application/json", ...headers },
      signal: AbortSignal.timeout(ctx.timeoutMs),
      redirect: "error",
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") throw fail(`no answer within ${ctx.timeoutMs} ms`);
    throw fail(`request failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    throw fail(
      name === "TimeoutError" || name === "AbortError"
        ? `no answer within ${ctx.timeoutMs} ms`
        : "the body could not be read",
    );
  }
  if (response.status !== 200) throw fail(`HTTP ${response.status}${body ? `: ${body.slice(0, 120)}` : ""}`);
  let json: unknown;
  try {
    json = parseExactJson(body);
  } catch {
    throw fail(`the answer is not JSON: ${JSON.stringify(body.slice(0, 80))}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(`unexpected answer at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** The base URL joined with a path, without doubling the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

/** A JSON number that must be a whole number, as a bigint. */
export const jsonInteger = z.instanceof(JsonNumber, { error: "expected a number" }).transform((n, ctx) => {
  const { value, exact } = n.scaled(0);
  if (exact) return value;
  ctx.addIssue({ code: "custom", message: `expected a whole number, got ${n.text}` });
  return z.NEVER;
});

/** A JSON number in a unit of 10^-scale, truncated (the adapter says why truncating is right). */
export const jsonScaled = (scale: number) =>
  z.instanceof(JsonNumber, { error: "expected a number" }).transform((n) => n.scaled(scale).value);
