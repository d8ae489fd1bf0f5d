import { describe, expect, it } from "vitest";
import { startOfUtcDay } from "../shared/days";
import { createListing } from "../testing/fixtures";
import { withTestDatabase } from "../testing/test-database";
import { observeRequest, routePattern } from "./metrics";
import { metricsAccess, scrapeMetrics } from "./scrape";

const t = withTestDatabase();

/** The value of one sample line of the exposition, e.g. `name{label="x"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("metrics access", () => {
  it("does not exist without a token, wants exactly the bearer token otherwise", () => {
    expect(metricsAccess("Bearer x", "")).toBe("disabled");
    expect(metricsAccess(null, undefined)).toBe("disabled");
    expect(metricsAccess(null, "s3cret")).toBe("unauthorized");
    expect(metricsAccess("Bearer ", "s3cret")).toBe("unauthorized");
    expect(metricsAccess("Bearer s3cre", "s3cret")).toBe("unauthorized");
    expect(metricsAccess("Basic s3cret", "s3cret")).toBe("unauthorized");
    expect(metricsAccess("Bearer s3cret", "s3cret")).toBe("ok");
    expect(metricsAccess("bearer s3cret", "s3cret")).toBe("ok");
  });

  it("labels routes by pattern, never by id or unmatched path", () => {
    expect(routePattern("/marketplace/3f2b8c1e-6a4d-4b7e-9c2f-1a2b3c4d5e6f", 200)).toBe("/marketplace/:id");
    expect(routePattern("/api/v1/contracts/42?x=1", 200)).toBe("/api/v1/contracts/:id");
    expect(routePattern("/verify-email/abcDEF123456ghiJKL", 200)).toBe("/verify-email/:id");
    expect(routePattern("/no/such/page", 404)).toBe("unmatched");
    expect(routePattern("/_next/static/chunks/app-1234.js", 200)).toBe("/_next/*");
    expect(routePattern("/operator/performance", 200)).toBe("/operator/performance");
  });
});

describe("the scrape", () => {
  it("reads the Stratum, outbox and pool figures at scrape time beside the request histogram", async () => {
    const { rigIds } = await createListing(t.prisma, { rigsTh: [100, 100] });
    const today = startOfUtcDay(new Date());
    await t.prisma.rigShareDay.createMany({
      data: [
        { rigId: rigIds[0]!, day: today, acceptedShares: 40, rejectedStale: 2, rejectedInvalid: 1 },
        { rigId: rigIds[1]!, day: today, acceptedShares: 60, rejectedDuplicate: 3 },
        // Yesterday's shares are not today's.
        { rigId: rigIds[1]!, day: new Date(today.getTime() - 86_400_000), acceptedShares: 1_000 },
      ],
    });
    const live = await t.prisma.stratumInstance.create({ data: { host: "h", port: 1, mode: "pool", connections: 7 } });
    await t.prisma.stratumInstance.create({
      data: { host: "h", port: 2, mode: "pool", connections: 9, stoppedAt: new Date() },
    });
    observeRequest("GET", "/marketplace", 200, 12);

    const text = await scrapeMetrics(t.prisma);
    expect(sample(text, 'hashlease_stratum_shares_today{outcome="accepted"}')).toBe(100);
    expect(sample(text, 'hashlease_stratum_shares_today{outcome="stale"}')).toBe(2);
    expect(sample(text, 'hashlease_stratum_shares_today{outcome="duplicate"}')).toBe(3);
    expect(sample(text, 'hashlease_stratum_shares_today{outcome="invalid"}')).toBe(1);
    expect(sample(text, 'hashlease_stratum_shares_today{outcome="low_difficulty"}')).toBe(0);
    // The stopped instance is not reported.
    expect(sample(text, `hashlease_stratum_connections{instance="${live.id}"}`)).toBe(7);
    expect(text.match(/^hashlease_stratum_connections\{/gm)).toHaveLength(1);
    expect(sample(text, "hashlease_mail_outbox_queued")).toBe(0);
    // The test's own client holds connections of this process's pools.
    expect(
      sample(text, 'hashlease_db_pool_connections{state="idle"}')! +
        sample(text, 'hashlease_db_pool_connections{state="busy"}')!,
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'hashlease_http_request_duration_seconds_count{method="GET",route="/marketplace",status="200"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it("reports the payout run a person alerts on: its duration, how far payouts are behind, failures", async () => {
    const now = new Date("2026-12-07T10:00:00Z");
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    await t.prisma.payoutRun.createMany({
      data: [
        {
          day: day("2026-12-04"),
          status: "COMPLETED",
          startedAt: new Date("2026-12-05T00:05:00Z"),
          finishedAt: new Date("2026-12-05T00:05:30Z"),
          contractsSettled: 10,
        },
        {
          day: day("2026-12-05"),
          status: "COMPLETED",
          startedAt: new Date("2026-12-06T00:05:00Z"),
          finishedAt: new Date("2026-12-06T00:05:42.5Z"),
          contractsSettled: 12,
          contractsUnsettled: 1,
        },
        { day: day("2026-12-06"), status: "FAILED", startedAt: new Date("2026-12-07T00:05:00Z"), error: "boom" },
      ],
    });
    const text = await scrapeMetrics(t.prisma, now);
    expect(sample(text, "hashlease_payout_last_run_duration_seconds")).toBe(42.5);
    expect(sample(text, 'hashlease_payout_last_run_contracts{outcome="settled"}')).toBe(12);
    expect(sample(text, 'hashlease_payout_last_run_contracts{outcome="unsettled"}')).toBe(1);
    // Yesterday (12-06) failed: the latest completed day is one behind.
    expect(sample(text, "hashlease_payout_days_behind")).toBe(1);
    expect(sample(text, "hashlease_payout_runs_failed_24h")).toBe(1);
  });
});
