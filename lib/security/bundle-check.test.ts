import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectSecretValues, formatFindings, scanClientBundle } from "./bundle-check";

let dist: string;

async function put(relative: string, text: string) {
  await mkdir(path.dirname(path.join(dist, relative)), { recursive: true });
  await writeFile(path.join(dist, relative), text);
}

beforeEach(async () => {
  dist = await mkdtemp(path.join(tmpdir(), "bundle-check-"));
  await put("static/chunks/app.js", 'self.__next_f.push([1,"hello"]);function a(e){return e.width+"%"}');
  await put("server/app/index.html", "<html><body>Hashlease</body></html>");
});
afterEach(() => rm(dist, { recursive: true, force: true }));

const AUTH = "Zq3nA9vX1bT7cL0pQ2wE5rY8uI4oK6hG";
const KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

describe("bundle check", () => {
  it("passes a clean build", () => {
    const result = scanClientBundle(dist, collectSecretValues({ AUTH_SECRET: AUTH }, []));
    expect(result).toEqual({ filesScanned: 2, findings: [] });
    expect(formatFindings(result)).toMatch(/nothing secret or server-only found/);
  });

  it("finds this deployment's secret values, also a key ring entry on its own, without printing them", async () => {
    await put("static/chunks/leak.js", `var k="${KEY}";`);
    await put("server/app/page.rsc", `0:{"s":"${AUTH}"}`);
    await put(
      "secrets/secrets.json",
      JSON.stringify({ AUTH_SECRET: "an-unrelated-generated-secret-value", ENCRYPTION_KEYS: `k1:${KEY}` }),
    );
    const secrets = collectSecretValues({ AUTH_SECRET: AUTH, STRIPE_PUBLISHABLE_KEY: "pk_test_abcdefghijklmnop" }, [
      path.join(dist, "secrets/secrets.json"),
    ]);
    const result = scanClientBundle(dist, secrets);
    expect(result.findings).toEqual([
      { file: "server/app/page.rsc", kind: "secret-value", label: "AUTH_SECRET (environment)" },
      {
        file: "static/chunks/leak.js",
        kind: "secret-value",
        label: "ENCRYPTION_KEYS key material (secrets/secrets.json)",
      },
    ]);
    expect(formatFindings(result)).not.toContain(KEY);
    expect(formatFindings(result)).not.toContain(AUTH);
  });

  it("ignores values too short to be secrets and the publishable key, splits a database URL's password", () => {
    const secrets = collectSecretValues(
      {
        AUTH_SECRET: "short",
        STRIPE_PUBLISHABLE_KEY: "pk_test_abcdefghijklmnop",
        DATABASE_URL: "postgresql://app:s3cr3t-passw0rd!@db:5432/app",
      },
      [],
    );
    expect(secrets.map((secret) => secret.label)).toEqual([
      "DATABASE_URL (environment)",
      "DATABASE_URL password (environment)",
    ]);
    expect(secrets[1]?.value).toBe("s3cr3t-passw0rd!");
  });

  it("finds secret-shaped text and server-only module code", async () => {
    await put("static/chunks/stripe.js", 'const s="sk_live_' + "4eC39HqLyjWDarjtT1zdp7dc" + '";');
    await put("static/chunks/pem.js", 'const k="-----BEGIN PRIVATE KEY-----\\nMIIE";');
    await put("static/chunks/db.js", 'const u="postgres://app:hunter2hunter2@db:5432/app";');
    await put(
      "static/chunks/prisma.js",
      'class x extends Error{name="PrismaClientKnownRequestError"};const c={activeProvider:"postgresql"}',
    );
    await put(
      "static/chunks/pg.js",
      'throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string")',
    );
    await put("static/chunks/password.js", 'r.scrypt(p,s,64,o,cb);["scrypt",N].join("$")');
    await put(
      "static/chunks/guard.js",
      'throw Error("This module cannot be imported from a Client Component module. It should only be used from a Server Component.")',
    );
    const labels = scanClientBundle(dist, []).findings.map((finding) => `${finding.file} ${finding.label}`);
    expect(labels).toEqual([
      "static/chunks/db.js database URL with a password",
      "static/chunks/guard.js `server-only` guard",
      "static/chunks/password.js password hashing (scrypt, lib/auth/password)",
      "static/chunks/pem.js PEM block (-----BEGIN ...-----)",
      "static/chunks/pg.js PostgreSQL driver (pg)",
      "static/chunks/prisma.js Prisma client runtime (@prisma/client)",
      "static/chunks/prisma.js generated Prisma client (lib/generated)",
      "static/chunks/stripe.js Stripe secret or restricted key (sk_/rk_)",
    ]);
  });

  it("refuses to pass when there is no build to scan", () => {
    expect(() => scanClientBundle(path.join(dist, "missing"), [])).toThrow(/No build output/);
  });
});
