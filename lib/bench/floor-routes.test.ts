// bench:floor's floor routes (app/**/*.bench.ts(x)) are routes only in a build made with
// HASHLEASE_BENCH_ROUTES=1: Next's own file matcher, fed next.config.ts's pageExtensions.
import { readdirSync } from "node:fs";
import path from "node:path";
import { createValidFileMatcher } from "next/dist/server/lib/find-page-file.js";
import { afterEach, describe, expect, it, vi } from "vitest";

const APP = path.resolve("app");

async function pageExtensions(benchRoutes: string | undefined): Promise<string[]> {
  vi.resetModules();
  if (benchRoutes === undefined) vi.stubEnv("HASHLEASE_BENCH_ROUTES", undefined as unknown as string);
  else vi.stubEnv("HASHLEASE_BENCH_ROUTES", benchRoutes);
  const config = (await import("../../next.config")).default;
  return config.pageExtensions!;
}

const benchFiles = readdirSync(APP, { recursive: true, encoding: "utf8" })
  .filter((file) => /\.bench\.tsx?$/.test(file))
  .map((file) => path.join(APP, file));

describe("bench:floor's routes", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("exist: a bare handler, a bare page and the purchase floor", () => {
    expect(benchFiles.map((f) => path.relative(APP, f)).sort()).toEqual([
      "api/bench-floor/ok/route.bench.ts",
      "api/bench-floor/purchase/route.bench.ts",
      "bench-floor/page.bench.tsx",
    ]);
  });

  it("are no routes of the normal build, and routes of the bench build", async () => {
    const normal = createValidFileMatcher(await pageExtensions(undefined), APP);
    const bench = createValidFileMatcher(await pageExtensions("1"), APP);
    for (const file of benchFiles) {
      expect(normal.isAppRouterPage(file), file).toBe(false);
      expect(bench.isAppRouterPage(file), file).toBe(true);
    }
    // The app's own routes are routes of both.
    const marketplace = path.join(APP, "marketplace/page.tsx");
    expect(normal.isAppRouterPage(marketplace)).toBe(true);
    expect(bench.isAppRouterPage(marketplace)).toBe(true);
  });
});
