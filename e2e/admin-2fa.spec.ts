// Admin money actions need 2FA (lib/auth/two-factor-guard.ts). A customer's withdrawal above the
// review threshold is put in the queue through the real cores (e2e/queue-withdrawal.ts). An admin
// made with `npm run create-admin` (2FA off) sees the banner with the link to the 2FA settings on
// the withdrawals and payouts pages, the money buttons disabled and saying why, and a forced submit
// refused by the server with nothing changed; once they turn 2FA on in that session the banner is
// gone. The demo admin signs in with a code from the key npm start prints and approves the withdrawal.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createPrismaClient } from "../lib/db/client";
import { alertWith, DEMO, enableTwoFactor, NEW_USER_PASSWORD, signIn } from "./helpers";
import { e2eDatabaseUrl, e2eDataDir } from "./paths";

test.describe.configure({ mode: "serial" });

let customerEmail = "";
let withdrawalId = "";

async function withdrawalStatus(): Promise<string> {
  const prisma = createPrismaClient(e2eDatabaseUrl());
  try {
    return (await prisma.withdrawal.findUniqueOrThrow({ where: { id: withdrawalId } })).status;
  } finally {
    await prisma.$disconnect();
  }
}

const card = (page: Page) => page.locator("article").filter({ hasText: customerEmail });

test.beforeAll(() => {
  const out = execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "e2e/queue-withdrawal.ts"], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl(), HASHLEASE_DATA_DIR: e2eDataDir },
    encoding: "utf8",
  });
  const queued = JSON.parse(out.trim().split("\n").pop()!) as { email: string; withdrawalId: string };
  customerEmail = queued.email;
  withdrawalId = queued.withdrawalId;
});

test("an admin without 2FA sees why the money buttons are off, is refused by the server, and turns 2FA on", async ({
  page,
}) => {
  const admin = { email: `admin-${randomBytes(4).toString("hex")}@example.com`, password: NEW_USER_PASSWORD };
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/cli/create-admin.ts", "--email", admin.email], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl(), HASHLEASE_ADMIN_PASSWORD: admin.password },
    stdio: "pipe",
  });
  await signIn(page, admin, "/admin/withdrawals");

  const banner = page.getByRole("region", { name: "Two-factor authentication is off" });
  await expect(banner).toContainText("Turn on two-factor authentication to approve, reject and send withdrawals");
  await expect(banner.getByRole("link", { name: "Turn on two-factor authentication" })).toHaveAttribute(
    "href",
    "/settings/security",
  );
  const approve = card(page).getByRole("button", { name: "Approve" });
  await expect(approve).toBeDisabled();
  await expect(approve).toHaveAccessibleDescription(/Turn on two-factor authentication/);
  await expect(card(page).getByText("Needs two-factor authentication").first()).toBeVisible();

  // The button is only a courtesy: a submit forced past it is refused by the server, and nothing moves.
  await approve.evaluate((button) => button.removeAttribute("disabled"));
  await approve.click();
  const refusal = alertWith(card(page), "Turn on two-factor authentication to approve withdrawals.");
  await expect(refusal).toBeVisible();
  await expect(refusal.getByRole("link", { name: "Two-factor settings" })).toHaveAttribute(
    "href",
    "/settings/security",
  );
  expect(await withdrawalStatus()).toBe("REQUESTED");

  await page.goto("/admin/payouts");
  await expect(page.getByRole("region", { name: "Two-factor authentication is off" })).toContainText("run payout days");
  await expect(page.getByRole("button", { name: "Re-run day" })).toBeDisabled();

  // 2FA on in this session (its code proves the authenticator): the banner goes, the buttons work.
  await page.goto("/settings/security");
  await enableTwoFactor(page);
  await page.goto("/admin/withdrawals");
  await expect(page.getByRole("heading", { name: "Withdrawals" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Two-factor authentication is off" })).toHaveCount(0);
  await expect(card(page).getByRole("button", { name: "Approve" })).toBeEnabled();
});

test("the demo admin signs in with an authenticator code and approves the withdrawal", async ({ page }) => {
  await signIn(page, DEMO.admin, "/admin/withdrawals");
  await expect(
    page.getByRole("region", { name: /Two-factor authentication is off|without an authenticator/ }),
  ).toHaveCount(0);
  await card(page).getByRole("button", { name: "Approve" }).click();
  await expect(
    page.getByRole("region", { name: "Approved, to send" }).locator("article").filter({ hasText: customerEmail }),
  ).toBeVisible();
  expect(await withdrawalStatus()).toBe("APPROVED");
});
