// The checks every CSV upload makes before reading its rows, in the words the user sees: UTF-8
// text, a header line naming exactly the expected columns (any order, any case), at least one and
// at most a bounded number of rows. The rows themselves are each importer's business; a bad file
// is refused whole, with every problem listed by line and column.
import type { Refusal } from "./result";

/** A record of the file: its fields and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvRowError {
  /** 1-based line in the file (0: the file as a whole). */
  line: number;
  /** A column of the importer's header, "header", "row" or "file". */
  field: string;
  message: string;
}

/** Nothing was imported: the problems (at most MAX_REPORTED_ERRORS of them) and how many there are. */
export type CsvImportRefusal = Refusal<"INVALID"> & { errors: CsvRowError[]; errorCount: number };

/** Errors listed at most; the count of all is always given. */
export const MAX_REPORTED_ERRORS = 500;

export const NOT_UTF8_MESSAGE = "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.";

/** True when the text decoded with replacement characters (it was not UTF-8). */
export function isNotUtf8(text: string): boolean {
  return text.includes("\uFFFD");
}

export function emptyFileMessage(columns: readonly string[]): string {
  return `The file is empty. The first line must be the header: ${columns.join(",")}`;
}

/** `noun` names what a row holds ("rigs", "rows"). */
export function tooManyRowsMessage(count: number, max: number, noun: string): string {
  return `The file has ${count.toLocaleString("en-US")} ${noun}; upload at most ${max.toLocaleString("en-US")} per file.`;
}

/** The header's column positions, or what is wrong with it (unknown, missing, repeated columns). */
export function checkCsvHeader<C extends string>(
  fields: readonly string[],
  columns: readonly C[],
): { ok: true; index: Record<C, number> } | { ok: false; message: string } {
  const names = fields.map((f) => f.trim().toLowerCase());
  const problems: string[] = [];
  const unknown = names.filter((n) => !(columns as readonly string[]).includes(n));
  if (unknown.length)
    problems.push(`unknown ${unknown.length === 1 ? "column" : "columns"} ${unknown.map((n) => `“${n}”`).join(", ")}`);
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length) problems.push(`missing ${missing.length === 1 ? "column" : "columns"} ${missing.join(", ")}`);
  const repeated = columns.filter((c) => names.indexOf(c) !== names.lastIndexOf(c));
  if (repeated.length) problems.push(`repeated ${repeated.join(", ")}`);
  if (problems.length)
    return { ok: false, message: `The header must be ${columns.join(",")}: ${problems.join("; ")}.` };
  return { ok: true, index: Object.fromEntries(columns.map((c) => [c, names.indexOf(c)])) as Record<C, number> };
}

/** A problem with the file as a whole. */
export function csvFileRefusal(message: string): CsvImportRefusal {
  return { ok: false, code: "INVALID", message, errors: [{ line: 0, field: "file", message }], errorCount: 1 };
}

/** Problems in rows, listed in line order (a stable sort: a row's problems keep their order). */
export function csvRowsRefusal(errors: readonly CsvRowError[]): CsvImportRefusal {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  const rows = new Set(sorted.map((e) => e.line)).size;
  return {
    ok: false,
    code: "INVALID",
    message: `Nothing was imported: ${sorted.length} ${sorted.length === 1 ? "problem" : "problems"} in ${rows} ${rows === 1 ? "row" : "rows"}. Fix the file and upload it again.`,
    errors: sorted.slice(0, MAX_REPORTED_ERRORS),
    errorCount: sorted.length,
  };
}

/**
 * The file's first record as the header of exactly `columns`, then at least one and at most
 * `rows.max` records below it: the header, its column positions and the records, or the refusal.
 * `rows.noun` names what a row holds in the count ("rigs"), `rows.none` is said of a header alone.
 */
export function checkCsvTable<C extends string>(
  records: readonly CsvRecord[],
  columns: readonly C[],
  rows: { max: number; noun: string; none: string },
):
  | { ok: true; header: CsvRecord; index: Record<C, number>; records: CsvRecord[] }
  | { ok: false; refusal: CsvImportRefusal } {
  const [header, ...rest] = records;
  if (!header) return { ok: false, refusal: csvFileRefusal(emptyFileMessage(columns)) };
  const checked = checkCsvHeader(header.fields, columns);
  if (!checked.ok)
    return { ok: false, refusal: csvRowsRefusal([{ line: header.line, field: "header", message: checked.message }]) };
  if (rest.length === 0) return { ok: false, refusal: csvFileRefusal(rows.none) };
  if (rest.length > rows.max)
    return { ok: false, refusal: csvFileRefusal(tooManyRowsMessage(rest.length, rows.max, rows.noun)) };
  return { ok: true, header, index: checked.index, records: rest };
}

/** A record with another number of fields than the header has, or null. */
export function fieldCountError(header: CsvRecord, record: CsvRecord): CsvRowError | null {
  if (record.fields.length === header.fields.length) return null;
  return {
    line: record.line,
    field: "row",
    message: `This row has ${record.fields.length} fields; the header has ${header.fields.length}.`,
  };
}

/** An upload over `maxBytes` (as sent or as text), refused with the row count to split it by; else null. */
export function csvTooLarge(
  file: { content: string; byteLength: number },
  limits: { maxBytes: number; maxRows: number; noun: string },
): CsvImportRefusal | null {
  if (file.byteLength <= limits.maxBytes && Buffer.byteLength(file.content) <= limits.maxBytes) return null;
  return csvFileRefusal(
    `The file is larger than ${limits.maxBytes / 1_000_000} MB. Split it into files of at most ${limits.maxRows.toLocaleString("en-US")} ${limits.noun}.`,
  );
}
