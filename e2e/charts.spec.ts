// Charts a person can read and query: at 1280 px every piece of chart text renders at 12 px or
// more (computed style and the glyphs' box on screen), a focused point shows its values and the
// arrow keys move between points, a chart without data says so, and the hashprice chart and
// table stand on the marketplace and beside a listing's price.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

/** Font size (computed) and rendered glyph-box height of every text node in the charts under `scope`. */
async function chartTextSizes(scope: Locator) {
  return scope.evaluateAll((figures) =>
    figures.flatMap((figure) => {
      const out: { text: string; computedPx: number; renderedPx: number }[] = [];
      const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? "";
        const parent = node.parentElement!;
        if (!text || parent.getClientRects().length === 0) continue; // hidden (a tooltip not shown)
        const range = document.createRange();
        range.selectNodeContents(node);
        const rects = [...range.getClientRects()].filter((r) => r.height > 0);
        if (rects.length === 0) continue;
        out.push({
          text,
          computedPx: parseFloat(getComputedStyle(parent).fontSize),
          renderedPx: Math.min(...rects.map((r) => r.height)),
        });
      }
      return out;
    }),
  );
}

async function expectLegible(page: Page, figures: Locator) {
  await expect(figures.first()).toBeVisible();
  // No SVG <text>: SVG text scales with the chart's box.
  await expect(figures.locator("svg text")).toHaveCount(0);
  const sizes = await chartTextSizes(figures);
  expect(sizes.length).toBeGreaterThan(10);
  const small = sizes.filter((s) => s.computedPx < 12 || s.renderedPx < 12);
  expect(small, JSON.stringify(small.slice(0, 5))).toEqual([]);
}

/** Focuses a chart's points from the keyboard and checks the tooltip follows. */
async function expectFocusShowsValues(page: Page, chart: Locator, valuePattern: RegExp) {
  const stop = chart.locator('[data-chart-point][tabindex="0"]');
  await expect(stop).toHaveCount(1);
  await stop.focus();
  const tip = stop.getByTestId(/-tooltip$/);
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText(valuePattern);
  const label = await stop.getAttribute("aria-label");
  expect(label).toMatch(valuePattern);
  await page.keyboard.press("ArrowLeft");
  const moved = chart.locator("[data-chart-point]:focus");
  await expect(moved).toHaveCount(1);
  expect(await moved.getAttribute("aria-label")).not.toBe(label);
  await expect(moved.getByTestId(/-tooltip$/)).toBeVisible();
  await page.keyboard.press("Home");
  await expect(chart.locator("[data-chart-point]").first()).toBeFocused();
  // The untouched points' tooltips stay hidden.
  await expect(chart.getByTestId(/-tooltip$/).filter({ visible: true })).toHaveCount(1);
  await page.screenshot({ path: `test-results/charts-${await chart.getAttribute("data-testid")}-focus.png` });
}

test("dashboard charts are legible at 1280 px, with units, and show values on keyboard focus", async ({ page }) => {
  await signIn(page, DEMO.customer, "/dashboard");
  const figures = page.locator("figure:has([data-chart-point])");
  await expectLegible(page, figures);
  const daily = page.getByTestId("earnings-btc-daily");
  await expect(daily.getByTestId("earnings-btc-daily-y-unit")).toHaveText("BTC");
  await expect(daily).toContainText("UTC day");
  await expectFocusShowsValues(page, daily, /\d{4}-\d{2}-\d{2}.*Net per day:? [\d.,]+ BTC/);
  await daily.locator("[data-chart-point]").nth(3).hover();
  await expect(
    daily
      .locator("[data-chart-point]")
      .nth(3)
      .getByTestId(/-tooltip$/),
  ).toBeVisible();
});

test("a chart without data says so: a contract with no verified shares yet", async ({ page }) => {
  await signIn(page, DEMO.customer, "/dashboard");
  await page.getByTestId("contract-card").first().getByRole("link", { name: "Verified delivery" }).click();
  await expect(page).toHaveURL(/\/dashboard\/contracts\/[0-9a-f-]{36}$/);
  const empty = page.getByTestId("verified-hashrate-chart-empty");
  await expect(empty).toBeVisible();
  await expect(empty).toContainText("No verified hashrate yet");
  const size = await empty.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(12);
});

test("the marketplace shows each coin's hashprice and the chosen coin's chart and daily table", async ({ page }) => {
  await page.goto("/marketplace");
  const index = page.getByTestId("hashprice-index");
  await expect(index.getByTestId("hashprice-index-row").filter({ hasText: "BTC" })).toContainText(/\$0\.\d+/);
  const chart = page.getByTestId("hashprice-chart-btc");
  await expect(chart).toContainText("USD per TH/s per day");
  await expectLegible(page, page.locator("figure:has([data-chart-point])"));
  await expectFocusShowsValues(
    page,
    chart,
    /\d{4}-\d{2}-\d{2}.*Hashprice \(subsidy \+ fees\):? \$0\.\d+ \([\d.]+ BTC\)/,
  );
  const rows = page.getByTestId("hashprice-table-btc").getByTestId("hashprice-row");
  expect(await rows.count()).toBeGreaterThanOrEqual(30);
  await expect(rows.first()).toContainText(/\$0\.\d+/);

  // A coin's row leads to its listings and its own chart.
  await index.getByRole("link", { name: "LTC" }).click();
  await expect(page).toHaveURL(/coin=LTC/);
  await expect(page.getByTestId("hashprice-chart-ltc")).toBeVisible();
  await expect(page.getByTestId("hashprice-table-ltc").getByTestId("hashprice-row").first()).toBeVisible();
});

test("a listing page puts its price per unit per day beside the hashprice chart and table", async ({ page }) => {
  await page.goto("/marketplace?coin=BTC");
  await page.locator('ul a[href^="/marketplace/"]').first().click();
  await expect(page).toHaveURL(/\/marketplace\/[0-9a-f-]{36}$/);
  const versus = page.getByTestId("hashprice-versus-price");
  await expect(versus).toContainText("This listing's price");
  await expect(versus).toContainText(/\$0\.\d+ \/ TH\/s \/ day/);
  await expect(versus).toContainText("Hashprice on");
  const chart = page.getByTestId("hashprice-chart-btc");
  await expect(chart).toContainText("listing price $");
  await expectLegible(page, chart);
  await chart.screenshot({ path: "test-results/charts-listing-hashprice-chart.png" });
  await expect(page.getByTestId("hashprice-table-btc").getByTestId("hashprice-row").first()).toBeVisible();
  await page.screenshot({ path: "test-results/charts-listing-hashprice.png", fullPage: true });
});
