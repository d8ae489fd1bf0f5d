import { describe, expect, it } from "vitest";
import { clientIp, headerRecord, isSameOrigin } from "./request";

function post(headers: Record<string, string>): Request {
  return new Request("http://localhost:3000/api/contracts", { method: "POST", headers });
}

describe("isSameOrigin", () => {
  it("accepts the app's own origin, also behind a proxy that forwards the host", () => {
    expect(
      isSameOrigin(post({ host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })),
    ).toBe(true);
    expect(
      isSameOrigin(
        post({ host: "10.0.0.5:3000", "x-forwarded-host": "hashlease.example", origin: "https://hashlease.example" }),
      ),
    ).toBe(true);
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
    expect(
      isSameOrigin(post({ host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-site" })),
    ).toBe(false);
    expect(isSameOrigin(post({ host: "localhost:3000", "sec-fetch-site": "none" }))).toBe(true);
  });
});

describe("clientIp", () => {
  it("reads the first X-Forwarded-For entry, else X-Real-IP, else null", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": " 203.0.113.7 , 10.0.0.1", "x-real-ip": "10.0.0.2" }))).toBe(
      "203.0.113.7",
    );
    expect(clientIp(new Headers({ "x-real-ip": "10.0.0.2" }))).toBe("10.0.0.2");
    expect(clientIp(new Headers({ "x-forwarded-for": "" }))).toBeNull();
    expect(clientIp(new Headers())).toBeNull();
  });

  it("reads Node-style header objects the same way", () => {
    expect(clientIp(headerRecord({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(clientIp(headerRecord({ "x-real-ip": "10.0.0.2", "x-forwarded-for": ["x"] }))).toBe("10.0.0.2");
    expect(clientIp(headerRecord(undefined))).toBeNull();
  });
});
