// Shared pieces of the HTTP benchmarks (bench:purchase, bench:pages, bench:api): a fresh
// scratch database, the production app started the way `npm start` starts it (building into
// its own dist dir when the sources changed), next-auth sign-in over HTTP, percentiles, the
// machine's load, and the one machine-readable result line `npm run bench` (lib/bench/all.ts)
// reads from each bench's output.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { dropDatabase } from "../testing/scratch-database";
import { startWebInstance, type WebInstance } from "../testing/web-instance";

/** The PostgreSQL server the benches use: DATABASE_URL's, else the local one. */
export function serverUrl(): string {
  return process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
}

export async function waitFor(url: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

export interface BenchApp {
  base: string;
  /** The database the app serves (the embedded one's URL when `databaseUrl` was empty). */
  databaseUrl: string;
  /** The app's data dir (development secrets, the embedded database). */
  dataDir: string;
  process: ChildProcess;
  /** What one more instance of this app needs (same database, build, secrets and settings): see startMoreInstances. */
  instanceEnv: NodeJS.ProcessEnv;
  stop(): void;
}

export interface StartAppOptions {
  port: number;
  /** Empty: the embedded PGlite, served by the launcher from `dataDir`. */
  databaseUrl: string;
  /** Wiped first; holds the generated development secrets (and the embedded database). */
  dataDir: string;
  extraEnv?: Record<string, string>;
}

/**
 * Starts `lib/cli/start.ts` (migrate, build into .next-bench when the sources changed, `next
 * start`, the jobs) and waits for /api/health. Next's build adds its dist dir's types to
 * tsconfig.json; the file is put back as it was once the app answers, so a bench leaves the
 * working tree untouched.
 */
export async function startApp(options: StartAppOptions): Promise<BenchApp> {
  const dataDir = path.resolve(options.dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    HASHLEASE_DATA_DIR: dataDir,
    HASHLEASE_DIST_DIR: process.env.BENCH_DIST_DIR ?? ".next-bench",
    HASHLEASE_ALLOW_DEV_SECRETS: "1",
    ...options.extraEnv,
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  const tsconfig = readFileSync("tsconfig.json", "utf8");
  const app = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/cli/start.ts"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<never>((_, reject) =>
    app.on("exit", (code) => reject(new Error(`the app exited (code ${code}) before answering`))),
  );
  exited.catch(() => {});
  const base = `http://127.0.0.1:${options.port}`;
  try {
    await Promise.race([waitFor(`${base}/api/health`, 900), exited]);
  } catch (error) {
    app.kill("SIGTERM");
    throw error;
  } finally {
    if (readFileSync("tsconfig.json", "utf8") !== tsconfig) writeFileSync("tsconfig.json", tsconfig);
  }
  const databaseUrl =
    options.databaseUrl ||
    (JSON.parse(readFileSync(path.join(dataDir, "embedded-db.json"), "utf8")) as { url: string }).url;
  const instanceEnv: NodeJS.ProcessEnv = {
    ...env,
    DATABASE_URL: databaseUrl,
    // As lib/cli/start.ts sets them for its web server.
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://localhost:${options.port}`,
    DATABASE_POOL_MAX: env.DATABASE_POOL_MAX ?? (options.databaseUrl ? undefined : "8"),
  };
  return { base, databaseUrl, dataDir, process: app, instanceEnv, stop: () => void app.kill("SIGTERM") };
}

/**
 * An API key of `email` (scopes such as "read,trade"), made by the real `npm run api-key` command
 * with the app's environment (its database and generated secrets).
 */
export function createApiKey(app: BenchApp, email: string, scopes: string): { keyId: string; secret: string } {
  const result = spawnSync(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "lib/cli/api-key.ts", "--email", email, "--scopes", scopes, "--label", "bench"],
    {
      env: {
        ...process.env,
        DATABASE_URL: app.databaseUrl,
        HASHLEASE_DATA_DIR: app.dataDir,
        HASHLEASE_ALLOW_DEV_SECRETS: "1",
      },
      encoding: "utf8",
    },
  );
  const keyId = /^key id: (\S+)$/m.exec(result.stdout)?.[1];
  const secret = /^secret: (\S+)$/m.exec(result.stdout)?.[1];
  if (result.status !== 0 || !keyId || !secret)
    throw new Error(`npm run api-key failed (${result.status}): ${result.stdout}${result.stderr}`);
  return { keyId, secret };
}

/** `--instances N` (default 1): how many app instances a bench runs the load against besides one. */
export function instancesArg(argv: string[]): number {
  const at = argv.findIndex((a) => a === "--instances" || a.startsWith("--instances="));
  if (at === -1) return 1;
  const text = argv[at]!.includes("=") ? argv[at]!.slice("--instances=".length) : argv[at + 1];
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 4) {
    console.error(`--instances needs 1 to 4, got "${text}"`);
    process.exit(2);
  }
  return n;
}

/**
 * `count` more instances of `app` on ports firstPort, firstPort + 1, ...: the web server alone
 * (lib/cli/web.ts) from the same build, on the same database with the same secrets, as further
 * machines behind a load balancer would run it (lib/testing/web-instance.ts).
 */
export async function startMoreInstances(app: BenchApp, count: number, firstPort: number): Promise<WebInstance[]> {
  const started: WebInstance[] = [];
  try {
    for (let i = 0; i < count; i++) {
      started.push(await startWebInstance({ port: firstPort + i, env: app.instanceEnv, timeoutMs: 120_000 }));
    }
  } catch (error) {
    await Promise.all(started.map((instance) => instance.stop()));
    throw error;
  }
  return started;
}

/** "1 instance" / "2 instances" beside a figure. */
export function instancesText(n: number): string {
  return `${n} instance${n === 1 ? "" : "s"}`;
}

/**
 * The note every --instances comparison prints: on this machine the instances, PostgreSQL and the
 * load generator share the same cores, so a second instance adds processes, not CPU.
 */
export function instancesNote(instances: number): string {
  const cores = cpus().length;
  return (
    `${instancesText(instances)} share ${cores} cores with PostgreSQL and the load generator: more processes, ` +
    `no more CPU, so expect little or no gain here (a ratio near 1x, or below from the extra process; the ` +
    `load of the machine moves between runs, hence one-instance runs before and after, and the ratio against their mean); ` +
    `the comparison shows that the instances share one database's state correctly, not how they scale on separate machines`
  );
}

/**
 * CPU seconds (user + system) used so far by `rootPid` and its descendants (Linux /proc; null
 * elsewhere). The difference over a timed run divided by its requests is the app's CPU per
 * request: unlike latency, it hardly moves with what else the machine runs. Exited children's
 * time is not counted; the app's processes live through a run.
 */
export function processTreeCpuSeconds(rootPid: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const pid of entries) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      // After "(comm)": state ppid ... utime (14th field) stime (15th).
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(pid), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // exited meanwhile
    }
  }
  if (!stats.has(rootPid)) return null;
  let ticks = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, stat] of stats) if (stat.ppid === pid) queue.push(child);
  }
  return ticks / 100; // USER_HZ, 100 on Linux
}

/**
 * The first process under `rootPid` whose command line contains `marker` (Linux /proc; null when
 * none): e.g. the web server (lib/cli/web.ts) that lib/cli/start.ts runs beside its jobs, whose
 * CPU alone is the server's cost per request.
 */
export function descendantPid(rootPid: number, marker: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  for (const pid of entries) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      parent.set(Number(pid), Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === rootPid) return true;
    return false;
  };
  for (const pid of parent.keys()) {
    if (!under(pid)) continue;
    try {
      if (
        readFileSync(`/proc/${pid}/cmdline`, "utf8")
          .split("\0")
          .some((arg) => arg.includes(marker))
      )
        return pid;
    } catch {
      // exited meanwhile
    }
  }
  return null;
}

/** Signs in through next-auth's credentials flow; returns the session cookie ("name=value"). */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const csrfCookie = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed for ${email} (${res.status})`);
  return session.split(";")[0]!;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The 1-, 5- and 15-minute load averages. */
export function loadText(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

export const RESULT_PREFIX = "BENCH_RESULT ";

export interface BenchMetric {
  /** e.g. "marketplace p95". */
  name: string;
  /** The figure as a number in `unit`, null when it could not be measured. */
  value: number | null;
  unit: string;
  /** e.g. "< 100 ms"; absent when the figure has no target. */
  target?: string;
  /** Whether the target is met; absent without a target. */
  met?: boolean;
  note?: string;
}

export interface BenchResult {
  bench: string;
  metrics: BenchMetric[];
  /** Load averages (1/5/15 min) when the timed part started and ended. */
  load: { before: string; after: string };
  ok: boolean;
}

/** Prints the machine-readable result line that `npm run bench` parses (one JSON object). */
export function printResult(result: BenchResult): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}

/**
 * Stops the app, gives its pool two seconds to close, then drops the scratch database `drop`
 * names (none: kept); a database that will not drop is reported, not thrown over the result.
 */
export async function stopApp(app: BenchApp, drop: { server?: string; database?: string }): Promise<void> {
  app.stop();
  await new Promise((r) => setTimeout(r, 2000));
  if (!drop.server || !drop.database) return;
  const { database } = drop;
  await dropDatabase(drop.server, database).catch((error: unknown) =>
    console.error(`could not drop ${database}: ${String(error)}`),
  );
}

/** Runs a bench's main: a throw prints and exits 1 (a failed figure sets process.exitCode itself). */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
