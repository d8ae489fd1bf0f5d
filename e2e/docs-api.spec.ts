// /docs/api as an API user reads it (issue 24): a table of contents by tag, tables whose header
// cells are separate columns, no raw Markdown backticks outside code blocks, request and response
// examples on every operation, nothing wider than a 1280 px window, and no CSP violation.
import { expect, test } from "@playwright/test";

test.use({ viewport: { width: 1280, height: 900 } });

test("the API reference has a table of contents, real tables, examples and fits 1280 px", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { level: 1, name: "Hashlease API" })).toBeVisible();

  // Table of contents by tag, each operation linked.
  const toc = page.getByRole("navigation", { name: "API reference contents" });
  await expect(toc).toBeVisible();
  for (const tag of ["read", "trade", "withdraw", "telemetry", "operate", "admin", "public"])
    await expect(toc.getByRole("link", { name: tag, exact: true })).toHaveAttribute("href", `#tag-${tag}`);
  await expect(toc.getByRole("link", { name: /Signing a request/ })).toBeVisible();
  const operations = page.locator("article[data-operation]");
  const count = await operations.count();
  expect(count).toBeGreaterThanOrEqual(18);
  await expect(toc.locator('a[href^="#"]')).toHaveCount(count + 3 + 7); // + signing, errors, schemas, 7 tags
  await toc.getByRole("link", { name: /Your payouts/ }).click();
  await expect(page).toHaveURL(/#listPayouts$/);
  await expect(page.locator("#listPayouts")).toBeInViewport();

  // Parameter tables: separate header cells with room between them, no run-together text.
  const params = page.getByRole("table", { name: "Parameters of GET /api/v1/payouts" });
  await expect(params.getByRole("columnheader")).toHaveText(["Name", "In", "Type", "Required", "Description"]);
  const boxes = await params.getByRole("columnheader").evaluateAll((cells) =>
    cells.map((c) => {
      const r = c.getBoundingClientRect();
      return { left: r.left, right: r.right, padding: parseFloat(getComputedStyle(c).paddingLeft) };
    }),
  );
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left).toBeGreaterThanOrEqual(boxes[i - 1]!.right - 1);
  expect(boxes.every((b) => b.padding >= 8)).toBe(true);
  await expect(params.getByRole("row", { name: /from/ }).getByRole("cell").nth(0)).toHaveText("query");
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/ParameterIn|RequiredSchema|pathyes|queryno/);
  // Every table has a header row of separate cells.
  const tables = await page
    .locator("main table")
    .evaluateAll((ts) => ts.map((t) => t.querySelectorAll("thead th").length || t.querySelectorAll("tbody th").length));
  expect(tables.length).toBeGreaterThan(40);
  expect(tables.every((n) => n >= 1)).toBe(true);

  // Markdown rendered: no backtick outside code blocks, code spans as <code>.
  const prose = await page.locator("main").evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("pre").forEach((pre) => pre.remove());
    return copy.textContent ?? "";
  });
  expect(prose).not.toContain("`");
  await expect(page.locator("#signing p code", { hasText: "Authorization: HMAC apiKey=" })).toBeVisible();
  // No raw JSON Schema: schemas are field lists.
  expect(prose).not.toContain('"$ref"');
  await expect(page.getByRole("table", { name: "Fields of Payout", exact: true })).toBeVisible();

  // Examples: every operation has a success response example; those with a body a request example.
  for (let i = 0; i < count; i++) {
    const op = operations.nth(i);
    await expect(op.getByRole("region", { name: /^Example response 20[01] of / })).toHaveCount(1);
  }
  await expect(page.getByRole("region", { name: /^Example request of / })).toHaveCount(7);
  await expect(page.getByRole("region", { name: "Signing example in Node.js" })).toContainText("createHmac");
  await expect(page.getByRole("region", { name: "Signing example with curl" })).toContainText("openssl dgst");

  // Fits 1280 px: nothing wider than the window; long code scrolls inside its block.
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    window: document.documentElement.clientWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.window);
  const overflowing = await page
    .locator("main article, main section")
    .evaluateAll(
      (els) => els.filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth).length,
    );
  expect(overflowing).toBe(0);
  // Shorter than the old 31,000 px page is not the point; that every part is reachable from the contents is.
  expect(violations).toEqual([]);
});
