import { expect, test, type Page } from "@playwright/test";
import { DEMO, fillPurchase, openBtcListing, signIn } from "./helpers";
import { latestMailTo } from "./mail";

async function freeNow(page: Page): Promise<number> {
  const hint = await page.locator("#purchase-hashrate-hint").innerText();
  const match = /Free now: ([\d.]+)/.exec(hint);
  expect(match, hint).not.toBeNull();
  return Number(match![1]);
}

test("a customer buys hashrate by (test-mode) card and the capacity moves", async ({ page }) => {
  await signIn(page, DEMO.customer);
  await openBtcListing(page, /Antminer S21 XP fleet/);
  const listingUrl = page.url();
  const before = await freeNow(page);

  await fillPurchase(page, "2", "30", /^Card/);
  await expect(page.getByTestId("purchase-total")).not.toHaveText("—");
  await page.getByRole("button", { name: "Continue to payment" }).click();

  await expect(page).toHaveURL(/\/checkout\/test\//);
  await expect(page.getByText("TEST MODE.")).toBeVisible();
  await page.getByRole("button", { name: /^Pay .* \(test mode\)$/ }).click();
  await expect(page).toHaveURL(/\/dashboard\?purchased=/);

  await page.goto(listingUrl);
  expect(await freeNow(page)).toBeCloseTo(before - 2, 6);
});

test("buying from the USD balance activates at once; more than the balance is refused", async ({ page, browser }) => {
  await signIn(page, DEMO.customer);
  await openBtcListing(page, /Antminer S21 Pro fleet/);
  const listingUrl = page.url();
  const before = await freeNow(page);

  // Far more than the $250 demo credit: refused, nothing held.
  await fillPurchase(page, "200", "300", /USD balance/);
  await page.getByRole("button", { name: "Buy contract" }).click();
  await expect(page.getByText("Your USD balance does not cover this contract.").first()).toBeVisible();
  await page.reload();
  expect(await freeNow(page)).toBe(before);

  await fillPurchase(page, "1", "30", /USD balance/);
  await page.getByRole("button", { name: "Buy contract" }).click();
  await expect(page).toHaveURL(/\/dashboard\?purchased=/);
  await page.goto(listingUrl);
  expect(await freeNow(page)).toBeCloseTo(before - 1, 6);

  // The listing's operator hears of it (the notify-contracts-bought job): in the app and by mail.
  const operator = await browser.newContext();
  const operatorPage = await operator.newPage();
  await signIn(operatorPage, DEMO.operator, "/notifications");
  const notice = operatorPage
    .getByText('A customer bought 1 TH/s for 30 days from "Antminer S21 Pro fleet — Luleå".')
    .first();
  await expect(async () => {
    await operatorPage.reload();
    await expect(notice).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 40_000 });
  await latestMailTo(DEMO.operator.email, "New contract: 1 TH/s for 30 days");
  await operator.close();
});

test("a cancelled test checkout releases the held capacity", async ({ page }) => {
  await signIn(page, DEMO.customer);
  await openBtcListing(page, /Whatsminer M60S fleet/);
  const listingUrl = page.url();
  const before = await freeNow(page);
  await fillPurchase(page, "3", "30");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page).toHaveURL(/\/checkout\/test\//);
  const checkoutUrl = page.url();
  await page.goto(listingUrl);
  expect(await freeNow(page)).toBeCloseTo(before - 3, 6);
  await page.goto(checkoutUrl);
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(page).toHaveURL(/checkout=cancelled/);
  expect(await freeNow(page)).toBeCloseTo(before, 6);
});
