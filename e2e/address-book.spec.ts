import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { generateTotpSecret, sealTotpSecret, totpCodeFor } from "../lib/auth/totp";
import { parseKeyRing } from "../lib/secrets/key-ring";
import { e2eDataDir, e2eDatabaseName } from "./paths";

const password = "a long enough password 42";
const BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
// The same address with its last character changed: the bech32 checksum no longer matches.
const BTC_ADDRESS_BAD_CHECKSUM = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr";

/** The database the e2e server runs on (e2e/serve.ts): a server database, or the embedded one. */
function e2eDatabaseUrl(): string {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${e2eDatabaseName}`;
    return url.toString();
  }
  return (JSON.parse(readFileSync(path.join(e2eDataDir, "embedded-db.json"), "utf8")) as { url: string }).url;
}

/**
 * Turns on 2FA for a user the way the enrolment does it (a fresh secret, sealed with the
 * server's key ring from its generated secrets file), through the library functions; there
 * is no /settings/security page to drive yet. Returns the secret to compute codes from.
 */
async function enableTwoFactor(email: string): Promise<string> {
  const secrets = JSON.parse(readFileSync(path.join(e2eDataDir, "secrets.json"), "utf8")) as { ENCRYPTION_KEYS: string; ENCRYPTION_ACTIVE_KEY_ID: string };
  const ring = parseKeyRing(secrets.ENCRYPTION_KEYS, secrets.ENCRYPTION_ACTIVE_KEY_ID);
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
    const userId = rows[0]?.id;
    if (!userId) throw new Error(`no user ${email}`);
    const secret = generateTotpSecret();
    const sealed = sealTotpSecret(secret, userId, ring);
    await client.query("UPDATE users SET totp_secret_enc = $1, totp_key_id = $2, totp_enabled_at = now() WHERE id = $3", [
      sealed.ciphertext,
      sealed.keyId,
      userId,
    ]);
    return secret;
  } finally {
    await client.end();
  }
}

async function registerAndLogIn(page: Page, email: string) {
  await page.goto("/register");
  await page.getByLabel("Name").fill("Addison Book");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /^(log|sign) in$/i }).click();
  await expect(page).toHaveURL(/\/dashboard/);
}

test("a customer with 2FA whitelists a BTC address, sees its 48 h lock count down, and deletes it", async ({ page }) => {
  const email = `e2e-book-${Date.now()}@example.com`;
  await registerAndLogIn(page, email);

  // Without 2FA the book sends the customer to set it up first.
  await page.goto("/wallet/addresses");
  await expect(page.getByRole("heading", { level: 1, name: "Withdrawal addresses" })).toBeVisible();
  await expect(page.getByText("No withdrawal addresses yet")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Turn on two-factor authentication first" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Set up two-factor authentication" })).toHaveAttribute("href", "/settings/security");

  const secret = await enableTwoFactor(email);
  await page.reload();
  const form = page.getByRole("form", { name: "Add an address" });
  await expect(form).toBeVisible();

  // A bad checksum is refused precisely, next to the field, and the typed values stay.
  await form.getByLabel("Coin").selectOption("BTC");
  await form.getByLabel("Label").fill("Cold storage");
  await form.getByLabel("Address").fill(BTC_ADDRESS_BAD_CHECKSUM);
  await form.getByLabel("Authenticator code").fill(totpCodeFor(secret));
  await form.getByRole("button", { name: "Add address" }).click();
  await expect(form.getByRole("alert")).toContainText("Checksum mismatch");
  await expect(form.locator("#address-error")).toContainText("Checksum mismatch: a character is mistyped or two are swapped");
  await expect(form.getByLabel("Address")).toHaveValue(BTC_ADDRESS_BAD_CHECKSUM);
  await expect(form.getByLabel("Label")).toHaveValue("Cold storage");

  // A wrong code is refused too.
  await form.getByLabel("Address").fill(BTC_ADDRESS);
  const code = totpCodeFor(secret);
  await form.getByLabel("Authenticator code").fill(code === "000000" ? "111111" : "000000");
  await form.getByRole("button", { name: "Add address" }).click();
  await expect(form.locator("#totpCode-error")).toContainText("That code is not right");

  // The valid address with the current code is added, locked for 48 hours.
  await form.getByLabel("Authenticator code").fill(totpCodeFor(secret));
  await form.getByRole("button", { name: "Add address" }).click();
  await expect(form.getByRole("status")).toContainText("Address “Cold storage” added (P2WPKH (bech32))");
  await expect(form.getByRole("status")).toContainText("48 hours from now");

  const table = page.getByRole("region", { name: "Bitcoin addresses" });
  const row = table.getByRole("row", { name: /Cold storage/ });
  await expect(row).toContainText(BTC_ADDRESS);
  await expect(row).toContainText("P2WPKH (bech32)");
  const countdown = row.getByRole("timer");
  await expect(countdown).toHaveText(/^(47 h 5\d min \d\d s|48 h 00 min 00 s)$/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first ?? "", { timeout: 5_000 });

  // Deleting takes two steps and is immediate.
  await row.getByRole("button", { name: "Delete Cold storage" }).click();
  await expect(row.getByRole("button", { name: "Yes, delete" })).toBeFocused();
  await row.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Address deleted." })).toBeVisible();
  await expect(page.getByText("No withdrawal addresses yet")).toBeVisible();
  await expect(page.getByText(BTC_ADDRESS)).toHaveCount(0);
});
