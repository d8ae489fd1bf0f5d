import type { Metadata } from "next";
import Link from "next/link";
import { AdminPage, countText, PagedSection } from "@/components/admin/admin-page";
import { figure } from "@/components/admin/columns";
import { SnapshotForm } from "@/components/admin/snapshot-form";
import { SnapshotImportForm } from "@/components/admin/snapshot-import-form";
import { formatCoinAmount, formatDay, formatHashrate, formatInteger, formatMicroUsd } from "@/components/format";
import { DataTable, EmptyState, LinkButton, Section } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { MAX_SNAPSHOT_CSV_BYTES, SNAPSHOT_CSV_COLUMNS } from "@/lib/network/csv-import";
import { snapshotFields } from "@/lib/network/fields";
import { findSnapshot, latestSnapshots, payoutsOnDay, snapshotCoins } from "@/lib/network/snapshots";
import { DAY_MS, dayText, parseDay } from "@/lib/shared/days";
import { importSnapshotsAction, saveSnapshotAction } from "./actions";

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
  await requireRole("ADMIN", "/admin/network");
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
      title="Network data"
      description="The daily network inputs of payouts per coin (UTC days): difficulty or network hashrate, target block time, block subsidy, average fees per block and price. Payout runs settle a coin-day only once its snapshot is here."
    >
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
            { header: "Price", numeric: true, cell: (row) => formatMicroUsd(row.priceMicroUsd) },
            {
              header: "Source",
              className: "max-w-[12rem] truncate",
              cellProps: (row) => ({ title: row.source }),
              cell: (row) => row.source,
            },
            { header: "Payouts", numeric: true, cell: (row) => formatInteger(row.payouts) },
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
