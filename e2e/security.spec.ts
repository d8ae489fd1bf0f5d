// Security headers, the nonce-only script policy in a real browser, cookie flags, foreign-origin
// refusal of server actions and cookie-authenticated route handlers, and the client-bundle
// scan of the build this e2e server runs (lib/security/bundle-check.ts).
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { collectSecretValues, formatFindings, scanClientBundle } from "../lib/security/bundle-check";
import { DEMO, NEW_USER_PASSWORD, submitSignIn } from "./helpers";
import { latestMailTo, mailCountTo } from "./mail";
import { e2eDataDir, e2eDistDir } from "./paths";

const EVIL = "https://evil.example";

function directives(policy: string | undefined): Map<string, string[]> {
  expect(policy, "Content-Security-Policy header").toBeTruthy();
  return new Map(
    (policy ?? "").split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

function expectBaseHeaders(headers: Record<string, string>) {
  expect(headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  expect(headers["permissions-policy"]).toBe("camera=(), microphone=(), geolocation=()");
  expect(headers["x-powered-by"]).toBeUndefined();
}

/** The page's policy allows scripts by nonce only, and every script tag in the HTML carries it. */
/** A page navigation's or an API request's response: both have these. */
type AnyResponse = { headers(): Record<string, string>; text(): Promise<string> };

async function expectNoncePolicy(response: AnyResponse | null | undefined): Promise<string> {
  expect(response, "a response").toBeTruthy();
  const headers = response!.headers();
  expectBaseHeaders(headers);
  const policy = directives(headers["content-security-policy"]);
  const scriptSrc = policy.get("script-src") ?? [];
  const nonce = scriptSrc.find((value) => value.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
  expect(nonce, `script-src ${scriptSrc.join(" ")} has a nonce`).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(policy.get("default-src")).toEqual(["'self'"]);
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(policy.get("base-uri")).toEqual(["'self'"]);
  expect(policy.get("form-action")).toEqual(["'self'"]);

  const html = await response!.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, "Next's bootstrap and chunk scripts").toBeGreaterThan(2);
  for (const tag of scripts) expect(tag, "script without this request's nonce").toContain(`nonce="${nonce}"`);
  return nonce!;
}

/** Collects CSP violations (console reports and securitypolicyviolation events) on a page. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text()))
      console.push(message.text());
  });
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = list;
    document.addEventListener("securitypolicyviolation", (event) =>
      list.push(`${event.effectiveDirective} ${event.blockedURI}`),
    );
  });
  return async () => [
    ...console,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])),
  ];
}

/** Next's client runtime ran (hydrated): the nonce'd scripts were allowed. */
async function expectHydrated(page: Page) {
  await expect
    .poll(() => page.evaluate(() => typeof (window as unknown as { next?: { version?: string } }).next?.version))
    .toBe("string");
}

test("public pages send the security headers and a script policy of this request's nonce only", async ({ request }) => {
  const nonces = new Set<string>();
  for (const url of ["/", "/marketplace", "/login", "/register", "/no-such-page"]) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(url === "/no-such-page" ? 404 : 200);
    nonces.add(await expectNoncePolicy(response));
  }
  // A fresh nonce on every request.
  expect(nonces.size).toBe(5);
  expect(await expectNoncePolicy(await request.get("/"))).not.toBe([...nonces][0]);
});

test("API routes send the security headers and a policy that runs nothing", async ({ request }) => {
  for (const url of ["/api/health", "/api/auth/session", "/api/v1/listings"]) {
    const response = await request.get(url);
    expectBaseHeaders(response.headers());
    const policy = directives(response.headers()["content-security-policy"]);
    expect(policy.get("default-src"), url).toEqual(["'none'"]);
    expect(policy.has("script-src"), url).toBe(false);
    expect(policy.get("frame-ancestors"), url).toEqual(["'none'"]);
  }
  // The Stripe webhook still answers (a signature problem, not a proxy or policy one).
  const webhook = await request.post("/api/stripe/webhook", {
    data: "{}",
    headers: { "content-type": "application/json" },
  });
  expect([400, 404]).toContain(webhook.status());
  expectBaseHeaders(webhook.headers());
});

test("signed in, the app runs under the policy without violations; cookies are httpOnly and SameSite", async ({
  page,
  baseURL,
}) => {
  const violations = await watchViolations(page);
  await expectNoncePolicy(await page.goto("/login"));
  await expectHydrated(page);
  await submitSignIn(page, DEMO.customer);
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await violations()).toEqual([]);

  await expectNoncePolicy(await page.goto("/dashboard"));
  await expectHydrated(page);
  expect(await violations()).toEqual([]);

  await expectNoncePolicy(await page.goto("/marketplace"));
  await expectHydrated(page);
  await expect(page.getByText(/Antminer S21/).first()).toBeVisible();
  // Client-side navigation into a listing (RSC fetch + the purchase panel's client code).
  await page.locator('main a[href^="/marketplace/"]').first().click();
  await expect(page).toHaveURL(/\/marketplace\/[^/?]+/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await violations()).toEqual([]);

  // The control: an inline script without the nonce, as an injection into the HTML would
  // put it, is blocked and reported, while the page's own nonce'd scripts still run.
  await page.route("**/marketplace", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("<body", "<script>window.__injected = true;</script><body");
    await route.fulfill({ response, body: html });
  });
  await page.goto("/marketplace");
  await expectHydrated(page);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  await expect.poll(async () => (await violations()).some((line) => /script-src/.test(line))).toBe(true);
  await page.unroute("**/marketplace");

  const cookies = await page.context().cookies();
  const https = (baseURL ?? "").startsWith("https://");
  const session = cookies.find(
    (cookie) => cookie.name === (https ? "__Secure-next-auth.session-token" : "next-auth.session-token"),
  );
  expect(session, `session cookie among ${cookies.map((cookie) => cookie.name).join(", ")}`).toBeTruthy();
  for (const cookie of cookies) {
    expect(cookie.httpOnly, `${cookie.name} httpOnly`).toBe(true);
    expect(["Lax", "Strict"], `${cookie.name} SameSite`).toContain(cookie.sameSite);
    // Secure whenever served over https; the http://localhost demo could not keep Secure cookies.
    expect(cookie.secure, `${cookie.name} Secure`).toBe(https);
  }
});

test("a server action from a foreign origin, oversize or undecodable gets a clear 4xx; the same request from the app's origin runs", async ({
  page,
  request,
}) => {
  // A real server action request, as the browser sends it: the registration form's.
  let captured: { headers: Record<string, string>; body: Buffer } | null = null;
  await page.route("**/register", async (route) => {
    const sent = route.request();
    const headers = await sent.allHeaders();
    if (sent.method() === "POST" && headers["next-action"]) {
      captured = { headers, body: sent.postDataBuffer() ?? Buffer.alloc(0) };
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await page.goto("/register");
  await expectHydrated(page);
  const email = `csrf-${Date.now()}@example.com`;
  await page.getByLabel("Full name").fill("Cross Site");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(NEW_USER_PASSWORD);
  await page.getByLabel("I accept the terms of service").check();
  await page.getByRole("button", { name: /create account/i }).click();
  await expect.poll(() => captured !== null).toBe(true);
  const { headers, body } = captured!;
  expect(headers["next-action"]).toMatch(/^[0-9a-f]{40,}$/);

  const ownOrigin = new URL(page.url()).origin;
  const replay = (origin: string, data: Buffer = body, contentType = headers["content-type"]!) =>
    request.post("/register", {
      headers: {
        "next-action": headers["next-action"]!,
        "content-type": contentType,
        accept: headers.accept ?? "text/x-component",
        ...(headers["next-router-state-tree"] ? { "next-router-state-tree": headers["next-router-state-tree"] } : {}),
        origin,
      },
      data,
      maxRedirects: 0,
    });

  // Refused by the proxy (lib/http/action-guard.ts) with a short message, never Next's 500 page.
  for (const origin of [EVIL, "null"]) {
    const foreign = await replay(origin);
    expect(foreign.status(), origin).toBe(403);
    expect(await foreign.text()).toContain("Origin is foreign");
    expect(foreign.headers()["x-action-redirect"]).toBeUndefined();
  }
  const oversize = await replay(ownOrigin, Buffer.concat([body, Buffer.alloc(1024 * 1024 + 1, 0x61)]));
  expect(oversize.status()).toBe(413);
  expect(await oversize.text()).toContain("too large");
  const truncated = await replay(ownOrigin, body.subarray(0, Math.floor(body.length / 2)));
  expect(truncated.status()).toBe(400);
  const notJson = await replay(ownOrigin, Buffer.from("{not json"), "text/plain;charset=UTF-8");
  expect(notJson.status()).toBe(400);
  expect(await notJson.text()).not.toMatch(/digest|Error:|at /);

  // The foreign request created nothing: no verification mail went out. The app's own does.
  expect(await mailCountTo(email)).toBe(0);
  const own = await replay(ownOrigin);
  expect(own.status()).toBeLessThan(400);
  expect(own.headers()["x-action-redirect"]).toContain("/login?registered=1");
  await expect(latestMailTo(email, "Verify your email")).resolves.toBeTruthy();
  expect(await mailCountTo(email)).toBe(1);
});

test("next-auth provider routes it cannot serve answer 405/404, not 500", async ({ request }) => {
  const get = await request.get("/api/auth/callback/credentials", { maxRedirects: 0 });
  expect(get.status()).toBe(405);
  expect(get.headers().allow).toBe("POST");
  expect((await get.json()).error.code).toBe("METHOD_NOT_ALLOWED");
  expect((await request.post("/api/auth/callback/github", { maxRedirects: 0 })).status()).toBe(404);
});

test("a cookie-authenticated route handler refuses a foreign origin", async ({ request, baseURL }) => {
  const body = { listingId: "x", hashrate: "1", days: 30, paymentMethod: "BALANCE_USD" };
  const foreign: Record<string, string>[] = [{ origin: EVIL }, { origin: "null" }, { "sec-fetch-site": "cross-site" }];
  for (const headers of foreign) {
    const refused = await request.post("/api/contracts", { data: body, headers });
    expect(refused.status(), JSON.stringify(headers)).toBe(403);
    expect((await refused.json()).error.code).toBe("FOREIGN_ORIGIN");
  }
  // Same origin passes the check and meets the session check.
  const own = await request.post("/api/contracts", { data: body, headers: { origin: new URL(baseURL!).origin } });
  expect(own.status()).toBe(401);
});

test("the client bundle of this build holds no secret and no server-only module", async ({ request }) => {
  // The server generates its secrets on first use; make sure they exist to be looked for.
  expect((await request.get("/api/auth/session")).ok()).toBe(true);
  const secrets = collectSecretValues(process.env, [path.join(e2eDataDir, "secrets.json")]);
  expect(secrets.map((secret) => secret.label)).toEqual(
    expect.arrayContaining([`AUTH_SECRET (${path.basename(e2eDataDir)}/secrets.json)`]),
  );
  const result = scanClientBundle(e2eDistDir, secrets);
  expect(result.filesScanned).toBeGreaterThan(10);
  expect(result.findings, formatFindings(result)).toEqual([]);
});
