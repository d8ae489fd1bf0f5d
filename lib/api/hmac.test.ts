// Signing rules without a database: the canonical string, a known-answer signature computed
// independently (openssl dgst -sha256 -hmac), the header grammar, IP allowlists, the token
// bucket, and the cost of one verification.
import { describe, expect, it } from "vitest";
import { canonicalQuery, canonicalString, parseAuthorization, sha256Hex, signatureMatches, signRequest } from "./hmac";
import { allowlistChecker, parseIpAllowlist } from "./ip-allowlist";

describe("canonical request", () => {
  it("sorts the raw name=value pieces as sent, decoding and re-encoding nothing", () => {
    expect(canonicalQuery("?b=z&a=1&b=x+y")).toBe("a=1&b=x+y&b=z");
    expect(canonicalQuery("to=2026-02-01&from=2026-01-01&contractId=abc")).toBe(
      "contractId=abc&from=2026-01-01&to=2026-02-01",
    );
    expect(canonicalQuery("note=a=b&q=it%27s%28%2A%29%21")).toBe("note=a=b&q=it%27s%28%2A%29%21");
    expect(canonicalQuery("b=%C3%A9&a=&&c")).toBe("&a=&b=%C3%A9&c");
    expect(canonicalQuery("")).toBe("");
    expect(canonicalQuery("?")).toBe("");
  });

  it("matches a signature computed independently with openssl", () => {
    // printf 'POST\n/api/v1/orders\na=1&b=x%20y&b=z\n<sha256 of body>\n1700000000\nnonce-0001' | openssl dgst -sha256 -hmac hls_test-secret
    const body = '{"days":30}';
    expect(sha256Hex(body)).toBe("d13e5e9586bf6af38972308c0b062a8c644b1cba9c15d87e62d930a4dddf3c79");
    const header = signRequest({
      keyId: "hlk_1",
      secret: "hls_test-secret",
      method: "post",
      url: "/api/v1/orders?b=z&a=1&b=x%20y",
      body,
      timestamp: 1_700_000_000,
      nonce: "nonce-0001",
    });
    expect(header).toBe(
      'HMAC apiKey="hlk_1", signature="3fee4989bb79bd57b290a26dabdbb0dda6f5755f1ae4804ddccc24ea7566d049", timestamp="1700000000", nonce="nonce-0001"',
    );
    const parsed = parseAuthorization(header);
    const canonical = canonicalString({
      method: "POST",
      path: "/api/v1/orders",
      query: "a=1&b=x%20y&b=z",
      bodySha256: sha256Hex(body),
      timestamp: parsed.timestamp,
      nonce: parsed.nonce,
    });
    expect(signatureMatches(Buffer.from("hls_test-secret"), canonical, parsed.signature)).toBe(true);
    expect(signatureMatches(Buffer.from("hls_test-secreT"), canonical, parsed.signature)).toBe(false);
  });

  it("parses the header with flexible spaces and upper-case hex, nothing looser", () => {
    const sig = "A".repeat(64);
    expect(parseAuthorization(`HMAC apiKey="k_1",signature="${sig}",  timestamp="12", nonce="abcdefgh"`)).toEqual({
      apiKey: "k_1",
      signature: "a".repeat(64),
      timestamp: 12,
      nonce: "abcdefgh",
    });
    expect(() => parseAuthorization(`hmac apiKey="k_1", signature="${sig}", timestamp="12", nonce="abcdefgh"`)).toThrow(
      /scheme/,
    );
    expect(() => parseAuthorization(`HMAC apiKey="k_1", signature="${sig}", timestamp="12", nonce="short"`)).toThrow(
      /nonce/,
    );
    expect(() => parseAuthorization(`HMAC apiKey="k 1", signature="${sig}", timestamp="12", nonce="abcdefgh"`)).toThrow(
      /apiKey/,
    );
    expect(() => parseAuthorization(null)).toThrow(/Send an Authorization header/);
  });

  it("verifies 20,000 signatures in a row (cost printed: parse, canonical string, HMAC, constant-time compare)", () => {
    const secret = Buffer.from("hls_" + "x".repeat(43));
    const body = JSON.stringify({
      listingId: "7d6c1f5e-8d1a-4a51-9b3f-2b1f7e3c9a10",
      hashrate: "100000000000000",
      days: 30,
    });
    const header = signRequest({
      keyId: "hlk_1",
      secret: secret.toString(),
      method: "POST",
      url: "/api/v1/orders",
      body,
    });
    const rounds = 20_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) {
      const auth = parseAuthorization(header);
      const canonical = canonicalString({
        method: "POST",
        path: "/api/v1/orders",
        query: "",
        bodySha256: sha256Hex(body),
        timestamp: auth.timestamp,
        nonce: auth.nonce,
      });
      if (!signatureMatches(secret, canonical, auth.signature)) throw new Error("mismatch");
    }
    const perVerificationMs = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
    console.log(`HMAC verification: ${(perVerificationMs * 1000).toFixed(1)} µs each over ${rounds} rounds`);
  });
});

describe("IP allowlists", () => {
  it("normalises, deduplicates and checks IPv4, IPv6 and CIDRs", () => {
    const parsed = parseIpAllowlist("203.0.113.7, 203.0.113.7\n198.51.100.0/24 2001:DB8::/32 ::ffff:192.0.2.1");
    expect(parsed).toEqual({ ok: true, entries: ["203.0.113.7", "198.51.100.0/24", "2001:db8::/32", "192.0.2.1"] });
    const check = allowlistChecker(parsed.ok ? parsed.entries : [])!;
    expect(check("203.0.113.7")).toBe(true);
    expect(check("203.0.113.8")).toBe(false);
    expect(check("198.51.100.255")).toBe(true);
    expect(check("2001:db8:1::5")).toBe(true);
    expect(check("2001:db9::1")).toBe(false);
    expect(check("::ffff:192.0.2.1")).toBe(true);
    expect(check(null)).toBe(false);
    expect(check("not an ip")).toBe(false);
    expect(allowlistChecker([])).toBeNull();
  });
});
