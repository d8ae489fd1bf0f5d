// "This wasn't me": a customer adds a withdrawal address, the notice arrives in the local inbox,
// its link (opened in a browser that is not signed in) freezes withdrawals on a POST button, a
// second visit says it is frozen already, the customer's session is gone and the wallet explains
// the freeze after signing in again; an admin lifts it with a note from the user page.
import { expect, test } from "@playwright/test";
import {
  addBtcAddress,
  DEMO,
  enableTwoFactor,
  freshTotp,
  NEW_USER_PASSWORD,
  notice,
  registerAndSignIn,
  signIn,
  signInWithTotp,
} from "./helpers";
import { latestMailTo, linkIn } from "./mail";

const BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

test("a new-address notice's link freezes withdrawals until an admin lifts the freeze", async ({ page, browser }) => {
  // Waiting for fresh TOTP time steps can take up to 30 s each.
  test.setTimeout(180_000);
  const email = `e2e-freeze-${Date.now()}@example.com`;
  const customer = { name: "Frieda Freeze", email, password: NEW_USER_PASSWORD };
  await registerAndSignIn(page, customer);
  await page.goto("/settings/security");
  const { secret, usedStep } = await enableTwoFactor(page);

  await page.goto("/wallet/addresses");
  const added = await freshTotp(secret, usedStep);
  const form = await addBtcAddress(page, { label: "Not my wallet", address: BTC_ADDRESS, code: added.code });
  await expect(form.getByRole("status")).toContainText("Address “Not my wallet” added");

  // The notice, read from the inbox; its link opened where nobody is signed in.
  const mail = await latestMailTo(email, "New BTC withdrawal address added");
  expect(mail.text).toContain(BTC_ADDRESS);
  expect(mail.text).toContain("This wasn't me: freeze withdrawals");
  const link = linkIn(mail, "/account/freeze");
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await stranger.goto(link);
  await expect(stranger.getByRole("heading", { level: 1, name: "Freeze withdrawals" })).toBeVisible();
  await expect(stranger.getByText(BTC_ADDRESS)).toBeVisible();
  await expect(stranger.getByText("Not my wallet")).toBeVisible();
  // Opening the link changed nothing: the customer's session still works.
  await page.goto("/wallet");
  await expect(page.getByRole("heading", { level: 1, name: "Wallet" })).toBeVisible();
  await expect(page.getByText(/Withdrawals are frozen/)).toHaveCount(0);

  await stranger.getByRole("button", { name: "Freeze withdrawals" }).click();
  await expect(notice(stranger, "Withdrawals are frozen.")).toBeVisible();
  await expect(stranger.getByRole("button", { name: "Freeze withdrawals" })).toHaveCount(0);
  // The link again: already frozen, no button.
  await stranger.goto(link);
  await expect(notice(stranger, /already frozen/)).toBeVisible();
  await expect(stranger.getByRole("button", { name: "Freeze withdrawals" })).toHaveCount(0);
  await strangerContext.close();
  await expect((await latestMailTo(email, "are frozen")).subject).toBe(
    "Withdrawals from your Hashlease account are frozen",
  );

  // Every session was ended: the customer signs in again and the wallet explains the freeze.
  await page.goto("/wallet");
  await expect(page).toHaveURL(/\/login/);
  await signInWithTotp(page, customer, (await freshTotp(secret, added.step)).code);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/wallet");
  const banner = page.getByRole("alert").filter({ hasText: "Withdrawals are frozen since" });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("an admin has looked at your account and lifted the freeze");
  // The address the notice was about is gone from the book.
  await page.goto("/wallet/addresses");
  await expect(page.getByText("No withdrawal addresses yet")).toBeVisible();

  // An admin, in another browser, finds the account and lifts the freeze with a note.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin);
  await admin.goto(`/admin/users?email=${encodeURIComponent(email)}`);
  await admin.getByRole("link", { name: email }).click();
  await expect(admin).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}$/);
  const freeze = admin.locator("#withdrawals-freeze");
  await expect(freeze).toContainText("The customer froze withdrawals");
  await expect(freeze).toContainText(BTC_ADDRESS);
  const note = freeze.getByLabel("Note (kept in the audit log)");
  await note.fill("ok");
  await freeze.getByRole("button", { name: "Lift withdrawals freeze" }).click();
  await expect(freeze.getByRole("alert")).toContainText("Write what you checked");
  await note.fill("Called the customer; the address was removed.");
  await freeze.getByRole("button", { name: "Lift withdrawals freeze" }).click();
  await expect(admin.locator("#withdrawals-freeze")).toHaveCount(0);
  await expect(admin.getByText("Frozen by the customer")).toHaveCount(0);
  await expect(admin.getByRole("link", { name: "withdrawals.unfrozen" })).toBeVisible();
  await adminContext.close();

  await page.goto("/wallet");
  await expect(page.getByRole("heading", { level: 1, name: "Wallet" })).toBeVisible();
  await expect(page.getByText("Withdrawals are frozen since")).toHaveCount(0);
  await latestMailTo(email, "are possible again");
});
