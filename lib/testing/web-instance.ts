// One more app instance from an existing production build: the web server `npm start` runs
// (lib/cli/web.ts: Next's handler behind node:http) on its own port, without migrations, the
// build check or the jobs, as a second machine behind a load balancer would run it. It serves the
// build in HASHLEASE_DIST_DIR (never builds) for the database and secrets in `env`. Everything
// instances must agree on comes from `env`: the same DATABASE_URL, secrets, NEXTAUTH_URL (the
// balancer's address), NEXT_SERVER_ACTIONS_ENCRYPTION_KEY and API rate settings.
import { spawn, type ChildProcess } from "node:child_process";

export interface WebInstance {
  port: number;
  base: string;
  process: ChildProcess;
  /** The last lines it wrote (for a failure's message). */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export async function startWebInstance(options: {
  port: number;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<WebInstance> {
  const { port } = options;
  const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/web.ts"], {
    env: { ...options.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const instance: WebInstance = {
    port,
    base,
    process: child,
    output: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the instance on port ${port} exited before answering:\n${tail}`);
    }
    try {
      if ((await fetch(`${base}/api/health`)).ok) return instance;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await instance.stop();
      throw new Error(`the instance on port ${port} did not answer /api/health in time:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
