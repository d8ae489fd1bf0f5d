import { describe, expect, it, vi } from "vitest";
import { parseTrustedProxies, PEER_IP_HEADER } from "./client-ip";
import { clientIp, headerRecord, isSameOrigin, RAW_TARGET_HEADER, requestTarget } from "./request";

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

describe("clientIp: the socket's peer, X-Forwarded-For only through trusted proxies", () => {
  const peer = (ip: string, forwarded?: string) =>
    new Headers({ [PEER_IP_HEADER]: ip, ...(forwarded === undefined ? {} : { "x-forwarded-for": forwarded }) });

  it("an untrusted peer with a forged X-Forwarded-For is the peer (default: loopback proxies only)", () => {
    vi.stubEnv("TRUSTED_PROXIES", ""); // empty is the default, as unset
    expect(clientIp(peer("198.51.100.20", "203.0.113.7"))).toBe("198.51.100.20");
    expect(clientIp(peer("198.51.100.20"))).toBe("198.51.100.20");
    expect(clientIp(peer("::ffff:198.51.100.20", "10.0.0.1, 203.0.113.7"))).toBe("::ffff:198.51.100.20");
    // No peer (a handler called outside the web server): no address, whatever the headers claim.
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.7", "x-real-ip": "10.0.0.2" }))).toBeNull();
  });

  it("a trusted proxy: the right-most entry that is not a trusted proxy", () => {
    // Default "loopback": a reverse proxy on the same machine.
    expect(clientIp(peer("127.0.0.1", "203.0.113.7"))).toBe("203.0.113.7");
    expect(clientIp(peer("::1", "6.6.6.6, 203.0.113.7"))).toBe("203.0.113.7");
    vi.stubEnv("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7");
    // The client claims 6.6.6.6 in front of its real address; two trusted hops follow.
    expect(clientIp(peer("10.1.2.3", "6.6.6.6, 203.0.113.7, 192.0.2.7"))).toBe("203.0.113.7");
    expect(clientIp(peer("10.1.2.3", "10.9.9.9"))).toBe("10.9.9.9"); // every hop trusted: the left-most
    expect(clientIp(peer("10.1.2.3", "203.0.113.7, not-an-ip"))).toBe("10.1.2.3");
    expect(clientIp(peer("127.0.0.1", "203.0.113.7"))).toBe("127.0.0.1"); // loopback not listed: untrusted
    vi.stubEnv("TRUSTED_PROXIES", "none");
    expect(clientIp(peer("127.0.0.1", "203.0.113.7"))).toBe("127.0.0.1");
    vi.unstubAllEnvs();
  });

  it("a hop count: the entry that many places left of the peer", () => {
    vi.stubEnv("TRUSTED_PROXIES", "2");
    expect(clientIp(peer("10.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.2"))).toBe("203.0.113.7");
    expect(clientIp(peer("10.0.0.1", "10.0.0.2"))).toBe("10.0.0.2"); // a shorter chain: its left-most
    vi.stubEnv("TRUSTED_PROXIES", "1");
    expect(clientIp(peer("10.0.0.1", "6.6.6.6, 203.0.113.7"))).toBe("203.0.113.7");
    vi.unstubAllEnvs();
  });

  it("a bad TRUSTED_PROXIES is refused with its reason", () => {
    expect(() => parseTrustedProxies("10.0.0.0/40")).toThrow(/TRUSTED_PROXIES: .*prefix length/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies("99")).toThrow(/at most 10/);
  });

  it("reads Node-style header objects the same way", () => {
    expect(clientIp(headerRecord({ [PEER_IP_HEADER]: "127.0.0.1", "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe(
      "10.0.0.1",
    );
    expect(clientIp(headerRecord(undefined))).toBeNull();
  });
});

describe("requestTarget: the path and query a client signed", () => {
  const url = "http://localhost:3000/api/v1/payouts?from=2026-01-01&note=a%3Db";
  it("answers the target as sent, where the web server recorded it", () => {
    const sent = "/api/v1/payouts?note=a=b&from=2026-01-01";
    expect(requestTarget(new Request(url, { headers: { [RAW_TARGET_HEADER]: sent } }))).toEqual({
      path: "/api/v1/payouts",
      search: "?note=a=b&from=2026-01-01",
    });
  });
  it("falls back to request.url without the record, and never takes another path from it", () => {
    const own = { path: "/api/v1/payouts", search: "?from=2026-01-01&note=a%3Db" };
    expect(requestTarget(new Request(url))).toEqual(own);
    expect(requestTarget(new Request(url, { headers: { [RAW_TARGET_HEADER]: "/api/v1/contracts?x=1" } }))).toEqual(own);
    expect(requestTarget(new Request(url, { headers: { [RAW_TARGET_HEADER]: "http://evil.example/x" } }))).toEqual(own);
  });
});
