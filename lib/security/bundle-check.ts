// Scans what a build hands to browsers (<distDir>/static/**: client chunks, CSS, media, and
// prerendered HTML/RSC under <distDir>/server/app) for secrets and for code of server-only
// modules. Three kinds of needle:
//   - the actual secret values of this deployment (environment, the generated dev secrets file),
//   - secret-shaped text (Stripe secret/webhook keys, PEM blocks, database URLs with a password),
//   - markers that only exist in server-only code (Prisma client and generated client, pg,
//     the pg adapter, scrypt password hashing, the secrets module, the ledger, the `server-only`
//     guard, AWS Secrets Manager, the Stripe server SDK).
// Findings name the file and what matched, never the secret itself. lib/cli/check-bundle.ts
// runs it (`npm run check:bundle`); e2e/security.spec.ts runs it on the e2e server's build.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface SecretValue {
  /** Where the value comes from, e.g. "AUTH_SECRET (environment)"; printed instead of the value. */
  label: string;
  value: string;
}

export interface Finding {
  /** Relative to the dist dir. */
  file: string;
  kind: "secret-value" | "secret-pattern" | "server-module";
  label: string;
}

export interface ScanResult {
  filesScanned: number;
  findings: Finding[];
}

/** Shorter values are too likely to occur by chance (and are not secrets worth the name). */
const MIN_SECRET_LENGTH = 12;

const SECRET_PATTERNS: { label: string; pattern: RegExp }[] = [
  { label: "Stripe secret or restricted key (sk_/rk_)", pattern: /\b[sr]k_(?:live|test)_[0-9A-Za-z]{8,}/ },
  { label: "Stripe webhook signing secret (whsec_)", pattern: /\bwhsec_[0-9A-Za-z+/=]{8,}/ },
  { label: "PEM block (-----BEGIN ...-----)", pattern: /-----BEGIN [A-Z0-9 ]+-----/ },
  { label: "database URL with a password", pattern: /postgres(?:ql)?:\/\/[^\s"'`/@:]+:[^\s"'`/@]+@/ },
];

/** Text that appears in a bundle only when that server-only module was bundled into it. */
const SERVER_MODULE_MARKERS: { label: string; pattern: RegExp }[] = [
  { label: "`server-only` guard", pattern: /This module cannot be imported from a Client Component module/ },
  {
    label: "Prisma client runtime (@prisma/client)",
    pattern: /PrismaClient(?:KnownRequest|Initialization|UnknownRequest)Error/,
  },
  { label: "generated Prisma client (lib/generated)", pattern: /activeProvider["']?\s*:\s*["']postgresql/ },
  { label: "pg adapter (@prisma/adapter-pg)", pattern: /@prisma\/adapter-pg/ },
  { label: "PostgreSQL driver (pg)", pattern: /SASL: SCRAM-SERVER-FIRST-MESSAGE/ },
  { label: "password hashing (scrypt, lib/auth/password)", pattern: /\bscrypt(?:Sync)?\b/ },
  { label: "database client (lib/db/client)", pattern: /DATABASE_URL is not set/ },
  { label: "secrets module (lib/secrets)", pattern: /\bENCRYPTION_KEYS\b|HASHLEASE_ALLOW_DEV_SECRETS/ },
  { label: "ledger (lib/ledger)", pattern: /A journal needs at least two postings/ },
  { label: "AWS Secrets Manager client", pattern: /GetSecretValue/ },
  { label: "Stripe server SDK", pattern: /api\.stripe\.com/ },
];

const TEXT_FILE = /\.(?:m?js|css|map|json|txt|html|rsc|svg)$/;

function walk(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (TEXT_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/** The files a browser can receive from this build. */
export function clientFiles(distDir: string): string[] {
  const files = walk(path.join(distDir, "static"), []);
  // Prerendered pages and their RSC payloads are served as they are.
  for (const file of walk(path.join(distDir, "server", "app"), [])) {
    if (/\.(?:html|rsc)$/.test(file)) files.push(file);
  }
  return files.sort();
}

/**
 * The secret values of this deployment: the environment's, and those of each generated
 * secrets file (JSON of NAME: value, as lib/secrets writes it). Composite values (the key
 * ring "id:base64,id:base64", a database URL) are also split into their secret parts.
 */
export function collectSecretValues(env: Record<string, string | undefined>, secretsFiles: string[]): SecretValue[] {
  const values: SecretValue[] = [];
  const add = (label: string, value: string | undefined | null) => {
    const trimmed = value?.trim();
    if (trimmed && trimmed.length >= MIN_SECRET_LENGTH && !values.some((known) => known.value === trimmed)) {
      values.push({ label, value: trimmed });
    }
  };
  const addNamed = (name: string, value: unknown, source: string) => {
    if (typeof value !== "string") return;
    // The publishable key is meant for browsers.
    if (name === "STRIPE_PUBLISHABLE_KEY" || name.endsWith("_ACTIVE_KEY_ID")) return;
    add(`${name} (${source})`, value);
    if (name === "ENCRYPTION_KEYS" || name === "AUDIT_HMAC_KEYS" || name === "AUDIT_SIGNING_KEYS") {
      for (const entry of value.split(","))
        add(`${name} key material (${source})`, entry.slice(entry.indexOf(":") + 1));
    }
    if (name === "DATABASE_URL") {
      try {
        add(`${name} password (${source})`, decodeURIComponent(new URL(value).password));
      } catch {
        // not a URL: the whole value was added above
      }
    }
  };
  for (const name of [
    "AUTH_SECRET",
    "NEXTAUTH_SECRET",
    "ENCRYPTION_KEYS",
    "AUDIT_HMAC_KEYS",
    "AUDIT_SIGNING_KEYS",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "DATABASE_URL",
  ]) {
    addNamed(name, env[name], "environment");
  }
  for (const file of secretsFiles) {
    if (!existsSync(file)) continue;
    const record = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const [name, value] of Object.entries(record))
      addNamed(name, value, path.basename(path.dirname(file)) + "/" + path.basename(file));
  }
  return values;
}

export function scanClientBundle(distDir: string, secrets: SecretValue[]): ScanResult {
  if (!existsSync(path.join(distDir, "static")) || !statSync(path.join(distDir, "static")).isDirectory()) {
    throw new Error(
      `No build output at ${distDir}/static: run \`next build\` first (HASHLEASE_DIST_DIR picks the folder).`,
    );
  }
  const files = clientFiles(distDir);
  const findings: Finding[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const relative = path.relative(distDir, file);
    for (const secret of secrets) {
      if (text.includes(secret.value)) findings.push({ file: relative, kind: "secret-value", label: secret.label });
    }
    for (const { label, pattern } of SECRET_PATTERNS) {
      if (pattern.test(text)) findings.push({ file: relative, kind: "secret-pattern", label });
    }
    for (const { label, pattern } of SERVER_MODULE_MARKERS) {
      if (pattern.test(text)) findings.push({ file: relative, kind: "server-module", label });
    }
  }
  return { filesScanned: files.length, findings };
}

export function formatFindings(result: ScanResult): string {
  if (result.findings.length === 0)
    return `bundle check: ${result.filesScanned} client files, nothing secret or server-only found`;
  const lines = result.findings.map((finding) => `  ${finding.file}: ${finding.kind}: ${finding.label}`);
  return [`bundle check: ${result.findings.length} finding(s) in ${result.filesScanned} client files:`, ...lines].join(
    "\n",
  );
}
