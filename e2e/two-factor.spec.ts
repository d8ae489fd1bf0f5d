import { expect, test } from "@playwright/test";
import {
  alertWith,
  freshTotp,
  NEW_USER_PASSWORD,
  registerAndSignIn,
  signIn,
  signInPasswordStep,
  signInWithTotp,
  signOut,
  submitSecondFactor,
  wrongTotpCode,
} from "./helpers";

test("a customer turns on 2FA, then signs in with password + code; wrong, replayed and reused codes fail clearly", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const user = { name: "Tess Twofactor", email: `e2e-2fa-${Date.now()}@example.com`, password: NEW_USER_PASSWORD };
  await registerAndSignIn(page, user);

  // A second browser signed in before 2FA goes on: its session must end.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, user);
  await expect(otherPage).toHaveURL(/\/dashboard/);

  // Enrol: the QR code and the manual key, then the first code.
  await page.getByRole("link", { name: "Security" }).first().click();
  await expect(page).toHaveURL(/\/settings\/security/);
  await expect(page.getByText("Off", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = (await page.locator("#totp-manual-key").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel("6-digit code").fill(wrongTotpCode(secret));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(alertWith(page, "That code is not right")).toBeVisible();

  const enrol = await freshTotp(secret, 0, { validForMs: 15_000 });
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
  await signInPasswordStep(page, user);
  const login = await freshTotp(secret, enrol.step, { validForMs: 15_000 });
  const wrong = String((Number(login.code) + 1) % 1_000_000).padStart(6, "0");
  await page.getByLabel("Authenticator code").fill(wrong);
  await submitSecondFactor(page);
  await expect(alertWith(page, "That code is not right.")).toBeVisible();
  await expect(page.getByLabel("Authenticator code")).toHaveValue("");
  await page.getByLabel("Authenticator code").fill(login.code);
  await submitSecondFactor(page);
  await expect(page).toHaveURL(/\/dashboard/);
  await signOut(page);

  // The same code again is a replay.
  await signInWithTotp(page, user, login.code);
  await expect(alertWith(page, "That code was already used.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  // A recovery code works once.
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!.toUpperCase());
  await submitSecondFactor(page);
  await expect(page).toHaveURL(/\/dashboard/);
  await page.goto("/settings/security");
  await expect(page.getByText("9 of 10")).toBeVisible();
  await signOut(page);

  await signInPasswordStep(page, user);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
  await submitSecondFactor(page);
  await expect(alertWith(page, "That code is not right.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});
