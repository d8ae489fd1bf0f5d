import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

const year = new Date().getUTCFullYear();

test("the demo customer switches the year to business, sees the summary change and downloads the lines CSV", async ({
  page,
}) => {
  await signIn(page, DEMO.customer);
  await page.goto(`/tax?year=${year}`);
  await expect(page.getByRole("heading", { name: "Tax ledger", level: 1 })).toBeVisible();
  await expect(page.getByText("estimate, not tax advice")).toBeVisible();

  // Hobby by default: the other income is what was credited; the gross mined is for information.
  const summary = page.getByTestId("tax-summary");
  await expect(summary).toHaveAttribute("data-kind", "HOBBY");
  const otherIncome = await page.getByTestId("summary-other-income").innerText();
  expect(otherIncome).toMatch(/^\$[1-9][\d,]*\.\d{2}/);
  const grossMined = await page.getByTestId("summary-gross-mined").innerText();
  const dollars = (text: string) => Number(text.replace(/[^\d.]/g, ""));
  expect(dollars(otherIncome)).toBeLessThan(dollars(grossMined));
  await expect(page.getByTestId("tax-line").first()).toBeVisible();
  // The demo customer paid by card only: no coins disposed of, said so in the summary and the table's place.
  await expect(page.getByTestId("summary-capital-gains")).toContainText(`No coins disposed of in ${year}`);
  await expect(page.getByRole("heading", { name: `Coins disposed of in ${year}` })).toBeVisible();
  await expect(page.getByText(`No coins disposed of in ${year}.`, { exact: true })).toBeVisible();

  // Business: gross receipts equal the gross mined (fees deducted as expenses); net profit and an SE tax estimate appear.
  await page.getByRole("radio", { name: /Business/ }).check();
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText(`${year} is set to business.`)).toBeVisible();
  await expect(summary).toHaveAttribute("data-kind", "BUSINESS");
  await expect(page.getByTestId("summary-gross-receipts")).toHaveText(grossMined);
  await expect(page.getByTestId("summary-net-profit")).toBeVisible();
  await expect(page.getByTestId("summary-se-tax")).toBeVisible();
  await expect(page.getByRole("heading", { name: new RegExp(`${year} summary — business`) })).toBeVisible();

  // The lines CSV: the universal import header and a mining row.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Lines CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`hashlease-tax-lines-${year}.csv`);
  const text = await readFile((await download.path())!, "utf8");
  const [header, first] = text.split("\r\n");
  expect(header).toBe(
    "Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash",
  );
  expect(first).toMatch(
    /^\d{4}-\d{2}-\d{2}T23:59:59Z,,,\d+(\.\d+)?,(BTC|LTC|KAS),\d+(\.\d+)?,(BTC|LTC|KAS),\d+\.\d{2,6},USD,mining,/,
  );
  expect(first).toMatch(/,hashlease-payout-\d+$/);

  // The printable summary shows the same profile.
  await page.getByRole("link", { name: "Printable summary" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Tax summary ${year} — business`) })).toBeVisible();
  await expect(page.getByTestId("summary-gross-receipts")).toHaveText(grossMined);
});

test("tax downloads need a session", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const response = await anonymous.get(`/tax/${year}/lines.csv`);
  expect(response.status()).toBe(401);
  const bad = await anonymous.get(`/tax/abcd/lots.csv`);
  expect(bad.status()).toBe(401);
  await anonymous.dispose();
});

test("mid-year the summary shows the year to date and, separately and labelled, a full-year projection", async ({
  page,
}) => {
  test.skip(
    new Date().getUTCMonth() === 0 && new Date().getUTCDate() === 1,
    "on 1 January no day of the year has ended",
  );
  await signIn(page, DEMO.customer);
  await page.goto(`/tax?year=${year}`);
  const ytd = page.getByTestId("summary-ytd");
  const projection = page.getByTestId("summary-projection");
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await expect(ytd.getByRole("heading", { name: `Year to date: 1 January – ${yesterday} (UTC)` })).toBeVisible();
  await expect(ytd).toContainText("today and the rest of");
  await expect(ytd.getByTestId("tax-summary")).toBeVisible();
  await expect(
    projection.getByRole("heading", { name: `Projection for the full year ${year} (estimate)` }),
  ).toBeVisible();
  await expect(projection).toContainText("Not a result");
  await expect(projection.getByTestId("projection-tax-summary")).toBeVisible();
  // The contract costs say which days each figure counts.
  const costs = page.getByRole("table", { name: /Contract price amortised over/ });
  await expect(costs.getByRole("columnheader", { name: "Amortised to date" })).toBeVisible();
  await expect(costs.getByRole("columnheader", { name: `Amortised in full year ${year}` })).toBeVisible();
  // The year to date never counts more contract cost than the full year does.
  const money = (text: string) => Number(text.replace(/[^0-9.-]/g, ""));
  const row = costs.getByRole("row").nth(1);
  const cells = await row.getByRole("cell").allInnerTexts();
  expect(money(cells.at(-3)!)).toBeLessThanOrEqual(money(cells.at(-1)!));
});
