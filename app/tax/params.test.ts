import { describe, expect, it } from "vitest";
import { parseFilters, parseYear, taxHref } from "./params";

describe("/tax query string", () => {
  it("takes a listed year, else the newest", () => {
    expect(parseYear("2025", [2026, 2025])).toBe(2025);
    expect(parseYear("2019", [2026, 2025])).toBe(2026);
    expect(parseYear(["2025x"], [2026, 2025])).toBe(2026);
    expect(parseYear(undefined, [2026])).toBe(2026);
  });

  it("applies only filters that parse", () => {
    expect(parseFilters({ kind: "POOL_FEE", coin: "BTC", month: "3", page: "2" }, ["BTC"])).toEqual({
      kind: "POOL_FEE",
      coin: "BTC",
      month: 3,
      page: 2,
    });
    expect(parseFilters({ kind: "DROP TABLE", coin: "LTC", month: "13", page: "-1" }, ["BTC"])).toEqual({
      kind: null,
      coin: null,
      month: null,
      page: 1,
    });
  });

  it("builds links with the year and the filters in force", () => {
    expect(taxHref(2025)).toBe("/tax?year=2025");
    expect(taxHref(2025, { kind: "MINING_INCOME", month: 12, page: 3 })).toBe(
      "/tax?year=2025&kind=MINING_INCOME&month=12&page=3",
    );
  });
});
