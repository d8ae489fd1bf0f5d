// Hostile requests to every route handler and every server action of the build this e2e server
// runs, enumerated from the build's own manifests (app-paths-manifest.json for routes,
// server-reference-manifest.json for actions), so a new endpoint is covered without editing this
// file. Each gets generated JSON (fast-check), malformed, mistyped, empty, oversize (1 MB and 20 MB, with and without
// Content-Length), deeply nested, invalid-UTF-8, unicode-digit, SQL- and script-shaped bodies,
// a missing, foreign and "null" Origin, and no session or a fresh user's session. Asserted:
// never a 5xx, the server stays healthy, and the money tables are unchanged (a checksum before
// and after). Bounded: the 20 MB cases go to a few endpoints only; the whole file stays well
// under three minutes on the CI machine.
import { existsSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import pg from "pg";
import { NEW_USER_PASSWORD, registerAndSignIn } from "./helpers";
import { e2eDatabaseUrl, e2eDistDir } from "./paths";

const ROOT = path.resolve(import.meta.dirname, "..");
const SERVER = path.join(ROOT, e2eDistDir, "server");
const UUID = "00000000-0000-4000-8000-000000000000";
const EVIL = "https://evil.example";
const MB = 1024 * 1024;

// ---- what the build serves --------------------------------------------------------------------

/** A concrete URL path for an app path: dynamic segments get plausible values. */
function concretePath(appPath: string): string {
  const filled = appPath
    .replace(/\/(page|route)$/, "")
    .replace(/\[\.\.\.nextauth\]/, "session")
    .replace(/\[coin\]/, "BTC")
    .replace(/\[day\]/, "2026-01-01")
    .replace(/\[year\]/, "2026")
    .replace(/\[[^\]]+\]/g, UUID);
  return filled === "" ? "/" : filled;
}

interface RouteTarget {
  path: string;
  methods: string[];
}

function routes(): RouteTarget[] {
  const manifest = JSON.parse(readFileSync(path.join(SERVER, "app-paths-manifest.json"), "utf8")) as Record<
    string,
    string
  >;
  return (
    Object.keys(manifest)
      .filter((appPath) => appPath.endsWith("/route"))
      // Metadata routes (app/icon.svg) are static files with no handler source of their own.
      .filter((appPath) => existsSync(path.join(ROOT, "app", `${appPath}.ts`)))
      .map((appPath) => {
        const source = readFileSync(path.join(ROOT, "app", `${appPath}.ts`), "utf8");
        const methods = new Set<string>();
        for (const m of source.matchAll(
          /export\s+(?:async\s+function|const|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g,
        ))
          methods.add(m[1]!);
        for (const m of source.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
        return { path: concretePath(appPath), methods: [...methods] };
      })
      .filter((route) => route.methods.length > 0)
  );
}

interface ActionTarget {
  id: string;
  name: string;
  path: string;
}

function actions(): ActionTarget[] {
  const manifest = JSON.parse(readFileSync(path.join(SERVER, "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const pages = Object.keys(entry.workers).filter((w) => w.endsWith("/page") && !w.includes("_not-found"));
    // The page of the action's own folder if it has one, else the first page that loads it.
    const own = `app/${path.dirname(entry.filename).replace(/^app\/?/, "")}/page`;
    const page = pages.find((p) => p === own) ?? pages.find((p) => !p.includes("[")) ?? pages[0] ?? "app/page";
    return { id, name: `${entry.filename}#${entry.exportedName}`, path: concretePath(page.replace(/^app/, "")) };
  });
}

// ---- the hostile bodies ------------------------------------------------------------------------

const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '<script>alert("x")</script>',
  "١٢٣٫٤٥", // Arabic-Indic digits
  "１２３", // fullwidth digits
  "1e309",
  "-0",
  "\u0000",
  "x".repeat(10_000),
];
const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const INVALID_UTF8 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);

/**
 * Generated JSON documents (fast-check, fixed seed so a failure reproduces): objects with the
 * field names the app reads and arbitrary values, plus arbitrary JSON values of any shape.
 */
const GENERATED_BODIES: string[] = [
  ...fc.sample(
    fc.dictionary(
      fc.constantFrom("email", "amount", "coin", "hashrate", "days", "listingId", "paymentMethod", "address", "code"),
      fc.jsonValue({ maxDepth: 3 }),
    ),
    { numRuns: 4, seed: 20261207 },
  ),
  ...fc.sample(fc.jsonValue({ maxDepth: 4 }), { numRuns: 2, seed: 7 }),
].map((value) => JSON.stringify(value) ?? "null");

const JSON_BODIES: (string | Buffer)[] = [
  ...GENERATED_BODIES,
  "",
  "{",
  "{not json",
  "null",
  "[]",
  '{"hashrate":1,"days":"thirty","paymentMethod":[],"amount":{}}',
  JSON.stringify(Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`f${i}`, s]))),
  JSON.stringify({ email: HOSTILE_STRINGS[0], amount: HOSTILE_STRINGS[3], coin: HOSTILE_STRINGS[2] }),
  deep(5_000),
  INVALID_UTF8,
];

/** Action arguments as React's encodeReply would send them (JSON text), but wrong for every action. */
const ACTION_ARGS: string[] = [
  "[]",
  '[{"a":1},null]',
  JSON.stringify(["$undefined", ...HOSTILE_STRINGS]),
  JSON.stringify([UUID, { ok: false }, "' OR 1=1 --"]),
  deep(2_000),
];

function multipartBody(fields: [string, string | Buffer][]): { body: Buffer; contentType: string } {
  const boundary = `----hashleasefuzz${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
    parts.push(typeof value === "string" ? Buffer.from(value) : value);
    parts.push(Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const FORM_FIELDS = ["email", "password", "amount", "coin", "label", "address", "hashrate", "days", "code", "name"];

function hostileForms(): { body: Buffer; contentType: string }[] {
  return [
    multipartBody(FORM_FIELDS.map((f, i) => [`1_${f}`, HOSTILE_STRINGS[i % HOSTILE_STRINGS.length]!])),
    multipartBody(FORM_FIELDS.map((f, i) => [f, HOSTILE_STRINGS[(i + 3) % HOSTILE_STRINGS.length]!])),
    multipartBody([
      ["0", "[]"],
      ["amount", INVALID_UTF8],
      ["1_amount", INVALID_UTF8],
    ]),
  ];
}

// ---- sending ------------------------------------------------------------------------------------

type Sent = { status: number; label: string };

/** One request straight over HTTP: exact bytes, optional chunked body (no Content-Length). */
function rawSend(
  baseURL: string,
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  body: Buffer | null,
  chunked = false,
): Promise<number> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: urlPath, method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`timeout ${method} ${urlPath}`)));
    req.on("error", (error: NodeJS.ErrnoException) => {
      // A server may answer (and close) before it has read a refused oversize body.
      if (error.code === "EPIPE" || error.code === "ECONNRESET") resolve(-1);
      else reject(error);
    });
    if (body && chunked) {
      for (let i = 0; i < body.length; i += MB) req.write(body.subarray(i, i + MB));
      req.end();
    } else req.end(body ?? undefined);
  });
}

async function send(
  api: APIRequestContext,
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  data?: string | Buffer,
): Promise<number> {
  const response = await api.fetch(urlPath, {
    method,
    headers,
    ...(data === undefined || method === "GET" ? {} : { data }),
    maxRedirects: 0,
    failOnStatusCode: false,
    timeout: 60_000,
  });
  await response.body().catch(() => undefined);
  return response.status();
}

// ---- the money tables ---------------------------------------------------------------------------

// Jobs keep running beside the suite (reservation expiry changes a contract's status, settlement
// adds payout journals at UTC midnight), so contracts are summed over what a request could set.
const CHECKSUMS = {
  journal_transactions: "SELECT count(*)::text || ':' || coalesce(max(created_at)::text, '') FROM journal_transactions",
  postings: "SELECT count(*)::text || ':' || coalesce(sum(abs(amount))::text, '0') FROM postings",
  ledger_accounts: "SELECT count(*)::text || ':' || coalesce(sum(abs(balance))::text, '0') FROM ledger_accounts",
  contracts: "SELECT count(*)::text || ':' || coalesce(sum(hashrate_hs)::text, '0') FROM contracts",
  withdrawals:
    "SELECT count(*)::text || ':' || md5(coalesce(string_agg(id::text || status::text, ',' ORDER BY id), '')) FROM withdrawals",
  withdrawal_addresses: "SELECT count(*)::text FROM withdrawal_addresses",
  users: "SELECT count(*)::text FROM users",
};

async function moneyChecksum(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const [name, sql] of Object.entries(CHECKSUMS)) out[name] = (await client.query(sql)).rows[0]!["?column?"];
    return out;
  } finally {
    await client.end();
  }
}

test("every route and server action answers hostile requests below 500 and changes no money", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(360_000);
  const routeList = routes();
  const actionList = actions();
  expect(routeList.length).toBeGreaterThan(20);
  expect(actionList.length).toBeGreaterThan(40);

  // A fresh customer's session (never a shared demo user: an action may sign it out everywhere).
  const context = await browser.newContext();
  const page = await context.newPage();
  await registerAndSignIn(page, {
    name: "Fuzz Tester",
    email: `fuzz-${Date.now()}@example.com`,
    password: NEW_USER_PASSWORD,
  });
  const signedIn = page.request;
  const anonymous = (await browser.newContext()).request;
  const origin = new URL(baseURL!).origin;

  const before = await moneyChecksum();
  const fivexx: Sent[] = [];
  const counts = { routes: routeList.length, actions: actionList.length, requests: 0 };
  const record = (status: number, label: string) => {
    counts.requests++;
    if (status >= 500) fivexx.push({ status, label });
  };

  for (const route of routeList) {
    for (const method of route.methods) {
      for (const [who, api] of [
        ["anonymous", anonymous],
        ["customer", signedIn],
      ] as const) {
        // Every body with the app's own Origin; the foreign, "null" and missing Origin with one of them.
        const cases: [string, Record<string, string>, string | Buffer | undefined][] =
          method === "GET"
            ? ["", "?from=%ZZ&limit=-1&id=' OR 1=1--&x=%00", `?${"a=1&".repeat(500)}`].flatMap((query) => [
                [query, {}, undefined] as [string, Record<string, string>, undefined],
                [query, { origin: EVIL }, undefined] as [string, Record<string, string>, undefined],
              ])
            : [
                ...JSON_BODIES.map((body): [string, Record<string, string>, string | Buffer] => ["", { origin }, body]),
                ["", { origin: EVIL }, "{}"],
                ["", { origin: "null" }, "{}"],
                ["", {}, JSON_BODIES[GENERATED_BODIES.length + 5]!],
              ];
        for (const [query, headers, body] of cases) {
          const status = await send(
            api,
            method,
            route.path + query,
            { "content-type": "application/json", "idempotency-key": `fuzz-${counts.requests}-key`, ...headers },
            body,
          );
          record(
            status,
            `${who} ${method} ${route.path}${query.slice(0, 40)} ${JSON.stringify(headers)} ${String(body ?? "").slice(0, 30)}`,
          );
        }
        if (method !== "GET") {
          const oversize = Buffer.alloc(MB + 1, 0x61);
          record(
            await send(api, method, route.path, { "content-type": "application/json", origin }, oversize),
            `${who} ${method} ${route.path} 1 MB`,
          );
        }
      }
    }
  }

  const forms = hostileForms();
  for (const action of actionList) {
    for (const [who, api] of [
      ["anonymous", anonymous],
      ["customer", signedIn],
    ] as const) {
      const base = { "next-action": action.id, accept: "text/x-component" };
      const label = (what: string) => `${who} ${action.name} at ${action.path}: ${what}`;
      for (const args of ACTION_ARGS) {
        record(
          await send(api, "POST", action.path, { ...base, origin, "content-type": "text/plain;charset=UTF-8" }, args),
          label(args.slice(0, 40)),
        );
      }
      for (const form of forms) {
        record(
          await send(api, "POST", action.path, { ...base, origin, "content-type": form.contentType }, form.body),
          label("hostile form"),
        );
      }
      // The proxy's refusals (lib/http/action-guard.ts), with their exact statuses.
      const refused: [number, Record<string, string>, string | Buffer][] = [
        [400, { origin, "content-type": "text/plain;charset=UTF-8" }, "{not json"],
        [400, { origin, "content-type": "text/plain;charset=UTF-8" }, INVALID_UTF8],
        [400, { origin, "content-type": "multipart/form-data; boundary=zz" }, "--zz\r\nbroken"],
        [403, { origin: EVIL, "content-type": "text/plain;charset=UTF-8" }, "[]"],
        [403, { origin: "null", "content-type": "text/plain;charset=UTF-8" }, "[]"],
        [413, { origin, "content-type": "text/plain;charset=UTF-8" }, Buffer.alloc(MB + 1, 0x5b)],
      ];
      for (const [expected, headers, body] of refused) {
        const status = await send(api, "POST", action.path, { ...base, ...headers }, body);
        record(status, label(`expected ${expected}`));
        expect(status, label(`expected ${expected}`)).toBe(expected);
      }
      // Missing Origin is Next's to judge; below 500 all the same.
      record(
        await send(api, "POST", action.path, { ...base, "content-type": "text/plain;charset=UTF-8" }, "[]"),
        label("no Origin"),
      );
    }
  }

  // 20 MB, with and without Content-Length, to a few endpoints only (bounded time).
  const twenty = Buffer.alloc(20 * MB, 0x61);
  const big: { path: string; headers: Record<string, string> }[] = [
    ...actionList.slice(0, 3).map((a) => ({
      path: a.path,
      headers: { "next-action": a.id, origin, "content-type": "text/plain;charset=UTF-8" },
    })),
    { path: "/api/contracts", headers: { origin, "content-type": "application/json" } },
    { path: "/api/v1/orders", headers: { "content-type": "application/json" } },
    { path: "/api/stripe/webhook", headers: { "content-type": "application/json" } },
  ];
  for (const target of big) {
    for (const chunked of [false, true]) {
      const status = await rawSend(
        baseURL!,
        "POST",
        target.path,
        { ...target.headers, ...(chunked ? {} : { "content-length": String(twenty.length) }) },
        twenty,
        chunked,
      );
      record(status, `20 MB ${chunked ? "chunked" : "with Content-Length"} to ${target.path}`);
    }
  }

  expect(fivexx, `${fivexx.length} answers of 5xx`).toEqual([]);
  // Still healthy, and nothing in the money tables moved.
  expect((await anonymous.get("/api/health")).status()).toBe(200);
  const after = await moneyChecksum();
  expect(after).toEqual(before);
  console.log(`fuzz: ${counts.routes} routes, ${counts.actions} server actions, ${counts.requests} requests`);
  await context.close();
});
