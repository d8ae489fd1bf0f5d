import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Runs on other ports (parallel local runs) keep their own artefacts.
const results = port === 3100 ? "test-results/playwright" : `test-results/playwright-${port}`;

// E2E runs against a production build served by the same launcher as `npm start`
// (e2e/serve.ts gives it a fresh database), in Debian's Chromium: never a downloaded browser.
export default defineConfig({
  testDir: "e2e",
  outputDir: results,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: `${results}.json` }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    // The app's service worker (public/sw.js) would sit between page.route() and the page's
    // navigations; specs get the network as without it. e2e/installable.spec.ts allows it.
    serviceWorkers: "block",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromium,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "npx tsx e2e/serve.ts",
    url: `http://localhost:${port}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(port), E2E_PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
  },
});
