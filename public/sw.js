// Hashlease's service worker: what makes the web app installable, and the rules for what it may
// answer from a cache. Hand-written (issue 19): the project builds with Turbopack, which
// @serwist/next (a webpack plugin) cannot hook into; the rules fit in one screen anyway.
//
// The rule that matters: a page that shows money (balances, payouts, contracts, withdrawals) is
// never answered from a cache, so nobody acts on stale figures. Hence:
//   - Navigations (documents): network only. When the network fails, the offline page
//     (/offline.html, precached, no figures, no scripts) — never an earlier copy of the page.
//   - React Server Component fetches of client-side navigations (header RSC: 1, or ?_rsc=):
//     network only, not cached; when they fail the router falls back to a document navigation,
//     which gets the offline page.
//   - Static assets, cache-first: /_next/static/ (content-hashed file names, immutable) and the
//     app icons and offline page (precached under this worker's version).
//   - Everything else (the API, server actions, the manifest, uploads): not touched; the
//     browser goes to the network as if there were no worker.
// Only same-origin GETs answered 200 are ever stored. A new VERSION drops every older cache.
const VERSION = "v1";
const STATIC_CACHE = `hashlease-static-${VERSION}`;
const OFFLINE_URL = "/offline.html";
const PRECACHE = [OFFLINE_URL, "/icons/icon-192.png", "/icons/icon-512.png", "/icon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("hashlease-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      // Control the pages already open, so the first visit is covered too.
      await self.clients.claim();
    })(),
  );
});

function isStaticAsset(url) {
  return url.pathname.startsWith("/_next/static/") || PRECACHE.includes(url.pathname);
}

function isRscRequest(request, url) {
  return request.headers.get("RSC") === "1" || url.searchParams.has("_rsc");
}

async function networkOrOfflinePage(request) {
  try {
    return await fetch(request);
  } catch {
    const offline = await caches.match(OFFLINE_URL);
    return offline ?? new Response("You are offline.", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.status === 200 && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkOrOfflinePage(request));
    return;
  }
  if (isRscRequest(request, url)) return;
  if (isStaticAsset(url)) event.respondWith(cacheFirst(request));
});
