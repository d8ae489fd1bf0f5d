// Verified delivery end to end: an operator issues a rig's Stratum login on the rig page, the
// bundled miner (lib/stratum/miner.ts, real hashing) mines with it over real TCP against the
// app's own Stratum port, and the rig page turns Online with the accepted shares; rotating
// the secret locks the old one out. The admin sees the proxy live; the customer sees the
// verified-hashrate page of a contract.
import { expect, test } from "@playwright/test";
import { Algorithm } from "../lib/generated/prisma/enums";
import { StratumClient } from "../lib/stratum/client";
import { runMiner } from "../lib/stratum/miner";
import { powAlgorithm } from "../lib/stratum/work";
import { DEMO, signIn } from "./helpers";
import { e2eStratumPort } from "./paths";

const stratumPort = e2eStratumPort;

test("an operator connects a rig: login shown once, the miner's shares verified, the rig online", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO.operator, "/operator");
  await page.getByRole("link", { name: "Antminer S21 Pro LUL-S21PRO-002" }).click();
  const section = page.getByRole("region", { name: "Verified delivery" });
  await expect(section.getByRole("heading", { name: "Verified delivery" })).toBeVisible();
  await expect(section.getByText("Offline")).toBeVisible();
  await expect(page.getByTestId("stratum-url")).toHaveText(new RegExp(`^stratum\\+tcp://localhost:${stratumPort}$`));

  await section.getByRole("button", { name: "Issue Stratum login" }).click();
  await expect(section.getByRole("status")).toContainText("it is shown only once");
  const worker = (await page.getByTestId("stratum-worker").textContent())!.trim();
  const secret = (await page.getByTestId("stratum-password").textContent())!.trim();
  expect(worker).toMatch(/^hl-[0-9a-f]{12}$/);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);

  const miner = await runMiner({
    port: stratumPort,
    user: worker,
    password: secret,
    pow: powAlgorithm(Algorithm.SHA256)!,
    suggestDifficulty: 2 ** -16,
    maxShares: 4,
  });
  const stats = await miner.done;
  expect(stats).toMatchObject({ accepted: 4, rejected: [] });

  // The proxy writes its counters every few seconds; the page reads them on reload.
  await expect(async () => {
    await page.reload();
    await expect(section.getByText("Online", { exact: true })).toBeVisible({ timeout: 1_000 });
    await expect(section.getByText("4 accepted")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  // The secret is not shown again after a reload.
  await expect(page.getByTestId("stratum-password")).toHaveText(/shown once when issued/);
  await expect(page.getByText(secret)).toHaveCount(0);

  // Rotation: the old secret stops working, the worker name stays.
  await section.getByRole("button", { name: "Rotate secret" }).click();
  await expect(section.getByRole("status")).toContainText("the old one no longer works");
  await expect(page.getByTestId("stratum-worker")).toHaveText(worker);
  const rotated = (await page.getByTestId("stratum-password").textContent())!.trim();
  expect(rotated).not.toBe(secret);
  const client = await StratumClient.connect(stratumPort);
  await client.request("mining.subscribe", ["e2e"]);
  expect((await client.request("mining.authorize", [worker, secret])).error).toEqual([24, "Unauthorized worker", null]);
  expect((await client.request("mining.authorize", [worker, rotated])).result).toBe(true);
  client.close();
});

test("the admin sees the proxy live; the customer opens a contract's verified hashrate", async ({ page }) => {
  await signIn(page, DEMO.admin, "/admin/stratum");
  await expect(page.getByRole("heading", { level: 1, name: "Stratum proxy" })).toBeVisible();
  const instances = page.getByRole("region", { name: "Proxy instances table" });
  await expect(instances.getByText("Live").first()).toBeVisible();

  await page.context().clearCookies();
  await signIn(page, DEMO.customer, "/dashboard");
  await page.getByTestId("contract-card").first().getByRole("link", { name: "Verified delivery" }).click();
  await expect(page).toHaveURL(/\/dashboard\/contracts\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("verified-hashrate-chart")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Verified hashrate" })).toBeVisible();
  // Every payout says where its delivered hashrate came from.
  await page.goto("/dashboard#payouts");
  await expect(page.getByTestId("payout-row").first().getByTestId("hashrate-source")).toHaveText(
    /Verified by shares|Partly verified|Reported by operator|No delivery data/,
  );
});

test("an operator names an upstream pool for a facility's BTC rigs, changes it without retyping the password, removes it", async ({
  page,
}) => {
  await signIn(page, DEMO.operator, "/operator");
  await page.getByRole("link", { name: "Edit Reykjanes Geothermal Hall" }).click();
  const section = page.getByRole("region", { name: "Upstream pools" });
  await expect(section.getByText("No upstream pool")).toBeVisible();

  await section.getByLabel("Pool address").fill("pool.example.com:3333");
  await section.getByLabel("Pool account").fill("hashlease.pecos");
  await section.getByRole("button", { name: "Save upstream" }).click();
  await expect(section.getByRole("alert")).toContainText("stratum+tcp://host:port");

  await section.getByLabel("Pool address").fill("stratum+tcp://pool.example.com:3333");
  await section.getByLabel("Pool password").fill("x");
  await section.getByRole("button", { name: "Save upstream" }).click();
  await expect(section.getByRole("status")).toContainText("BTC upstream saved");
  const pools = section.getByRole("list", { name: "Upstream pools" });
  await expect(pools).toContainText("stratum+tcp://pool.example.com:3333");
  await expect(section.getByLabel("Pool password")).toHaveValue("");

  // The form now shows the saved pool: changing the account alone keeps the address and, with
  // the password left empty, the saved password.
  await expect(section.getByLabel("Pool address")).toHaveValue("stratum+tcp://pool.example.com:3333");
  await section.getByLabel("Pool account").fill("hashlease.pecos2");
  await section.getByRole("button", { name: "Save upstream" }).click();
  await expect(section.getByRole("status")).toContainText("BTC upstream updated");
  await expect(pools).toContainText("hashlease.pecos2");

  await section.getByRole("button", { name: "Remove the BTC upstream" }).click();
  await expect(section.getByText("No upstream pool")).toBeVisible();
});
