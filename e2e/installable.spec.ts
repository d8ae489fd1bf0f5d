// The installable web app (issue 19) in Chromium: the manifest a phone installs from (name,
// standalone display, start URL, PNG icons of 192 and 512 px, one maskable), Chromium's own
// installability verdict, a service worker (public/sw.js) controlling the page, and its caching
// rules seen from outside: offline, a navigation gets the offline page, and a page that shows
// money, visited before, is never served from the cache — the offline page, not stale figures.
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

// The other specs block service workers (playwright.config.ts); these are about the worker.
test.use({ serviceWorkers: "allow" });

const PRECACHED = ["/offline.html", "/icons/icon-192.png", "/icons/icon-512.png", "/icon.svg"];

/** Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Waits until the service worker is active and controls this page; returns its script URL. */
async function controllingWorker(page: Page): Promise<string> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).not.toBeNull();
  return (await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL))!;
}

/** Every URL path in the worker's caches. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

test("installable: a valid manifest with 192 and 512 px icons, and a service worker controlling the page", async ({
  page,
  request,
}) => {
  const response = await page.goto("/");
  // The page policy lets the worker and the manifest load (same origin only).
  const csp = response!.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("worker-src 'self'");
  expect(csp).toContain("manifest-src 'self'");

  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  const manifestResponse = await request.get(href!);
  expect(manifestResponse.status()).toBe(200);
  expect(manifestResponse.headers()["content-type"]).toContain("application/manifest+json");
  const manifest = await manifestResponse.json();
  expect(manifest).toMatchObject({ name: "Hashlease", short_name: "Hashlease", display: "standalone", scope: "/" });
  expect(manifest.start_url).toBe("/dashboard");
  const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
  for (const size of [192, 512]) {
    expect(icons.some((i) => i.sizes === `${size}x${size}` && i.type === "image/png" && i.purpose === "any")).toBe(
      true,
    );
  }
  expect(icons.some((i) => i.purpose === "maskable" && i.sizes === "512x512")).toBe(true);
  for (const icon of icons) {
    const file = await request.get(icon.src);
    expect(file.status(), icon.src).toBe(200);
    expect(file.headers()["content-type"]).toBe("image/png");
    const { width, height } = pngSize(await file.body());
    expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
  }

  expect(await controllingWorker(page)).toMatch(/\/sw\.js$/);
  const worker = await request.get("/sw.js");
  expect(worker.headers()["cache-control"]).toBe("no-cache");

  // Chromium's own checks: the manifest parses without errors and the page is installable.
  const cdp = await page.context().newCDPSession(page);
  const parsed = await cdp.send("Page.getAppManifest");
  expect(parsed.errors).toEqual([]);
  expect(parsed.url).toMatch(/\/manifest\.webmanifest$/);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  test.info().annotations.push({ type: "installability errors", description: JSON.stringify(installabilityErrors) });
  // A Playwright context is an off-the-record profile, where Chromium never offers to install:
  // that one reason is the browser's, not the app's; there must be no other.
  expect(installabilityErrors.filter((e) => e.errorId !== "in-incognito")).toEqual([]);
});

test("offline: navigations show the offline page, and a money page seen before is not served from the cache", async ({
  page,
  context,
}) => {
  await signIn(page, DEMO.customer, "/wallet");
  await controllingWorker(page);
  // Seen online, with its figures, under the worker.
  await page.goto("/dashboard");
  await expect(page.getByTestId("payout-row").first()).toBeVisible();
  await page.goto("/wallet");
  await expect(page.getByTestId("available-BTC")).toBeVisible();
  // Only static assets and the precached files are stored: no page, no RSC payload, no API answer.
  const paths = await cachedPaths(page);
  expect(paths).toEqual(expect.arrayContaining(PRECACHED));
  expect(paths.filter((p) => !PRECACHED.includes(p) && !p.startsWith("/_next/static/"))).toEqual([]);

  await context.setOffline(true);
  for (const path of ["/wallet", "/marketplace", "/dashboard"]) {
    await page.goto(path);
    await expect(page.getByTestId("offline-page"), path).toBeVisible();
    await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(path);
    await expect(page.getByTestId("available-BTC")).toHaveCount(0);
    await expect(page.getByTestId("payout-row")).toHaveCount(0);
  }
  // The offline page's icon comes from the worker's cache.
  expect(await page.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(192);

  // Back online, "Try again" reloads the same page, fresh from the server.
  await context.setOffline(false);
  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page.getByTestId("payout-row").first()).toBeVisible();
});
