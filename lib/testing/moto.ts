// moto's server (`pip install 'moto[server]'`, as .ci/run does) on a free 127.0.0.1 port: real
// AWS APIs (S3, Secrets Manager, ...) on this machine for tests that use the real AWS SDK.
// In CI (CI=true) a missing moto_server is an error, never a skip.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "./free-port";

export const motoInstalled = spawnSync("sh", ["-c", "command -v moto_server"]).status === 0;

/** Null when moto may be missing here (outside CI) and is; the reason is printed. Throws in CI. */
export function motoMissingReason(file: string): string | null {
  if (motoInstalled) return null;
  const reason = "moto_server not found (pip install 'moto[server]', see .ci/run)";
  if (process.env.CI === "true") throw new Error(`${file}: ${reason}; CI must run it`);
  console.warn(`${file} skipped: ${reason}`);
  return reason;
}

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      if (i > 150 || child.exitCode !== null) {
        child.kill("SIGKILL");
        throw new Error("moto_server did not start");
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
