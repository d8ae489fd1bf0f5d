// The admin audit console on the seeded demo data: /admin shows its alert counts; the
// ledger's trial balance is zero for every asset and a reconciliation run by hand finds no
// mismatch; a user is found by email, frozen and unfrozen (both audit-logged); the audit
// chain verifies; a customer gets the 403 page.
import { expect, test } from "@playwright/test";
import { DEMO, notice, signIn } from "./helpers";

test("admin console: alerts, trial balance, freeze and unfreeze, audit chain", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO.admin, "/admin");

  await expect(page.getByRole("heading", { name: "Alerts" })).toBeVisible();
  for (const id of ["withdrawals", "rigs", "payout-runs", "reconciliation", "audit-chain"]) {
    await expect(page.getByTestId(`alert-${id}`)).toBeVisible();
  }
  await expect(page.getByTestId("alert-withdrawals").locator("h3 span")).toHaveText(/^\d+$/);

  // Ledger: every asset's postings sum to zero, the cached balances too.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Ledger" }).click();
  await expect(page).toHaveURL(/\/admin\/ledger$/);
  await expect(page.getByRole("heading", { name: "Trial balance" })).toBeVisible();
  const sums = page.locator('[data-testid^="trial-sum-"]');
  expect(await sums.count()).toBeGreaterThan(0);
  for (const text of await sums.allTextContents()) expect(text).toBe("0");
  await expect(page.getByText("Balanced (zero)").first()).toBeVisible();
  await expect(page.getByText("Not zero")).toHaveCount(0);
  await page.getByRole("button", { name: "Run reconciliation now" }).click();
  await expect(notice(page, /every cached balance equals the sum of its postings/)).toBeVisible();
  await expect(page.getByText("All balances match")).toBeVisible();

  // A user, found by email: freeze with a reason, then unfreeze.
  await page.goto("/admin/users");
  await page.getByLabel("Email contains").fill("customer@hashlease");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: "customer@hashlease.test" }).click();
  await expect(page.getByRole("heading", { name: "customer@hashlease.test" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Balances" })).toBeVisible();
  await page.getByLabel("Reason (kept in the audit log)").fill("E2E check of the freeze control");
  await page.getByRole("button", { name: "Freeze account" }).click();
  await expect(page.getByRole("button", { name: "Unfreeze account" })).toBeVisible();
  await expect(page.getByText(/E2E check of the freeze control/).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "account.frozen" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Unfreeze account" }).click();
  await expect(page.getByRole("button", { name: "Freeze account" })).toBeVisible();
  await expect(page.getByRole("link", { name: "account.unfrozen" }).first()).toBeVisible();

  // The audit log: the freeze lines are there; the keyed chain verifies against the signed
  // checkpoints the server's job published at start (lib/audit/checkpoints.ts).
  await page.goto("/admin/audit?action=account.#lines");
  await expect(page.getByRole("cell", { name: "account.unfrozen" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(
    notice(
      page,
      /Chain verified: \d+ lines, unbroken.*; \d+ signed checkpoints? agrees?, \d+ lines since the last one\./,
    ),
  ).toBeVisible({ timeout: 30_000 });
});

test("the console is for admins only", async ({ page }) => {
  await signIn(page, DEMO.customer, "/dashboard");
  for (const path of ["/admin", "/admin/ledger", "/admin/audit", "/admin/users", "/admin/contracts"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
});
