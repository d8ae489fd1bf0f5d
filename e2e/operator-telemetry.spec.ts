// Telemetry and analytics in the browser, on the seeded demo data: the demo operator enters
// yesterday's average hashrate for a rig (a wrong value is explained at its field first), the
// rig's delivery ratio and flag appear on the rig page and on /operator/performance, and the
// day sheet refuses a bad row without saving the good one. The rig is LUL-S21PRO-004 (Antminer
// S21 Pro, 234 TH/s, in maintenance in the demo): it carries no contracts, so its days are
// never settled and no simulator reports for it.
import { expect, test } from "@playwright/test";
import { alertWith, DEMO, notice, signIn } from "./helpers";

const SERIAL = "LUL-S21PRO-004";
// A rig of the demo's S21 XP listing, which no demo contract uses, so its yesterday is never
// settled and its row always takes input (only a refused row is typed for it). The KS5 Pro rigs
// next to it carry the demo's KAS contract: which of them it was allocated to decides whether
// that rig's yesterday is settled (read-only), so they cannot be used here.
const OTHER = "Antminer S21 XP REY-S21XP-001";
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

test("the operator enters yesterday's telemetry for a rig and sees its delivery ratio flagged", async ({ page }) => {
  await signIn(page, DEMO.operator, "/operator");
  await page.getByRole("link", { name: `Antminer S21 Pro ${SERIAL}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Antminer S21 Pro · ${SERIAL}` })).toBeVisible();
  const telemetry = page.getByRole("region", { name: "Telemetry" });
  await expect(telemetry.getByLabel("Day")).toHaveValue(yesterday);

  // More than twice the nominal: refused at the field, nothing saved.
  await telemetry.getByLabel("Average hashrate (TH/s)").fill("500");
  await telemetry.getByRole("button", { name: "Save telemetry" }).click();
  await expect(alertWith(telemetry, "more than twice the rig's nominal 234 TH/s")).toBeVisible();
  await expect(telemetry.getByLabel("Average hashrate (TH/s)")).toHaveAttribute("aria-invalid", "true");

  // Today has not ended: refused too.
  const today = new Date().toISOString().slice(0, 10);
  await telemetry.getByLabel("Day").fill(today);
  await telemetry.getByLabel("Average hashrate (TH/s)").fill("200");
  await telemetry.getByRole("button", { name: "Save telemetry" }).click();
  await expect(alertWith(telemetry, `${today} has not ended yet (UTC)`)).toBeVisible();

  // Yesterday at 200 of 234 TH/s: 85.47 % of nominal.
  await telemetry.getByLabel("Day").fill(yesterday);
  await telemetry.getByLabel("Average hashrate (TH/s)").fill("200");
  await telemetry.getByLabel("Uptime (%)").fill("98.5");
  await telemetry.getByRole("button", { name: "Save telemetry" }).click();
  await expect(notice(telemetry, `Saved the average hashrate of 1 rig for ${yesterday}.`)).toBeVisible();
  await page.reload();
  const recent = page.getByRole("region", { name: "Recent telemetry" });
  const saved = recent.getByRole("row").filter({ hasText: yesterday });
  for (const text of ["200 TH/s", "85.47%", "98.5%", "Entered on the site", "Not settled"])
    await expect(saved).toContainText(text);
  await expect(page.getByRole("region", { name: "Telemetry" }).getByText("Below 95%")).toBeVisible();

  // The analytics view lists the rig among the flagged ones with its ratio.
  await page.goto("/operator");
  await page.getByRole("link", { name: "Performance", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Performance" })).toBeVisible();
  const delivery = page.getByRole("region", { name: "Delivery per rig" });
  const row = delivery.getByRole("row").filter({ hasText: SERIAL });
  await expect(row.getByRole("cell", { name: /85\.47%/ })).toBeVisible();
  await expect(row.getByText("Below 95%")).toBeVisible();
  await expect(row.getByRole("cell", { name: "1 of 30" })).toBeVisible();
  await expect(
    page
      .getByRole("region", { name: "Utilisation per facility" })
      .getByRole("row", { name: /Luleå Data Hall SHA-256/ }),
  ).toBeVisible();
  // The Luleå hall's RandomX servers are a row of their own, and utilisation is per algorithm:
  // kH/s of RandomX are never added to TH/s of SHA-256.
  await expect(
    page
      .getByRole("region", { name: "Utilisation per facility" })
      .getByRole("row", { name: /Luleå Data Hall RandomX/ }),
  ).toBeVisible();
  for (const algorithm of ["SHA-256", "RandomX", "kHeavyHash"])
    await expect(page.getByText(`Utilisation now, ${algorithm}`, { exact: true })).toBeVisible();

  // The day sheet: the saved value is there; a bad uptime on another rig refuses the whole
  // submission with the problem at its row.
  await page.getByRole("link", { name: "Enter telemetry" }).first().click();
  await expect(page).toHaveURL(/\/operator\/telemetry$/);
  await expect(page.getByRole("heading", { level: 2, name: `Average hashrate on ${yesterday}` })).toBeVisible();
  await expect(page.getByLabel(`Average hashrate of Antminer S21 Pro ${SERIAL} in TH/s`)).toHaveValue("200");
  await page.getByLabel(`Average hashrate of Antminer S21 Pro ${SERIAL} in TH/s`).fill("210");
  await page.getByLabel(`Uptime of ${OTHER} in percent`).fill("120");
  await page.getByLabel(`Average hashrate of ${OTHER} in TH/s`).fill("20.5");
  await page.getByRole("button", { name: `Save telemetry for ${yesterday}` }).click();
  await expect(alertWith(page, "Nothing was saved")).toBeVisible();
  await expect(page.getByText("The uptime cannot be more than 100 %.").first()).toBeVisible();
  await expect(page.getByLabel(`Uptime of ${OTHER} in percent`)).toHaveAttribute("aria-invalid", "true");
  await page.reload();
  await expect(page.getByLabel(`Average hashrate of Antminer S21 Pro ${SERIAL} in TH/s`)).toHaveValue("200");

  // One rig changed on a sheet of prefilled rows: only that row is sent and saved, and the
  // answer takes focus (it renders above the long table, out of sight of the Save button).
  await page.getByLabel(`Average hashrate of Antminer S21 Pro ${SERIAL} in TH/s`).fill("205");
  await page.getByRole("button", { name: `Save telemetry for ${yesterday}` }).click();
  await expect(notice(page, `Saved the average hashrate of 1 rig for ${yesterday}.`)).toBeVisible();
  await expect(page.locator(":focus")).toContainText("Saved the average hashrate of 1 rig");
  await page.getByRole("button", { name: `Save telemetry for ${yesterday}` }).click();
  await expect(alertWith(page, "enter or change the average hashrate of at least one rig")).toBeVisible();
});
