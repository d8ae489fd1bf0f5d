import { describe, expect, it } from "vitest";
import { csvField, readCsv } from "./csv";

describe("readCsv", () => {
  it("reads records with the line each starts on", () => {
    expect(readCsv("a,b,c\n1,2,3\n")).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ["a", "b", "c"] },
        { line: 2, fields: ["1", "2", "3"] },
      ],
    });
  });

  it("handles CRLF, CR and LF mixed, a BOM, blank lines and no final newline", () => {
    const result = readCsv("\uFEFFa,b\r\n1,2\n\n3,4\r5,6");
    expect(result).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1", "2"] },
        { line: 4, fields: ["3", "4"] },
        { line: 5, fields: ["5", "6"] },
      ],
    });
  });

  it("reads quoted fields with commas, doubled quotes and line breaks; lines keep counting", () => {
    const result = readCsv('name,note\r\n"Hall, North","say ""hi"""\r\n"two\r\nlines",x\r\nlast,y\r\n');
    expect(result).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ["name", "note"] },
        { line: 2, fields: ["Hall, North", 'say "hi"'] },
        { line: 3, fields: ["two\r\nlines", "x"] },
        { line: 5, fields: ["last", "y"] },
      ],
    });
  });

  it("keeps empty fields", () => {
    expect(readCsv("a,,c\n,,\n")).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ["a", "", "c"] },
        { line: 2, fields: ["", "", ""] },
      ],
    });
  });

  it("reports malformed quoting at its line", () => {
    expect(readCsv('a,b\n1,"open\n2,3\n')).toMatchObject({ ok: false, line: 2 });
    expect(readCsv('a,b\n1,2\n3,x"y\n')).toMatchObject({ ok: false, line: 3 });
    expect(readCsv('a,b\n"x"y,2\n')).toMatchObject({ ok: false, line: 2 });
  });

  it("an empty file has no records", () => {
    expect(readCsv("")).toEqual({ ok: true, records: [] });
    expect(readCsv("\n\n  \n")).toEqual({ ok: true, records: [] });
  });

  it("quotes fields that need it, and they read back", () => {
    const fields = ["plain", "a,b", 'say "x"', "two\nlines"];
    const line = fields.map(csvField).join(",");
    expect(readCsv(line)).toEqual({ ok: true, records: [{ line: 1, fields }] });
  });
});
