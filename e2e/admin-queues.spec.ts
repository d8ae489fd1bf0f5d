// The admin's job queues in the browser: the Queues page lists the app's queues with their next
// runs; a job that failed (here a queue of the spec's own, whose one job the spec fetches and fails
// through pg-boss's API as a worker would) shows with its error, and Retry puts it back in its queue.
import { expect, test } from "@playwright/test";
import { createBoss, type PgBoss } from "../lib/jobs/queue";
import { DEMO, notice, signIn } from "./helpers";
import { e2eDatabaseUrl } from "./paths";

const QUEUE = `e2e-failing-${Date.now() % 100_000}`;
let boss: PgBoss;

test.beforeAll(async () => {
  boss = createBoss(e2eDatabaseUrl(), "client", () => {});
  await boss.start();
  await boss.createQueue(QUEUE, { retryLimit: 0, deadLetter: "dead-letters" });
  await boss.send(QUEUE, { invoice: "INV-7" });
  const [job] = await boss.fetch(QUEUE);
  await boss.fail(QUEUE, job!.id, { message: "the payment provider answered 503" });
});

test.afterAll(async () => {
  await boss.deleteQueue(QUEUE).catch(() => {});
  await boss.stop({ graceful: false, timeout: 1_000 });
});

test("an admin sees the queues and retries a failed job", async ({ page }) => {
  await signIn(page, DEMO.admin, "/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Queues" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Job queues" })).toBeVisible();

  const queues = page.getByRole("region", { name: "Job queues table" });
  const payouts = queues.locator('tr[data-queue="settle-payouts"]');
  await expect(payouts).toBeVisible();
  await expect(payouts.getByRole("cell").nth(0)).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/); // next run
  await expect(queues.locator('tr[data-queue="seal-audit-log"]')).toContainText("every 1 s");

  const mine = queues.locator(`tr[data-queue="${QUEUE}"]`);
  await expect(mine).toContainText("the payment provider answered 503");
  await expect(mine.getByRole("button", { name: "Retry all failed (1)" })).toBeVisible();

  const failed = page.getByRole("region", { name: "Failed jobs table" });
  const row = failed.getByRole("row").filter({ hasText: QUEUE });
  await expect(row).toContainText("the payment provider answered 503");
  await expect(row).toContainText('{"invoice":"INV-7"}');
  await row.getByRole("button", { name: "Retry" }).click();
  await expect(notice(page, `Retried: the failed job of ${QUEUE} is back in its queue.`)).toBeVisible();

  // Back in its queue, waiting for a worker; nothing of it is left among the failed jobs.
  await page.reload();
  const after = page.getByRole("region", { name: "Job queues table" }).locator(`tr[data-queue="${QUEUE}"]`);
  await expect(after.getByRole("cell").nth(1)).toHaveText("1"); // waiting
  await expect(after.getByRole("cell").nth(4)).toHaveText("0"); // failed
  await expect(
    page.getByRole("region", { name: "Failed jobs table" }).getByRole("row").filter({ hasText: QUEUE }),
  ).toHaveCount(0);
  const [again] = await boss.fetch<{ invoice: string }>(QUEUE);
  expect(again?.data).toEqual({ invoice: "INV-7" });
});
