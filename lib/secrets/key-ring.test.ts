import { describe, expect, it } from "vitest";
import { SecretsConfigError } from "./errors";
import { generateKeyRingEntry, parseKeyRing } from "./key-ring";
import { keyB64 } from "./test-helpers";

describe("parseKeyRing", () => {
  it("parses keyId:base64 pairs and makes the last one active by default", () => {
    const a = keyB64();
    const b = keyB64();
    const ring = parseKeyRing(` k2024:${a} , k2025_b-1:${b} `);
    expect([...ring.keys.keys()]).toEqual(["k2024", "k2025_b-1"]);
    expect(ring.keys.get("k2024")).toEqual(Buffer.from(a, "base64"));
    expect(ring.keys.get("k2025_b-1")?.length).toBe(32);
    expect(ring.activeKeyId).toBe("k2025_b-1");
  });

  it("uses ENCRYPTION_ACTIVE_KEY_ID when given", () => {
    const ring = parseKeyRing(`old:${keyB64()},new:${keyB64()}`, "old");
    expect(ring.activeKeyId).toBe("old");
  });

  it("accepts URL-safe base64 keys", () => {
    const key = Buffer.alloc(32, 0xfb);
    expect(parseKeyRing(`k:${key.toString("base64url")}`).keys.get("k")).toEqual(key);
  });

  it("rejects an active key id that is not in the ring", () => {
    expect(() => parseKeyRing(`a:${keyB64()}`, "b")).toThrow(/ENCRYPTION_ACTIVE_KEY_ID "b" is not one of/);
  });

  it.each([
    ["a key of 16 bytes", () => `k1:${keyB64(16)}`, /exactly 32 bytes \(got 16\)/],
    ["a key of 33 bytes", () => `k1:${keyB64(33)}`, /exactly 32 bytes \(got 33\)/],
    ["a key that is not base64", () => "k1:not base64!!", /not valid base64/],
    ["an empty key", () => "k1:", /not valid base64/],
    ["a missing colon", () => keyB64(), /must look like "keyId:base64key"/],
    ["an id with a dot", () => `bad.id:${keyB64()}`, /key id must match/],
    ["an empty id", () => `:${keyB64()}`, /key id must match/],
    ["an id longer than 32", () => `${"x".repeat(33)}:${keyB64()}`, /key id must match/],
    ["a duplicate id", () => `k1:${keyB64()},k1:${keyB64()}`, /lists key id "k1" twice/],
    ["an empty entry", () => `k1:${keyB64()},`, /entry 2 must look like/],
  ])("rejects %s with a clear error", (_label, spec, message) => {
    expect(() => parseKeyRing(spec())).toThrow(SecretsConfigError);
    expect(() => parseKeyRing(spec())).toThrow(message);
  });

  it("never puts key material in an error message", () => {
    const shortKey = keyB64(31);
    expect(() => parseKeyRing(`k1:${shortKey}`)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(shortKey) }),
    );
  });

  it("generates entries that parse", () => {
    const ring = parseKeyRing(generateKeyRingEntry("fresh"));
    expect(ring.activeKeyId).toBe("fresh");
    expect(ring.keys.get("fresh")?.length).toBe(32);
  });
});
