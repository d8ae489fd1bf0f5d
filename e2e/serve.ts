// The e2e server: the production launcher (lib/cli/start.ts) on a fresh database with the
// demo data. With DATABASE_URL set, database "hashlease_e2e" is recreated on that server;
// without it, the embedded PGlite runs from a fresh .data/e2e folder. A non-default
// E2E_PORT gets its own database, data folder and build folder, so runs can overlap.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createPrismaClient } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { seedDemoData } from "../lib/demo/seed";
import { freshDatabase } from "../lib/testing/scratch-database";
import {
  E2E_METRICS_TOKEN,
  e2eDatabaseName,
  e2eDataDir,
  e2eDistDir,
  e2eMailSmtpPort,
  e2eMailWebPort,
  e2eStratumPort,
} from "./paths";

async function freshServerDatabase(serverUrl: string): Promise<string> {
  const url = await freshDatabase(serverUrl, e2eDatabaseName);
  await migrate(url);
  const prisma = createPrismaClient(url);
  await seedDemoData(prisma);
  await prisma.$disconnect();
  return url;
}

rmSync(e2eDataDir, { recursive: true, force: true });
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HASHLEASE_DATA_DIR: e2eDataDir,
  HASHLEASE_DIST_DIR: e2eDistDir,
  // Secrets are generated into .data/e2e/secrets.json (the bundle scan reads them there).
  HASHLEASE_ALLOW_DEV_SECRETS: "1",
  STRATUM_PORT: String(e2eStratumPort),
  // Every message goes to the local inbox, which the specs read through its REST API (e2e/mail.ts).
  HASHLEASE_LOCAL_MAIL: "1",
  // Card purchases through the test-mode checkout (no Stripe here; lib/payments/config.ts).
  HASHLEASE_TEST_CHECKOUT: "1",
  // Operator payouts from $1.50 wait for an admin (production default $1,000): the demo's operator
  // payables are a few dollars, and e2e/operator-payable.spec.ts walks the review too.
  OPERATOR_PAYOUT_REVIEW_FROM_USD: "1.50",
  // Every spec's browser comes from 127.0.0.1: one IP's hourly sign-up limit would stop the suite.
  RATE_LIMIT_MULTIPLIER: "100",
  // The Prometheus scrape (GET /api/metrics) is on, behind this token (e2e/platform.spec.ts).
  METRICS_TOKEN: E2E_METRICS_TOKEN,
  MAILDEV_SMTP_PORT: String(e2eMailSmtpPort),
  MAILDEV_WEB_PORT: String(e2eMailWebPort),
};
delete env.SMTP_URL;
delete env.AUTH_SECRET;
delete env.NEXTAUTH_SECRET;
delete env.ENCRYPTION_KEYS;
if (process.env.DATABASE_URL) {
  // This process seeds the server database (the demo withdrawer's sealed 2FA key, its links):
  // it must read the secrets the server will, from the same generated file.
  for (const name of [
    "HASHLEASE_DATA_DIR",
    "HASHLEASE_ALLOW_DEV_SECRETS",
    "SMTP_URL",
    "AUTH_SECRET",
    "NEXTAUTH_SECRET",
    "ENCRYPTION_KEYS",
  ]) {
    if (env[name] === undefined) delete process.env[name];
    else process.env[name] = env[name];
  }
  env.DATABASE_URL = await freshServerDatabase(process.env.DATABASE_URL);
}

const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/cli/start.ts"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
