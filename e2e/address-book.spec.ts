import { expect, test } from "@playwright/test";
import {
  addBtcAddress,
  enableTwoFactor,
  freshTotp,
  NEW_USER_PASSWORD,
  notice,
  registerAndSignIn,
  totpCode,
  wrongTotpCode,
} from "./helpers";

const BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
// The same address with its last character changed: the bech32 checksum no longer matches.
const BTC_ADDRESS_BAD_CHECKSUM = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr";

test("a customer with 2FA whitelists a BTC address, sees its 48 h lock count down, and deletes it", async ({
  page,
}) => {
  // Waiting for a fresh TOTP time step can take up to 30 s.
  test.setTimeout(120_000);
  const email = `e2e-book-${Date.now()}@example.com`;
  await registerAndSignIn(page, { name: "Addison Book", email, password: NEW_USER_PASSWORD });

  // Without 2FA the book sends the customer to set it up first.
  await page.goto("/wallet/addresses");
  await expect(page.getByRole("heading", { level: 1, name: "Withdrawal addresses" })).toBeVisible();
  await expect(page.getByText("No withdrawal addresses yet")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Turn on two-factor authentication first" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Set up two-factor authentication" })).toHaveAttribute(
    "href",
    "/settings/security",
  );

  await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await expect(page).toHaveURL(/\/settings\/security/);
  const { secret, usedStep } = await enableTwoFactor(page);
  await page.goto("/wallet/addresses");
  await expect(page.getByRole("form", { name: "Add an address" })).toBeVisible();

  // A bad checksum is refused precisely, next to the field, and the typed values stay.
  const form = await addBtcAddress(page, {
    label: "Cold storage",
    address: BTC_ADDRESS_BAD_CHECKSUM,
    code: totpCode(secret),
  });
  await expect(form.getByRole("alert")).toContainText("Checksum mismatch");
  await expect(form.locator("#address-error")).toContainText(
    "Checksum mismatch: a character is mistyped or two are swapped",
  );
  await expect(form.getByLabel("Address")).toHaveValue(BTC_ADDRESS_BAD_CHECKSUM);
  await expect(form.getByLabel("Label")).toHaveValue("Cold storage");

  // A wrong code is refused too.
  await form.getByLabel("Address").fill(BTC_ADDRESS);
  await form.getByLabel("Authenticator code").fill(wrongTotpCode(secret));
  await form.getByRole("button", { name: "Add address" }).click();
  await expect(form.locator("#totpCode-error")).toContainText("That code is not right");

  // The valid address with a fresh code (not the one that turned 2FA on) is added, locked for 48 hours.
  await form.getByLabel("Authenticator code").fill((await freshTotp(secret, usedStep)).code);
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
  await expect(notice(page, "Address deleted.")).toBeVisible();
  await expect(page.getByText("No withdrawal addresses yet")).toBeVisible();
  await expect(page.getByText(BTC_ADDRESS)).toHaveCount(0);
});
