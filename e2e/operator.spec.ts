// The operator's inventory and listing flow in the browser, on the seeded demo data:
// facility, rig by form, rigs by CSV (good and bad file), a listing backed by the new rigs,
// publishing it, its capacity bar, and the listing on the marketplace. Names carry a
// timestamp so the spec also runs against a database where it ran before.
import { expect, test } from "@playwright/test";
import { alertWith, DEMO, notice, signIn } from "./helpers";

const stamp = Date.now().toString(36).toUpperCase();
const facilityName = `E2E Hall ${stamp}`;
const listingTitle = `E2E fleet ${stamp}`;
const formSerial = `E2E-${stamp}-F1`;
const csvSerials = [`E2E-${stamp}-C1`, `E2E-${stamp}-C2`];

test("the operator whose rigs mine the demo customer's contracts sees the maintenance fees it received", async ({
  page,
}) => {
  // Texas Range Mining's Abilene listings carry the demo history's BTC and LTC contracts
  // (lib/demo/history.ts); each settled day credited their maintenance fee to its coin payable.
  await signIn(page, { email: "ops@texasrangemining.test", password: DEMO.operator.password }, "/operator");
  const income = page.getByTestId("operator-maintenance-income");
  await expect(income).toHaveText(/^\$\d[\d,]*\.\d{2}$/);
  expect(Number((await income.innerText()).replace(/[$,]/g, ""))).toBeGreaterThan(0);
  await expect(page.getByText(/ BTC, [\d.]+ LTC to your payable over \d+ payout days/)).toBeVisible();
  await page.getByRole("link", { name: "Performance" }).click();
  await expect(page.getByTestId("month-maintenance").first()).toHaveText(/^\$\d/);
});

function csv(rows: string[][]): Buffer {
  const header = "facility,model,serial_number,algorithm,nominal_hashrate,hashrate_unit,power_w,status";
  return Buffer.from(`${[header, ...rows.map((r) => r.join(","))].join("\n")}\n`, "utf8");
}

test("an operator adds a facility and rigs, lists them, publishes, and the listing is on the marketplace", async ({
  page,
}) => {
  await signIn(page, DEMO.operator, "/operator");
  await expect(page.getByRole("heading", { level: 1, name: "Operator" })).toBeVisible();

  // Facility: a refused value is explained at its field, then the facility is added.
  await page.getByRole("link", { name: "Add facility" }).click();
  await page.getByLabel("Name").fill(facilityName);
  await page.getByLabel("Location").fill("Kiruna, Norrbotten, Sweden");
  await page.getByLabel("Country code").fill("se");
  await page.getByLabel("Power price").fill("0.0000001");
  await page.getByRole("button", { name: "Add facility" }).click();
  await expect(alertWith(page, "at most 6 decimals")).toBeVisible();
  await expect(page.getByLabel("Power price")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Name")).toHaveValue(facilityName);
  await page.getByLabel("Power price").fill("0.041");
  await page.getByRole("button", { name: "Add facility" }).click();
  await expect(page).toHaveURL(/\/operator\?notice=facility-created/);
  await expect(notice(page, "Facility added.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: facilityName })).toBeVisible();

  // One rig through the form.
  await page.getByRole("link", { name: "Add rig" }).click();
  await page.getByLabel("Facility").selectOption({ label: facilityName });
  await page.getByLabel("Model").fill("Antminer S21 Pro");
  await page.getByLabel("Serial number").fill(formSerial);
  await page.getByLabel("Algorithm").selectOption("SHA256");
  await page.getByLabel("Nominal hashrate").fill("234.5");
  await expect(page.getByLabel("Unit")).toHaveValue("TH/s");
  await page.getByLabel("Power draw").fill("3510");
  await page.getByRole("button", { name: "Add rig" }).click();
  await expect(page).toHaveURL(/\/operator\?notice=rig-created/);
  const rigsTable = page.getByRole("region", { name: `Rigs in ${facilityName}` });
  await expect(rigsTable.getByRole("cell", { name: formSerial, exact: true })).toBeVisible();
  await expect(rigsTable.getByRole("cell", { name: "234.5 TH/s", exact: true })).toBeVisible();

  // Two rigs from a CSV file.
  await page.getByRole("link", { name: "Import rigs (CSV)" }).click();
  await expect(page.getByRole("link", { name: "Download a sample file" })).toHaveAttribute(
    "href",
    "/operator/rigs/import/sample.csv",
  );
  await page.getByLabel("CSV file").setInputFiles({
    name: "rigs.csv",
    mimeType: "text/csv",
    buffer: csv([
      [facilityName, "Antminer S21 XP", csvSerials[0]!, "SHA-256", "270", "TH/s", "3645", "ACTIVE"],
      [`"${facilityName}"`, "Antminer S21", csvSerials[1]!, "sha256", "200", "th/s", "3500", ""],
    ]),
  });
  await page.getByRole("button", { name: "Upload and import" }).click();
  await expect(notice(page, "Imported 2 rigs from rigs.csv.")).toBeVisible();
  const imported = page.getByRole("region", { name: "Imported rigs" });
  for (const serial of csvSerials) await expect(imported.getByText(serial)).toBeVisible();

  // A bad file: every problem listed per row, nothing imported.
  const neverSerial = `E2E-${stamp}-NEVER`;
  await page.getByLabel("CSV file").setInputFiles({
    name: "bad.csv",
    mimeType: "text/csv",
    buffer: csv([
      [facilityName, "Antminer S21", neverSerial, "SHA256", "200", "TH/s", "3500", "ACTIVE"],
      [facilityName, "Antminer S21 XP", csvSerials[0]!, "SHA256", "270", "TH/s", "3645", "ACTIVE"],
      [facilityName, "Antminer S21", `E2E-${stamp}-BAD`, "SHA256", "2.5.1", "TH/s", "3500", "ACTIVE"],
      ["No Such Hall", "Antminer S21", `E2E-${stamp}-LOST`, "SHA256", "200", "TH/s", "3500", "RETIRED"],
    ]),
  });
  await page.getByRole("button", { name: "Upload and import" }).click();
  await expect(alertWith(page, "Nothing was imported")).toBeVisible();
  const problems = page.getByRole("region", { name: "Problems per row" });
  await expect(problems.getByRole("row", { name: /^3 serial_number .*already registered/ })).toBeVisible();
  await expect(problems.getByRole("row", { name: /^4 nominal_hashrate .*e\.g\. 234\.5/ })).toBeVisible();
  await expect(problems.getByRole("row", { name: /^5 facility .*No Such Hall/ })).toBeVisible();
  await expect(problems.getByRole("row", { name: /^5 status .*cannot start out retired/ })).toBeVisible();
  await expect(problems.getByRole("row", { name: /^2 / })).toHaveCount(0);
  await page.goto("/operator");
  await expect(page.getByText(neverSerial)).toHaveCount(0);
  for (const serial of csvSerials) await expect(page.getByRole("cell", { name: serial, exact: true })).toBeVisible();

  // A listing backed by the three new rigs.
  await page.getByRole("link", { name: "New listing" }).click();
  await page.getByLabel("Coin").selectOption("BCH");
  await page.getByLabel("Title").fill(listingTitle);
  await page.getByLabel("Price (USD per TH/s per day)").fill("0.05");
  await page.getByLabel("Maintenance fee (USD per TH/s per day)").fill("0.012");
  await page.getByLabel("Minimum duration (days)").fill("7");
  await page.getByLabel("Maximum duration (days)").fill("90");
  await page.getByLabel("Minimum order (TH/s)").fill("0.5");
  for (const serial of [formSerial, ...csvSerials]) await page.getByLabel(serial).check();
  await page.getByRole("button", { name: "Create listing" }).click();
  await expect(page).toHaveURL(/\/operator\/listings\/[0-9a-f-]{36}\?notice=created/);
  await expect(page.getByRole("heading", { level: 1, name: listingTitle })).toBeVisible();
  await expect(notice(page, "Listing created as a draft.")).toBeVisible();

  // Publish it; its capacity shows as a bar with the numbers beside it.
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(notice(page, "Listing published")).toBeVisible();
  await expect(page.getByRole("button", { name: "Unpublish" })).toBeVisible();
  const capacity = page.getByRole("region", { name: "Capacity" });
  await expect(capacity.getByRole("definition").filter({ hasText: "704.5 TH/s" }).first()).toBeVisible();
  await expect(capacity.getByText("Free", { exact: true })).toBeVisible();
  await expect(capacity.getByText("Allocated (live)")).toBeVisible();

  await page.goto("/operator");
  const listingRow = page.getByRole("row", { name: new RegExp(listingTitle) });
  await expect(listingRow.getByText("Published")).toBeVisible();
  await expect(listingRow.getByText("704.5 TH/s").first()).toBeVisible();

  // On the marketplace for everyone.
  await page.goto("/marketplace?coin=BCH");
  await expect(page.getByText(listingTitle).first()).toBeVisible();

  // Unpublishing takes it off again (and keeps reruns of this spec tidy).
  await page.goto("/operator");
  await page.getByRole("link", { name: listingTitle }).first().click();
  await page.getByRole("button", { name: "Unpublish" }).click();
  await expect(notice(page, "Listing unpublished")).toBeVisible();
  await page.goto("/marketplace?coin=BCH");
  await expect(page.getByText(listingTitle)).toHaveCount(0);
});

test("a rig's status change is reported; another operator's rig is not found", async ({ page }) => {
  await signIn(page, DEMO.operator, "/operator");
  // A demo rig already in maintenance, so no demo contract is moved by this test.
  await page.getByRole("link", { name: "Antminer S21 Pro LUL-S21PRO-004" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /LUL-S21PRO-004/ })).toBeVisible();
  const rigUrl = page.url();
  await page.getByLabel("New status").selectOption("OFFLINE");
  await page.getByRole("button", { name: "Change status" }).click();
  await expect(notice(page, "Status changed from maintenance to offline.")).toBeVisible();
  await page.getByLabel("New status").selectOption("MAINTENANCE");
  await page.getByRole("button", { name: "Change status" }).click();
  await expect(notice(page, "Status changed from offline to maintenance.")).toBeVisible();

  // The Texas operator cannot open the Nordic operator's rig.
  await page.context().clearCookies();
  await page.goto("/login?callbackUrl=%2Foperator");
  await page.getByLabel("Email").fill("ops@texasrangemining.test");
  await page.getByLabel("Password").fill("hashlease-demo");
  await page.getByRole("button", { name: /^(log|sign) in$/i }).click();
  await expect(page).toHaveURL(/\/operator$/);
  const response = await page.goto(rigUrl);
  expect(response?.status()).toBe(404);
});
