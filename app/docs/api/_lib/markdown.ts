// The Markdown of the OpenAPI document's descriptions, a deliberately tiny subset: paragraphs
// (blank-line separated), "- " bullet lists and `code` spans. It is parsed into plain data
// and rendered as React elements, never as HTML, so no description can inject markup; anything
// outside the subset shows as the text it is. markdown.test.ts also checks that every description
// of the document stays inside the subset (an author reaching for **bold** or a [link] is told).

export type Inline = { code: boolean; text: string };
export type Block = { kind: "paragraph"; inlines: Inline[] } | { kind: "list"; items: Inline[][] };

/** `code` spans and text; an unmatched backtick is text. Soft line breaks are spaces. */
export function parseInlines(text: string): Inline[] {
  const parts = text.replace(/\s*\n\s*/g, " ").split("`");
  // An even number of parts means an odd number of backticks: the last one is unmatched.
  if (parts.length % 2 === 0) parts.splice(parts.length - 2, 2, `${parts[parts.length - 2]}\`${parts.at(-1)}`);
  return parts.map((part, i) => ({ code: i % 2 === 1, text: part })).filter((p) => p.text !== "" || p.code);
}

export function parseMarkdown(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk): Block => {
      const lines = chunk.split("\n");
      return lines.every((line) => /^\s*- /.test(line))
        ? { kind: "list", items: lines.map((line) => parseInlines(line.replace(/^\s*- /, ""))) }
        : { kind: "paragraph", inlines: parseInlines(chunk) };
    });
}

/** Markdown this renderer would show literally: emphasis, links, headings, HTML, fences, tables. */
export function outsideSubset(text: string): string[] {
  const prose = text
    .split("`")
    .filter((_, i) => i % 2 === 0)
    .join(" ");
  const found: string[] = [];
  if (/\*\*|__/.test(prose)) found.push("bold");
  if (/\]\(/.test(prose)) found.push("link");
  if (/^\s*#{1,6} /m.test(text)) found.push("heading");
  // Lower-case tags only: upper-case placeholders such as balance:<COIN> are text, not markup.
  if (/<\/?[a-z][a-z0-9]*(\s[^>]*)?\/?>/.test(prose)) found.push("html");
  if (/^\s*\|.*\|\s*$/m.test(text)) found.push("table");
  if ((text.match(/`/g) ?? []).length % 2 === 1) found.push("unmatched backtick");
  return found;
}
