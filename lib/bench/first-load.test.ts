import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { compareWithHtml, prerenderedHtml, readFirstLoad, scriptsInHtml } from "./first-load";

// A miniature build in the layout Next 16 writes: root main files, a noModule polyfill, two
// pages with their client-reference manifests, a route handler and one prerendered page.
const dist = mkdtempSync(path.join(tmpdir(), "first-load-"));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const chunk = (name: string, body: string) => {
  mkdirSync(path.join(dist, "static/chunks"), { recursive: true });
  writeFileSync(path.join(dist, "static/chunks", name), body);
  return `static/chunks/${name}`;
};
const framework = chunk("framework.js", "var react=" + JSON.stringify("x".repeat(5000)) + ";");
const runtime = chunk("runtime.js", "(()=>{var turbopack=1})();");
const polyfill = chunk("polyfill.js", "/* polyfills */".repeat(100));
const layout = chunk("layout.js", "nav();".repeat(300));
const marketplace = chunk("listing.js", Array.from({ length: 400 }, (_, i) => `calc${i}();`).join(""));

function manifest(
  page: string,
  entryJSFiles: Record<string, string[]>,
  clientModules: Record<string, { chunks: string[] }>,
) {
  const dir = path.join(dist, "server/app", path.dirname(page));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dist, "server/app", `${page}_client-reference-manifest.js`),
    `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST[${JSON.stringify(page)}] = ${JSON.stringify({ moduleLoading: { prefix: "" }, clientModules, entryJSFiles })};`,
  );
}

writeFileSync(path.join(dist, "BUILD_ID"), "build-1");
const buildManifest = {
  pages: { "/_app": [] },
  polyfillFiles: [polyfill],
  lowPriorityFiles: ["static/build-1/_buildManifest.js", "static/build-1/_ssgManifest.js"],
  rootMainFiles: [framework, runtime],
};
writeFileSync(path.join(dist, "build-manifest.json"), JSON.stringify(buildManifest));
writeFileSync(
  path.join(dist, "app-path-routes-manifest.json"),
  JSON.stringify({ "/page": "/", "/marketplace/[id]/page": "/marketplace/[id]", "/api/health/route": "/api/health" }),
);
manifest(
  "/page",
  { "[project]/app/layout": [layout], "[project]/app/page": [layout] },
  {
    "[project]/components/main-nav.tsx <module evaluation>": { chunks: [`/_next/${layout}`] },
  },
);
manifest(
  "/marketplace/[id]/page",
  { "[project]/app/layout": [layout], "[project]/app/marketplace/[id]/page": [layout, marketplace] },
  {
    "[project]/components/main-nav.tsx": { chunks: [`/_next/${layout}`] },
    "[project]/components/purchase/purchase-panel.tsx#PurchasePanel": {
      chunks: [`/_next/${layout}`, `/_next/${marketplace}`],
    },
  },
);
mkdirSync(path.join(dist, "server/app"), { recursive: true });
writeFileSync(
  path.join(dist, "server/app/index.html"),
  `<html><head><script src="/_next/${framework}" async=""></script><script src="/_next/${runtime}" async=""></script>` +
    `<script src="/_next/${polyfill}" noModule=""></script></head><body><script>self.__next_f.push([1,"I[1,[\\"/_next/${layout}\\"]]"])</script></body></html>`,
);

describe("readFirstLoad", () => {
  const build = readFirstLoad(dist);

  it("counts the root main files and the route's entry chunks, once each, and only pages", () => {
    expect(build.pages.map((p) => p.route)).toEqual(["/", "/marketplace/[id]"]);
    const [home, listing] = build.pages;
    expect(new Set(home!.files)).toEqual(new Set([framework, runtime, layout]));
    expect(home!.files).toHaveLength(3);
    expect(new Set(listing!.files)).toEqual(new Set([framework, runtime, layout, marketplace]));
  });

  it("sums each file's own gzip -9 size, and leaves the noModule polyfill out", () => {
    const size = (file: string) => build.size(file).gzip;
    const [home, listing] = build.pages;
    expect(home!.gzipBytes).toBe(size(framework) + size(runtime) + size(layout));
    expect(listing!.gzipBytes).toBe(home!.gzipBytes + size(marketplace));
    expect(build.size(layout).gzip).toBe(gzipSync(Buffer.from("nav();".repeat(300)), { level: 9 }).length);
    expect(build.size(layout).raw).toBe("nav();".length * 300);
    expect(build.polyfillFiles).toEqual([polyfill]);
    expect(build.polyfillGzipBytes).toBe(size(polyfill));
    expect(home!.files).not.toContain(polyfill);
  });

  it("names the client modules in each file", () => {
    const listing = build.pages[1]!;
    expect(listing.modulesByFile[marketplace]).toEqual(["components/purchase/purchase-panel.tsx"]);
    expect(listing.modulesByFile[layout]).toEqual([
      "components/main-nav.tsx",
      "components/purchase/purchase-panel.tsx",
    ]);
  });

  it("refuses a build whose manifests come from another build (a failed rebuild)", () => {
    const mixed = mkdtempSync(path.join(tmpdir(), "first-load-mixed-"));
    try {
      writeFileSync(path.join(mixed, "BUILD_ID"), "build-2");
      writeFileSync(path.join(mixed, "build-manifest.json"), JSON.stringify(buildManifest));
      writeFileSync(path.join(mixed, "app-path-routes-manifest.json"), JSON.stringify({}));
      expect(() => readFirstLoad(mixed)).toThrow(/mixes two builds \(BUILD_ID build-2, build-manifest.json build-1\)/);
    } finally {
      rmSync(mixed, { recursive: true, force: true });
    }
  });

  it("refuses a page without its client-reference manifest", () => {
    const broken = mkdtempSync(path.join(tmpdir(), "first-load-broken-"));
    try {
      writeFileSync(path.join(broken, "BUILD_ID"), "b");
      writeFileSync(
        path.join(broken, "build-manifest.json"),
        JSON.stringify({ rootMainFiles: [framework], polyfillFiles: [] }),
      );
      writeFileSync(path.join(broken, "app-path-routes-manifest.json"), JSON.stringify({ "/page": "/" }));
      expect(() => readFirstLoad(broken)).toThrow(/no client-reference manifest for \/page/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe("HTML check", () => {
  it("splits script tags into module-browser scripts and noModule ones, without query strings", () => {
    const html =
      '<script src="/_next/static/chunks/a.js?dpl=1" async=""></script><script src="/_next/static/chunks/a.js"></script>' +
      '<script src="/_next/static/chunks/p.js" noModule=""></script><script id="x">inline()</script>';
    expect(scriptsInHtml(html)).toEqual({ loaded: ["static/chunks/a.js"], noModule: ["static/chunks/p.js"] });
  });

  it("accepts counted files referenced only by the RSC payload, and reports both kinds of mismatch", () => {
    const [route, file] = prerenderedHtml(dist)[0]!;
    expect(route).toBe("/");
    const html = readFileSync(file, "utf8");
    const home = readFirstLoad(dist).pages[0]!;
    expect(compareWithHtml(home.files, html)).toEqual({ uncounted: [], unreferenced: [] });
    expect(compareWithHtml([framework, runtime, layout, marketplace], html)).toEqual({
      uncounted: [],
      unreferenced: [marketplace],
    });
    expect(compareWithHtml([runtime, layout], html)).toEqual({ uncounted: [framework], unreferenced: [] });
  });
});
