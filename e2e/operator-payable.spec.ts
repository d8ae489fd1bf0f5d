// The operator's payable: from the performance page to the ledger of what Hashlease owes them,
// every line a posting with the balance after it, and the payout section saying what it needs.
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

test("an operator opens their payable: balance, held amount, the postings with running balances", async ({ page }) => {
  await signIn(page, DEMO.operator, "/operator/performance");
  await page.getByRole("link", { name: "Payable and payouts" }).click();
  await expect(page).toHaveURL(/\/operator\/payable$/);
  await expect(page.getByRole("heading", { level: 1, name: "Payable" })).toBeVisible();

  // The available USD is to the cent, its exact micro-USD figure on hover.
  const available = page.getByText("Available (USD)").locator("..");
  const shown = available.locator("span[title]").first();
  await expect(shown).toHaveText(/^\$[\d,]+\.\d{2}$/);
  await expect(shown).toHaveAttribute("title", /^\$[\d,]+\.\d{6}$/);

  // The demo's customer bought contracts on this operator's listings and days were paid: sales
  // and maintenance fees are postings, each linked to its contract.
  const ledger = page.getByRole("table", { name: "Postings to your payable" });
  await expect(ledger.getByRole("row").filter({ hasText: "Contract sale" }).first()).toBeVisible();
  await expect(ledger.getByRole("row").filter({ hasText: "Maintenance fee" }).first()).toBeVisible();
  await expect(ledger.getByRole("link", { name: /^Contract [0-9a-f]{8}/ }).first()).toHaveAttribute(
    "href",
    /^\/operator\/listings\/[0-9a-f-]{36}$/,
  );

  // Newest first: the newest USD line's balance is the available figure.
  const usdRows = ledger.getByRole("row").filter({ hasText: /\$/ });
  const newestUsdBalance = (await usdRows.first().locator("td").last().innerText()).trim();
  await expect(shown).toHaveText(newestUsdBalance);

  // Without a linked bank account the payout section says what to do first; nothing was paid out.
  await expect(page.getByRole("region", { name: "Pay out" })).toContainText("No bank account is linked yet");
  await expect(page.getByRole("table", { name: "Payouts of your payable" })).toHaveCount(0);
  await expect(page.getByText("No payouts yet.")).toBeVisible();
});
