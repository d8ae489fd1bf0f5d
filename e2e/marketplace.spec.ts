// Browsing the seeded marketplace without logging in: filters, sorting, paging, a listing's
// fees and terms, and the profitability calculator. Other specs may buy capacity or add
// listings in the same database, so assertions hold for any extra listings and never check
// free capacity figures.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { notice } from "./helpers";

/** "$0.0195" or "-$1,234.5" (display text) -> micro-USD, exactly. */
function microUsd(text: string): bigint {
  const match = /(-?)\$([\d,]+)(?:\.(\d{1,6}))?/.exec(text);
  if (!match) throw new Error(`no dollar amount in "${text}"`);
  const [, sign, whole = "0", fraction = ""] = match;
  const value = BigInt(whole.replace(/,/g, "")) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
  return sign ? -value : value;
}

function resultsCount(page: Page): Locator {
  return notice(page, /listing|match/);
}

function listingLink(page: Page, title: string): Locator {
  return page.locator("article").getByRole("link", { name: title, exact: true });
}

/** Reset, and wait until the form shows the defaults again. */
async function reset(page: Page) {
  await page.getByRole("link", { name: "Reset" }).click();
  await expect(page).toHaveURL(/\/marketplace$/);
  for (const label of ["Min $", "Max $", "Days", "Location"]) await expect(page.getByLabel(label)).toHaveValue("");
  await expect(page.getByLabel("Coin", { exact: true })).toHaveValue("");
}

async function cardTexts(page: Page, selector: string): Promise<string[]> {
  return page.locator("article").locator(selector).allInnerTexts();
}

test("filter by coin and price range, by location, sort by profitability, page", async ({ page }) => {
  await page.goto("/marketplace");
  await expect(page.getByRole("heading", { level: 1, name: "Marketplace" })).toBeVisible();
  await expect(resultsCount(page)).toContainText(/Showing 1–\d+ of \d+ listings/);
  await expect(page.getByText(/not open yet/)).toHaveCount(0);

  // Coin and price range: seeded BTC listings cost $0.019, $0.0195, $0.021 and $0.022 / TH/s / day.
  await page.getByLabel("Coin", { exact: true }).selectOption("BTC");
  await page.getByLabel("Min $").fill("0.0195");
  await page.getByLabel("Max $").fill("0.021");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/coin=BTC.*price_min=0\.0195.*price_max=0\.021/);
  // Auto-waiting checks first: the URL changes before the new results render.
  await expect(listingLink(page, "Whatsminer M60S fleet — Pecos, Texas")).toHaveCount(0);
  await expect(listingLink(page, "Antminer S21 XP fleet — Reykjanes geothermal")).toHaveCount(0);
  await expect(listingLink(page, "Antminer S21 — Abilene wind campus")).toBeVisible();
  await expect(listingLink(page, "Antminer S21 Pro fleet — Luleå")).toBeVisible();
  await expect(resultsCount(page)).toContainText(/Showing 1–\d+ of \d+ listings?\./);
  const titles = await cardTexts(page, "h2");
  for (const badge of await page.getByTestId("coin-badge").allInnerTexts()) expect(badge).toBe("BTC");
  const prices = (
    await page
      .locator("article")
      .getByText(/^\$[\d.,]+$/)
      .allInnerTexts()
  ).map(microUsd);
  expect(prices.length).toBe(titles.length);
  for (const price of prices) expect(price >= 19_500n && price <= 21_000n).toBe(true);
  expect(prices).toEqual([...prices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

  // A bad price is explained next to its field and not applied.
  await page.getByLabel("Max $").fill("cheap");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("Enter dollars per unit per day, like 0.0195.")).toBeVisible();
  await expect(page.getByLabel("Max $")).toHaveAttribute("aria-invalid", "true");

  // Location (text or country code) and a duration the listing must allow.
  await reset(page);
  await page.getByLabel("Location").fill("Texas");
  await page.getByLabel("Days").fill("7");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/location=Texas/);
  await expect(listingLink(page, "Antminer S21 — Abilene wind campus")).toHaveCount(0); // 14–180 days
  await expect(listingLink(page, "Antminer S21 Pro fleet — Luleå")).toHaveCount(0); // Sweden
  await expect(listingLink(page, "Whatsminer M60S fleet — Pecos, Texas")).toBeVisible(); // 7–365 days
  for (const location of await page.getByTestId("listing-locations").allInnerTexts())
    expect(location).toContain("Texas");

  // Sort by estimated profitability: the estimates run from best to worst.
  await reset(page);
  await page.getByLabel("Sort by").selectOption("profit_desc");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/sort=profit_desc/);
  await expect(resultsCount(page)).toContainText("most profitable first");
  const estimates = (await page.getByTestId("estimated-net").allInnerTexts()).map((text) =>
    microUsd(text.replace("+", "")),
  );
  expect(estimates.length).toBeGreaterThan(3);
  expect(estimates).toEqual([...estimates].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));

  // Paging: past the last page, the page says so and links back.
  await page.goto("/marketplace?sort=profit_desc&page=99");
  await expect(page.getByText("This page is past the last listing.")).toBeVisible();
  await page.getByRole("link", { name: "Go to the last page" }).click();
  await expect(resultsCount(page)).toContainText(/Showing \d+–\d+ of \d+ listings/);
  await expect(page.locator("article").first()).toBeVisible();
});

test("open a listing: facts, fees and terms before buying, and the calculator", async ({ page }) => {
  await page.goto("/marketplace?coin=BTC");
  // Keyboard: the card's title is its link.
  const link = page.getByRole("link", { name: "Antminer S21 — Abilene wind campus" });
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/marketplace\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Antminer S21 — Abilene wind campus" })).toBeVisible();

  const facts = page.getByRole("region", { name: "The listing" });
  await expect(facts).toContainText("Texas Range Mining LLC");
  await expect(facts).toContainText("SHA-256");
  await expect(facts).toContainText("Antminer S21 × 3");
  await expect(facts).toContainText("14 to 180 days");
  await expect(facts.getByTestId("free-capacity")).toContainText("free");

  const fees = page.getByRole("region", { name: "Fees and contract terms" });
  const feeTable = fees.getByTestId("fee-table");
  await expect(feeTable.getByRole("row", { name: /Contract price/ })).toContainText("$0.0195 / TH/s / day");
  await expect(feeTable.getByRole("row", { name: /Maintenance fee/ })).toContainText("/ TH/s / day");
  await expect(feeTable.getByRole("row", { name: /Pool fee/ })).toContainText("1.5% of mined coins");
  await expect(fees).toContainText("Paid daily in BTC (FPPS).");
  await expect(fees).toContainText("Curtailed days.");
  await expect(fees).toContainText("Under-delivery credits.");

  // The Buy section (beside the calculator) states every fee before its form, and links to the detail.
  const buy = page.getByRole("region", { name: "Buy" });
  await expect(buy).toBeVisible();
  const feeSummary = buy.getByTestId("fee-summary");
  await expect(feeSummary).toContainText("$0.0195 / TH/s / day, paid up front");
  await expect(feeSummary).toContainText("/ TH/s / day, from mined BTC");
  await expect(feeSummary).toContainText("1.5% of mined coins");
  const summaryBox = (await feeSummary.boundingBox())!;
  const formBox = (await buy.locator("form").boundingBox())!;
  expect(summaryBox.y).toBeLessThan(formBox.y);
  await expect(feeSummary.getByRole("link", { name: "All fees and contract terms" })).toHaveAttribute("href", "#fees");

  const calculator = page.getByRole("region", { name: "Profitability calculator" });
  await expect(calculator).toContainText("Estimates, not promises");
  const summary = calculator.getByTestId("calc-summary");
  const contractPrice = calculator.getByTestId("calc-contract-price");
  const netProfit = calculator.getByTestId("calc-net-profit");

  await calculator.getByLabel("Hashrate (TH/s)").fill("100");
  await calculator.getByLabel("Days").fill("30");
  // 100 TH/s x $0.0195 x 30 days = $58.50, whatever the network data.
  await expect(contractPrice).toContainText("$58.50");
  await expect(summary).toContainText("Estimated net profit over 30 days");
  const base = calculator.getByTestId("calc-base");
  await expect(base.getByRole("row", { name: /Mined/ })).toContainText("BTC");
  await expect(base.getByRole("row", { name: /Pool fee \(1\.5%\)/ })).toBeVisible();
  await expect(base.getByRole("row", { name: /Maintenance fee/ })).toBeVisible();
  await expect(base.getByRole("row", { name: /Net paid to you/ })).toContainText("$");
  await expect(calculator.getByTestId("calc-stress")).toContainText("Stress case");
  await expect(calculator.getByTestId("calc-break-even")).toContainText("per BTC");
  const profit30 = await netProfit.innerText();

  await calculator.getByLabel("Days").fill("60");
  await expect(contractPrice).toContainText("$117.00");
  await expect(summary).toContainText("over 60 days");
  await expect(netProfit).not.toHaveText(profit30);
  // The stress case earns less than today's data.
  const [, baseProfit, stressProfit] = (await netProfit.locator("th, td").allInnerTexts()).map((t) => t.trim());
  expect(microUsd(stressProfit!.replace("+", ""))).toBeLessThan(microUsd(baseProfit!.replace("+", "")));

  // Exact decimal input: 2.5 TH/s x $0.0195 = $0.04875 a day (a rate, shown in full), $2.925 for
  // 60 days: shown to the cent (half to even: $2.92), exactly on hover.
  await calculator.getByLabel("Hashrate (TH/s)").fill("2.5");
  await expect(contractPrice).toContainText("$0.04875 a day");
  await expect(contractPrice.locator("td").first()).toHaveText("$2.92");
  await expect(contractPrice.locator("td [title]").first()).toHaveAttribute("title", "$2.925000");
  await calculator.getByLabel("Hashrate (TH/s)").fill("2,5");
  await expect(calculator.getByText("Enter a hashrate in TH/s as a plain number")).toBeVisible();
  await expect(contractPrice).toHaveCount(0);
  await calculator.getByLabel("Hashrate (TH/s)").fill("2.5");

  const chart = calculator.getByTestId("cumulative-chart");
  await expect(chart).toBeVisible();
  await expect(chart.locator("polyline[data-series=base]")).toHaveCount(1);
  await expect(chart.locator("polyline[data-series=stress]")).toHaveCount(1);
  await expect(calculator).toContainText("Cumulative estimated net USD over 60 days");
});

test("unknown or malformed listing ids are 404", async ({ page }) => {
  for (const id of ["00000000-0000-0000-0000-000000000000", "not-a-listing"]) {
    const response = await page.goto(`/marketplace/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});
