import { describe, expect, it } from "vitest";
import { withTestDatabase } from "../testing/test-database";
import { purgeExpiredRateLimits, RATE_LIMITS, retryAfterText, takeRateLimit } from "./rate-limit";

const t = withTestDatabase({ poolMax: 8 });

describe("takeRateLimit", () => {
  it("allows the window's points, then refuses with the time left, per key", async () => {
    const { points } = RATE_LIMITS["verify-resend"];
    for (let i = 0; i < points; i++)
      expect(await takeRateLimit(t.prisma, "verify-resend", "user-a")).toEqual({ ok: true });
    const refused = await takeRateLimit(t.prisma, "verify-resend", "user-a");
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.retryAfterSeconds).toBeGreaterThan(3500);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
    }
    expect(await takeRateLimit(t.prisma, "verify-resend", "USER-B")).toEqual({ ok: true });
    // The same who under another limit is counted apart.
    expect(await takeRateLimit(t.prisma, "reset-email", "user-a")).toEqual({ ok: true });
  });

  it("counts concurrent requests exactly (one row per key, updated in place)", async () => {
    const { points } = RATE_LIMITS["reset-email"];
    const results = await Promise.all(
      Array.from({ length: 12 }, () => takeRateLimit(t.prisma, "reset-email", "raced@example.com")),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(points);
  });

  it("purges windows that ended and starts afresh", async () => {
    await takeRateLimit(t.prisma, "registration-attempt-mail", "old@example.com");
    expect((await takeRateLimit(t.prisma, "registration-attempt-mail", "old@example.com")).ok).toBe(false);
    await t.prisma.rateLimit.updateMany({ data: { expire: BigInt(Date.now() - 1) } });
    expect(await purgeExpiredRateLimits(t.prisma)).toBeGreaterThan(0);
    expect(await t.prisma.rateLimit.count()).toBe(0);
    expect(await takeRateLimit(t.prisma, "registration-attempt-mail", "old@example.com")).toEqual({ ok: true });
    expect(retryAfterText(61)).toBe("in 2 minutes");
    expect(retryAfterText(5)).toBe("in 1 minute");
  });
});
