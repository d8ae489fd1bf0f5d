// The /api/v1 routes (./api-server.ts) in a process of their own, for tests of what app instances
// share through the database (lib/api/rate-limit.test.ts): the database, secrets and limits come
// from the environment the parent gives it (DATABASE_URL, AUTH_SECRET, ENCRYPTION_KEYS,
// API_RATE_*). Prints its URL as its first line of output; stops on SIGTERM.
import { startApiServer } from "./api-server";

async function main(): Promise<void> {
  const server = await startApiServer();
  process.stdout.write(`${server.url}\n`);
  process.once("SIGTERM", () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
