// Network snapshots from a CSV file (parsed with csv-parse). Every row is validated as the
// form validates one snapshot, plus coin-days repeated within the file; every problem is
// reported with its line and column. When any row is bad nothing is imported; a good file is
// written in one transaction (one INSERT ... ON CONFLICT for all its rows) with one audit line
// holding each corrected row before and after.
import { createHash } from "node:crypto";
import { CsvError } from "csv-parse";
import { parse } from "csv-parse/sync";
import { checkAdmin } from "../admin/actor";
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import type { Asset } from "../generated/prisma/enums";
import {
  checkCsvTable,
  csvFileRefusal,
  csvRowsRefusal,
  csvTooLarge,
  fieldCountError,
  isNotUtf8,
  NOT_UTF8_MESSAGE,
  type CsvImportRefusal,
  type CsvRecord,
  type CsvRowError,
} from "../shared/csv-upload";
import { dayText } from "../shared/days";
import { parseSnapshot, type SnapshotCoin, type SnapshotFields, type SnapshotValues } from "./fields";
import { auditValues, sameFigures, storedValues, type NetworkRefusal } from "./snapshots";

export const SNAPSHOT_CSV_COLUMNS = [
  "coin",
  "day",
  "difficulty",
  "network_hashrate",
  "hashrate_unit",
  "block_time_s",
  "block_subsidy",
  "avg_fees_per_block",
  "price_usd",
  "source",
] as const;
export type SnapshotCsvColumn = (typeof SNAPSHOT_CSV_COLUMNS)[number];

const FIELD_OF_COLUMN: Record<SnapshotCsvColumn, keyof SnapshotFields> = {
  coin: "coin",
  day: "day",
  difficulty: "difficulty",
  network_hashrate: "networkHashrate",
  hashrate_unit: "hashrateUnit",
  block_time_s: "blockTime",
  block_subsidy: "blockSubsidy",
  avg_fees_per_block: "avgFees",
  price_usd: "price",
  source: "source",
};
const COLUMN_OF_FIELD = Object.fromEntries(Object.entries(FIELD_OF_COLUMN).map(([c, f]) => [f, c])) as Record<
  keyof SnapshotFields,
  SnapshotCsvColumn
>;

/** 1 MB: under the server action body limit (1 MiB with multipart overhead). */
export const MAX_SNAPSHOT_CSV_BYTES = 1_000_000;
export const MAX_SNAPSHOT_CSV_ROWS = 5_000;
/** The source of a row whose source column is empty. */
export const CSV_DEFAULT_SOURCE = "csv import";

export interface ImportedSnapshot {
  line: number;
  coin: Asset;
  day: string;
  outcome: "created" | "updated" | "unchanged";
  /** Payouts already settled for that coin-day (they keep their inputs). */
  payoutsOnDay: number;
}

export type SnapshotImportResult =
  | { ok: true; rows: ImportedSnapshot[]; created: number; updated: number; unchanged: number }
  | CsvImportRefusal
  | NetworkRefusal;

/** The downloadable example: a difficulty-based coin and a hashrate coin, two days each. */
export function sampleSnapshotCsv(today: Date = new Date()): string {
  const day = (back: number) =>
    dayText(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back)));
  const rows = [
    [...SNAPSHOT_CSV_COLUMNS],
    ["BTC", day(2), "152271405447908", "", "", "600", "3.125", "0.025", "97250.12", "mempool.space"],
    ["BTC", day(1), "152271405447908", "", "", "600", "3.125", "0.031", '"97,980.50"', "mempool.space"],
    ["KAS", day(2), "", "900.5", "PH/s", "0.1", "35.94", "0.002", "0.0912", "kas.fyi"],
    ["KAS", day(1), "", "905", "PH/s", "0.1", "35.94", "0.0025", "0.0931", "kas.fyi"],
  ];
  return `${rows.map((r) => r.join(",")).join("\r\n")}\r\n`;
}

/** csv-parse with the line each record starts on (info.lines is the line it ends on). */
function readRecords(text: string): { ok: true; records: CsvRecord[] } | { ok: false; error: CsvRowError } {
  try {
    const parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return {
      ok: true,
      records: parsed.map(({ record, info }) => {
        const breaks = record.reduce((n, field) => n + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
        return { line: info.lines - breaks, fields: record };
      }),
    };
  } catch (error) {
    if (error instanceof CsvError) {
      const line =
        typeof (error as { lines?: unknown }).lines === "number" ? (error as unknown as { lines: number }).lines : 0;
      const message =
        error.code === "CSV_QUOTE_NOT_CLOSED"
          ? 'A quoted field is never closed (a " is missing).'
          : error.code === "INVALID_OPENING_QUOTE" || error.code === "CSV_INVALID_CLOSING_QUOTE"
            ? "A quote appears inside a field; put the whole field in quotes and double any quote inside it."
            : `The file is not valid CSV: ${error.message}`;
      return { ok: false, error: { line, field: "file", message } };
    }
    throw error;
  }
}

interface CheckedRow {
  line: number;
  values: SnapshotValues;
}

/** Pure validation of the file's text: header, each row's fields, coin-days repeated in the file. */
export function checkSnapshotCsv(
  text: string,
  coins: readonly SnapshotCoin[],
  now: Date = new Date(),
): { ok: true; rows: CheckedRow[] } | { ok: false; result: SnapshotImportResult } {
  if (isNotUtf8(text)) return { ok: false, result: csvFileRefusal(NOT_UTF8_MESSAGE) };
  const read = readRecords(text);
  if (!read.ok) return { ok: false, result: csvRowsRefusal([read.error]) };
  const table = checkCsvTable(read.records, SNAPSHOT_CSV_COLUMNS, {
    max: MAX_SNAPSHOT_CSV_ROWS,
    noun: "rows",
    none: "The file has a header but no snapshots.",
  });
  if (!table.ok) return { ok: false, result: table.refusal };

  const { header, index } = table;
  const errors: CsvRowError[] = [];
  const rows: CheckedRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of table.records) {
    const { line, fields } = record;
    const miscounted = fieldCountError(header, record);
    if (miscounted) {
      errors.push(miscounted);
      continue;
    }
    const raw = Object.fromEntries(
      SNAPSHOT_CSV_COLUMNS.map((c) => [FIELD_OF_COLUMN[c], fields[index[c]]!]),
    ) as unknown as SnapshotFields;
    if (raw.source.trim() === "") raw.source = CSV_DEFAULT_SOURCE;
    const parsed = parseSnapshot(raw, coins, now);
    if (!parsed.ok) {
      const order = (column: string) => (SNAPSHOT_CSV_COLUMNS as readonly string[]).indexOf(column);
      const found = Object.entries(parsed.fieldErrors).map(([field, message]) => ({
        line,
        field: COLUMN_OF_FIELD[field as keyof SnapshotFields] ?? "row",
        message: message!,
      }));
      errors.push(...found.sort((a, b) => order(a.field) - order(b.field)));
      continue;
    }
    const key = `${parsed.value.coin}|${dayText(parsed.value.day)}`;
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      errors.push({
        line,
        field: "day",
        message: `${parsed.value.coin} on ${dayText(parsed.value.day)} is already on line ${first} of this file.`,
      });
      continue;
    }
    firstLineOf.set(key, line);
    rows.push({ line, values: parsed.value });
  }
  if (errors.length) return { ok: false, result: csvRowsRefusal(errors) };
  return { ok: true, rows };
}

/**
 * Validates the whole file and, only when every row is good, enters or corrects all its
 * snapshots in one transaction. `actorId` must be an admin's.
 */
export async function importSnapshotCsv(
  prisma: PrismaClient,
  args: { actorId: string; content: string; byteLength: number; fileName?: string; ip?: string | null; now?: Date },
): Promise<SnapshotImportResult> {
  const { actorId, content } = args;
  const tooLarge = csvTooLarge(args, {
    maxBytes: MAX_SNAPSHOT_CSV_BYTES,
    maxRows: MAX_SNAPSHOT_CSV_ROWS,
    noun: "rows",
  });
  if (tooLarge) return tooLarge;
  try {
    return await prisma.$transaction(
      async (tx): Promise<SnapshotImportResult> => {
        const admin = await checkAdmin(tx, actorId);
        if (!admin.ok) return admin;
        const coins = await tx.coin.findMany({
          select: { asset: true, name: true, decimals: true, difficultyBased: true },
          orderBy: { asset: "asc" },
        });
        const checked = checkSnapshotCsv(content, coins, args.now ?? new Date());
        if (!checked.ok) return checked.result;

        const coinsOf = checked.rows.map((r) => r.values.coin as string);
        const daysOf = checked.rows.map((r) => dayText(r.values.day));
        // The rows this file corrects, locked until the transaction ends, and the payouts settled on them.
        const existing = await tx.$queryRaw<{ id: bigint }[]>`
          SELECT s.id FROM network_snapshots s
            JOIN unnest(${coinsOf}::text[], ${daysOf}::date[]) AS f(coin, day) ON s.coin = f.coin::asset AND s.day = f.day
           ORDER BY s.id FOR UPDATE OF s`;
        const beforeRows = existing.length
          ? await tx.networkSnapshot.findMany({ where: { id: { in: existing.map((e) => e.id) } } })
          : [];
        const before = new Map(beforeRows.map((r) => [`${r.coin}|${dayText(r.day)}`, storedValues(r)]));
        const payoutCounts = await tx.$queryRaw<{ coin: string; day: string; n: string }[]>`
          SELECT p.coin::text AS coin, p.day::text AS day, count(*)::text AS n FROM daily_payouts p
            JOIN unnest(${coinsOf}::text[], ${daysOf}::date[]) AS f(coin, day) ON p.coin = f.coin::asset AND p.day = f.day
           GROUP BY p.coin, p.day`;
        const payouts = new Map(payoutCounts.map((p) => [`${p.coin}|${p.day}`, Number(p.n)]));

        const results: ImportedSnapshot[] = [];
        const toWrite: SnapshotValues[] = [];
        const corrections: {
          before: ReturnType<typeof auditValues>;
          after: ReturnType<typeof auditValues>;
          payoutsOnDay: number;
        }[] = [];
        const created: string[] = [];
        for (const { line, values } of checked.rows) {
          const key = `${values.coin}|${dayText(values.day)}`;
          const prior = before.get(key);
          const payoutsOnDay = payouts.get(key) ?? 0;
          const outcome = !prior ? "created" : sameFigures(prior, values) ? "unchanged" : "updated";
          results.push({ line, coin: values.coin, day: dayText(values.day), outcome, payoutsOnDay });
          if (outcome === "unchanged") continue;
          toWrite.push(values);
          if (prior) corrections.push({ before: auditValues(prior), after: auditValues(values), payoutsOnDay });
          else created.push(key);
        }

        if (toWrite.length) {
          const col = <T>(f: (v: SnapshotValues) => T) => toWrite.map(f);
          await tx.$executeRaw`
            INSERT INTO network_snapshots (coin, day, difficulty, network_hashrate_hs, block_time_ms, block_subsidy_base,
                                           avg_fees_per_block_base, price_micro_usd, source)
            SELECT coin::asset, day, difficulty, network_hashrate_hs, block_time_ms, block_subsidy_base,
                   avg_fees_per_block_base, price_micro_usd, source
              FROM unnest(${col((v) => v.coin as string)}::text[], ${col((v) => dayText(v.day))}::date[],
                          ${col((v) => v.difficulty?.toString() ?? null)}::numeric[], ${col((v) => v.networkHashrateHs?.toString() ?? null)}::numeric[],
                          ${col((v) => v.blockTimeMs)}::int[], ${col((v) => v.blockSubsidyBase.toString())}::numeric[],
                          ${col((v) => v.avgFeesPerBlockBase.toString())}::numeric[], ${col((v) => v.priceMicroUsd.toString())}::bigint[],
                          ${col((v) => v.source)}::text[])
                AS f(coin, day, difficulty, network_hashrate_hs, block_time_ms, block_subsidy_base, avg_fees_per_block_base, price_micro_usd, source)
            ON CONFLICT (coin, day) DO UPDATE SET
              difficulty = EXCLUDED.difficulty, network_hashrate_hs = EXCLUDED.network_hashrate_hs,
              block_time_ms = EXCLUDED.block_time_ms, block_subsidy_base = EXCLUDED.block_subsidy_base,
              avg_fees_per_block_base = EXCLUDED.avg_fees_per_block_base, price_micro_usd = EXCLUDED.price_micro_usd,
              source = EXCLUDED.source, updated_at = now()`;
          // A corrected row's figures are the file's now, no longer a live source's.
          const fixed = toWrite.filter((v) => before.has(`${v.coin}|${dayText(v.day)}`));
          if (fixed.length)
            await tx.$executeRaw`
              DELETE FROM network_value_sources v
               USING unnest(${fixed.map((v) => v.coin as string)}::text[], ${fixed.map((v) => dayText(v.day))}::date[]) AS f(coin, day)
               WHERE v.coin = f.coin::asset AND v.day = f.day`;
        }
        await appendAudit(tx, {
          actorId,
          action: "network_snapshots.imported",
          entityType: "network_snapshot",
          ip: args.ip ?? null,
          details: {
            fileName: args.fileName ?? null,
            fileSha256: createHash("sha256").update(content).digest("hex"),
            rows: results.length,
            created,
            corrections,
            unchanged: results.filter((r) => r.outcome === "unchanged").length,
          },
        });
        return {
          ok: true,
          rows: results,
          created: created.length,
          updated: corrections.length,
          unchanged: results.length - created.length - corrections.length,
        };
      },
      { timeout: 60_000 },
    );
  } catch (error) {
    // A snapshot of one of these coin-days was entered between the check and the insert.
    if (isUniqueViolation(error)) {
      return csvFileRefusal(
        "Someone saved one of these snapshots at the same moment; nothing was imported. Upload the file again.",
      );
    }
    throw error;
  }
}
