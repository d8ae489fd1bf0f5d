// Every page fits the window: at 1280x800 and at 390x844, for a visitor and for each demo role,
// no page scrolls sideways (document.documentElement.scrollWidth <= innerWidth). Wide content
// (tables, hashes) must scroll or wrap inside its own box. The routes are the page.tsx files
// under app/: the first test fails when a page is added without an entry here, so none is
// forgotten. Dynamic segments take real ids from the demo data. One page per role is reused
// for every route and both sizes (the window is resized in place) to keep the spec fast.
import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createPrismaClient } from "../lib/db/client";
import { DEMO, signIn, type Credentials } from "./helpers";
import { e2eDatabaseUrl } from "./paths";

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

type Who = "anyone" | "visitor" | "user" | "CUSTOMER" | "OPERATOR" | "ADMIN";
/** The ids a role's dynamic routes take (its own objects: no route shows another user's). */
type Ids = Record<string, string | undefined>;

/**
 * Every page route, who can open it, and the path to visit. "anyone": public pages, visited by
 * each role (the header and footer differ); "visitor": the sign-in and link pages, visited signed out.
 */
const ROUTES: Record<string, { who: Who; path: (ids: Ids) => string | undefined }> = {
  "/": { who: "anyone", path: () => "/" },
  "/marketplace": { who: "anyone", path: () => "/marketplace" },
  "/marketplace/[id]": { who: "anyone", path: (ids) => ids.listing && `/marketplace/${ids.listing}` },
  "/docs/api": { who: "anyone", path: () => "/docs/api" },
  "/help": { who: "anyone", path: () => "/help" },
  "/privacy": { who: "anyone", path: () => "/privacy" },
  "/risk": { who: "anyone", path: () => "/risk" },
  "/support": { who: "anyone", path: () => "/support" },
  "/terms": { who: "anyone", path: () => "/terms" },
  "/login": { who: "visitor", path: () => "/login" },
  "/register": { who: "visitor", path: () => "/register" },
  "/forgot-password": { who: "visitor", path: () => "/forgot-password" },
  // Link pages without (or with a void) token: what a stale or mistyped link shows.
  "/reset-password": { who: "visitor", path: () => "/reset-password?token=void" },
  "/account/verify": { who: "visitor", path: () => "/account/verify" },
  "/account/confirm-email": { who: "visitor", path: () => "/account/confirm-email" },
  "/account/freeze": { who: "visitor", path: () => "/account/freeze?token=void" },
  "/wallet/withdrawals/confirm": { who: "visitor", path: () => "/wallet/withdrawals/confirm?token=void" },
  "/notifications": { who: "user", path: () => "/notifications" },
  "/settings/api-keys": { who: "user", path: () => "/settings/api-keys" },
  "/settings/notifications": { who: "user", path: () => "/settings/notifications" },
  "/settings/security": { who: "user", path: () => "/settings/security" },
  "/settings/sessions": { who: "user", path: () => "/settings/sessions" },
  "/tax": { who: "user", path: () => "/tax" },
  "/tax/[year]/summary": { who: "user", path: (ids) => `/tax/${ids.taxYear}/summary` },
  "/dashboard": { who: "CUSTOMER", path: () => "/dashboard" },
  "/dashboard/contracts/[contractId]": {
    who: "CUSTOMER",
    path: (ids) => ids.contract && `/dashboard/contracts/${ids.contract}`,
  },
  "/dashboard/payouts/[payoutId]": { who: "CUSTOMER", path: (ids) => ids.payout && `/dashboard/payouts/${ids.payout}` },
  // The demo contracts were bought by card: the test checkout shows a paid one.
  "/checkout/test/[contractId]": { who: "CUSTOMER", path: (ids) => ids.contract && `/checkout/test/${ids.contract}` },
  "/wallet": { who: "CUSTOMER", path: () => "/wallet" },
  "/wallet/addresses": { who: "CUSTOMER", path: () => "/wallet/addresses" },
  "/operator": { who: "OPERATOR", path: () => "/operator" },
  "/operator/performance": { who: "OPERATOR", path: () => "/operator/performance" },
  "/operator/payable": { who: "OPERATOR", path: () => "/operator/payable" },
  "/operator/telemetry": { who: "OPERATOR", path: () => "/operator/telemetry" },
  "/operator/facilities/new": { who: "OPERATOR", path: () => "/operator/facilities/new" },
  "/operator/facilities/[facilityId]": {
    who: "OPERATOR",
    path: (ids) => ids.facility && `/operator/facilities/${ids.facility}`,
  },
  "/operator/listings/new": { who: "OPERATOR", path: () => "/operator/listings/new" },
  "/operator/listings/[listingId]": {
    who: "OPERATOR",
    path: (ids) => ids.ownListing && `/operator/listings/${ids.ownListing}`,
  },
  "/operator/rigs/new": { who: "OPERATOR", path: () => "/operator/rigs/new" },
  "/operator/rigs/import": { who: "OPERATOR", path: () => "/operator/rigs/import" },
  "/operator/rigs/[rigId]": { who: "OPERATOR", path: (ids) => ids.rig && `/operator/rigs/${ids.rig}` },
  "/admin": { who: "ADMIN", path: () => "/admin" },
  "/admin/audit": { who: "ADMIN", path: () => "/admin/audit" },
  "/admin/contracts": { who: "ADMIN", path: () => "/admin/contracts" },
  "/admin/contracts/[contractId]": {
    who: "ADMIN",
    path: (ids) => ids.anyContract && `/admin/contracts/${ids.anyContract}`,
  },
  "/admin/ledger": { who: "ADMIN", path: () => "/admin/ledger" },
  "/admin/ledger/accounts/[accountId]": {
    who: "ADMIN",
    path: (ids) => ids.account && `/admin/ledger/accounts/${ids.account}`,
  },
  "/admin/network": { who: "ADMIN", path: () => "/admin/network" },
  "/admin/payouts": { who: "ADMIN", path: () => "/admin/payouts" },
  "/admin/payouts/runs/[runId]": { who: "ADMIN", path: (ids) => ids.run && `/admin/payouts/runs/${ids.run}` },
  "/admin/payouts/payouts/[payoutId]": {
    who: "ADMIN",
    path: (ids) => ids.anyPayout && `/admin/payouts/payouts/${ids.anyPayout}`,
  },
  "/admin/queues": { who: "ADMIN", path: () => "/admin/queues" },
  "/admin/stratum": { who: "ADMIN", path: () => "/admin/stratum" },
  "/admin/users": { who: "ADMIN", path: () => "/admin/users" },
  "/admin/users/[userId]": { who: "ADMIN", path: (ids) => ids.customerUser && `/admin/users/${ids.customerUser}` },
  "/admin/withdrawals": { who: "ADMIN", path: () => "/admin/withdrawals" },
};

/** The page routes of app/: every folder with a page.tsx, route groups "(x)" and private "_x" folders as Next treats them. */
function appRoutes(dir = path.resolve("app"), route = ""): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name === "page.tsx") ? [route || "/"] : [];
  return [
    ...here,
    ...entries
      .filter((e) => e.isDirectory() && !e.name.startsWith("_"))
      .flatMap((e) => appRoutes(path.join(dir, e.name), /^\(.*\)$/.test(e.name) ? route : `${route}/${e.name}`)),
  ];
}

/** The demo data's ids, read once: the signed-in user's own objects and, for the admin, anyone's. */
async function demoIds(email: string): Promise<Ids> {
  const prisma = createPrismaClient(e2eDatabaseUrl());
  try {
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const customer = await prisma.user.findUniqueOrThrow({
      where: { email: DEMO.customer.email },
      select: { id: true },
    });
    const [listing, contract, payout, facility, ownListing, rig, anyContract, anyPayout, run, account, taxYear] =
      await Promise.all([
        prisma.listing.findFirst({ where: { status: "PUBLISHED" }, orderBy: { createdAt: "asc" } }),
        prisma.contract.findFirst({ where: { customerId: user.id, chargedCents: { not: null } } }),
        prisma.dailyPayout.findFirst({ where: { contract: { customerId: user.id } }, orderBy: { day: "desc" } }),
        prisma.facility.findFirst({ where: { operatorId: user.id } }),
        prisma.listing.findFirst({ where: { operatorId: user.id } }),
        prisma.rig.findFirst({ where: { facility: { operatorId: user.id } } }),
        prisma.contract.findFirst({ where: { customerId: customer.id } }),
        prisma.dailyPayout.findFirst({ where: { contract: { customerId: customer.id } }, orderBy: { day: "desc" } }),
        prisma.payoutRun.findFirst({ orderBy: { day: "desc" } }),
        prisma.ledgerAccount.findFirst({ where: { userId: customer.id, asset: "BTC" } }),
        prisma.dailyPayout.findFirst({ where: { contract: { customerId: user.id } }, orderBy: { day: "asc" } }),
      ]);
    return {
      listing: listing?.id,
      contract: contract?.id,
      payout: payout ? String(payout.id) : undefined,
      facility: facility?.id,
      ownListing: ownListing?.id,
      rig: rig?.id,
      anyContract: anyContract?.id,
      anyPayout: anyPayout ? String(anyPayout.id) : undefined,
      run: run?.id,
      account: account?.id,
      customerUser: customer.id,
      taxYear: String((taxYear?.day ?? new Date()).getUTCFullYear()),
    };
  } finally {
    await prisma.$disconnect();
  }
}

/** What sticks out past the right edge: the outermost elements that do, outside any box that clips or scrolls them. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = window.innerWidth;
    const clips = (el: Element) => getComputedStyle(el).overflowX !== "visible";
    const found: string[] = [];
    for (const el of document.body.querySelectorAll("*")) {
      if (el.getBoundingClientRect().right <= limit + 0.5) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > limit + 0.5) continue;
      // A box that scrolls or clips its overflow hides the element only if the element is in flow or
      // the box (or a box inside it) is its containing block: an absolute element escapes it otherwise.
      let clipped = false;
      let contained = !["absolute", "fixed"].includes(getComputedStyle(el).position);
      for (let up = el.parentElement; up && up !== document.body && !clipped; up = up.parentElement) {
        contained ||= getComputedStyle(el).position === "absolute" && getComputedStyle(up).position !== "static";
        clipped = contained && clips(up);
      }
      if (clipped) continue;
      const cls = typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
      const text = (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 60);
      found.push(`<${el.tagName.toLowerCase()}${cls}> ${Math.round(el.getBoundingClientRect().right)}px "${text}"`);
    }
    return found.slice(0, 5);
  });
}

/** Two frames: what resizing re-renders (observers, media queries) has landed before measuring. */
async function settled(page: Page) {
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

/** With LAYOUT_SHOTS=<label> (e.g. before, after), the customer's dashboard is saved at each size into test-results/fit/. */
const SHOTS = process.env.LAYOUT_SHOTS;
const SHOT_PATHS = new Set(["/dashboard"]);

/** Visits each path at both sizes (resizing in place) and soft-asserts that it fits; returns the count of checks. */
async function checkFits(page: Page, paths: string[], shots = false): Promise<number> {
  let checks = 0;
  for (const target of paths) {
    const response = await page.goto(target);
    expect.soft(response?.status(), `${target} opens`).toBeLessThan(400);
    // Alternate the order of sizes so each page costs one resize.
    const sizes = checks % 4 === 0 ? SIZES : [...SIZES].reverse();
    for (const size of sizes) {
      await page.setViewportSize(size);
      await settled(page);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      const culprits = scrollWidth > innerWidth ? await overflowing(page) : [];
      expect
        .soft(
          scrollWidth,
          `${target} at ${size.width}x${size.height} is ${scrollWidth}px wide:\n${culprits.join("\n")}`,
        )
        .toBeLessThanOrEqual(innerWidth);
      checks += 1;
      if (shots && SHOTS && SHOT_PATHS.has(target)) {
        const file = `test-results/fit/${target.slice(1).replace(/\//g, "-")}-${size.width}-${SHOTS}.png`;
        await page.screenshot({ path: file, fullPage: true });
      }
    }
  }
  return checks;
}

function footer(page: Page) {
  return page.getByRole("contentinfo").getByRole("navigation", { name: "Footer" });
}

function pathsFor(who: readonly Who[], ids: Ids): string[] {
  return Object.entries(ROUTES)
    .filter(([, route]) => who.includes(route.who))
    .map(([name, route]) => {
      const target = route.path(ids);
      expect(target, `${name} has an id in the demo data`).toBeDefined();
      return target!;
    });
}

test.describe("every page fits 1280 and 390 px without sideways scroll", () => {
  test.describe.configure({ timeout: 240_000 });

  test("every page route under app/ is listed", () => {
    expect(Object.keys(ROUTES).sort()).toEqual(appRoutes().sort());
  });

  test("signed out", async ({ page }, testInfo) => {
    const ids = await demoIds(DEMO.customer.email);
    const checks = await checkFits(page, pathsFor(["anyone", "visitor"], ids));
    testInfo.annotations.push({ type: "checks", description: String(checks) });
    await expect(footer(page).getByRole("link", { name: "Create account" })).toBeVisible();
  });

  const roles: { name: string; user: Credentials; who: Who[]; home: string }[] = [
    { name: "customer", user: DEMO.customer, who: ["anyone", "user", "CUSTOMER"], home: "Dashboard" },
    // The demo operator is a customer too; the customer's pages are measured with the customer's data.
    { name: "operator", user: DEMO.operator, who: ["anyone", "user", "OPERATOR"], home: "Operator" },
    { name: "admin", user: DEMO.admin, who: ["anyone", "user", "ADMIN"], home: "Admin" },
  ];
  test("the payouts' net is in view at 1280 px; at 390 px the table scrolls in its box, its day column kept", async ({
    page,
  }) => {
    await page.setViewportSize(SIZES[0]);
    await signIn(page, DEMO.customer, "/dashboard");
    const scroller = page.getByRole("region", { name: "Payouts table" });
    const firstCell = page.getByTestId("payout-row").first().locator("> :first-child");
    const net = page.getByTestId("payout-net").first();
    const inView = async () => {
      const box = (await net.boundingBox())!;
      return box.x >= 0 && box.x + box.width <= page.viewportSize()!.width;
    };
    expect(await inView(), "the net column is on screen at 1280 px").toBe(true);

    await page.setViewportSize(SIZES[1]);
    await settled(page);
    const before = (await firstCell.boundingBox())!;
    expect(await scroller.evaluate((box) => box.scrollWidth > box.clientWidth), "the table is wider than 390 px").toBe(
      true,
    );
    await net.scrollIntoViewIfNeeded();
    expect(await scroller.evaluate((box) => box.scrollLeft)).toBeGreaterThan(0);
    // The table scrolled, not the page; the day column stayed where it was, and the net is on screen.
    expect(await page.evaluate(() => window.scrollX)).toBe(0);
    expect((await firstCell.boundingBox())!.x).toBeCloseTo(before.x, 0);
    expect(await inView()).toBe(true);
  });

  for (const role of roles) {
    test(`signed in as the ${role.name}`, async ({ page }, testInfo) => {
      const ids = await demoIds(role.user.email);
      await signIn(page, role.user);
      const checks = await checkFits(page, pathsFor(role.who, ids), role.name === "customer");
      testInfo.annotations.push({ type: "checks", description: String(checks) });
      // An account is not offered to someone signed in; their own area is.
      await expect(footer(page).getByRole("link", { name: "Create account" })).toHaveCount(0);
      await expect(footer(page).getByRole("link", { name: role.home })).toBeVisible();
    });
  }
});
