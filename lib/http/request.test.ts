import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./request";

function post(headers: Record<string, string>): Request {
  return new Request("http://localhost:3000/api/contracts", { method: "POST", headers });
}

describe("isSameOrigin", () => {
  it("accepts the app's own origin, also behind a proxy that forwards the host", () => {
    expect(isSameOrigin(post({ host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(isSameOrigin(post({ host: "10.0.0.5:3000", "x-forwarded-host": "hashlease.example", origin: "https://hashlease.example" }))).toBe(true);
  });

  it("accepts requests without Origin (no browser: curl, server to server)", () => {
    expect(isSameOrigin(post({ host: "localhost:3000" }))).toBe(true);
  });

  it("refuses a foreign, opaque or malformed Origin", () => {
    expect(isSameOrigin(post({ host: "localhost:3000", origin: "https://evil.example" }))).toBe(false);
    expect(isSameOrigin(post({ host: "localhost:3000", origin: "http://localhost:3001" }))).toBe(false);
    expect(isSameOrigin(post({ host: "localhost:3000", origin: "null" }))).toBe(false);
  });

  it("refuses what the browser marks cross-site or same-site even when Origin is missing", () => {
    expect(isSameOrigin(post({ host: "localhost:3000", "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOrigin(post({ host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-site" }))).toBe(false);
    expect(isSameOrigin(post({ host: "localhost:3000", "sec-fetch-site": "none" }))).toBe(true);
  });
});
