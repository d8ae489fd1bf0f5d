import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { outsideSubset, parseInlines, parseMarkdown } from "./markdown";

describe("the Markdown subset of /docs/api", () => {
  it("parses paragraphs, lists and code spans", () => {
    expect(parseMarkdown("Send `Authorization`\nwith it.\n\n- `path` first\n- then the query\n\nLast.")).toEqual([
      {
        kind: "paragraph",
        inlines: [
          { code: false, text: "Send " },
          { code: true, text: "Authorization" },
          { code: false, text: " with it." },
        ],
      },
      {
        kind: "list",
        items: [
          [
            { code: true, text: "path" },
            { code: false, text: " first" },
          ],
          [{ code: false, text: "then the query" }],
        ],
      },
      { kind: "paragraph", inlines: [{ code: false, text: "Last." }] },
    ]);
  });

  it("shows an unmatched backtick and markup as the text they are", () => {
    expect(parseInlines("a `b` c ` d")).toEqual([
      { code: false, text: "a " },
      { code: true, text: "b" },
      { code: false, text: " c ` d" },
    ]);
    expect(parseInlines("<script>x</script>")).toEqual([{ code: false, text: "<script>x</script>" }]);
    expect(outsideSubset("**bold** and [a](b) and <b>x</b> and `ok **here**`")).toEqual(["bold", "link", "html"]);
    expect(outsideSubset("one ` tick")).toEqual(["unmatched backtick"]);
  });

  it("every description in the OpenAPI document stays inside the subset", () => {
    const found: string[] = [];
    const walk = (value: unknown, at: string) => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
      else if (value && typeof value === "object")
        for (const [key, inner] of Object.entries(value)) {
          if (key === "description" && typeof inner === "string") {
            const outside = outsideSubset(inner);
            if (outside.length) found.push(`${at}: ${outside.join(", ")}`);
          } else if (key !== "example") walk(inner, `${at}.${key}`);
        }
    };
    walk(openApiDocument(), "$");
    expect(found).toEqual([]);
  });
});
