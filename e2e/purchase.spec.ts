import { expect, test, type Page } from "@playwright/test";
import { confirmPurchase, DEMO, fillPurchase, openBtcListing, signIn, submitSignIn } from "./helpers";
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
  await confirmPurchase(page);

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
  await confirmPurchase(page);
  await expect(page.getByText("Your USD balance does not cover this contract.").first()).toBeVisible();
  await page.reload();
  expect(await freeNow(page)).toBe(before);

  await fillPurchase(page, "1", "30", /USD balance/);
  await confirmPurchase(page);
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
  await confirmPurchase(page);
  await expect(page).toHaveURL(/\/checkout\/test\//);
  const checkoutUrl = page.url();
  await page.goto(listingUrl);
  expect(await freeNow(page)).toBeCloseTo(before - 3, 6);
  await page.goto(checkoutUrl);
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(page).toHaveURL(/checkout=cancelled/);
  expect(await freeNow(page)).toBeCloseTo(before, 6);
});

test("the terms survive signing in; the review says what is paid and from where, and warns of a repeat", async ({
  page,
}) => {
  // A visitor weighs 1 TH/s for 30 days from the USD balance, then is asked to sign in.
  await openBtcListing(page, /Antminer S21 Pro fleet/);
  await fillPurchase(page, "1", "30", /USD balance/);
  await confirmPurchase(page);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await submitSignIn(page, DEMO.customer);
  await expect(page).toHaveURL(/\/marketplace\/[0-9a-f-]{36}\?hashrate=1&days=30&pay=BALANCE_USD/);
  await expect(page.locator("#purchase-hashrate")).toHaveValue("1");
  await expect(page.locator("#purchase-days")).toHaveValue("30");
  await expect(page.getByRole("radio", { name: /USD balance/ })).toBeChecked();
  // The calculator above shows the same terms.
  await expect(page.locator("#calc-hashrate")).toHaveValue("1");
  await expect(page.getByTestId("balance-BALANCE_USD")).toContainText(/\$[\d,.]+ available/);

  await page.getByRole("button", { name: "Review purchase" }).click();
  const review = page.getByRole("group", { name: "Review your purchase" });
  await expect(review).toBeFocused();
  const total = await page.getByTestId("purchase-total").innerText();
  await expect(review.getByTestId("review-pay")).toHaveText(total);
  await expect(review.getByText("Your USD balance")).toBeVisible();
  await expect(review.getByTestId("review-remaining")).toHaveText(/^\$[\d,.]+$/);
  await page.getByRole("button", { name: "Confirm purchase" }).click();
  await expect(page).toHaveURL(/\/dashboard\?purchased=/);

  // The same terms again: the review warns before anything is bought, and Change closes it.
  await page.goBack();
  await page.reload();
  await fillPurchase(page, "1", "30", /USD balance/);
  await page.getByRole("button", { name: "Review purchase" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "You bought this same contract" })).toBeVisible();
  await page.getByRole("button", { name: "Change" }).click();
  await expect(page.getByRole("group", { name: "Review your purchase" })).toHaveCount(0);
});
