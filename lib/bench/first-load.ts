// First-load JavaScript of the App Router pages of a Next.js production build, from its
// manifests (used by lib/bench/bundle.ts; method described there).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

interface ClientManifest {
  clientModules: Record<string, { chunks: string[] }>;
  entryJSFiles?: Record<string, string[]>;
}

export interface PageFirstLoad {
  /** The URL path pattern, e.g. "/marketplace/[id]". */
  route: string;
  /** Script files (relative to the dist dir) a module browser loads on the first visit. */
  files: string[];
  gzipBytes: number;
  rawBytes: number;
  /** Client modules (project paths) per file, for the --chunks listing. */
  modulesByFile: Record<string, string[]>;
}

export interface BuildFirstLoad {
  pages: PageFirstLoad[];
  /** `<script noModule>` files: fetched only by browsers without ES modules, not counted. */
  polyfillFiles: string[];
  polyfillGzipBytes: number;
  size(file: string): { gzip: number; raw: number };
}

/** Reads every page's first-load set from the build in `distDir`. */
export function readFirstLoad(distDir: string): BuildFirstLoad {
  const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(distDir, file), "utf8")) as T;
  const buildManifest = readJson<{ rootMainFiles?: string[]; polyfillFiles?: string[]; lowPriorityFiles?: string[] }>(
    "build-manifest.json",
  );
  if (!buildManifest.rootMainFiles?.length)
    throw new Error(`${distDir}/build-manifest.json has no rootMainFiles: not an App Router build`);
  // A failed build leaves the previous one's files beside its own: refuse a mix.
  const buildId = readFileSync(path.join(distDir, "BUILD_ID"), "utf8").trim();
  const manifestBuildId = buildManifest.lowPriorityFiles
    ?.map((file) => /^static\/([^/]+)\/_buildManifest\.js$/.exec(file)?.[1])
    .find(Boolean);
  if (manifestBuildId && manifestBuildId !== buildId) {
    throw new Error(
      `${distDir} mixes two builds (BUILD_ID ${buildId}, build-manifest.json ${manifestBuildId}): rebuild with --build`,
    );
  }
  const appPaths = readJson<Record<string, string>>("app-path-routes-manifest.json");

  const sizes = new Map<string, { gzip: number; raw: number }>();
  const size = (file: string) => {
    let entry = sizes.get(file);
    if (!entry) {
      const bytes = readFileSync(path.join(distDir, file));
      entry = { gzip: gzipSync(bytes, { level: 9 }).length, raw: bytes.length };
      sizes.set(file, entry);
    }
    return entry;
  };

  const pages: PageFirstLoad[] = [];
  for (const [page, route] of Object.entries(appPaths).sort(([, a], [, b]) => a.localeCompare(b))) {
    if (!page.endsWith("/page")) continue; // route handlers ship no JavaScript
    const manifest = clientManifest(distDir, page);
    const files = new Set(buildManifest.rootMainFiles);
    for (const list of Object.values(manifest.entryJSFiles ?? {})) for (const file of list) files.add(file);
    const modulesByFile: Record<string, string[]> = {};
    for (const [id, module] of Object.entries(manifest.clientModules)) {
      const name = id
        .replace(/^\[project\]\//, "")
        .replace(/ <.*$/, "")
        .replace(/#.*$/, "");
      for (const chunk of module.chunks) {
        const file = chunk.replace(/^\/?_next\//, "");
        if (files.has(file) && !(modulesByFile[file] ??= []).includes(name)) modulesByFile[file].push(name);
      }
    }
    let gzipBytes = 0;
    let rawBytes = 0;
    for (const file of files) {
      gzipBytes += size(file).gzip;
      rawBytes += size(file).raw;
    }
    pages.push({ route, files: [...files], gzipBytes, rawBytes, modulesByFile });
  }
  if (pages.length === 0) throw new Error(`no App Router pages in ${distDir}`);
  const polyfillFiles = buildManifest.polyfillFiles ?? [];
  return {
    pages,
    polyfillFiles,
    polyfillGzipBytes: polyfillFiles.reduce((sum, file) => sum + size(file).gzip, 0),
    size,
  };
}

/** Loads server/app/<page>_client-reference-manifest.js (it assigns globalThis.__RSC_MANIFEST[page]). */
function clientManifest(distDir: string, page: string): ClientManifest {
  const file = path.join(distDir, "server/app", `${page}_client-reference-manifest.js`);
  if (!existsSync(file)) throw new Error(`no client-reference manifest for ${page} (${file})`);
  const sandbox: { __RSC_MANIFEST?: Record<string, ClientManifest> } = {};
  vm.runInNewContext(readFileSync(file, "utf8"), sandbox, { filename: file, timeout: 5000 });
  const manifest = sandbox.__RSC_MANIFEST?.[page];
  if (!manifest?.entryJSFiles) throw new Error(`${file} has no entryJSFiles for ${page}`);
  return manifest;
}

/** `<script src>` files in an HTML document, split by whether a module browser runs them. */
export function scriptsInHtml(html: string): { loaded: string[]; noModule: string[] } {
  const loaded: string[] = [];
  const noModule: string[] = [];
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    const src = /\ssrc=["']([^"']+)["']/i.exec(tag)?.[1];
    if (!src) continue;
    const file = src.replace(/^.*?\/_next\//, "").replace(/[?#].*$/, "");
    (/\snomodule\b/i.test(tag) ? noModule : loaded).push(file);
  }
  return { loaded: [...new Set(loaded)], noModule: [...new Set(noModule)] };
}

/**
 * Checks a page's counted files against its HTML: every script a module browser runs must be
 * counted, and every counted file must be referenced by the page, as a script tag or in the
 * inline RSC payload from which React loads client components' chunks (e.g. the error
 * boundary's) while hydrating.
 */
export function compareWithHtml(
  files: readonly string[],
  html: string,
): { uncounted: string[]; unreferenced: string[] } {
  return {
    uncounted: scriptsInHtml(html).loaded.filter((file) => !files.includes(file)),
    unreferenced: files.filter((file) => !html.includes(file)),
  };
}

/** Prerendered HTML files of the build: [route, file]. */
export function prerenderedHtml(distDir: string): [string, string][] {
  const dir = path.join(distDir, "server/app");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const rel = path
        .relative(dir, file)
        .replace(/\.html$/, "")
        .split(path.sep)
        .join("/");
      return [rel === "index" ? "/" : `/${rel}`, file];
    });
}

/** kB (1024 bytes) to one decimal. */
export const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
