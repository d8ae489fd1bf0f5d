// The operator's payable: from the performance page to the ledger of what Hashlease owes them,
// every line a posting with the balance after it, and the payout section saying what it needs.
import { expect, test } from "@playwright/test";
import { alertWith, DEMO, enableTwoFactor, freshTotp, notice, signIn, signOut, wrongTotpCode } from "./helpers";

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

test("an operator links a Stripe account with a fresh code and is paid: the job sends the transfer", async ({
  page,
}) => {
  test.setTimeout(240_000);
  // The Andes operator (no other spec signs in as it): 2FA off, no payout account yet.
  const andes = { email: "ops@andeshydrohash.test", password: DEMO.operator.password };
  await signIn(page, andes, "/operator/payable");
  const payOut = page.getByRole("region", { name: "Pay out" });
  await expect(payOut).toContainText("Turn on two-factor authentication");
  await expect(payOut.getByRole("button", { name: "Link payout account" })).toHaveCount(0);

  await page.goto("/settings/security");
  const { secret, usedStep } = await enableTwoFactor(page);
  await page.goto("/operator/payable");

  // The stand-in's account that has not finished Stripe's onboarding is refused, whatever the code.
  const first = await freshTotp(secret, usedStep);
  await payOut.getByLabel("Stripe account id").fill("acct_1HashleaseUnfinished");
  await payOut.getByLabel("Code from your authenticator app").fill(first.code);
  await payOut.getByRole("button", { name: "Link payout account" }).click();
  await expect(alertWith(payOut, "cannot receive payouts yet")).toBeVisible();

  // A wrong code is refused even for a usable account; the unused code then links it.
  await payOut.getByLabel("Stripe account id").fill("acct_1HashleaseDemoOps");
  await payOut.getByLabel("Code from your authenticator app").fill(wrongTotpCode(secret));
  await payOut.getByRole("button", { name: "Link payout account" }).click();
  await expect(alertWith(payOut, "That code is not right")).toBeVisible();
  await payOut.getByLabel("Code from your authenticator app").fill(first.code);
  await payOut.getByRole("button", { name: "Link payout account" }).click();
  await expect(notice(payOut, "Payout account linked: payouts go to STRIPE TEST BANK ••6789.")).toBeVisible();
  await expect(payOut).toContainText("STRIPE TEST BANK ••6789 (Stripe account acct_1HashleaseDemoOps)");

  // The code used for the link is spent: a payout with it is refused, a fresh one is taken.
  // $1.00 is below the e2e server's review threshold ($1.50): approved at once.
  await payOut.getByLabel("Amount (USD)").fill("1.00");
  await payOut.getByLabel("Code from your authenticator app").first().fill(first.code);
  await payOut.getByRole("button", { name: "Request payout" }).click();
  await expect(alertWith(payOut, /already used/i)).toBeVisible();
  const second = await freshTotp(secret, first.step);
  await payOut.getByLabel("Code from your authenticator app").first().fill(second.code);
  await payOut.getByRole("button", { name: "Request payout" }).click();
  await expect(notice(payOut, "Payout of $1.00 to bank account ••6789 requested. It is approved")).toBeVisible();

  // From the threshold, the payout waits for an admin.
  const third = await freshTotp(secret, second.step);
  await payOut.getByLabel("Amount (USD)").fill("1.50");
  await payOut.getByLabel("Code from your authenticator app").first().fill(third.code);
  await payOut.getByRole("button", { name: "Request payout" }).click();
  await expect(notice(payOut, "Payout of $1.50 to bank account ••6789 requested. It waits for a review")).toBeVisible();
  const payouts = page.getByRole("table", { name: "Payouts of your payable" });
  await expect(payouts.getByRole("row").filter({ hasText: "$1.50" })).toContainText("In review");
  const ledger = page.getByRole("table", { name: "Postings to your payable" });
  await expect(ledger.getByRole("row").filter({ hasText: "Payout requested" })).toHaveCount(2);

  // The admin (2FA on, signed in with a code) approves it on the withdrawals page.
  await signOut(page);
  await signIn(page, DEMO.admin, "/admin/withdrawals");
  const review = page.getByRole("region", { name: "Operator payouts in review" });
  const card = review.getByRole("article").filter({ hasText: "Andes Hydro Hash" });
  await expect(card).toContainText("$1.50 to bank account ••6789");
  await expect(card).toContainText("acct_1HashleaseDemoOps");
  await card.getByRole("button", { name: "Approve payout" }).click();
  await expect(notice(review, "Operator payout approved: it is sent through Stripe within a minute.")).toBeVisible();
  await expect(card).toHaveCount(0);

  // The payout job (every 10 s) makes both Stripe transfers: each payout reads Paid with its transfer id.
  await signOut(page);
  await signIn(page, { ...andes, totpSecret: secret }, "/operator/payable");
  for (const amount of ["$1.00", "$1.50"]) {
    await expect(async () => {
      await page.reload();
      const row = payouts.getByRole("row").filter({ hasText: amount }).first();
      await expect(row).toContainText("Paid", { timeout: 1_000 });
      await expect(row).toContainText(/tr_test_\d+/, { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
  }
});

/** "43.70643595 KAS" (or "43.70643595") in units of 1e-8: every coin the wallet shows to 8 decimals at most. */
function units(text: string): bigint {
  const [whole, fraction = ""] = text.replace(/[^\d.]/g, "").split(".");
  return BigInt(whole || "0") * 100_000_000n + BigInt(fraction.padEnd(8, "0").slice(0, 8) || "0");
}

test("an operator moves maintenance fees in coin to the wallet, from where withdrawals go", async ({ page }) => {
  await signIn(page, DEMO.operator, "/operator/payable");
  const coin = page.getByRole("region", { name: "Maintenance fees in coin" });
  const item = coin.getByRole("listitem").first();
  const exact = (await item.locator("span").first().innerText()).trim(); // e.g. "43.70643595 KAS"
  const [amount, asset] = exact.split(" ") as [string, string];
  expect(units(amount)).toBeGreaterThan(0n);
  const amountField = item.getByLabel(`Amount (${asset})`);
  const move = item.getByRole("button", { name: `Move ${asset} to wallet` });

  // More than the payable is refused with what it holds; nothing moves.
  await amountField.fill("21000000");
  await move.click();
  await expect(alertWith(item, `Your ${asset} payable is ${exact}`)).toBeVisible();

  const available = page.getByTestId(`available-${asset}`);
  const walletUnits = async () => ((await available.count()) ? units(await available.innerText()) : 0n);
  await page.goto("/wallet");
  const walletBefore = await walletUnits();
  await page.goto("/operator/payable");
  await amountField.fill(amount);
  await move.click();
  await expect(notice(item, `Moved ${amount} ${asset} to your wallet: withdraw it from there.`)).toBeVisible();
  await expect(item).toContainText(`${asset}: 0 ${asset} in your payable`);
  const ledger = page.getByRole("table", { name: "Postings to your payable" });
  await expect(ledger.getByRole("row").filter({ hasText: "Moved to wallet" }).first()).toContainText(
    `-${amount} ${asset}`,
  );

  await coin.getByRole("link", { name: "Your wallet and withdrawals" }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  expect(await walletUnits()).toBe(walletBefore + units(amount));
});
