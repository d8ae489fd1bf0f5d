// A card checkout the customer walked away from: on the dashboard apart from running contracts,
// with its amount and hold time, and resumable or cancellable from there (the test-mode
// checkout stands in for Stripe's page, which cannot be reached from here).
import { expect, test, type Page } from "@playwright/test";
import {
  confirmPurchase,
  DEMO,
  fillPurchase,
  NEW_USER_PASSWORD,
  openBtcListing,
  registerAndSignIn,
  signIn,
} from "./helpers";

async function startCardCheckout(page: Page, hashrate: string): Promise<string> {
  await openBtcListing(page, /Antminer S21 XP fleet/);
  await fillPurchase(page, hashrate, "30", /^Card/);
  await confirmPurchase(page);
  await expect(page).toHaveURL(/\/checkout\/test\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

function freeNow(page: Page) {
  return page
    .locator("#purchase-hashrate-hint")
    .innerText()
    .then((hint) => Number(/Free now: ([\d.]+)/.exec(hint)![1]));
}

test("an abandoned card checkout waits apart, resumes to the payment page, or is cancelled", async ({ page }) => {
  // A new customer: the contract paid at the end must not change the demo customer's dashboard,
  // which later specs count.
  const email = `e2e-checkout-${Date.now()}@example.com`;
  await registerAndSignIn(page, { name: "Chet Checkout", email, password: NEW_USER_PASSWORD });
  await openBtcListing(page, /Antminer S21 XP fleet/);
  const listingUrl = page.url();
  const before = await freeNow(page);
  const contractId = await startCardCheckout(page, "3");
  const short = contractId.slice(0, 8);

  // Walked away: the dashboard shows it under "Waiting for payment", not as an active contract.
  await page.goto("/dashboard");
  const waiting = page.getByRole("region", { name: "Waiting for payment" });
  const card = waiting.getByTestId("checkout-card").filter({ hasText: short });
  await expect(card).toBeVisible();
  await expect(card.getByText("Capacity held until")).toBeVisible();
  await expect(card.getByText(/minutes? left/)).toBeVisible();
  await expect(card).toContainText(/To pay by card\s*\$\d/);
  await expect(
    page.getByRole("region", { name: "Active contracts" }).getByTestId("contract-card").filter({ hasText: short }),
  ).toHaveCount(0);

  // Resume: the checkout page opens again for the same contract.
  await card.getByRole("button", { name: `Resume payment for contract ${short}` }).click();
  await expect(page).toHaveURL(new RegExp(`/checkout/test/${contractId}$`));

  // Cancel from the dashboard: the hold is released, the card is gone.
  await page.goto("/dashboard");
  await card.getByRole("button", { name: `Cancel checkout for contract ${short}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Checkout cancelled" })).toBeVisible();
  await expect(page.getByTestId("checkout-card").filter({ hasText: short })).toHaveCount(0);
  // It is in the contract history, and its page says what happened.
  const history = page.getByRole("region", { name: "Contract history" });
  await history.locator(`a[href="/dashboard/contracts/${contractId}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/contracts/${contractId}$`));
  const events = page.getByRole("region", { name: "History" });
  await expect(events.getByText("Card checkout opened: capacity held")).toBeVisible();
  await expect(events.getByText("Checkout cancelled: capacity released, nothing charged")).toBeVisible();
  await page.goto(listingUrl);
  expect(await freeNow(page)).toBeCloseTo(before, 6);

  // A second one, resumed and paid: it becomes an active contract.
  const paidId = await startCardCheckout(page, "1");
  await page.goto("/dashboard");
  await page.getByRole("button", { name: `Resume payment for contract ${paidId.slice(0, 8)}` }).click();
  await page.getByRole("button", { name: /^Pay .* \(test mode\)$/ }).click();
  await expect(page).toHaveURL(/\/dashboard\?purchased=/);
  await expect(
    page
      .getByRole("region", { name: "Active contracts" })
      .getByTestId("contract-card")
      .filter({ hasText: paidId.slice(0, 8) }),
  ).toBeVisible();
  await expect(page.getByTestId("checkout-card")).toHaveCount(0);
});

test("a contract's page: terms, delivery, every payout with its recompute, and its history", async ({ page }) => {
  await signIn(page, DEMO.customer);
  await page.goto("/dashboard");
  // A seeded contract with settled days (one bought by another spec may have none yet).
  const card = page
    .getByTestId("contract-card")
    .filter({ hasText: /Day [1-9]\d* of \d+ ended/ })
    .first();
  const title = (await card.getByRole("link").first().innerText()).trim();
  await card.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/dashboard\/contracts\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("region", { name: "Terms" }).getByText("Total price")).toBeVisible();
  await expect(page.getByText("Delivered, paid days")).toBeVisible();
  await expect(page.getByRole("region", { name: "Where your hashrate runs" }).getByRole("row")).not.toHaveCount(0);
  await expect(
    page.getByRole("region", { name: "History" }).getByText(/Card payment received: activated|Bought and activated/),
  ).toBeVisible();
  // The demo's contracts have every day since purchase settled: each payout opens its recompute.
  const payouts = page.getByRole("region", { name: "Payouts" });
  await payouts
    .getByRole("link", { name: /^Inputs and recompute/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/dashboard\/payouts\/\d+$/);
  await expect(page.getByTestId("recompute-verdict")).toContainText("every figure matches what was paid");
});
