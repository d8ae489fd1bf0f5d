import type { Metadata } from "next";
import Link from "next/link";
import { moneyReadiness } from "@/app/admin/_lib/money-gate";
import { AdminPage, countText, PagedSection } from "@/components/admin/admin-page";
import { figure } from "@/components/admin/columns";
import { SnapshotForm } from "@/components/admin/snapshot-form";
import { SnapshotImportForm } from "@/components/admin/snapshot-import-form";
import { Notice } from "@/components/form-fields";
import { formatCoinAmount, formatDay, formatHashrate, formatInstantUtc, formatInteger } from "@/components/format";
import { DataTable, EmptyState, LinkButton, Section, StatusBadge } from "@/components/ui";
import { RowActionForm } from "@/components/wallet/row-action-form";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { MAX_SNAPSHOT_CSV_BYTES, SNAPSHOT_CSV_COLUMNS } from "@/lib/network/csv-import";
import { snapshotFields, type SnapshotCoin, type SnapshotValues } from "@/lib/network/fields";
import { heldSnapshots, type HeldSnapshot } from "@/lib/network/live/review";
import { findSnapshot, latestSnapshots, payoutsOnDay, snapshotCoins } from "@/lib/network/snapshots";
import { DAY_MS, dayText, parseDay } from "@/lib/shared/days";
import { usdExact } from "@/lib/shared/usd";
import { approveSnapshotAction, importSnapshotsAction, saveSnapshotAction } from "./actions";

export const metadata: Metadata = { title: "Network data" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 30;

/** Midnight UTC of the current day (this page renders per request). */
function utcToday(): Date {
  return new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
}

const COLUMN_HELP: Record<(typeof SNAPSHOT_CSV_COLUMNS)[number], string> = {
  coin: "BTC, BCH, LTC, DOGE, KAS, ETC or XMR (a coin of the platform).",
  day: "The UTC day, YYYY-MM-DD; today at the latest. A coin-day already stored is corrected.",
  difficulty: "Difficulty-based coins (BTC, BCH, LTC, DOGE) only: a whole number. Empty for the others.",
  network_hashrate:
    "The other coins only: the network hashrate in the unit of the next column. Empty for difficulty-based coins.",
  hashrate_unit: "H/s, kH/s, MH/s, GH/s, TH/s, PH/s or EH/s (H/s when empty).",
  block_time_s: "Target block time in seconds, up to 3 decimals (600, 0.1).",
  block_subsidy: "Block subsidy in whole coins, up to the coin's decimals (3.125).",
  avg_fees_per_block: "Average fees per block that day, in whole coins; 0 is allowed.",
  price_usd: 'USD per whole coin, up to 6 decimals; quote a value with thousands commas ("97,250.12").',
  source: "Where the figures come from; “csv import” when empty.",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function one(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}

export default async function NetworkDataPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireRole("ADMIN", "/admin/network");
  const readiness = await moneyReadiness(admin);
  const params = await searchParams;
  const prisma = db();
  const coins = await snapshotCoins(prisma);
  if (coins.length === 0) {
    return (
      <AdminPage current="/admin/network" title="Network data">
        <EmptyState title="No coins are configured.">
          Network snapshots are kept per coin; add the coins first (the seed does).
        </EmptyState>
      </AdminPage>
    );
  }
  const coin = coins.find((c) => c.asset === one(params.coin).toUpperCase()) ?? coins[0]!;
  const page = Math.max(1, Math.floor(Number(one(params.page)) || 1));
  const today = utcToday();
  const { rows, total } = await latestSnapshots(prisma, coin.asset, { page, pageSize: PAGE_SIZE });
  const held = await heldSnapshots(prisma);
  // The notice after an approval (its redirect), shown only for a day that is approved indeed.
  const approvedDay = parseDay(one(params.approved));
  const approved =
    approvedDay &&
    (
      await prisma.networkSnapshot.findUnique({
        where: { coin_day: { coin: coin.asset, day: approvedDay } },
        select: { review: true },
      })
    )?.review === "APPROVED"
      ? approvedDay
      : null;

  // The form: the chosen day (its stored figures, or the latest figures as a starting point),
  // else the day after the latest stored one (today at most).
  const latest = page === 1 ? (rows[0] ?? null) : await findLatest(coin.asset);
  const requested = parseDay(one(params.day));
  const editDay =
    requested && requested.getTime() <= today.getTime()
      ? requested
      : latest
        ? new Date(Math.min(latest.day.getTime() + DAY_MS, today.getTime()))
        : today;
  const stored = await findSnapshot(prisma, coin.asset, editDay);
  const template = stored ?? latest;
  const initial = template
    ? { ...snapshotFields(template, coin), day: dayText(editDay), ...(stored ? {} : { source: "" }) }
    : { coin: coin.asset, day: dayText(editDay), hashrateUnit: "TH/s" };
  const settledPayouts = stored ? await payoutsOnDay(prisma, coin.asset, editDay) : 0;

  const href = (p: { coin?: string; page?: number; day?: string }) => {
    const q = new URLSearchParams({ coin: p.coin ?? coin.asset });
    if (p.page && p.page > 1) q.set("page", String(p.page));
    if (p.day) q.set("day", p.day);
    return `/admin/network?${q.toString()}`;
  };

  return (
    <AdminPage
      current="/admin/network"
      moneyGate={{ readiness, purpose: "enter, import or approve network data" }}
      title="Network data"
      description="The daily network inputs of payouts per coin (UTC days): difficulty or network hashrate, target block time, block subsidy, average fees per block and price. Payout runs settle a coin-day only once its snapshot is here."
    >
      {approved ? (
        <Notice>
          Approved {coin.asset} on {dayText(approved)}: the payout run settles that day at its next pass (every 10
          minutes).
        </Notice>
      ) : null}
      {held.length > 0 ? (
        <Section
          id="review"
          title="Held for review"
          description="Figures fetched from public sources that moved more than the review threshold from the day before. The payout run does not settle these coin-days until you approve them; to change a figure instead, correct the day below, then approve it."
        >
          <div className="flex flex-col gap-4">
            {held.map((item) => (
              <HeldCard key={`${item.snapshot.coin}:${dayText(item.snapshot.day)}`} item={item} coins={coins} />
            ))}
          </div>
        </Section>
      ) : null}

      <nav aria-label="Coins" className="mb-6 flex flex-wrap gap-2">
        {coins.map((c) => (
          <LinkButton
            key={c.asset}
            href={href({ coin: c.asset })}
            aria-current={c.asset === coin.asset ? "page" : undefined}
            variant={c.asset === coin.asset ? "primary" : "secondary"}
          >
            {c.asset}
            <span className="sr-only"> {c.name}</span>
          </LinkButton>
        ))}
      </nav>

      <PagedSection
        id="snapshots"
        title={`${coin.name} (${coin.asset}): latest days`}
        description={`${countText(total, "day", "days")} stored, newest first. ${coin.difficultyBased ? "Difficulty-based: N = D × 2³² / T, as the payout run derives it." : "Network hashrate as published."}`}
        page={page}
        total={total}
        pageSize={PAGE_SIZE}
        href={(p) => href({ page: p })}
      >
        <DataTable
          label={`${coin.asset} network snapshots`}
          caption={<>{coin.asset} network snapshots, newest first</>}
          rows={rows}
          empty={
            <EmptyState title={`No ${coin.asset} snapshot is stored yet.`}>
              Enter the first day below or import a CSV file. Until a day has a snapshot, contracts mining {coin.asset}{" "}
              are not settled for it.
            </EmptyState>
          }
          rowKey={(row) => row.day.toISOString()}
          columns={[
            { header: "Day", rowHeader: true, className: "whitespace-nowrap", cell: (row) => formatDay(row.day) },
            ...(coin.difficultyBased
              ? [
                  {
                    header: "Difficulty",
                    numeric: true,
                    cell: (row: (typeof rows)[number]) => formatInteger(row.difficulty ?? 0n),
                  },
                ]
              : []),
            {
              header: "Network hashrate",
              ...figure,
              cellProps: (row) => ({ title: `${row.derivedNetworkHashrateHs.toString()} H/s` }),
              cell: (row) => formatHashrate(row.derivedNetworkHashrateHs),
            },
            {
              header: "Block time",
              numeric: true,
              cell: (row) => <>{formatCoinAmount(BigInt(row.blockTimeMs), 3)} s</>,
            },
            {
              header: <>Subsidy ({coin.asset})</>,
              key: "subsidy",
              numeric: true,
              cell: (row) => formatCoinAmount(row.blockSubsidyBase, coin.decimals, { maxDecimals: coin.decimals }),
            },
            {
              header: <>Avg fees ({coin.asset})</>,
              key: "avg-fees",
              numeric: true,
              cell: (row) => formatCoinAmount(row.avgFeesPerBlockBase, coin.decimals, { maxDecimals: coin.decimals }),
            },
            // The payout formula's input, exact like the coin amounts beside it.
            { header: "Price", numeric: true, cell: (row) => usdExact(row.priceMicroUsd) },
            {
              header: "Source",
              className: "max-w-[12rem] truncate",
              cellProps: (row) => ({ title: row.source }),
              cell: (row) => row.source,
            },
            { header: "Payouts", numeric: true, cell: (row) => formatInteger(row.payouts) },
            {
              header: "Review",
              cell: (row) =>
                row.review === "HELD" ? (
                  <StatusBadge status="HELD" tone="amber" label="Held for review" />
                ) : row.review === "APPROVED" ? (
                  <StatusBadge status="APPROVED" label="Approved" />
                ) : (
                  <span className="text-slate-500">Not needed</span>
                ),
            },
            {
              header: <span className="sr-only">Actions</span>,
              key: "actions",
              cell: (row) => (
                <Link href={`${href({ day: dayText(row.day), page })}#enter`} className="link whitespace-nowrap">
                  Edit
                  <span className="sr-only">
                    {" "}
                    {coin.asset} {formatDay(row.day)}
                  </span>
                </Link>
              ),
            },
          ]}
        />
      </PagedSection>

      <Section
        id="enter"
        title={stored ? `Correct ${coin.asset} on ${dayText(editDay)}` : `Enter ${coin.asset} for a day`}
        description={
          stored
            ? "The stored figures are filled in; change what is wrong and save."
            : "Prefilled with the latest stored figures where there are some: check every field before saving."
        }
      >
        {settledPayouts > 0 ? (
          <div role="note" className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
            <p className="font-semibold">
              {dayText(editDay)} already has {formatInteger(settledPayouts)} settled {coin.asset}{" "}
              {settledPayouts === 1 ? "payout" : "payouts"}.
            </p>
            <p className="mt-1">
              Settled payouts keep the inputs they were computed with and are never changed silently. A correction
              applies only to contracts of that day not settled yet (a later re-run); the change and the count are
              recorded in the audit log.
            </p>
          </div>
        ) : null}
        <SnapshotForm
          action={saveSnapshotAction}
          coin={coin.asset}
          difficultyBased={coin.difficultyBased}
          initial={initial}
          today={dayText(today)}
        />
      </Section>

      <Section
        id="import"
        title="Import from a CSV file"
        description="Every row is checked first: if any row has a problem, nothing is imported and each problem is listed with its line."
      >
        <p className="mb-3 text-sm text-slate-700">
          Comma-separated, UTF-8, one coin-day per line after a header with these columns (any order); all coins may be
          mixed.{" "}
          <a href="/admin/network/sample.csv" download="hashlease-network-snapshots-sample.csv" className="link">
            Download a sample file
          </a>
          .
        </p>
        <DataTable
          label="Snapshot CSV columns"
          caption="Columns of the network snapshot CSV file"
          rows={SNAPSHOT_CSV_COLUMNS}
          rowKey={(column) => column}
          columns={[
            { header: "Column", rowHeader: true, className: "font-mono text-xs", cell: (column) => column },
            { header: "What it holds", cell: (column) => COLUMN_HELP[column] },
          ]}
        />
        <div className="mt-4">
          <SnapshotImportForm action={importSnapshotsAction} maxBytes={MAX_SNAPSHOT_CSV_BYTES} />
        </div>
      </Section>
    </AdminPage>
  );
}

async function findLatest(coin: Parameters<typeof latestSnapshots>[1]) {
  const { rows } = await latestSnapshots(db(), coin, { page: 1, pageSize: 1 });
  return rows[0] ?? null;
}

const FIGURES: { field: string; label: string; value: (v: SnapshotValues, coin: SnapshotCoin) => string | null }[] = [
  {
    field: "difficulty",
    label: "Difficulty",
    value: (v) => (v.difficulty === null ? null : formatInteger(v.difficulty)),
  },
  {
    field: "network_hashrate_hs",
    label: "Network hashrate",
    value: (v) => (v.networkHashrateHs === null ? null : formatHashrate(v.networkHashrateHs)),
  },
  {
    field: "block_subsidy_base",
    label: "Block subsidy",
    value: (v, c) => `${formatCoinAmount(v.blockSubsidyBase, c.decimals, { maxDecimals: c.decimals })} ${c.asset}`,
  },
  {
    field: "avg_fees_per_block_base",
    label: "Fees per block",
    value: (v, c) => `${formatCoinAmount(v.avgFeesPerBlockBase, c.decimals, { maxDecimals: c.decimals })} ${c.asset}`,
  },
  { field: "price_micro_usd", label: "Price", value: (v) => usdExact(v.priceMicroUsd) },
];

/** One held coin-day: why, its figures beside the day before's with their sources, and the approval. */
function HeldCard({ item, coins }: { item: HeldSnapshot; coins: SnapshotCoin[] }) {
  const coin = coins.find((c) => c.asset === item.snapshot.coin)!;
  const day = dayText(item.snapshot.day);
  const rows = FIGURES.filter((f) => f.value(item.snapshot, coin) !== null).map((f) => ({
    ...f,
    source: item.sources.find((s) => s.field === f.field) ?? null,
  }));
  return (
    <article
      aria-labelledby={`held-${coin.asset}-${day}`}
      data-testid={`held-${coin.asset}-${day}`}
      className="rounded-lg border border-amber-300 bg-white p-4"
    >
      <h3 id={`held-${coin.asset}-${day}`} className="font-semibold text-slate-900">
        {coin.name} ({coin.asset}) on {formatDay(item.snapshot.day)}
      </h3>
      <p className="mt-1 text-sm text-amber-950">Held: {item.reason}.</p>
      <div className="mt-3">
        <DataTable
          label={`${coin.asset} ${day} held figures`}
          caption={`${coin.asset} figures of ${day} beside the day before, with their sources`}
          rows={rows}
          rowKey={(row) => row.field}
          columns={[
            { header: "Figure", rowHeader: true, cell: (row) => row.label },
            {
              header: "Day before",
              numeric: true,
              cell: (row) => (item.previous ? (row.value(item.previous, coin) ?? "—") : "—"),
            },
            { header: "Fetched", numeric: true, cell: (row) => row.value(item.snapshot, coin) },
            {
              header: "Source",
              cell: (row) =>
                row.source ? (
                  <span className="break-all">
                    {row.source.provider}, {formatInstantUtc(row.source.fetchedAt)}
                    <span className="block text-xs text-slate-500">{row.source.url}</span>
                  </span>
                ) : (
                  "entered by hand"
                ),
            },
          ]}
        />
      </div>
      <div className="mt-3">
        <RowActionForm
          idPrefix={`approve-${coin.asset}-${day}`}
          action={approveSnapshotAction}
          hidden={{ coin: coin.asset, day }}
          submitLabel={`Approve ${coin.asset} ${day}`}
          pendingLabel="Approving…"
        />
      </div>
    </article>
  );
}
