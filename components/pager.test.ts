import { describe, expect, it } from "vitest";
import { pagerItems } from "./pager";

describe("pagerItems", () => {
  it("lists every page when there are few", () => {
    expect(pagerItems(1, 1)).toEqual([1]);
    expect(pagerItems(2, 4)).toEqual([1, 2, 3, 4]);
  });

  it("shows first, last and a window around the current page with gaps", () => {
    expect(pagerItems(1, 10)).toEqual([1, 2, null, 10]);
    expect(pagerItems(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    expect(pagerItems(10, 10)).toEqual([1, null, 9, 10]);
  });

  it("fills a gap of exactly one page instead of showing an ellipsis", () => {
    expect(pagerItems(4, 10)).toEqual([1, 2, 3, 4, 5, null, 10]);
  });

  it("ignores a current page past the end", () => {
    expect(pagerItems(50, 3)).toEqual([1, 2, 3]);
  });
});
