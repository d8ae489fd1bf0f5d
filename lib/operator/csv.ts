// A small RFC 4180 CSV reader that knows on which line each record starts, so errors can
// name it. Fields are separated by commas; a field in double quotes may hold commas, line
// breaks and doubled quotes (""); lines end in \n, \r\n or \r, mixed freely. A byte-order
// mark is ignored; blank lines are skipped. A quote inside an unquoted field, text after a
// closing quote, or an unclosed quote is an error at its line.
import type { CsvRecord } from "../shared/csv-upload";

export type CsvReadResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

export function readCsv(text: string): CsvReadResult {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < input.length) {
    const startLine = line;
    const fields: string[] = [];
    let field = "";
    let endOfRecord = false;
    let fieldStart = true;
    while (!endOfRecord) {
      if (i >= input.length) {
        fields.push(field);
        break;
      }
      const char = input[i]!;
      if (fieldStart && char === '"') {
        // Quoted field: read to the closing quote.
        const quoteLine = line;
        i += 1;
        for (;;) {
          if (i >= input.length)
            return { ok: false, line: quoteLine, message: 'A quoted field is never closed (a " is missing).' };
          const c = input[i]!;
          if (c === '"') {
            if (input[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          if (c === "\r" || c === "\n") {
            if (c === "\r" && input[i + 1] === "\n") {
              field += "\r";
              i += 1;
            }
            line += 1;
          }
          field += input[i];
          i += 1;
        }
        const next = input[i];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          return {
            ok: false,
            line,
            message: "Text follows a closing quote; quote the whole field and double any quote inside it.",
          };
        }
        fieldStart = false;
        continue;
      }
      if (char === ",") {
        fields.push(field);
        field = "";
        fieldStart = true;
        i += 1;
        continue;
      }
      if (char === "\n" || char === "\r") {
        fields.push(field);
        i += char === "\r" && input[i + 1] === "\n" ? 2 : 1;
        line += 1;
        endOfRecord = true;
        continue;
      }
      if (char === '"') {
        return {
          ok: false,
          line,
          message: "A quote appears inside an unquoted field; put the whole field in quotes and double the quote.",
        };
      }
      field += char;
      fieldStart = false;
      i += 1;
    }
    const blank = fields.length === 1 && fields[0]!.trim() === "";
    if (!blank) records.push({ line: startLine, fields });
  }
  return { ok: true, records };
}

/** A field for a CSV file: quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
