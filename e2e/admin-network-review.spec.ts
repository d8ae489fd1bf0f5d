// An admin reviews a coin-day held by the live network fetch: the held snapshot is written into the
// e2e database as the fetch-network-data job writes one (figures, review HELD with its reason, each
// figure's source and fetch time), far before the demo's days and apart per run; the admin sees why
// it is held beside each figure's source, approves it, and the row and the audit log say so.
import { expect, test } from "@playwright/test";
import pg from "pg";
import { DAY_MS } from "../lib/shared/days";
import { DEMO, signIn } from "./helpers";
import { e2eDatabaseUrl } from "./paths";

const offset = 1_000 + (Math.floor(Date.now() / 1000) % 500);
const day = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - offset * DAY_MS).toISOString().slice(0, 10);
const REASON = `moved more than 20.00 % from the day before: price +52.71 % (30000000000 → 45813294736)`;
const URL_PRICE =
  "https://api.coingecko.com/api/v3/simple/price?ids=bitcoin&vs_currencies=usd&include_last_updated_at=true";

async function withDb<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

test("an admin approves a held network snapshot, audited", async ({ page }) => {
  await withDb(async (db) => {
    await db.query(
      `INSERT INTO network_snapshots (coin, day, difficulty, block_time_ms, block_subsidy_base, avg_fees_per_block_base,
                                      price_micro_usd, source, review, review_reason)
       VALUES ('BTC', $1, 28587155782195, 600000, 625000000, 20206096, 45813294736, 'live: mempool.space, coingecko', 'HELD', $2)`,
      [day, REASON],
    );
    await db.query(
      `INSERT INTO network_value_sources (coin, day, field, value, provider, url, fetched_at)
       VALUES ('BTC', $1, 'difficulty', 28587155782195, 'mempool.space', 'https://mempool.space/api/v1/blocks', $2),
              ('BTC', $1, 'price_micro_usd', 45813294736, 'coingecko', $3, $2)`,
      [day, `${day}T16:30:00Z`, URL_PRICE],
    );
  });

  await signIn(page, DEMO.admin, "/admin/network");
  const review = page.getByRole("region", { name: "Held for review" });
  await expect(review).toBeVisible();
  const card = review.getByRole("article", { name: new RegExp(`\\(BTC\\) on .*`) }).filter({
    has: page.getByRole("button", { name: `Approve BTC ${day}` }),
  });
  await expect(card).toContainText(`Held: ${REASON}.`);
  const figures = card.getByRole("table");
  await expect(figures.getByRole("row", { name: /Price/ })).toContainText("$45,813.294736");
  await expect(figures.getByRole("row", { name: /Price/ })).toContainText(`coingecko, ${day} 16:30 UTC`);
  await expect(figures.getByRole("row", { name: /Difficulty/ })).toContainText("mempool.space");
  await expect(figures.getByRole("row", { name: /Block subsidy/ })).toContainText("entered by hand");

  await card.getByRole("button", { name: `Approve BTC ${day}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Approved BTC on ${day}` })).toBeVisible();
  await expect(page.getByRole("button", { name: `Approve BTC ${day}` })).toHaveCount(0);

  const stored = await withDb(async (db) => {
    const row = (
      await db.query(
        `SELECT s.review::text AS review, u.email FROM network_snapshots s JOIN users u ON u.id = s.reviewed_by_id
          WHERE s.coin = 'BTC' AND s.day = $1`,
        [day],
      )
    ).rows[0] as { review: string; email: string };
    const audit = (
      await db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'network_snapshot.approved' AND entity_id = $1`,
        [`BTC:${day}`],
      )
    ).rows[0] as { n: number };
    return { ...row, audits: audit.n };
  });
  expect(stored).toEqual({ review: "APPROVED", email: DEMO.admin.email, audits: 1 });
});
