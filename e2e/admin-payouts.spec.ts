// The admin's network data and payout runs in the browser, on the seeded demo data: enter a
// snapshot (a refused value first), correct it and see it; import a CSV file (good, then bad
// with per-row errors); re-run yesterday and see the run with its reconciliation; drill down
// to one of the demo customer's payouts (the seed settles its contracts up to yesterday) and
// see it recomputed. The spec changes no customer's contracts: other specs rely on the seed's.
import { expect, test } from "@playwright/test";
import { DAY_MS } from "../lib/shared/days";
import { alertWith, DEMO, notice, signIn } from "./helpers";

const utcDay = (back: number) =>
  new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - back * DAY_MS).toISOString().slice(0, 10);
// Far before the demo's 90 days and apart per run (the spec can run twice on one database).
const offset = 200 + (Math.floor(Date.now() / 1000) % 500);
const manualDay = utcDay(offset);
const csvDays = [utcDay(offset + 1), utcDay(offset + 2)];
const yesterday = utcDay(1);

test("an admin enters and imports network data, re-runs yesterday and audits a payout", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, DEMO.admin, "/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Network data" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Network data" })).toBeVisible();
  await expect(page.getByRole("link", { name: "BTC", exact: false }).first()).toHaveAttribute("aria-current", "page");

  // Enter a BTC day: a price with too many decimals is refused at its field, then saved.
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Save snapshot" }) });
  await form.getByLabel("Day (UTC)").fill(manualDay);
  await form.getByLabel("Difficulty").fill("152,271,405,447,908");
  await form.getByLabel("Target block time (seconds)").fill("600");
  await form.getByLabel("Block subsidy (BTC)").fill("3.125");
  await form.getByLabel("Average fees per block (BTC)").fill("0.025");
  await form.getByLabel("Price (USD per BTC)").fill("97,250.1234567");
  await form.getByLabel("Source").fill("e2e manual entry");
  await page.getByRole("button", { name: "Save snapshot" }).click();
  await expect(alertWith(page, "at most 6 decimals")).toBeVisible();
  await expect(form.getByLabel("Price (USD per BTC)")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Price (USD per BTC)").fill("97,250.12");
  await page.getByRole("button", { name: "Save snapshot" }).click();
  await expect(notice(page, `Snapshot for BTC on ${manualDay} saved.`)).toBeVisible();

  // Open it again: the stored figures come back exactly; correct the price.
  await page.goto(`/admin/network?coin=BTC&day=${manualDay}`);
  await expect(page.getByRole("heading", { level: 2, name: `Correct BTC on ${manualDay}` })).toBeVisible();
  const again = page.locator("form").filter({ has: page.getByRole("button", { name: "Save snapshot" }) });
  await expect(again.getByLabel("Price (USD per BTC)")).toHaveValue("97250.12");
  await expect(again.getByLabel("Difficulty")).toHaveValue("152271405447908");
  await again.getByLabel("Price (USD per BTC)").fill("97,300.5");
  await page.getByRole("button", { name: "Save snapshot" }).click();
  await expect(notice(page, `Snapshot for BTC on ${manualDay} corrected.`)).toBeVisible();

  // A good CSV file, then a bad one: nothing imported, each problem with its line.
  await expect(page.getByRole("link", { name: "Download a sample file" })).toHaveAttribute(
    "href",
    "/admin/network/sample.csv",
  );
  const header =
    "coin,day,difficulty,network_hashrate,hashrate_unit,block_time_s,block_subsidy,avg_fees_per_block,price_usd,source";
  await page.getByLabel("Snapshot CSV file").setInputFiles({
    name: "snapshots.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      `${header}\nKAS,${csvDays[0]},,900.5,PH/s,0.1,35.94,0.002,0.0912,kas.fyi\nBTC,${csvDays[1]},152271405447908,,,600,3.125,0.031,"97,980.50",mempool.space\n`,
    ),
  });
  await page.getByRole("button", { name: "Upload and import" }).click();
  await expect(notice(page, "Imported snapshots.csv: 2 new, 0 corrected, 0 unchanged.")).toBeVisible();

  await page.getByLabel("Snapshot CSV file").setInputFiles({
    name: "bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      `${header}\nKAS,${csvDays[0]},,901,PH/s,0.1,35.94,0.002,0.0913,ok\nBTC,${csvDays[1]},,5,EH/s,600,3.125,0.031,abc,bad\n`,
    ),
  });
  await page.getByRole("button", { name: "Upload and import" }).click();
  await expect(alertWith(page, "Nothing was imported: 3 problems in 1 row.")).toBeVisible();
  const problems = page.getByRole("region", { name: "Problems per row" });
  await expect(problems.getByRole("row").filter({ hasText: "price_usd" })).toContainText("3");
  await expect(problems.getByRole("row").filter({ hasText: "network_hashrate" })).toContainText(
    "BTC is difficulty-based",
  );

  await page.goto(`/admin/network?coin=KAS&day=${csvDays[0]}`);
  await expect(page.locator("#snapshot-price")).toHaveValue("0.0912"); // the bad file changed nothing

  // Payout runs: a day in the future is refused; yesterday is (re-)run and reconciled.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Payout runs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Payout runs" })).toBeVisible();
  await page.getByLabel("Day (UTC)").fill("2999-01-01");
  await page.getByRole("button", { name: "Re-run day" }).click();
  await expect(alertWith(page, "2999-01-01 is in the future")).toBeVisible();
  await page.getByLabel("Day (UTC)").fill(yesterday);
  await page.getByRole("button", { name: "Re-run day" }).click();
  const outcome = notice(page, yesterday);
  await expect(outcome).toBeVisible();
  // The scheduler (lib/jobs/worker.ts) may have settled the new contract-day first; either way it is paid once.
  await expect(outcome).toContainText(/settled: \d+ new payouts?|already settled/);

  // Re-running it again pays nothing twice.
  await page.getByRole("button", { name: "Re-run day" }).click();
  await expect(notice(page, /already settled: this run paid nothing twice|settled: 0 new payouts/)).toBeVisible();

  await page.reload();
  const run = page.getByRole("article", { name: new RegExp(`^Run of ${yesterday}`) }).first();
  await expect(run).toBeVisible();
  // The first run of yesterday is the one that paid; find it among the runs of that day.
  const paying = page
    .getByRole("article", { name: new RegExp(`^Run of ${yesterday}`) })
    .filter({ has: page.getByRole("region", { name: /Reconciliation/ }) })
    .first();
  // Both checks hold: mined = net + fees + rounding, and every maintenance fee reached an operator.
  const btcTotals = paying.getByRole("row").filter({ hasText: "BTC" });
  await expect(btcTotals.getByText("✓ OK")).toHaveCount(2);
  await expect(btcTotals.getByTestId("run-operator-maintenance")).toContainText(/0\.0*[1-9]/);
  // Some recent run had curtailed days (the demo's Reykjanes KS5 Pro), and says what they would have mined.
  await expect(page.getByTestId("run-curtailed-gross").filter({ hasText: /[1-9]/ }).first()).toBeVisible();
  await paying.getByRole("link", { name: `Run of ${yesterday}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Payout run of ${yesterday}` })).toBeVisible();
  const payouts = page.getByRole("region", { name: "Payouts of this run" });
  // The demo customer's contracts were paid for yesterday by the seed (lib/demo/history.ts).
  const row = payouts.getByRole("row").filter({ hasText: "customer@hashlease.test" }).first();
  await expect(row).toBeVisible();
  await row.getByRole("link", { name: /^#\d+$/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Payout #\d+$/ })).toBeVisible();
  await expect(notice(page, "every figure matches")).toBeVisible();
  await expect(page.getByRole("region", { name: "Stored and recomputed figures" }).getByText("✗ differs")).toHaveCount(
    0,
  );
});

test("the admin pages are for admins only", async ({ page }) => {
  await page.goto("/admin/payouts");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fpayouts/);
  await signIn(page, DEMO.customer, "/dashboard");
  for (const path of ["/admin/network", "/admin/payouts"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
  const sample = await page.request.get("/admin/network/sample.csv");
  expect(sample.status()).toBe(403);
});
