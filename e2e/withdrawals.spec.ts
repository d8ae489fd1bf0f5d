// Withdrawals end to end: a new customer turns on 2FA and whitelists a BTC address through the
// UI; the spec then credits 0.5 BTC and moves the address's 48 h lock into the past in the e2e
// database (no UI does either: coins arrive by payouts, and the lock is time). A wrong code is refused
// clearly; with a fresh code the customer withdraws 0.15 BTC (above the review threshold),
// seeing the fee and net first. The withdrawal then waits for its emailed link, read from the
// local inbox: opening the link changes nothing until its button is pressed, a resent link voids
// the first, and only the confirmed withdrawal reaches the admins' review. An admin approves,
// marks it sent with a txid and confirmed; the customer sees it confirmed with the txid, and the
// notices of each step arrive by mail.
import { expect, test } from "@playwright/test";
import { createPrismaClient } from "../lib/db/client";
import { deposit } from "../lib/testing/fixtures";
import {
  addBtcAddress,
  alertWith,
  DEMO,
  enableTwoFactor,
  freshTotp,
  NEW_USER_PASSWORD,
  notice,
  register,
  signIn,
  wrongTotpCode,
} from "./helpers";
import { latestMailTo, linkIn } from "./mail";
import { e2eDatabaseUrl } from "./paths";

const BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
const TXID = "4f3c2a1b".repeat(8);

test("a customer withdraws with a 2FA code; an admin approves, sends and confirms; the customer sees the txid", async ({
  page,
  browser,
}) => {
  // Three TOTP codes must come from three different 30 s steps.
  test.setTimeout(240_000);
  const user = { name: "Wendy Withdraw", email: `e2e-withdraw-${Date.now()}@example.com`, password: NEW_USER_PASSWORD };
  const { email } = user;
  await register(page, user);
  await signIn(page, user);

  // 2FA on, through /settings/security.
  await page.goto("/settings/security");
  const { secret, usedStep } = await enableTwoFactor(page);

  // A BTC address, through the address book (the wallet links to it).
  await page.goto("/wallet");
  await page.getByRole("link", { name: "Manage your address book" }).click();
  await expect(page).toHaveURL(/\/wallet\/addresses/);
  const addCode = await freshTotp(secret, usedStep);
  const form = await addBtcAddress(page, { label: "Hardware wallet", address: BTC_ADDRESS, code: addCode.code });
  await expect(form.getByRole("status")).toContainText("Address “Hardware wallet” added");

  // Coins to withdraw, and the 48 hours of the address lock gone by.
  const prisma = createPrismaClient(e2eDatabaseUrl());
  try {
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    await deposit(prisma, user.id, "BTC", 50_000_000n);
    // Address rows are immutable but for the soft delete (a trigger refuses the rest); the
    // test turns triggers off for this one statement to move the clock of the lock.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.withdrawalAddress.updateMany({
        where: { userId: user.id },
        data: { usableAfter: new Date(Date.now() - 60_000) },
      });
    });
  } finally {
    await prisma.$disconnect();
  }

  await page.goto("/wallet");
  await expect(page.getByTestId("available-BTC")).toHaveText("0.5 BTC");
  await expect(page.getByLabel("To address")).toContainText("Hardware wallet");
  await page.getByLabel("Amount (BTC)").fill("0.15");
  // Fee and net before confirming.
  await expect(page.getByTestId("withdraw-amount-total")).toHaveText("0.15 BTC");
  await expect(page.getByTestId("withdraw-fee")).toHaveText("0.0001 BTC");
  await expect(page.getByTestId("withdraw-net")).toHaveText("0.1499 BTC");

  // A wrong code: refused with a clear message, nothing held.
  await page.getByLabel("Authenticator code").fill(wrongTotpCode(secret));
  await page.getByRole("button", { name: "Withdraw", exact: true }).click();
  await expect(page.locator("#withdraw-totpCode-error")).toContainText("That code is not right");
  await expect(alertWith(page, "That code is not right")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("held-BTC")).toHaveText("0 BTC");
  await expect(page.getByText("No withdrawals yet.")).toBeVisible();

  // The right, fresh code.
  await page.getByLabel("Amount (BTC)").fill("0.15");
  const withdrawCode = await freshTotp(secret, addCode.step);
  await page.getByLabel("Authenticator code").fill(withdrawCode.code);
  await page.getByRole("button", { name: "Withdraw", exact: true }).click();
  await expect(notice(page, "Withdrawal of 0.15 BTC requested")).toContainText("We emailed you a link to confirm it");
  await expect(page.getByTestId("available-BTC")).toHaveText("0.35 BTC");
  await expect(page.getByTestId("held-BTC")).toHaveText("0.15 BTC");
  const history = page.getByRole("region", { name: "Withdrawal history" });
  const requested = history.getByRole("row").filter({ hasText: "Hardware wallet" });
  await expect(requested).toContainText("Requested");
  await expect(requested.getByTestId("awaiting-email-confirmation")).toContainText("Waiting for email confirmation");

  // The emailed link: opening it shows what it confirms and changes nothing (mail scanners open links).
  const firstMail = await latestMailTo(email, "Confirm your withdrawal of 0.15 BTC");
  expect(firstMail.text).toContain("0.0001 BTC");
  expect(firstMail.text).toContain(BTC_ADDRESS);
  const firstLink = linkIn(firstMail, "/wallet/withdrawals/confirm");
  await page.goto(firstLink);
  await expect(page.getByTestId("confirm-amount")).toHaveText("0.15 BTC");
  await expect(page.getByTestId("confirm-fee")).toHaveText("0.0001 BTC");
  await expect(page.getByTestId("confirm-address")).toHaveText(BTC_ADDRESS);
  await page.goto("/wallet");
  await expect(requested.getByTestId("awaiting-email-confirmation")).toBeVisible();

  // A new link on request; the first one no longer works.
  await requested.getByRole("button", { name: "Resend the link" }).click();
  await expect(requested.getByRole("status")).toContainText("We sent a new confirmation link");
  let secondLink = firstLink;
  await expect
    .poll(
      async () =>
        (secondLink = linkIn(await latestMailTo(email, "Confirm your withdrawal"), "/wallet/withdrawals/confirm")),
      {
        timeout: 20_000,
      },
    )
    .not.toBe(firstLink);
  await page.goto(firstLink);
  await expect(alertWith(page, "This confirmation link is no longer valid")).toBeVisible();
  await expect(page.getByRole("button", { name: "Confirm withdrawal" })).toHaveCount(0);

  // The new link, and its button: confirmed, now for an admin to review.
  await page.goto(secondLink);
  await page.getByRole("button", { name: "Confirm withdrawal" }).click();
  await expect(notice(page, "Withdrawal confirmed: it now waits for a review")).toBeVisible();
  await page.goto("/wallet");
  await expect(requested).toContainText("Waiting for review");
  await expect(requested.getByTestId("awaiting-email-confirmation")).toHaveCount(0);
  await expect(page.getByTestId("held-BTC")).toHaveText("0.15 BTC");

  // The admin, in another browser.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin);
  await admin.goto("/admin");
  await admin.getByRole("link", { name: "Review and send withdrawals" }).click();
  await expect(admin).toHaveURL(/\/admin\/withdrawals/);
  const card = () => admin.locator("article").filter({ hasText: email });
  await expect(
    admin.getByRole("region", { name: "Waiting for review" }).locator("article").filter({ hasText: email }),
  ).toBeVisible();
  await expect(card().getByRole("list", { name: "Risk hints" })).toContainText("First withdrawal ever");
  await expect(card().getByRole("list", { name: "Risk hints" })).toContainText("New address");
  await card().getByRole("button", { name: "Approve" }).click();
  await expect(
    admin.getByRole("region", { name: "Approved, to send" }).locator("article").filter({ hasText: email }),
  ).toBeVisible();

  await card().getByLabel("Transaction id").fill("not-a-txid");
  await card().getByRole("button", { name: "Mark sent" }).click();
  await expect(card().getByRole("alert")).toContainText("64 hex digits");
  await card().getByLabel("Transaction id").fill(TXID);
  await card().getByRole("button", { name: "Mark sent" }).click();
  await expect(
    admin.getByRole("region", { name: "Sent, waiting for confirmation" }).locator("article").filter({ hasText: email }),
  ).toContainText(TXID);
  await card().getByRole("button", { name: "Mark confirmed" }).click();
  await expect(
    admin.getByRole("region", { name: "Recently closed" }).locator("article").filter({ hasText: email }),
  ).toContainText("Confirmed");
  await adminContext.close();

  // The customer sees it confirmed, with the txid, and nothing held any more.
  await page.reload();
  const row = history.getByRole("row").filter({ hasText: "Hardware wallet" });
  await expect(row).toContainText("Confirmed");
  await expect(row.getByTestId("withdrawal-txid")).toHaveText(TXID);
  await expect(page.getByTestId("held-BTC")).toHaveText("0 BTC");
  await expect(page.getByTestId("available-BTC")).toHaveText("0.35 BTC");

  // Each step's notice came by mail, the sent and confirmed ones with the txid.
  await latestMailTo(email, "Withdrawal approved: 0.15 BTC");
  expect((await latestMailTo(email, "Withdrawal sent: 0.15 BTC")).text).toContain(TXID);
  expect((await latestMailTo(email, "Withdrawal confirmed: 0.15 BTC")).text).toContain(TXID);
});
