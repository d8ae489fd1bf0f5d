import { expect, test, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";

const password = "a long enough password 42";

function totpFor(secretBase32: string): TOTP {
  return new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

/**
 * A code for a time step later than `afterStep`, taken early enough in its 30 s window
 * that the steps which follow (submit, then a replay) happen within the drift window.
 */
async function freshCode(totp: TOTP, afterStep: number): Promise<{ code: string; step: number }> {
  for (;;) {
    const now = Date.now();
    const step = totp.counter({ timestamp: now });
    if (step > afterStep && totp.remaining({ timestamp: now }) > 15_000) return { code: totp.generate({ timestamp: now }), step };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function passwordStep(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /^(log|sign) in$/i }).click();
  await expect(page.getByLabel("Authenticator code")).toBeVisible();
}

async function submitCode(page: Page) {
  await page.getByRole("button", { name: "Verify and sign in" }).click();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: /(log|sign) out/i }).first().click();
  await expect(page.getByRole("link", { name: /^(log|sign) in$/i }).first()).toBeVisible();
}

test("a customer turns on 2FA, then signs in with password + code; wrong, replayed and reused codes fail clearly", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const email = `e2e-2fa-${Date.now()}@example.com`;
  await page.goto("/register");
  await page.getByLabel("Name").fill("Tess Twofactor");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /^(log|sign) in$/i }).click();
  await expect(page).toHaveURL(/\/dashboard/);

  // A second browser signed in before 2FA goes on: its session must end.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto("/login");
  await otherPage.getByLabel("Email").fill(email);
  await otherPage.getByLabel("Password").fill(password);
  await otherPage.getByRole("button", { name: /^(log|sign) in$/i }).click();
  await expect(otherPage).toHaveURL(/\/dashboard/);

  // Enrol: the QR code and the manual key, then the first code.
  await page.getByRole("link", { name: "Security" }).first().click();
  await expect(page).toHaveURL(/\/settings\/security/);
  await expect(page.getByText("Off", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = (await page.locator("#totp-manual-key").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const totp = totpFor(secret);

  await page.getByLabel("6-digit code").fill("000000" === totp.generate() ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right" })).toBeVisible();

  const enrol = await freshCode(totp, 0);
  await page.getByLabel("6-digit code").fill(enrol.code);
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toBeVisible();
  const recoveryCodes = await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allInnerTexts();
  expect(recoveryCodes).toHaveLength(10);
  for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
  await expect(page.getByText("On", { exact: true })).toBeVisible();
  await expect(page.getByText("10 of 10")).toBeVisible();
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toHaveCount(0);

  // This browser stayed signed in; the other one was signed out.
  await page.reload();
  await expect(page.getByText("On", { exact: true })).toBeVisible();
  await otherPage.goto("/dashboard");
  await expect(otherPage).toHaveURL(/\/login\?callbackUrl=%2Fdashboard/);
  await other.close();

  await signOut(page);

  // Password, then a wrong code, then the right one.
  await passwordStep(page, email);
  const login = await freshCode(totp, enrol.step);
  const wrong = String((Number(login.code) + 1) % 1_000_000).padStart(6, "0");
  await page.getByLabel("Authenticator code").fill(wrong);
  await submitCode(page);
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right." })).toBeVisible();
  await expect(page.getByLabel("Authenticator code")).toHaveValue("");
  await page.getByLabel("Authenticator code").fill(login.code);
  await submitCode(page);
  await expect(page).toHaveURL(/\/dashboard/);
  await signOut(page);

  // The same code again is a replay.
  await passwordStep(page, email);
  await page.getByLabel("Authenticator code").fill(login.code);
  await submitCode(page);
  await expect(page.getByRole("alert").filter({ hasText: "That code was already used." })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  // A recovery code works once.
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!.toUpperCase());
  await submitCode(page);
  await expect(page).toHaveURL(/\/dashboard/);
  await page.goto("/settings/security");
  await expect(page.getByText("9 of 10")).toBeVisible();
  await signOut(page);

  await passwordStep(page, email);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
  await submitCode(page);
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right." })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});
