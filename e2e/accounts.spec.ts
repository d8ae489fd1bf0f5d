// Accounts people can recover (issue 15), clicked through in Chromium with every link read from
// the local mail inbox the e2e server runs: verification, the enumeration-proof sign-up answer,
// buying refused until the address is verified, forgot password -> emailed link -> reset -> the old session gone, and an email change.
import { expect, test, type Page } from "@playwright/test";
import {
  alertWith,
  confirmPurchase,
  fillPurchase,
  NEW_USER_PASSWORD,
  openBtcListing,
  register,
  signIn,
  submitRegistration,
  submitSignIn,
} from "./helpers";
import { latestMailTo, linkIn, mailCountTo } from "./mail";

const unique = (what: string) => `e2e-${what}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

/** The answer to the sign-up form's POST, as bytes the browser got (status, redirect, body). */
async function registrationAnswer(page: Page, email: string) {
  const seen: { status?: number; redirect?: string; body?: string } = {};
  // The answer is read as it passes (a redirect navigates away before a response could be read).
  await page.route("**/register", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch();
    const text = await response.text();
    seen.status = response.status();
    seen.redirect = response.headers()["x-action-redirect"];
    // Per-response tokens are the only bytes allowed to differ: the CSP nonce (proxy.ts) and React's keys.
    seen.body = text.replace(/"nonce":"[A-Za-z0-9+/=]+"/g, '"nonce":"…"').replace(/"[A-Za-z0-9_-]{21}[vm]"/g, '"…"');
    await route.fulfill({ response, body: text });
  });
  await submitRegistration(page, { name: "Same Answer", email, password: NEW_USER_PASSWORD });
  return seen;
}

test("a new account verifies its address with the emailed link, once", async ({ page }) => {
  const email = unique("verify");
  await submitRegistration(page, { name: "Vera Verify", email, password: NEW_USER_PASSWORD });
  await expect(page.getByRole("status")).toContainText("Check your inbox");

  // Signed in but unverified: the banner says what waits, and a new link can be asked for.
  await submitSignIn(page, { email, password: NEW_USER_PASSWORD });
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByText("Verify your email address.")).toBeVisible();
  // Until then it browses but does not buy: the purchase is refused with what to do, nothing reserved.
  await openBtcListing(page, /Antminer S21 XP fleet/);
  await fillPurchase(page, "1", "30", /^Card/);
  await confirmPurchase(page);
  await expect(page.getByText(/Verify your email address before you buy/).first()).toBeVisible();
  await expect(page).toHaveURL(/\/marketplace\/[0-9a-f-]{36}/);
  const first = linkIn(await latestMailTo(email, "Verify your email"), "/account/verify");
  await page.getByRole("button", { name: "Send a new link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "We sent a new link" })).toBeVisible();

  // The new link replaces the first one.
  let link = first;
  await expect
    .poll(async () => (link = linkIn(await latestMailTo(email, "Verify your email"), "/account/verify")), {
      timeout: 20_000,
    })
    .not.toBe(first);
  await page.goto(first);
  await page.getByRole("button", { name: "Verify my email" }).click();
  await expect(alertWith(page, /no longer valid/)).toBeVisible();
  await page.goto(link);
  await page.getByRole("button", { name: "Verify my email" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your email address is verified" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page.getByText("Verify your email address.")).toHaveCount(0);

  // The same link again: used.
  await page.goto(link);
  await page.getByRole("button", { name: "Verify my email" }).click();
  await expect(alertWith(page, /no longer valid/)).toBeVisible();
});

test("sign-up answers a taken email byte for byte like a free one, and mails the owner", async ({ page, browser }) => {
  const owner = unique("owner");
  await register(page, { name: "Olive Owner", email: owner, password: NEW_USER_PASSWORD });
  const before = await mailCountTo(owner);

  const fresh = await browser.newContext();
  const taken = await browser.newContext();
  const free = await registrationAnswer(await fresh.newPage(), unique("free"));
  const again = await registrationAnswer(await taken.newPage(), owner.toUpperCase());
  expect(again).toEqual(free);
  expect(free.redirect).toContain("/login?registered=1");

  const note = await latestMailTo(owner, "Someone tried to register with your email");
  expect(note.text).toContain("nothing was created");
  expect(await mailCountTo(owner)).toBe(before + 1);
  await fresh.close();
  await taken.close();
});

test("forgot password: the emailed link sets a new one, once, and signs out every session", async ({
  page,
  browser,
}) => {
  const user = { name: "Fern Forgot", email: unique("forgot"), password: NEW_USER_PASSWORD };
  await register(page, user);
  // Another browser stays signed in until the reset.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, user);
  await expect(otherPage).toHaveURL(/\/dashboard/);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account uses that address");

  const link = linkIn(await latestMailTo(user.email, "Reset your Hashlease password"), "/reset-password");
  await page.goto(link);
  await expect(page.getByText(user.email)).toBeVisible();
  await page.getByLabel("New password").fill("password1234");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/common or leaked/).first()).toBeVisible();
  const next = "a different sentence for today 9";
  await page.getByLabel("New password").fill(next);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);

  // The other browser's session is over; the old password no longer works, the new one does.
  await otherPage.goto("/dashboard");
  await expect(otherPage).toHaveURL(/\/login\?callbackUrl=%2Fdashboard/);
  await submitSignIn(page, { email: user.email, password: user.password });
  await expect(alertWith(page, "Email or password is incorrect.")).toBeVisible();
  await submitSignIn(page, { email: user.email, password: next });
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(latestMailTo(user.email, "Your Hashlease password was changed")).resolves.toBeTruthy();

  // The link worked once.
  await page.goto(link);
  await expect(alertWith(page, /no longer valid/)).toBeVisible();
  await other.close();
});

test("an email change moves the account after the new address confirms, and tells the old one", async ({ page }) => {
  const user = { name: "Eli Email", email: unique("old"), password: NEW_USER_PASSWORD };
  const newEmail = unique("new");
  await register(page, user);
  await signIn(page, user);
  await page.goto("/settings/security");
  await page.getByLabel("New email").fill(newEmail);
  await page.getByLabel("Current password").last().fill(user.password);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByRole("status").filter({ hasText: `We sent a link to ${newEmail}` })).toBeVisible();

  await page.goto(linkIn(await latestMailTo(newEmail, "Confirm your new email"), "/account/confirm-email"));
  await page.getByRole("button", { name: "Use this email" }).click();
  await expect(page.getByRole("status")).toContainText(`Your account's email is now ${newEmail}`);
  const notice = await latestMailTo(user.email, "Your Hashlease email was changed");
  expect(notice.text).toContain(newEmail);

  await page.context().clearCookies();
  await signIn(page, { email: newEmail, password: user.password });
  await expect(page).toHaveURL(/\/dashboard/);
});
