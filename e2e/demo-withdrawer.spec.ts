// The demo's withdrawal journey in its first minute (issue 19): the seeded withdrawer signs in with
// the code of the authenticator key npm start prints, finds a withdrawal in every state in its
// history and an address past its lock, withdraws 0.001 BTC with a fresh code and the emailed link
// (below the review threshold: approved at once), and an admin finds the seeded review item.
import { expect, test } from "@playwright/test";
import { DEMO_WITHDRAWER_ADDRESS_LABEL, DEMO_WITHDRAWER_TOTP_SECRET } from "../lib/demo/catalog";
import { DEMO, freshTotp, notice, signIn, signInWithTotp } from "./helpers";
import { latestMailTo, linkIn } from "./mail";

const secret = DEMO_WITHDRAWER_TOTP_SECRET;

test("the demo withdrawer signs in with 2FA and withdraws; the admin sees the seeded review item", async ({
  page,
  browser,
}) => {
  // Two TOTP codes from two different 30 s steps.
  test.setTimeout(150_000);
  const signInCode = await freshTotp(secret, -1, { validForMs: 10_000 });
  await signInWithTotp(page, DEMO.withdrawer, signInCode.code);
  await expect(page).not.toHaveURL(/\/login/);

  await page.goto("/wallet");
  // 0.25 BTC credited; 0.01 confirmed and 0.005 sent are gone, 0.004 approved and 0.12 in review held.
  await expect(page.getByTestId("available-BTC")).toHaveText("0.111 BTC");
  await expect(page.getByTestId("held-BTC")).toHaveText("0.124 BTC");
  const history = page.getByRole("region", { name: "Withdrawal history" });
  for (const state of [
    "Waiting for review",
    "Approved, being sent",
    "Sent, waiting for confirmations",
    "Confirmed on chain",
    "Rejected",
  ]) {
    await expect(history.getByRole("row").filter({ hasText: state }), state).toHaveCount(1);
  }

  // The seeded address is past its lock: the form offers it.
  await expect(page.getByLabel("To address")).toContainText(DEMO_WITHDRAWER_ADDRESS_LABEL);
  await page.getByLabel("Amount (BTC)").fill("0.001");
  await expect(page.getByTestId("withdraw-fee")).toHaveText("0.0001 BTC");
  await expect(page.getByTestId("withdraw-net")).toHaveText("0.0009 BTC");
  const withdrawCode = await freshTotp(secret, signInCode.step);
  await page.getByLabel("Authenticator code").fill(withdrawCode.code);
  await page.getByRole("button", { name: "Withdraw", exact: true }).click();
  await expect(notice(page, "Withdrawal of 0.001 BTC requested")).toContainText("We emailed you a link to confirm it");
  await expect(page.getByTestId("available-BTC")).toHaveText("0.11 BTC");

  // The emailed link: below the 0.1 BTC review threshold, confirming approves it.
  const mail = await latestMailTo(DEMO.withdrawer.email, "Confirm your withdrawal of 0.001 BTC");
  await page.goto(linkIn(mail, "/wallet/withdrawals/confirm"));
  await page.getByRole("button", { name: "Confirm withdrawal" }).click();
  await expect(notice(page, "Withdrawal confirmed and approved")).toBeVisible();
  await page.goto("/wallet");
  await expect(history.getByRole("row").filter({ hasText: "Approved, being sent" })).toHaveCount(2);
  const newRow = history.getByRole("row").filter({ hasText: "0.001 BTC" });
  await expect(newRow).toContainText("Approved, being sent");
  const withdrawalId = (await newRow.getAttribute("data-testid"))!.replace("withdrawal-", "");
  await expect(page.getByTestId("held-BTC")).toHaveText("0.125 BTC");

  // The admin's review queue: the seeded 0.12 BTC, and the new one among those to send.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin, "/admin/withdrawals");
  const review = admin.getByRole("region", { name: "Waiting for review" }).locator("article");
  await expect(review).toHaveCount(1);
  await expect(review).toContainText(DEMO.withdrawer.email);
  await expect(review).toContainText("0.12 BTC");
  await expect(review.getByRole("button", { name: "Approve" })).toBeVisible();
  await expect(
    admin.getByRole("region", { name: "Approved, to send" }).getByTestId(`admin-withdrawal-${withdrawalId}`),
  ).toContainText(DEMO.withdrawer.email);
  await adminContext.close();
});
