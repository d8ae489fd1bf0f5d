// A PgBouncer of a test's own in front of the PostgreSQL server in DATABASE_URL: Debian's
// pgbouncer binary (`apt-get install pgbouncer`, as .ci/run does), never the system service,
// started from a config file in a temp dir and listening on a free 127.0.0.1 port. Clients
// log in with the server's own user and password (SCRAM, the password in a private auth file
// so PgBouncer can log in to the server with it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port";

const BINARIES = ["/usr/sbin/pgbouncer", "pgbouncer"];

/** The pgbouncer binary (Debian installs it outside a normal user's PATH), or null. */
export function findPgBouncer(): string | null {
  for (const candidate of BINARIES) {
    if (spawnSync(candidate, ["--version"]).status === 0) return candidate;
  }
  return null;
}

export interface PgBouncer {
  /** The client URL of a database (or alias) through PgBouncer, same user and password as the server's. */
  url(database: string): string;
  /** Everything PgBouncer logged so far (to name a failure). */
  log(): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** `transaction` (what production runs) unless told. */
  poolMode?: "transaction" | "session";
  /** Server connections per database and user: far fewer than the clients, so they are shared. */
  poolSize: number;
  /** Extra [databases] entries: alias -> { database, poolSize }. */
  aliases?: Record<string, { database: string; poolSize: number }>;
}

/** PgBouncer refuses to run as root; root hands it another identity with -u. */
function runAsArgs(): string[] {
  if (process.getuid?.() !== 0) return [];
  const passwd = readFileSync("/etc/passwd", "utf8");
  return ["-u", /^postgres:/m.test(passwd) ? "postgres" : "nobody"];
}

const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

export async function startPgBouncer(serverUrl: string, options: PgBouncerOptions): Promise<PgBouncer> {
  const binary = findPgBouncer();
  if (!binary) throw new Error("pgbouncer is not installed (apt-get install pgbouncer)");
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const host = server.hostname;
  const serverPort = server.port || "5432";
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "hashlease-pgbouncer-"));
  const target = `host=${host} port=${serverPort}`;
  const aliases = Object.entries(options.aliases ?? {}).map(
    ([alias, a]) => `${alias} = ${target} dbname=${a.database} pool_size=${a.poolSize}`,
  );
  writeFileSync(join(dir, "userlist.txt"), `${quoted(user)} ${quoted(password)}\n`, { mode: 0o600 });
  writeFileSync(
    join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      ...aliases,
      `* = ${target}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = scram-sha-256",
      `auth_file = ${join(dir, "userlist.txt")}`,
      `pool_mode = ${options.poolMode ?? "transaction"}`,
      `default_pool_size = ${options.poolSize}`,
      "max_client_conn = 500",
      `admin_users = ${user}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  // The config is read before -u drops privileges, so the files may stay private to root.
  const child: ChildProcess = spawn(binary, [...runAsArgs(), join(dir, "pgbouncer.ini")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!output.includes(`listening on 127.0.0.1:${port}`)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const auth = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  return {
    url: (database) => `postgresql://${auth}@127.0.0.1:${port}/${database}`,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
