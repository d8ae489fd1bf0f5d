// Notices as a person meets them (issue 15): creating an API key puts an unread badge on the
// header's bell, the list shows the notice with its link, and marking it read takes the badge away;
// an optional email switched off in notification settings stays off after a reload while security
// notices are locked on; an anti-phishing phrase set in security settings (a bad one refused) is
// printed in the next mail the local inbox receives (turning on 2FA), in both parts.
import { expect, test, type Page } from "@playwright/test";
import { alertWith, enableTwoFactor, NEW_USER_PASSWORD, notice, registerAndSignIn } from "./helpers";
import { latestMailTo } from "./mail";

/** The header's bell (the desktop one: the menu's copy is hidden at this width). */
function bell(page: Page) {
  return page
    .getByRole("banner")
    .getByRole("link", { name: /^Notifications/ })
    .first();
}

test("a notice raises the unread badge, the list marks it read, preferences persist, the phrase is in the next mail", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const user = { name: "Nina Notices", email: `e2e-notices-${Date.now()}@example.com`, password: NEW_USER_PASSWORD };
  await registerAndSignIn(page, user);
  await expect(bell(page)).toHaveAccessibleName("Notifications");
  await expect(page.getByTestId("unread-badge")).toHaveCount(0);

  // Creating an API key is a security notice: in the app and by mail.
  await page.goto("/settings/api-keys");
  const label = `notices bot ${Date.now()}`;
  await page.getByLabel("Label").fill(label);
  await page.getByRole("group", { name: "Scopes" }).getByRole("checkbox", { name: /read/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("region", { name: `Secret of “${label}”` })).toBeVisible();
  await expect(bell(page)).toHaveAccessibleName("Notifications, 1 unread");
  await expect(page.getByTestId("unread-badge").first()).toHaveText("1");
  const keyMail = await latestMailTo(user.email, "A new API key was created");
  expect(keyMail.text).toContain(label);
  expect(keyMail.text).not.toContain("Your anti-phishing phrase:");

  // The list: the notice unread, with its text, time and link; marking it read clears the badge.
  await bell(page).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const item = page.getByRole("listitem", { name: "Unread: API key created" });
  await expect(item).toContainText("An API key was created for your account.");
  await expect(item.locator("time")).toHaveText(/\d{4}-\d{2}-\d{2}/);
  await expect(item.getByRole("link", { name: "API key created" })).toHaveAttribute("href", "/settings/api-keys");
  await item.getByRole("button", { name: "Mark read: API key created" }).click();
  await expect(page.getByRole("listitem", { name: "API key created", exact: true })).toBeVisible();
  await expect(page.getByTestId("unread-badge")).toHaveCount(0);
  await expect(bell(page)).toHaveAccessibleName("Notifications");
  await expect(page.getByText("All read.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("listitem", { name: "Unread: API key created" })).toHaveCount(0);
  await expect(page.getByTestId("unread-badge")).toHaveCount(0);

  // Preferences: an optional kind off survives a reload; security notices cannot be switched.
  await page.getByRole("link", { name: "Choose which of these are also emailed to you" }).click();
  await expect(page).toHaveURL(/\/settings\/notifications$/);
  const ending = page.getByRole("switch", { name: "Email for “A contract is ending”" });
  await expect(ending).toHaveAttribute("aria-checked", "true");
  await ending.click();
  await expect(ending).toHaveAttribute("aria-checked", "false");
  await page.reload();
  await expect(page.getByRole("switch", { name: "Email for “A contract is ending”" })).toHaveAttribute(
    "aria-checked",
    "false",
  );
  const locked = page.getByRole("listitem", { name: "API key created" });
  await expect(locked).toContainText("Email always on");
  await expect(locked.getByRole("switch")).toHaveCount(0);

  // The anti-phishing phrase: a bad one is refused, a good one is saved and shown.
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Security" }).click();
  await expect(page).toHaveURL(/\/settings\/security$/);
  const phrase = page.getByRole("textbox", { name: "Anti-phishing phrase" });
  await phrase.fill("ab");
  await page.getByRole("button", { name: "Set phrase" }).click();
  await expect(alertWith(page, "Check this and try again")).toBeVisible();
  await expect(page.getByText("Use 4 to 40 characters (now 2).")).toBeVisible();
  await expect(phrase).toHaveValue("ab");
  await phrase.fill("  purple   otter 7 ");
  await page.getByRole("button", { name: "Set phrase" }).click();
  await expect(notice(page, "Every email from Hashlease now starts with “purple otter 7”")).toBeVisible();
  await expect(page.getByTestId("current-phrase")).toHaveText("Your emails start with: purple otter 7");
  await page.reload();
  await expect(page.getByRole("textbox", { name: "Anti-phishing phrase" })).toHaveValue("purple otter 7");

  // The next mail carries it: turning on 2FA (itself a notice, so the badge is back).
  await enableTwoFactor(page);
  const mail = await latestMailTo(user.email, "Two-factor authentication turned on");
  expect(mail.text).toContain("Your anti-phishing phrase: purple otter 7");
  expect(mail.html).toContain("purple otter 7");
  await page.reload();
  await expect(bell(page)).toHaveAccessibleName("Notifications, 1 unread");
});
