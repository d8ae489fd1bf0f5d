import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeRemembered } from "./session-token";

const secret = "test-secret-for-session-token-0123456789";

describe("decodeRemembered", () => {
  it("decodes a valid cookie, again from memory, and only under its own secret", async () => {
    const token = await encode({ token: { uid: "u1", authAt: 1234 }, secret, maxAge: 60 });
    expect(await decodeRemembered({ token, secret })).toMatchObject({ uid: "u1", authAt: 1234 });
    expect(await decodeRemembered({ token, secret })).toMatchObject({ uid: "u1", authAt: 1234 });
    await expect(decodeRemembered({ token, secret: `${secret}-rotated` })).rejects.toThrow();
  });

  it("refuses a tampered or expired cookie, every time", async () => {
    const token = await encode({ token: { uid: "u2", authAt: 1 }, secret, maxAge: 60 });
    const tampered = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    for (let i = 0; i < 2; i++) await expect(decodeRemembered({ token: tampered, secret })).rejects.toThrow();
    const expired = await encode({ token: { uid: "u3", authAt: 1 }, secret, maxAge: -60 });
    for (let i = 0; i < 2; i++) await expect(decodeRemembered({ token: expired, secret })).rejects.toThrow();
    expect(await decodeRemembered({ token: undefined, secret })).toBeNull();
  });
});
