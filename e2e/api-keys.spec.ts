import { expect, test } from "@playwright/test";
import { signRequest } from "../lib/api/hmac";
import { independentAuthorization } from "../lib/testing/independent-signer";
import { alertWith, DEMO, notice, signIn } from "./helpers";

test("a customer creates an API key, sees its secret once, uses it, and revokes it", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO.customer, "/dashboard");
  await page.getByRole("link", { name: "API keys" }).first().click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();

  // Only the customer's scopes are offered.
  const scopes = page.getByRole("group", { name: "Scopes" });
  await expect(scopes.getByRole("checkbox")).toHaveCount(3);
  await expect(scopes.getByRole("checkbox", { name: /admin/ })).toHaveCount(0);

  // A bad allowlist is refused with a message on the field.
  const label = `e2e key ${Date.now()}`;
  await page.getByLabel("Label").fill(label);
  await page.getByLabel("IP allowlist (optional)").fill("10.0.0.0/40");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(alertWith(page, "The key was not created")).toContainText("prefix length must be 0-32");

  // The refused form keeps what was typed.
  await expect(page.getByLabel("Label")).toHaveValue(label);
  await expect(page.getByLabel("IP allowlist (optional)")).toHaveValue("10.0.0.0/40");
  await page.getByLabel("IP allowlist (optional)").fill("");
  await scopes.getByRole("checkbox", { name: /trade/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("region", { name: `Secret of “${label}”` });
  await expect(reveal).toBeVisible();
  const secret = (await reveal.locator("#api-key-secret").textContent())?.trim() ?? "";
  const keyId = (await reveal.locator("code").first().textContent())?.trim() ?? "";
  expect(secret).toMatch(/^hls_[A-Za-z0-9_-]{43}$/);
  expect(keyId).toMatch(/^hlk_[0-9a-f]{24}$/);
  const card = page.getByRole("listitem", { name: `Key ${label}` });
  await expect(card).toContainText(keyId);
  await expect(card.getByRole("list", { name: "Scopes" })).toContainText("read");
  await expect(card.getByRole("list", { name: "Scopes" })).toContainText("trade");
  await expect(card).toContainText("Last used never");

  // The key signs requests.
  const get = async () => {
    const path = "/api/v1/balances";
    return page.request.get(`${baseURL}${path}`, {
      headers: { authorization: signRequest({ keyId, secret, method: "GET", url: path }) },
    });
  };
  expect((await get()).status()).toBe(200);
  // A client that signs from the documentation alone, through the real server, with a query
  // holding '=', repeated names, a space and non-ASCII: past the signature check.
  const tricky = "/api/v1/payouts?to=2026-02-01&note=a=b&from=2026-01-01&q=x%20y&q=%C3%A9";
  const interop = await page.request.get(`${baseURL}${tricky}`, {
    headers: { authorization: independentAuthorization({ keyId, secret, method: "GET", pathAndQuery: tricky }) },
  });
  expect(interop.status(), await interop.text()).toBe(200);
  expect(await interop.json()).toHaveProperty("payouts");

  // Gone after a reload: the page cannot show the secret again.
  await page.reload();
  await expect(page.getByRole("region", { name: `Secret of “${label}”` })).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByRole("listitem", { name: `Key ${label}` })).not.toContainText("Last used never");

  // Revoke (with a confirmation step); the key stops working.
  await page.getByRole("button", { name: `Revoke ${label}` }).click();
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(notice(page, `Key "${label}" revoked.`)).toBeVisible();
  await expect(page.getByRole("listitem", { name: `Key ${label}` })).toHaveCount(0);
  await page.getByText(/Revoked keys/).click();
  await expect(page.getByRole("list", { name: "Revoked API keys" })).toContainText(keyId);
  const refused = await get();
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: { code: "revoked_api_key" } });
});
