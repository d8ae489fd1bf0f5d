// Terms, risk, privacy, help and support as a visitor finds them: from the footer, from the sign-up
// form (which refuses an account whose terms were not accepted, and stores the version it was),
// and from the 403 page. Operators land on their own area after signing in.
import { expect, test } from "@playwright/test";
import pg from "pg";
import { TERMS_VERSION } from "../lib/legal/documents";
import { DEMO, NEW_USER_PASSWORD, signIn } from "./helpers";
import { e2eDatabaseUrl } from "./paths";

test("the footer leads to help, support and every document", async ({ page }) => {
  await page.goto("/marketplace");
  const footer = page.getByRole("navigation", { name: "Footer" });
  await footer.getByRole("link", { name: "Terms" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Terms of service" })).toBeVisible();
  await expect(page.getByText(`Version ${TERMS_VERSION}`)).toBeVisible();
  // The table of contents jumps to its section.
  await page.getByRole("navigation", { name: "Contents" }).getByRole("link", { name: "Daily payouts" }).click();
  await expect(page).toHaveURL(/\/terms#2-daily-payouts$/);
  await page.getByRole("main").getByRole("link", { name: "risk disclosure", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Risk disclosure" })).toBeVisible();

  await footer.getByRole("link", { name: "Privacy" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Privacy notice" })).toBeVisible();

  await footer.getByRole("link", { name: "Help" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "How Hashlease works" })).toBeVisible();
  const curtailed = page.getByText("What is a curtailed day?");
  await curtailed.click();
  await expect(page.getByText(/the day pays nothing, charges no fee, and still counts toward your term/)).toBeVisible();

  await footer.getByRole("link", { name: "Support" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contact support" })).toBeVisible();
  await expect(page.getByRole("link", { name: "support@hashlease.test" }).first()).toHaveAttribute(
    "href",
    "mailto:support@hashlease.test",
  );
});

test("sign-up needs the terms accepted, keeps what was typed, and stores the version", async ({ page }) => {
  const email = `terms-${Date.now()}@example.com`;
  await page.goto("/register");
  await page.getByLabel("Full name").fill("Terry Terms");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(NEW_USER_PASSWORD);
  // The browser's own check is off (noValidate): the server answers, at the field.
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(
    page.getByText("Accept the terms of service, the risk disclosure and the privacy notice to sign up."),
  ).toBeVisible();
  await expect(page.getByLabel("Full name")).toHaveValue("Terry Terms");
  const accept = page.getByLabel("I accept the terms of service");
  await expect(accept).not.toBeChecked();
  await expect(page.getByRole("main").getByRole("link", { name: "terms of service", exact: true })).toHaveAttribute(
    "href",
    "/terms",
  );

  await page.getByLabel("Password").fill(NEW_USER_PASSWORD);
  await accept.check();
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page).toHaveURL(/\/login\?registered=1$/);

  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ terms_version: string | null; accepted: boolean }>(
      "SELECT terms_version, terms_accepted_at IS NOT NULL AS accepted FROM users WHERE email = $1",
      [email],
    );
    expect(rows).toEqual([{ terms_version: TERMS_VERSION, accepted: true }]);
  } finally {
    await client.end();
  }
});

test("the 403 page offers a way to reach support", async ({ page }) => {
  await signIn(page, DEMO.customer);
  await page.goto("/admin");
  await page.getByRole("main").getByRole("link", { name: "contact support" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contact support" })).toBeVisible();
});

test("an operator lands on the operator area after signing in", async ({ page }) => {
  await signIn(page, DEMO.operator);
  await expect(page).toHaveURL(/\/operator$/);
});
