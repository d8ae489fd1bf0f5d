// npm run bench:bundle — first-load JavaScript per app route, from a production build.
//
// Reads the build in HASHLEASE_DIST_DIR (default .next); builds it first with `next build`
// when it is missing or `--build` is passed. For every page route, first-load JS is the set
// of script files a browser fetches on the first visit to that route:
//   - build-manifest.json `rootMainFiles` (React, the App Router runtime, Turbopack's loader);
//   - the route's `entryJSFiles` from server/app/<route>/page_client-reference-manifest.js:
//     the client chunks of every segment the route renders (root and nested layouts, the
//     page, and the error / not-found / forbidden boundaries on its path).
// These are the page's `<script src async>` tags plus the chunks React loads during hydration
// for client components named in the inline RSC payload (the error boundary's). The
// `polyfillFiles` script is `<script noModule>`: browsers with ES modules (all that Next 16
// supports) skip it, so it is reported on its own line and not counted.
//
// The method is checked against HTML (lib/bench/first-load.ts compareWithHtml): the build's
// prerendered pages always, and with --verify=<url> every page that a `next start` of this same
// build serves without path parameters, anonymously or signed in as one of the demo users
// (--verify-users=a@x,b@y to name others; password BENCH_PASSWORD, default the demo one).
// A mismatch fails the bench (exit 2) rather than print a figure it cannot vouch for.
//
// Sizes: each file gzipped on its own with zlib level 9 (how `next start` or a CDN serves
// them), summed; 1 kB = 1024 bytes.
//
// Flags: --build (rebuild first), --check (exit 1 when a route is over the target),
// --chunks (each route's files beyond the shared ones, with the client modules in them).
// Prints a table and one `BENCH_RESULT {...}` line for `npm run bench`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compareWithHtml, kb, prerenderedHtml, readFirstLoad } from "./first-load";
import { loadText, RESULT_PREFIX, signIn } from "./server";

const TARGET_KB = 150;
const distDir = path.resolve(process.env.HASHLEASE_DIST_DIR ?? ".next");
const args = process.argv.slice(2);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const verifyUrl = option("verify");
// Users to sign in as for --verify (the demo users by default), so member pages are checked too.
const verifyUsers = (option("verify-users") ?? "customer@hashlease.test,operator@hashlease.test,admin@hashlease.test")
  .split(",")
  .filter(Boolean);
const verifyPassword = process.env.BENCH_PASSWORD ?? "hashlease-demo";

function build() {
  // Next rewrites tsconfig.json's include list for a non-default dist dir: put it back.
  const tsconfig = existsSync("tsconfig.json") ? readFileSync("tsconfig.json", "utf8") : null;
  const relDist = path.relative(process.cwd(), distDir) || ".next";
  console.log(`building into ${relDist} (next build)…`);
  const result = spawnSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, HASHLEASE_DIST_DIR: relDist, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (tsconfig !== null && readFileSync("tsconfig.json", "utf8") !== tsconfig) writeFileSync("tsconfig.json", tsconfig);
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

async function main() {
  if (args.includes("--build") || !existsSync(path.join(distDir, "BUILD_ID"))) build();
  const build_ = readFirstLoad(distDir);
  const byRoute = new Map(build_.pages.map((page) => [page.route, page]));

  const mismatches: string[] = [];
  const verified: string[] = [];
  const compare = (route: string, html: string) => {
    const page = byRoute.get(route);
    if (!page) return;
    const { uncounted, unreferenced } = compareWithHtml(page.files, html);
    if (uncounted.length || unreferenced.length) {
      mismatches.push(
        `${route}: HTML runs uncounted ${uncounted.join(", ") || "-"}; counted but absent from the HTML ${unreferenced.join(", ") || "-"}`,
      );
    }
    verified.push(route);
  };
  for (const [route, file] of prerenderedHtml(distDir)) compare(route, readFileSync(file, "utf8"));
  if (verifyUrl) {
    const buildId = readFileSync(path.join(distDir, "BUILD_ID"), "utf8").trim();
    const cookies: (string | null)[] = [null];
    for (const email of verifyUsers) cookies.push(await signIn(verifyUrl.replace(/\/$/, ""), email, verifyPassword));
    for (const page of build_.pages) {
      if (page.route.includes("[") || page.route.startsWith("/_")) continue; // no path parameters to hand
      for (const cookie of cookies) {
        const res = await fetch(new URL(page.route, verifyUrl), {
          redirect: "manual",
          headers: cookie ? { cookie } : {},
        });
        if (res.status !== 200) continue; // sign-in redirects, forbidden
        const html = await res.text();
        if (!html.includes(buildId))
          throw new Error(`${verifyUrl} does not serve the build in ${distDir} (build id ${buildId})`);
        compare(page.route, html);
        break;
      }
    }
  }

  // /_global-error is the fallback document for a crashed root layout, not a route anyone visits.
  const pages = build_.pages.filter((page) => page.route !== "/_global-error");
  const shared = pages
    .map((page) => new Set(page.files))
    .reduce((a, b) => new Set([...a].filter((file) => b.has(file))));
  const sharedBytes = [...shared].reduce((sum, file) => sum + build_.size(file).gzip, 0);

  const width = Math.max(...pages.map((page) => page.route.length), 5);
  console.log(
    `first-load JS per route (${path.relative(process.cwd(), distDir)}; gzip -9 per file, summed; 1 kB = 1024 B)`,
  );
  console.log(`${"route".padEnd(width)} | kB gzip | kB raw | target    | met?`);
  console.log(`${"-".repeat(width)}-|---------|--------|-----------|-----`);
  for (const page of pages) {
    const gzip = kb(page.gzipBytes);
    console.log(
      `${page.route.padEnd(width)} | ${gzip.toFixed(1).padStart(7)} | ${kb(page.rawBytes).toFixed(1).padStart(6)} | <= ${TARGET_KB} kB | ${gzip <= TARGET_KB ? "yes" : "NO"}`,
    );
  }
  console.log(`shared by every route: ${kb(sharedBytes).toFixed(1)} kB gzip (${shared.size} files)`);
  console.log(
    `not counted: noModule polyfills ${kb(build_.polyfillGzipBytes).toFixed(1)} kB gzip (${build_.polyfillFiles.join(", ") || "none"}), fetched only by browsers without ES modules`,
  );
  console.log(
    `method check against HTML: ${verified.join(", ") || "no page"}${mismatches.length ? " — FAILED" : " — consistent"}${verifyUrl ? "" : " (--verify=<url of next start on this build> checks the public pages too)"}`,
  );

  if (args.includes("--chunks")) {
    for (const page of pages) {
      const own = page.files.filter((file) => !shared.has(file));
      if (own.length === 0) continue;
      console.log(`\n${page.route}`);
      for (const file of own) {
        console.log(
          `  ${kb(build_.size(file).gzip).toFixed(1).padStart(6)} kB  ${file}  ${(page.modulesByFile[file] ?? []).join(", ")}`,
        );
      }
    }
    console.log(`\nshared`);
    for (const file of shared) {
      const modules = pages.find((page) => page.modulesByFile[file])?.modulesByFile[file] ?? ["(runtime)"];
      console.log(`  ${kb(build_.size(file).gzip).toFixed(1).padStart(6)} kB  ${file}  ${modules.join(", ")}`);
    }
  }

  const over = pages.filter((page) => kb(page.gzipBytes) > TARGET_KB);
  const maxFirstLoadKb = Math.max(...pages.map((page) => kb(page.gzipBytes)));
  const load = loadText();
  // One object for both readers: the bundle fields, and the {bench, metrics, load, ok} shape
  // of lib/bench/server.ts that `npm run bench` aggregates.
  const result = {
    name: "bundle",
    maxFirstLoadKb,
    targetKb: TARGET_KB,
    sharedKb: kb(sharedBytes),
    polyfillNoModuleKb: kb(build_.polyfillGzipBytes),
    routes: Object.fromEntries(pages.map((page) => [page.route, kb(page.gzipBytes)])),
    bench: "bundle",
    metrics: [
      {
        name: "max first-load JS",
        value: maxFirstLoadKb,
        unit: "kB gzip",
        target: `<= ${TARGET_KB} kB`,
        met: over.length === 0,
        note: `${over.length} of ${pages.length} routes over; shared ${kb(sharedBytes)} kB; noModule polyfills (${kb(build_.polyfillGzipBytes)} kB) not counted`,
      },
    ],
    load: { before: load, after: load },
    // A missed target reads MISSED in `npm run bench`; ok is about the measurement itself.
    ok: mismatches.length === 0,
  };
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
  if (mismatches.length) {
    for (const line of mismatches) console.error(`method check failed: ${line}`);
    process.exitCode = 2;
  } else if (args.includes("--check") && over.length) {
    console.error(`over ${TARGET_KB} kB: ${over.map((page) => `${page.route} ${kb(page.gzipBytes)} kB`).join(", ")}`);
    process.exitCode = 1;
  }
}

await main();
