// The checks every CSV upload makes before reading its rows, in the words the user sees: UTF-8
// text, a header line naming exactly the expected columns (any order, any case), at least one and
// at most a bounded number of rows. The rows themselves are each importer's business.

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
