// Accessibility: axe-core (WCAG 2.0/2.1 A and AA rules) on every main page of each area, with
// no serious or critical violation allowed; every violation, minor ones included, is printed
// and attached to the report. Then a purchase made with the keyboard alone.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import { DEMO, signIn, submitSignIn } from "./helpers";
import { latestMailTo, linkIn } from "./mail";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
// axe's best-practice rules (landmarks, heading order, unique labels…) run too: their serious and
// critical findings fail like the WCAG ones, the rest is reported.
const REPORTED_TAGS = [...WCAG_TAGS, "best-practice"];
const BLOCKING = new Set(["serious", "critical"]);

/** The first link in the page's main content whose path matches, as a path. */
async function firstLink(page: Page, path: RegExp): Promise<string> {
  const hrefs = await page
    .locator("main a[href]")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => path.test(h.split(/[?#]/)[0]!));
  expect(href, `a link matching ${path} on ${page.url()}`).toBeDefined();
  return href!;
}

interface PageReport {
  path: string;
  violations: { id: string; impact: string; help: string; wcag: boolean; nodes: string[] }[];
}

/** Runs axe on the current page; soft-fails on serious/critical violations so every page is checked. */
async function audit(page: Page, reports: PageReport[], state?: string) {
  await expect(page.locator("h1").first()).toBeVisible();
  const result = await new AxeBuilder({ page }).withTags(REPORTED_TAGS).analyze();
  const url = new URL(page.url());
  const report: PageReport = {
    path: `${url.pathname}${url.search}${state ? ` (${state})` : ""}`,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "unknown",
      help: v.help,
      wcag: v.tags.some((tag) => WCAG_TAGS.includes(tag)),
      nodes: v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary?.replace(/\s+/g, " ").trim() ?? ""}`),
    })),
  };
  reports.push(report);
  const blocking = report.violations.filter((v) => BLOCKING.has(v.impact));
  expect.soft(blocking, `${report.path}:\n${format([{ ...report, violations: blocking }])}`).toEqual([]);
}

async function visit(page: Page, path: string, reports: PageReport[], status = 200) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(status);
  await audit(page, reports);
}

function format(reports: PageReport[]): string {
  return reports
    .map((r) => {
      if (r.violations.length === 0) return `${r.path}: no violations`;
      const lines = r.violations.flatMap((v) => [
        `  [${v.impact}${v.wcag ? "" : ", best practice"}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? "" : "s"})`,
        ...v.nodes.slice(0, 5).map((n) => `      ${n.slice(0, 300)}`),
        ...(v.nodes.length > 5 ? [`      … and ${v.nodes.length - 5} more`] : []),
      ]);
      return [`${r.path}:`, ...lines].join("\n");
    })
    .join("\n");
}

async function publish(testInfo: TestInfo, reports: PageReport[]) {
  const text = format(reports);
  const counts = reports
    .flatMap((r) => r.violations)
    .reduce<Record<string, number>>((acc, v) => {
      const key = v.wcag ? v.impact : `${v.impact} (best practice)`;
      return { ...acc, [key]: (acc[key] ?? 0) + 1 };
    }, {});
  const summary = `${reports.length} page states; rules violated, by impact: ${JSON.stringify(counts)}`;
  console.log(`${testInfo.title}\n${summary}\n${text}`);
  await testInfo.attach("axe-violations.txt", { body: `${summary}\n${text}`, contentType: "text/plain" });
}

test.describe("axe: no serious or critical WCAG 2.1 AA violations", () => {
  // Up to a dozen pages each, on a shared slow machine.
  test.describe.configure({ timeout: 180_000 });

  test("public pages", async ({ page }, testInfo) => {
    const reports: PageReport[] = [];
    for (const path of ["/", "/marketplace", "/login", "/register", "/docs/api"]) await visit(page, path, reports);
    await page.goto("/marketplace");
    await visit(page, await firstLink(page, /^\/marketplace\/[0-9a-f-]{36}$/), reports);
    await visit(page, "/marketplace/00000000-0000-0000-0000-000000000000", reports, 404);

    // Forms showing their errors.
    await page.goto("/login");
    await submitSignIn(page, { email: DEMO.customer.email, password: "not the password" });
    await expect(page.getByRole("alert").first()).toBeVisible();
    await audit(page, reports, "wrong password");
    await page.goto("/register");
    await page.getByRole("button", { name: /create account/i }).click();
    await expect(page.getByText("Check these").first()).toBeVisible();
    await audit(page, reports, "every field missing");
    await publish(testInfo, reports);
  });

  test("phone width, menu open", async ({ page }, testInfo) => {
    const reports: PageReport[] = [];
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, DEMO.customer);
    for (const path of ["/", "/marketplace", "/dashboard"]) {
      await visit(page, path, reports);
      const menu = page.getByRole("button", { name: "Menu" });
      await menu.focus();
      await page.keyboard.press("Enter");
      await expect(menu).toHaveAttribute("aria-expanded", "true");
      await audit(page, reports, "menu open");
      await page.keyboard.press("Escape");
      await expect(menu).toBeFocused();
    }
    await publish(testInfo, reports);
  });

  test("customer pages", async ({ page }, testInfo) => {
    const reports: PageReport[] = [];
    await signIn(page, DEMO.customer);
    for (const path of [
      "/dashboard",
      "/wallet",
      "/wallet/addresses",
      "/tax",
      "/settings/security",
      "/settings/api-keys",
      "/settings/notifications",
      "/notifications",
    ]) {
      await visit(page, path, reports);
    }
    await page.goto("/tax");
    await visit(page, await firstLink(page, /^\/tax\/\d{4}\/summary$/), reports);
    await page.goto("/dashboard");
    await visit(page, await firstLink(page, /^\/dashboard\/payouts\/\d+$/), reports);
    // The breakdown opened, as a reader checking the formula sees it.
    await page.getByTestId("how-computed").getByText("How was this computed?").click();
    await expect(page.getByTestId("step-1")).toBeVisible();
    await audit(page, reports);
    // A listing page as a signed-in buyer (balance payment options).
    await page.goto("/marketplace");
    await visit(page, await firstLink(page, /^\/marketplace\/[0-9a-f-]{36}$/), reports);
    await visit(page, "/admin", reports, 403);
    await publish(testInfo, reports);
  });

  test("operator pages", async ({ page }, testInfo) => {
    const reports: PageReport[] = [];
    await signIn(page, DEMO.operator);
    const fixed = [
      "/operator",
      "/operator/performance",
      "/operator/telemetry",
      "/operator/listings/new",
      "/operator/rigs/new",
      "/operator/rigs/import",
      "/operator/facilities/new",
    ];
    for (const path of fixed) await visit(page, path, reports);
    await page.goto("/operator");
    const detail = [
      await firstLink(page, /^\/operator\/listings\/[0-9a-f-]{36}$/),
      await firstLink(page, /^\/operator\/rigs\/[0-9a-f-]{36}$/),
      await firstLink(page, /^\/operator\/facilities\/[0-9a-f-]{36}$/),
    ];
    for (const path of detail) await visit(page, path, reports);
    await publish(testInfo, reports);
  });

  test("admin pages", async ({ page }, testInfo) => {
    const reports: PageReport[] = [];
    await signIn(page, DEMO.admin);
    const sections = [
      "/admin",
      "/admin/network",
      "/admin/payouts",
      "/admin/withdrawals",
      "/admin/contracts",
      "/admin/users",
      "/admin/ledger",
      "/admin/queues",
      "/admin/audit",
    ];
    for (const path of sections) await visit(page, path, reports);
    const details: [string, RegExp][] = [
      ["/admin/payouts", /^\/admin\/payouts\/runs\/[^/]+$/],
      ["/admin/contracts", /^\/admin\/contracts\/[0-9a-f-]{36}$/],
      ["/admin/users", /^\/admin\/users\/[^/]+$/],
      ["/admin/ledger", /^\/admin\/ledger\/accounts\/[^/]+$/],
    ];
    for (const [list, path] of details) {
      await page.goto(list);
      await visit(page, await firstLink(page, path), reports);
    }
    // A payout, reached from its run.
    await page.goto("/admin/payouts");
    await page.goto(await firstLink(page, /^\/admin\/payouts\/runs\/[^/]+$/));
    await visit(page, await firstLink(page, /^\/admin\/payouts\/payouts\/[^/]+$/), reports);
    await publish(testInfo, reports);
  });
});

// ---------------------------------------------------------------------------------------------
// Keyboard only: from here on no mouse, no locator.click/fill — Tab, Shift+Tab, Enter, Space
// and typing. page.goto opens the first page only.

/** Whether the element is the focused one. */
async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement).catch(() => false);
}

/** Presses Tab (or Shift+Tab) until the target has focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { max = 80, backwards = false } = {}) {
  await target.first().waitFor();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    if (await isFocused(target.first())) return;
  }
  throw new Error(`${max} ${backwards ? "Shift+Tab" : "Tab"} presses did not reach ${target}`);
}

/** The focused control shows a visible focus indicator (an outline or a ring). */
async function expectVisibleFocus(page: Page) {
  const style = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    return { tag: el.tagName, outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow };
  });
  expect(style, "something has focus").not.toBeNull();
  const outline = style!.outlineStyle !== "none" && parseFloat(style!.outlineWidth) >= 1;
  const ring = style!.boxShadow !== "none";
  expect(outline || ring, `focus indicator on ${JSON.stringify(style)}`).toBe(true);
}

async function typeInto(page: Page, text: string) {
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(text);
}

test("a new customer registers, signs in and buys a contract with the keyboard alone", async ({ page }) => {
  test.setTimeout(120_000);
  const email = `keyboard-${Date.now()}@example.com`;
  const password = "only the keyboard today 7";
  await page.goto("/");

  // The first Tab reaches the skip link, visible when focused; Enter moves focus to the content.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);

  // Register.
  const register = page.getByRole("banner").getByRole("link", { name: "Register" });
  await tabTo(page, register, { backwards: true });
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/register$/);
  await tabTo(page, page.getByLabel("Full name"));
  await page.keyboard.type("Kim Keyboard");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(password);
  const renter = page.getByRole("radio", { name: /Rent hashrate/ });
  await tabTo(page, page.getByRole("radio"), { max: 3 });
  if (!(await isFocused(renter))) await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Space");
  await expect(renter).toBeChecked();
  await expectVisibleFocus(page);
  // The terms: Tab reaches the checkbox, Space ticks it; its links come next, then the button.
  const terms = page.getByLabel("I accept the terms of service");
  await tabTo(page, terms, { max: 3 });
  await expectVisibleFocus(page);
  await page.keyboard.press("Space");
  await expect(terms).toBeChecked();
  await tabTo(page, page.getByRole("button", { name: "Create account" }), { max: 5 });
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");

  // The emailed verification link: its page's one button, by keyboard.
  await expect(page).toHaveURL(/\/login\?registered=1$/);
  await page.goto(linkIn(await latestMailTo(email, "Verify your email"), "/account/verify"));
  await tabTo(page, page.getByRole("button", { name: "Verify my email" }));
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Your email address is verified" })).toBeVisible();

  // Sign in: the email, then the password, and Enter submits.
  await page.goto("/login");
  await tabTo(page, page.getByLabel("Email"));
  await page.keyboard.type(email);
  await tabTo(page, page.getByLabel("Password"));
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/dashboard/);

  // Marketplace, then a BTC listing.
  await tabTo(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Marketplace" }));
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/marketplace/);
  const listingLink = page.locator("main").getByRole("link", { name: /Antminer S21 XP fleet/ });
  await tabTo(page, listingLink, { max: 120 });
  await expectVisibleFocus(page);
  const title = (await listingLink.first().innerText()).trim();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/marketplace\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  // Hashrate and days.
  const hashrate = page.locator("#purchase-hashrate");
  await tabTo(page, hashrate, { max: 150 });
  await expectVisibleFocus(page);
  // The calculator's hashrate is filled in; cleared, Enter: the error summary links back to the field.
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Enter");
  const summary = page.getByRole("alert").filter({ has: page.getByRole("link") });
  await expect(summary).toBeVisible();
  await expect(hashrate).toHaveAttribute("aria-invalid", "true");
  const reports: PageReport[] = [];
  await audit(page, reports, "purchase error");
  await tabTo(page, summary.getByRole("link").first(), { backwards: true, max: 10 });
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(hashrate).toBeFocused();
  await page.keyboard.type("1");
  await page.keyboard.press("Tab");
  const days = page.locator("#purchase-days");
  await expect(days).toBeFocused();
  const [minDays, maxDays] = (await page.locator("#purchase-days-hint").innerText()).match(/\d+/g)!.map(Number);
  const term = Math.min(maxDays!, Math.max(minDays!, 30));
  await typeInto(page, String(term));
  await expect(days).toHaveValue(String(term));
  await expectVisibleFocus(page);

  // Pay by card: Tab enters the radio group on the checked option.
  await page.keyboard.press("Tab");
  const card = page.getByRole("radio", { name: /^Card/ });
  await expect(card).toBeFocused();
  await expect(card).toBeChecked();
  await expectVisibleFocus(page);
  await expect(page.getByTestId("purchase-total")).not.toHaveText("—");
  const review = page.getByRole("button", { name: "Review purchase" });
  await tabTo(page, review, { max: 5 });
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  // The review takes focus; confirming is the next stop.
  await expect(page.getByRole("group", { name: "Review your purchase" })).toBeFocused();
  await audit(page, reports, "purchase review");
  const pay = page.getByRole("button", { name: "Confirm and continue to payment" });
  await tabTo(page, pay, { max: 8 });
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");

  // The test-mode checkout: checked by axe too, then paid with the keyboard.
  await expect(page).toHaveURL(/\/checkout\/test\/[0-9a-f-]{36}$/);
  await expect(page.getByText("TEST MODE.")).toBeVisible();
  await audit(page, reports);
  const payButton = page.getByRole("button", { name: /^Pay .* \(test mode\)$/ });
  await tabTo(page, payButton);
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");

  // The dashboard shows the new contract.
  await expect(page).toHaveURL(/\/dashboard\?purchased=[0-9a-f-]{36}/);
  const contract = page.getByTestId("contract-card").filter({ hasText: title });
  await expect(contract).toHaveCount(1);
  await expect(contract.getByText("1 TH/s")).toBeVisible();
  await audit(page, reports);

  // The new account's security settings: starting two-factor enrolment shows the QR code.
  await tabTo(page, page.getByRole("banner").getByRole("link", { name: "Security" }), { backwards: true });
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings\/security$/);
  await tabTo(page, page.getByRole("button", { name: "Set up two-factor authentication" }));
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  await audit(page, reports, "two-factor enrolment");
  console.log(format(reports));
});
