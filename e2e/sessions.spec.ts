// Server-side sessions: signing out ends the session on the server (a copied cookie opens
// nothing afterwards), and the devices page lists the account's sessions and signs them out.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { NEW_USER_PASSWORD, notice, registerAndSignIn, signIn, signOut, type Credentials } from "./helpers";

async function newUser(page: Page, label: string): Promise<Credentials> {
  const email = `e2e-sessions-${label}-${Date.now()}@example.com`;
  await registerAndSignIn(page, { name: `Sessions ${label}`, email, password: NEW_USER_PASSWORD });
  return { email, password: NEW_USER_PASSWORD };
}

async function signedInContext(browser: Browser, user: Credentials): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user, "/dashboard");
  return { context, page };
}

/** Opens /dashboard: true if it rendered for a signed-in user, false if it sent the browser to sign in. */
async function opensDashboard(page: Page): Promise<boolean> {
  await page.goto("/dashboard");
  await page.waitForLoadState("domcontentloaded");
  return !/\/login/.test(page.url());
}

const deviceRows = (page: Page) => page.getByTestId("device-row");

test("a copied session cookie opens /dashboard no more after sign-out", async ({ page, browser }) => {
  await newUser(page, "copy");
  const copied = await page.context().cookies();
  expect(copied.some((c) => /next-auth\.session-token$/.test(c.name))).toBe(true);

  // The copy works while the session lives ...
  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const thiefPage = await thief.newPage();
  expect(await opensDashboard(thiefPage)).toBe(true);

  // ... and not after its owner signs out, though the copy itself is still an unexpired JWT.
  await signOut(page);
  expect(await opensDashboard(thiefPage)).toBe(false);
  await expect(thiefPage).toHaveURL(/\/login\?callbackUrl=%2Fdashboard/);
  expect(await opensDashboard(page)).toBe(false);
  await thief.close();
});

test("the devices page lists both browsers and signs the other one out", async ({ page, browser }) => {
  const user = await newUser(page, "devices");
  const second = await signedInContext(browser, user);

  await page.goto("/settings/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Devices" })).toBeVisible();
  await expect(deviceRows(page)).toHaveCount(2);
  const here = deviceRows(page).filter({ hasText: "This device" });
  await expect(here).toHaveCount(1);
  await expect(here).toContainText(/Chrome on \w+/);
  // The current device has no sign-out button of its own; the other one has.
  await expect(here.getByRole("button", { name: /sign out/i })).toHaveCount(0);
  const other = deviceRows(page).filter({ hasNotText: "This device" });
  await other.getByRole("button", { name: /sign out/i }).click();
  await expect(notice(page, "That device was signed out.")).toBeVisible();
  await expect(deviceRows(page)).toHaveCount(1);

  // The second browser's next page load goes to sign-in; the first stays signed in.
  await second.page.goto("/dashboard");
  await expect(second.page).toHaveURL(/\/login\?callbackUrl=%2Fdashboard/);
  expect(await opensDashboard(page)).toBe(true);
  await second.context.close();
});

test("sign out everywhere else keeps this browser; sign out everywhere ends it too", async ({ page, browser }) => {
  const user = await newUser(page, "everywhere");
  const others = [await signedInContext(browser, user), await signedInContext(browser, user)];

  await page.goto("/settings/sessions");
  await expect(deviceRows(page)).toHaveCount(3);
  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(notice(page, "Signed out 2 other devices.")).toBeVisible();
  await expect(deviceRows(page)).toHaveCount(1);
  for (const other of others) expect(await opensDashboard(other.page)).toBe(false);
  expect(await opensDashboard(page)).toBe(true);

  // A new sign-in elsewhere, then everything ends, this browser included.
  const later = await signedInContext(browser, user);
  const copied = await page.context().cookies();
  await page.goto("/settings/sessions");
  await expect(deviceRows(page)).toHaveCount(2);
  await page.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: /^(log|sign) in$/i }).first()).toBeVisible();
  expect(await opensDashboard(page)).toBe(false);
  expect(await opensDashboard(later.page)).toBe(false);
  // The cookie this browser had, put back, is refused too: the session ended on the server.
  const restored = await browser.newContext();
  await restored.addCookies(copied);
  expect(await opensDashboard(await restored.newPage())).toBe(false);
  for (const context of [...others.map((o) => o.context), later.context, restored]) await context.close();
});
