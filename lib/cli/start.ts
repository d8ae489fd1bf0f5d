// npm start: the one command for a fresh machine. Without DATABASE_URL it serves the
// embedded PostgreSQL (PGlite) from .data/, migrates it and seeds demo data on first
// start; with DATABASE_URL it migrates that database (never seeds it: demo users with a
// published password do not belong in a real database). Builds the app when the sources
// changed since the last build, then runs the web server (lib/cli/web.ts) and the job queue's workers
// (lib/jobs/runner.ts, pg-boss) and the Stratum proxy (lib/stratum/, STRATUM_PORT) beside it. On the
// embedded database without SMTP_URL (or with HASHLEASE_LOCAL_MAIL=1) it also starts a local mail
// inbox (maildev: SMTP on MAILDEV_SMTP_PORT, default 1025; web inbox on MAILDEV_WEB_PORT, 1080)
// and sends every message there.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createPrismaClient } from "../db/client";
import { dataDir as embeddedDataDir, startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded";
import { migrate } from "../db/migrate";
import { DEMO_ADMIN_TOTP_SECRET, demoAdminTotpUri } from "../demo/admin";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "../demo/seed";
import {
  DEMO_ADMIN_EMAIL,
  DEMO_WITHDRAWER_EMAIL,
  DEMO_WITHDRAWER_TOTP_SECRET,
  demoWithdrawerTotpUri,
} from "../demo/withdrawer";
import { startJobs } from "../jobs/runner";
import { startLocalInbox, type LocalInbox } from "../mail/local-inbox";
import { CONNECT_STANDIN_URL_ENV, TEST_CHECKOUT_FLAG, testCheckoutAllowed } from "../payments/config";
import { STANDIN_TEST_ACCOUNTS, startStripeStandin, type StripeStandin } from "../payments/stripe-standin";
import { startStratumService } from "../stratum/service";

const port = Number(process.env.PORT ?? 3000);
const nextBin = path.resolve("node_modules/next/dist/bin/next");
const distDir = process.env.HASHLEASE_DIST_DIR ?? ".next";
const buildStamp = path.resolve(distDir, "hashlease-build-hash");

function sourceHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tsx?|css|mjs|json|prisma|svg|png|woff2)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) {
        hash
          .update(full)
          .update(String(statSync(full).size))
          .update(readFileSync(full));
      }
    }
  };
  for (const dir of ["app", "components", "lib", "public", "prisma"]) if (existsSync(dir)) walk(dir);
  for (const file of ["next.config.ts", "proxy.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"]) {
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  // next.config.ts adds bench:floor's routes to a build made with it.
  hash.update(`bench-routes=${process.env.HASHLEASE_BENCH_ROUTES ?? ""}`);
  return hash.digest("hex");
}

function buildIfNeeded(env: NodeJS.ProcessEnv) {
  const wanted = sourceHash();
  const have = existsSync(buildStamp) ? readFileSync(buildStamp, "utf8") : "";
  if (have === wanted && existsSync(path.join(distDir, "BUILD_ID"))) return;
  console.log("[hashlease] building the app (sources changed since the last build) ...");
  const buildEnv = { ...env, HASHLEASE_BUILD_ID: env.HASHLEASE_BUILD_ID || `hl-${wanted.slice(0, 20)}` };
  const result = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: buildEnv });
  if (result.status !== 0) throw new Error("next build failed");
  writeFileSync(buildStamp, wanted);
}

async function main() {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase();
    databaseUrl = embedded.url;
    // The embedded demo may generate its own secrets into .data/ even in production mode.
    env.HASHLEASE_ALLOW_DEV_SECRETS = "1";
    // This process seeds the demo (the withdrawer's sealed 2FA key, its links): the same secrets file.
    process.env.HASHLEASE_ALLOW_DEV_SECRETS = "1";
    env.DATABASE_POOL_MAX = env.DATABASE_POOL_MAX ?? "8";
    // The demo's card purchases go through the test-mode checkout (lib/payments/config.ts).
    env[TEST_CHECKOUT_FLAG] = env[TEST_CHECKOUT_FLAG] ?? "1";
    console.log(`[hashlease] embedded PostgreSQL (PGlite) from ${embeddedDataDir} at ${embedded.url}`);
  } else {
    const server = new URL(databaseUrl);
    console.log(
      `[hashlease] PostgreSQL server at ${server.hostname}:${server.port || 5432}${server.pathname} (DATABASE_URL)`,
    );
  }
  if (testCheckoutAllowed(env)) {
    // Logged at every start, so a live platform cannot run with it unnoticed.
    console.warn(
      `[hashlease] ${env.NODE_ENV === "production" ? "WARNING: " : ""}${TEST_CHECKOUT_FLAG}=1: without a Stripe key, ` +
        "card purchases use the test-mode checkout, which marks a contract paid without charging anything",
    );
  }
  let connect: StripeStandin | undefined;
  if (testCheckoutAllowed(env) && !env.STRIPE_SECRET_KEY && !env[CONNECT_STANDIN_URL_ENV]) {
    // Operator payouts go through Stripe Connect; without Stripe's servers the demo runs the
    // local stand-in of its Connect API (lib/payments/stripe-standin.ts) with two test accounts.
    connect = await startStripeStandin({ accounts: STANDIN_TEST_ACCOUNTS });
    env[CONNECT_STANDIN_URL_ENV] = connect.base;
    process.env[CONNECT_STANDIN_URL_ENV] = connect.base; // the payout job runs in this process
    const [ready, unfinished] = STANDIN_TEST_ACCOUNTS;
    console.log(
      `[hashlease] Stripe Connect stand-in at ${connect.base}: operators link ${ready!.id} (payable, bank ••${ready!.bankLast4}); ${unfinished!.id} has not finished onboarding`,
    );
  }
  env.DATABASE_URL = databaseUrl;
  env.NEXTAUTH_URL = env.NEXTAUTH_URL ?? `http://localhost:${port}`;
  let inbox: LocalInbox | undefined;
  if (env.HASHLEASE_LOCAL_MAIL === "1" || (embedded && !env.SMTP_URL)) {
    inbox = await startLocalInbox({
      smtp: Number(env.MAILDEV_SMTP_PORT ?? 1025),
      web: Number(env.MAILDEV_WEB_PORT ?? 1080),
    });
    env.SMTP_URL = inbox.smtpUrl;
    // The jobs below run in this process and read the secrets (SMTP_URL among them) from it.
    process.env.SMTP_URL = inbox.smtpUrl;
    console.log(`[hashlease] local mail inbox: ${inbox.webUrl} (every message the app sends lands there)`);
  }

  const { applied } = await migrate(databaseUrl, { log: (line) => console.log(`[hashlease] ${line}`) });
  if (embedded) {
    const prisma = createPrismaClient(databaseUrl);
    try {
      if ((await prisma.user.count()) === 0) {
        console.log("[hashlease] first start: seeding demo data ...");
        const summary = await seedDemoData(prisma, { log: (line) => console.log(`[hashlease] ${line}`) });
        console.log(`[hashlease] demo data: ${JSON.stringify(summary.counts)}`);
      }
      // At every start of the embedded demo (never on a DATABASE_URL database): the accounts, and
      // the withdrawer's and the admin's authenticator keys, which no page shows once 2FA is on.
      console.log(`[hashlease] demo accounts (password ${DEMO_PASSWORD}):`);
      for (const user of DEMO_USERS) console.log(`[hashlease]   ${user.email} — ${user.purpose}`);
      console.log(
        `[hashlease]   ${DEMO_WITHDRAWER_EMAIL} authenticator key: ${DEMO_WITHDRAWER_TOTP_SECRET} (${demoWithdrawerTotpUri()})`,
      );
      console.log(
        `[hashlease]   ${DEMO_ADMIN_EMAIL} authenticator key: ${DEMO_ADMIN_TOTP_SECRET} (${demoAdminTotpUri()})`,
      );
    } finally {
      await prisma.$disconnect();
    }
  }
  if (applied.length) console.log(`[hashlease] ${applied.length} migration(s) applied`);

  buildIfNeeded(env);
  // HASHLEASE_NODE_ARGS: extra node flags for the server process, e.g. "--cpu-prof" to profile
  // it (NODE_OPTIONS refuses that flag).
  const nodeArgs = process.env.HASHLEASE_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  // The web server: Next's handler behind node:http, which records each request's socket
  // address for the client-IP rules (lib/cli/web.ts, lib/http/client-ip.ts).
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "lib/cli/web.ts"], {
    stdio: "inherit",
    env: { ...env, PORT: String(port) },
  });
  console.log(`[hashlease] serving http://localhost:${port}`);
  const jobsPrisma = createPrismaClient(databaseUrl);
  const jobs = await startJobs(databaseUrl, jobsPrisma, { log: (line) => console.log(`[hashlease] ${line}`) });
  // The Stratum proxy beside the web server (STRATUM_PORT, default 3333); rigs mine through it.
  const stratum = await startStratumService(jobsPrisma, { log: (line) => console.log(`[hashlease] ${line}`) });
  if (embedded) {
    const rig = await jobsPrisma.rig.findFirst({
      where: { algorithm: "SHA256", status: "ACTIVE", facility: { operator: { email: "operator@hashlease.test" } } },
      orderBy: { serialNumber: "asc" },
      select: { id: true, serialNumber: true },
    });
    if (rig) {
      console.log(
        `[hashlease] watch a rig go from offline to verified: npm run miner -- --rig ${rig.id} (${rig.serialNumber}; its page: /operator/rigs/${rig.id})`,
      );
    }
  }
  // Running jobs get their time to finish (boss.stop's timeout) while the web server drains.
  const stopJobs = () => jobs.stop(Number(process.env.JOBS_STOP_TIMEOUT_MS ?? 30_000)).catch(() => {});
  const shutdown = (signal: NodeJS.Signals) => {
    void stopJobs();
    child.kill(signal);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  child.on("exit", async (code) => {
    await stopJobs();
    await stratum.stop().catch(() => {});
    await jobsPrisma.$disconnect().catch(() => {});
    await inbox?.stop().catch(() => {});
    await connect?.close().catch(() => {});
    await embedded?.stop();
    process.exit(code ?? 0);
  });
}

main().catch(async (error: unknown) => {
  console.error(`[hashlease] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
