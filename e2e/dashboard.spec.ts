import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

function yesterdayUtc(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 86_400_000)
    .toISOString()
    .slice(0, 10);
}

test("the demo customer sees balances, contract progress, charts and yesterday's payouts", async ({ page }) => {
  await signIn(page, DEMO.customer);
  await page.goto("/dashboard");

  const balances = page.getByRole("region", { name: "Balances" });
  for (const asset of ["USD", "BTC", "LTC", "KAS"])
    await expect(balances.getByRole("rowheader", { name: asset, exact: true })).toBeVisible();
  await expect(balances.getByRole("row", { name: /^USD \$25\d\.\d+/ })).toBeVisible();
  // USD to the cent; the exact micro-USD figure on hover (title) and for screen readers.
  const usd = balances.getByTestId("available-USD");
  await expect(usd).toHaveText(/^\$25\d\.\d{2}( \(exactly \$25\d\.\d{6}\))?$/);
  await expect(usd).toHaveAttribute("title", /^\$25\d\.\d{6}$/);

  const cards = page.getByTestId("contract-card");
  await expect(cards).toHaveCount(4); // BTC, LTC, two KAS (one on the curtailed Reykjanes KS5 Pro)
  const btc = cards.filter({ hasText: "Antminer S21 — Abilene wind campus" });
  await expect(btc.getByText("Day 21 of 90 ended")).toBeVisible();
  await expect(btc.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "21");
  await expect(btc.getByText("20 TH/s")).toBeVisible();

  for (const coin of ["btc", "ltc", "kas"]) {
    await expect(page.getByTestId(`earnings-${coin}-hashrate`)).toBeVisible();
    await expect(page.getByTestId(`earnings-${coin}-cumulative`)).toBeVisible();
  }

  const yesterday = yesterdayUtc();
  const rows = page.locator(`[data-testid="payout-row"][data-day="${yesterday}"]`);
  await expect(rows).toHaveCount(4); // one per demo contract, the curtailed KAS day included
  await expect(page.getByTestId("payout-row").first()).toHaveAttribute("data-day", yesterday);
});

test("a payout's breakdown recomputes every figure, and the table filters by contract", async ({ page }) => {
  await signIn(page, DEMO.customer);
  await page.goto("/dashboard");
  const yesterday = yesterdayUtc();
  const row = page.locator(`[data-testid="payout-row"][data-day="${yesterday}"][data-coin="BTC"]`);
  const net = (await row.getByTestId("payout-net").innerText()).trim();
  expect(net).toMatch(/^\d[\d,]*(\.\d+)? BTC$/);
  const cells = await row.locator("td").allInnerTexts();
  // USD cells show cents; their titles carry the exact figures the detail view shows.
  expect(cells[10]!.trim()).toMatch(/^\$\d[\d,]*\.\d{2}$/);
  const exactCredit = await row.locator("td").nth(9).locator("[title]").getAttribute("title");
  const exactUsd = await row.locator("td").nth(10).locator("[title]").getAttribute("title");
  expect(exactUsd).toMatch(/^\$\d[\d,]*\.\d{6}$/);
  await row.getByRole("link", { name: /How was this computed\?/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: `BTC payout for ${yesterday}` })).toBeVisible();
  await expect(page.getByTestId("stored-net")).toHaveText(net);
  // The table's gross, pool and maintenance fee cells (after day, contract, net, allocated, delivered)
  // are the stored figures shown here.
  expect(cells[2]!.trim()).toBe(net);
  await expect(page.getByTestId("stored-gross")).toHaveText(cells[5]!.trim());
  await expect(page.getByTestId("stored-pool-fee")).toHaveText(cells[6]!.trim());
  await expect(page.getByTestId("stored-maintenance-fee")).toHaveText(cells[7]!.trim());
  await expect(page.getByTestId("stored-usd")).toHaveText(exactUsd!);

  const panel = page.getByTestId("how-computed");
  await expect(page.getByTestId("step-1")).toBeHidden();
  await panel.getByText("How was this computed?").click();
  for (const n of [1, 2, 3, 4, 5, 6, 7]) await expect(page.getByTestId(`step-${n}`)).toBeVisible();
  await expect(page.getByTestId("recompute-verdict")).toContainText("every figure matches");
  for (const check of ["delivered", "gross", "pool-fee", "maintenance-fee", "net", "curtailed", "credit", "usd"]) {
    await expect(page.getByTestId(`check-${check}`)).toHaveText("✓ matches the stored figure");
  }
  await expect(page.getByTestId("recomputed-net")).toHaveText(net);
  await expect(page.getByTestId("computed-usd")).toHaveText(exactUsd!);
  await expect(page.getByTestId("computed-credit")).toHaveText(exactCredit!);

  // Back to the payouts, filtered to this contract: only its rows, one per day.
  await page.getByRole("link", { name: "Back to payouts" }).click();
  const shortId = (await page.getByTestId("payout-row").first().locator("td").nth(1).innerText()).match(
    /· ([0-9a-f]{8})/,
  )![1]!;
  const filtered = page.getByTestId("payout-row");
  await expect(filtered).toHaveCount(21);
  for (const text of await filtered.locator("td:nth-child(2)").allInnerTexts()) expect(text).toContain(shortId);
  await page.getByRole("combobox", { name: "Contract" }).selectOption("");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("navigation", { name: "Pagination" })).toBeVisible();
  await expect(page.getByTestId("payout-row")).toHaveCount(25);
});

test("a curtailed day shows what it would have mined and the fees that outweighed it", async ({ page }) => {
  // The demo's KAS contract on Reykjanes' KS5 Pro is curtailed on low-hashprice days (lib/demo/history.ts).
  await signIn(page, DEMO.customer);
  await page.goto("/dashboard");
  const table = page.getByTestId("payout-table");
  await expect(table).toBeVisible();
  const curtailed = page.getByTestId("curtailed-would-be");
  if ((await curtailed.count()) === 0) {
    // Not on the newest page: narrow to the Reykjanes contract's own payouts.
    await page
      .getByRole("link", { name: /Reykjanes/ })
      .first()
      .click();
    await page.goto(page.url().replace(/\/dashboard\/contracts\/([0-9a-f-]+).*$/, "/dashboard?contract=$1#payouts"));
  }
  const first = page.getByTestId("curtailed-would-be").first();
  await expect(first).toContainText(/^Yes/);
  await expect(first).toContainText(
    /would have mined \d[\d,.]* KAS; pool fee \d[\d,.]* KAS \+ maintenance \d[\d,.]* KAS exceed it/,
  );
  await expect(first).not.toContainText("would have mined 0 KAS");
});

test("another customer's payout is not found", async ({ page }) => {
  await signIn(page, DEMO.operator);
  const response = await page.goto("/dashboard/payouts/1");
  expect(response?.status()).toBe(404);
});
