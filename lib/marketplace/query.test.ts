import { describe, expect, it } from "vitest";
import { Algorithm, Asset } from "../generated/prisma/enums";
import { hasFilters, LISTING_ALGORITHMS, LISTING_COINS, marketplaceHref, parseMarketplaceQuery } from "./query";

describe("parseMarketplaceQuery", () => {
  it("uses defaults for an empty query", () => {
    expect(parseMarketplaceQuery({})).toEqual({
      query: { coin: undefined, algorithm: undefined, sort: "price_asc", page: 1 },
      typed: { price_min: "", price_max: "", days: "", location: "" },
      errors: {},
    });
  });

  it("accepts valid values, parsing prices exactly into micro-USD", () => {
    const parsed = parseMarketplaceQuery({
      coin: "KAS",
      algorithm: "KHEAVYHASH",
      price_min: "0.0195",
      price_max: "$0.03",
      days: "30",
      location: "  Texas ",
      sort: "profit_desc",
      page: "3",
    });
    expect(parsed.query).toEqual({
      coin: "KAS",
      algorithm: "KHEAVYHASH",
      minPriceMicroUsd: 19_500n,
      maxPriceMicroUsd: 30_000n,
      days: 30,
      location: "Texas",
      sort: "profit_desc",
      page: 3,
    });
    expect(parsed.errors).toEqual({});
    expect(parsed.typed).toEqual({ price_min: "0.0195", price_max: "$0.03", days: "30", location: "Texas" });
  });

  it("falls back per field on bad enumerations and pages", () => {
    const { query } = parseMarketplaceQuery({ coin: "USD", algorithm: "MD5", sort: "cheap", page: "-2" });
    expect(query).toEqual({ coin: undefined, algorithm: undefined, sort: "price_asc", page: 1 });
    expect(parseMarketplaceQuery({ coin: "btc'; DROP TABLE listings;--", page: "1.5" }).query.coin).toBeUndefined();
    expect(parseMarketplaceQuery({ page: "1.5" }).query.page).toBe(1);
    expect(parseMarketplaceQuery({ page: "abc" }).query.page).toBe(1);
    expect(parseMarketplaceQuery({ page: "99999999999" }).query.page).toBe(1);
  });

  it("keeps a bad price or duration as typed, unapplied, with a message", () => {
    const parsed = parseMarketplaceQuery({ price_min: "0.0000001", price_max: "1e3", days: "30.5" });
    expect(parsed.query.minPriceMicroUsd).toBeUndefined();
    expect(parsed.query.maxPriceMicroUsd).toBeUndefined();
    expect(parsed.query.days).toBeUndefined();
    expect(parsed.typed).toMatchObject({ price_min: "0.0000001", price_max: "1e3", days: "30.5" });
    expect(Object.keys(parsed.errors).sort()).toEqual(["days", "price_max", "price_min"]);
    expect(parseMarketplaceQuery({ days: "0" }).errors.days).toMatch(/whole number of days/);
  });

  it("does not apply a maximum below the minimum", () => {
    const parsed = parseMarketplaceQuery({ price_min: "0.03", price_max: "0.02" });
    expect(parsed.query.minPriceMicroUsd).toBe(30_000n);
    expect(parsed.query.maxPriceMicroUsd).toBeUndefined();
    expect(parsed.errors.price_max).toMatch(/below the minimum/);
    expect(parseMarketplaceQuery({ price_min: "0.02", price_max: "0.02" }).query.maxPriceMicroUsd).toBe(20_000n);
  });

  it("takes the first of repeated values and caps the location's length", () => {
    expect(parseMarketplaceQuery({ coin: ["LTC", "BTC"], page: ["2", "5"] }).query).toMatchObject({
      coin: "LTC",
      page: 2,
    });
    expect(parseMarketplaceQuery({ location: "x".repeat(150) }).query.location).toHaveLength(100);
    expect(parseMarketplaceQuery({ location: "   " }).query.location).toBeUndefined();
  });
});

describe("marketplaceHref", () => {
  it("leaves defaults out", () => {
    expect(marketplaceHref({ sort: "price_asc", page: 1 })).toBe("/marketplace");
    expect(marketplaceHref({ coin: "BTC", sort: "price_desc", page: 2 })).toBe(
      "/marketplace?coin=BTC&sort=price_desc&page=2",
    );
  });

  it("writes every filter so that parsing the URL gives the query back", () => {
    const query = {
      coin: "BTC",
      algorithm: "SHA256",
      minPriceMicroUsd: 19_500n,
      maxPriceMicroUsd: 1_000_000n,
      days: 90,
      location: "Luleå & co",
      sort: "profit_desc",
      page: 4,
    } as const;
    const href = marketplaceHref(query);
    expect(href).toBe(
      "/marketplace?coin=BTC&algorithm=SHA256&price_min=0.0195&price_max=1&days=90&location=Lule%C3%A5+%26+co&sort=profit_desc&page=4",
    );
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseMarketplaceQuery(params).query).toEqual(query);
  });
});

describe("hasFilters", () => {
  it("is true for any filter, not for sort or page", () => {
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ days: 30 })).toBe(true);
    expect(hasFilters({ minPriceMicroUsd: 0n })).toBe(true);
  });
});

describe("LISTING_COINS and LISTING_ALGORITHMS", () => {
  it("are every asset except USD, and every algorithm", () => {
    expect([...LISTING_COINS].sort()).toEqual(
      Object.values(Asset)
        .filter((a) => a !== "USD")
        .sort(),
    );
    expect([...LISTING_ALGORITHMS].sort()).toEqual(Object.values(Algorithm).sort());
  });
});
