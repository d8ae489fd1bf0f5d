import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.dirname(fileURLToPath(import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["node_modules", ".next", "e2e", "lib/generated"],
    environment: "node",
    globalSetup: ["lib/testing/global-setup.ts"],
    reporters: ["default", ["json", { outputFile: process.env.VITEST_JSON ?? "test-results/vitest.json" }]],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
