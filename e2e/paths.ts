import { readFileSync } from "node:fs";
import path from "node:path";

const port = process.env.E2E_PORT ?? process.env.PORT ?? "3100";
const suffix = port === "3100" ? "" : `_${port}`;

export const e2eDataDir = path.resolve(`.data/e2e${suffix}`);
export const e2eDatabaseName = `hashlease_e2e${suffix}`;
export const e2eDistDir = port === "3100" ? ".next" : `.next-e2e${suffix}`;
/** The e2e server's Stratum port: 1000 above its web port, beside a developer's own `npm start` (3333). */
export const e2eStratumPort = Number(port) + 1000;
/** The e2e server's local mail inbox (maildev): SMTP and its web API, beside a developer's own (1025/1080). */
export const e2eMailSmtpPort = Number(port) + 2025;
export const e2eMailWebPort = Number(port) + 2000;

/** The e2e server's database: DATABASE_URL's server, else the embedded one e2e/serve.ts started. */
export function e2eDatabaseUrl(): string {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${e2eDatabaseName}`;
    return url.toString();
  }
  return (JSON.parse(readFileSync(path.join(e2eDataDir, "embedded-db.json"), "utf8")) as { url: string }).url;
}
/** The bearer token of the e2e server's GET /api/metrics. */
export const E2E_METRICS_TOKEN = "e2e-metrics-token";
