import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it("accepts same-origin paths", () => {
    expect(safeCallbackUrl("/dashboard")).toBe("/dashboard");
    expect(safeCallbackUrl("/marketplace?coin=BTC&page=2")).toBe("/marketplace?coin=BTC&page=2");
    expect(safeCallbackUrl("/")).toBe("/");
  });

  it("refuses anything that can leave the origin", () => {
    for (const bad of [
      "//evil.example",
      "//evil.example/dashboard",
      "/\\evil.example",
      "\\\\evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "dashboard",
      "/\tevil",
      "/\nevil",
      "",
    ]) {
      expect(safeCallbackUrl(bad), bad).toBeNull();
    }
  });

  it("refuses non-strings and absurd lengths", () => {
    expect(safeCallbackUrl(undefined)).toBeNull();
    expect(safeCallbackUrl(["/dashboard"])).toBeNull();
    expect(safeCallbackUrl(`/${"a".repeat(3000)}`)).toBeNull();
  });
});
