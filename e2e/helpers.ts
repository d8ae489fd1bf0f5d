// The steps e2e specs share: signing in (the seeded demo users, or a fresh registration),
// second-factor codes from an independent authenticator (the otpauth library, not the app's
// lib/auth/totp), signing out, the notices forms answer with, buying from a BTC listing and adding a BTC
// address. Every spec signs in afresh
// through the login form: no saved sessions, so no test depends on another's state or on a
// session another test may have voided (2FA enrolment resets sessionsValidAfter).
import { expect, type Locator, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD } from "../lib/demo/catalog";
import { latestMailTo, linkIn } from "./mail";

export interface Credentials {
  email: string;
  password: string;
  /** The account's authenticator key when it has 2FA on: signIn then enters a fresh code from it. */
  totpSecret?: string;
}

export interface NewUser extends Credentials {
  name: string;
}

/** The seeded demo accounts (lib/demo/catalog.ts), all with the demo password. */
export const DEMO = {
  customer: { email: "customer@hashlease.test", password: DEMO_PASSWORD },
  operator: { email: "operator@hashlease.test", password: DEMO_PASSWORD },
  /** 2FA on (its money actions need it), with the key npm start prints (lib/demo/admin.ts). */
  admin: { email: "admin@hashlease.test", password: DEMO_PASSWORD, totpSecret: DEMO_ADMIN_TOTP_SECRET },
  /** 2FA on, with the authenticator key npm start prints (lib/demo/withdrawer.ts). */
  withdrawer: { email: "withdrawer@hashlease.test", password: DEMO_PASSWORD },
} as const satisfies Record<string, Credentials>;

/** A password registrations in the specs use: long enough for the password rule. */
export const NEW_USER_PASSWORD = "a long enough password 42";

/** Fills the sign-in form already on the page (the email only if given: registration prefills it) and submits it. */
export async function submitSignIn(page: Page, { email, password }: { email?: string; password: string }) {
  if (email !== undefined) await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /^(log|sign) in$/i }).click();
}

/** The last time step each authenticator key signed in with in this worker: the server refuses a step used before. */
const lastSignInStep = new Map<string, number>();

/**
 * The code step of a 2FA account's sign-in: a fresh code of its key, of a later time step than
 * this worker's last sign-in with it. A step used by a sign-in this worker does not know of (a
 * restarted worker) is refused as used; then the next step's code is entered.
 */
async function enterSignInCode(page: Page, secret: string) {
  const field = page.getByLabel("Authenticator code");
  await expect(field).toBeVisible();
  for (let attempt = 0; ; attempt++) {
    const { code, step } = await freshTotp(secret, lastSignInStep.get(secret) ?? -1, { validForMs: 3_000 });
    lastSignInStep.set(secret, step);
    await field.fill(code);
    await submitSecondFactor(page);
    const refused = page.getByRole("alert").filter({ hasText: /already used/i });
    const outcome = await Promise.race([
      page
        .waitForURL((url) => url.pathname !== "/login", { timeout: 10_000 })
        .then(
          () => "left" as const,
          () => "timeout" as const,
        ),
      refused.waitFor({ timeout: 10_000 }).then(
        () => "replayed" as const,
        () => "timeout" as const,
      ),
    ]);
    if (outcome !== "replayed" || attempt > 0) return;
  }
}

/**
 * Signs in through /login (with a fresh authenticator code for an account with `totpSecret`).
 * With `to`, the login page carries it as callbackUrl and the browser must land exactly there;
 * without, it must just have left /login.
 */
export async function signIn(page: Page, user: Credentials, to?: string) {
  await page.goto(to === undefined ? "/login" : `/login?callbackUrl=${encodeURIComponent(to)}`);
  await submitSignIn(page, user);
  if (user.totpSecret) await enterSignInCode(page, user.totpSecret);
  if (to === undefined) await expect(page).not.toHaveURL(/\/login/);
  else await expect(page).toHaveURL(new RegExp(`${to.replace(/[/?]/g, "\\$&")}$`));
}

/** Fills and submits /register; the app answers with /login?registered=1 whether or not the email was free. */
export async function submitRegistration(page: Page, user: NewUser) {
  await page.goto("/register");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByLabel("I accept the terms of service").check();
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page).toHaveURL(/\/login\?registered=1$/);
}

/** Opens the verification link of the newest verification mail to `email` and confirms it. */
export async function verifyEmailFromMail(page: Page, email: string) {
  const mail = await latestMailTo(email, "Verify your email");
  await page.goto(linkIn(mail, "/account/verify"));
  await page.getByRole("button", { name: "Verify my email" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your email address is verified" })).toBeVisible();
}

/** Registers through /register and verifies the address with the emailed link; ends on /login. */
export async function register(page: Page, user: NewUser) {
  await submitRegistration(page, user);
  await verifyEmailFromMail(page, user.email);
  await page.goto("/login");
}

/** Registers (verified), then signs in and lands on the dashboard. */
export async function registerAndSignIn(page: Page, user: NewUser) {
  await register(page, user);
  await submitSignIn(page, { email: user.email, password: user.password });
  await expect(page).toHaveURL(/\/dashboard/);
}

/** The password step of a 2FA account: /login, then the form asks for the authenticator code. */
export async function signInPasswordStep(page: Page, user: Credentials) {
  await page.goto("/login");
  await submitSignIn(page, user);
  await expect(page.getByLabel("Authenticator code")).toBeVisible();
}

/** Submits the second-factor form as filled (an authenticator or a recovery code). */
export async function submitSecondFactor(page: Page) {
  await page.getByRole("button", { name: "Verify and sign in" }).click();
}

/** Password, then `code`: the caller asserts the outcome (a refused code stays on /login). */
export async function signInWithTotp(page: Page, user: Credentials, code: string) {
  await signInPasswordStep(page, user);
  await page.getByLabel("Authenticator code").fill(code);
  await submitSecondFactor(page);
}

export async function signOut(page: Page) {
  await page
    .getByRole("button", { name: /(log|sign) out/i })
    .first()
    .click();
  await expect(page.getByRole("link", { name: /^(log|sign) in$/i }).first()).toBeVisible();
}

// --- The authenticator app (RFC 6238: SHA-1, 6 digits, 30 s steps) ---

function authenticator(secretBase32: string): TOTP {
  return new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

/** The code the authenticator shows at `at`. */
export function totpCode(secretBase32: string, at: Date = new Date()): string {
  return authenticator(secretBase32).generate({ timestamp: at.getTime() });
}

/** A six-digit code that is not the current one. */
export function wrongTotpCode(secretBase32: string): string {
  return totpCode(secretBase32) === "000000" ? "111111" : "000000";
}

/**
 * The current code once its time step is later than `afterStep` (a server refuses a step
 * used before), waiting for the next step if needed. With `validForMs`, the code is taken
 * only that early in its 30 s window, so the steps that follow happen within it.
 */
export async function freshTotp(
  secretBase32: string,
  afterStep: number,
  { validForMs = 0 }: { validForMs?: number } = {},
): Promise<{ code: string; step: number }> {
  const totp = authenticator(secretBase32);
  for (;;) {
    const now = Date.now();
    const step = totp.counter({ timestamp: now });
    if (step > afterStep && totp.remaining({ timestamp: now }) > validForMs)
      return { code: totp.generate({ timestamp: now }), step };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Turns on 2FA from /settings/security (the page must be open): reads the manual key, enters
 * a code, dismisses the recovery codes. Returns the secret and the time step its code used.
 */
export async function enableTwoFactor(page: Page): Promise<{ secret: string; usedStep: number }> {
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const key = page.locator("#totp-manual-key");
  await expect(key).toBeVisible();
  const secret = ((await key.textContent()) ?? "").replace(/\s/g, "");
  const { code, step } = await freshTotp(secret, -1);
  await page.getByLabel("6-digit code").fill(code);
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toBeVisible();
  await page.getByRole("button", { name: "I have saved them" }).click();
  return { secret, usedStep: step };
}

// --- What forms answer with ---

/** A status notice (role="status", e.g. "Facility added.") in `scope` that contains `text`. */
export function notice(scope: Page | Locator, text: string | RegExp): Locator {
  return scope.getByRole("status").filter({ hasText: text });
}

/** An alert (role="alert", a refusal) in `scope` that contains `text`. */
export function alertWith(scope: Page | Locator, text: string | RegExp): Locator {
  return scope.getByRole("alert").filter({ hasText: text });
}

/** Opens the first BTC listing of the marketplace whose link matches `name` (e.g. /Antminer S21 XP fleet/). */
export async function openBtcListing(page: Page, name: RegExp) {
  await page.goto("/marketplace?coin=BTC");
  await page.locator("main").getByRole("link", { name }).first().click();
  await expect(page).toHaveURL(/\/marketplace\/[0-9a-f-]{36}/);
}

/** Fills the listing's purchase panel: hashrate (in the listing's unit), days and, when given, how to pay. */
export async function fillPurchase(page: Page, hashrate: string, days: string, payment?: RegExp) {
  await page.locator("#purchase-hashrate").fill(hashrate);
  await page.locator("#purchase-days").fill(days);
  if (payment) await page.getByRole("radio", { name: payment }).check();
}

/** Reviews the filled purchase panel, then confirms it (the review step shows what is paid and from where). */
export async function confirmPurchase(page: Page) {
  await page.getByRole("button", { name: "Review purchase" }).click();
  await expect(page.getByRole("group", { name: "Review your purchase" })).toBeVisible();
  await page.getByRole("button", { name: /^Confirm (purchase|and continue to payment)$/ }).click();
}

/** Submits the open address book's add form for a BTC address with `code` from the authenticator: the form. */
export async function addBtcAddress(page: Page, entry: { label: string; address: string; code: string }) {
  const form = page.getByRole("form", { name: "Add an address" });
  await form.getByLabel("Coin").selectOption("BTC");
  await form.getByLabel("Label").fill(entry.label);
  await form.getByLabel("Address").fill(entry.address);
  await form.getByLabel("Authenticator code").fill(entry.code);
  await form.getByRole("button", { name: "Add address" }).click();
  return form;
}
