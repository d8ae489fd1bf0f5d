import { expect, test } from "@playwright/test";
import { alertWith, DEMO, NEW_USER_PASSWORD, register, signIn, submitSignIn } from "./helpers";

test("register, log in, see the seeded marketplace, log out", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.com`;
  await register(page, { name: "Erin Tester", email, password: NEW_USER_PASSWORD });
  await submitSignIn(page, { email, password: NEW_USER_PASSWORD });
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  await page.getByRole("link", { name: "Marketplace" }).first().click();
  await expect(page).toHaveURL(/\/marketplace/);
  // Seeded listings from the database: real models and operators.
  await expect(page.getByText(/Antminer S21/).first()).toBeVisible();
  await expect(page.getByText("Nordic Hash AB").first()).toBeVisible();
  for (const coin of ["BTC", "LTC", "KAS", "ETC", "XMR"]) {
    await expect(page.getByText(coin, { exact: true }).first()).toBeVisible();
  }

  await page.getByRole("button", { name: /(log|sign) out/i }).click();
  await expect(page.getByRole("link", { name: /^(log|sign) in$/i }).first()).toBeVisible();
  const response = await page.goto("/dashboard");
  expect(response?.ok()).toBe(true);
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdashboard/);
});

test("a wrong password gets a generic error and no session", async ({ page }) => {
  await page.goto("/login");
  await submitSignIn(page, { email: DEMO.customer.email, password: "not the password" });
  await expect(alertWith(page, "Email or password is incorrect.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("registration explains bad input and keeps what was typed", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Name").fill("Short Pass");
  await page.getByLabel("Email").fill("customer@hashlease.test");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByText("Use at least 12 characters for your password.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Short Pass");
});

test("a customer who opens /admin gets a 403 page, not data", async ({ page }) => {
  await signIn(page, DEMO.customer);
  await expect(page).toHaveURL(/\/dashboard/);

  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByText(/don.t have access/i)).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain("admin@hashlease.test");

  const operator = await page.goto("/operator");
  expect(operator?.status()).toBe(403);
});

test("each role reaches its own area", async ({ page }) => {
  for (const [user, path] of [
    [DEMO.operator, "/operator"],
    [DEMO.admin, "/admin"],
  ] as const) {
    await page.context().clearCookies();
    await signIn(page, user, path);
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
  }
});
