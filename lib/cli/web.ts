// The web server process `npm start` runs (lib/cli/start.ts): Next.js's production request
// handler behind a plain node:http server, so each request carries the TCP peer's address in
// PEER_IP_HEADER (lib/http/client-ip.ts) — written here from the socket — and the request target
// as sent in RAW_TARGET_HEADER (for API signatures), each replacing anything a client sent under
// that name. `next start` cannot do this: it only fills X-Forwarded-For when
// the client did not send one, so a forged header would hide the real peer.
// Each request gets an id (lib/observability/context.ts) in X-Request-Id, on the request the app
// reads and on the response, one JSON access line (method, path without query, status, duration,
// request id) and an observation in the latency histogram (lib/observability/metrics.ts).
// Environment: PORT (default 3000), HOSTNAME (default all interfaces), the app's own settings.
import { createServer } from "node:http";
import next from "next";
import { PEER_IP_HEADER, trustedProxies } from "../http/client-ip";
import { RAW_TARGET_HEADER } from "../http/request";
import { peerIsTrustedProxy, REQUEST_ID_HEADER, requestIdFor, runWithRequest } from "../observability/context";
import { log } from "../observability/log";
import { observeRequest } from "../observability/metrics";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;

// A bad TRUSTED_PROXIES stops the start with its message instead of failing every request.
trustedProxies();

const app = next({ dev: false, dir: process.cwd(), port, hostname: hostname ?? "localhost" });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  const started = performance.now();
  const peer = req.socket.remoteAddress ?? "";
  const requestId = requestIdFor(req.headers[REQUEST_ID_HEADER], peerIsTrustedProxy(peer, trustedProxies()));
  req.headers[PEER_IP_HEADER] = peer;
  req.headers[RAW_TARGET_HEADER] = req.url ?? "/";
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  const method = req.method ?? "GET";
  const path = (req.url ?? "/").split("?")[0]!;
  res.on("finish", () => {
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    observeRequest(method, path, res.statusCode, durationMs);
    log.info({ requestId, method, path, status: res.statusCode, durationMs }, "request");
  });
  runWithRequest({ requestId }, () =>
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end("Internal error\n");
    }),
  );
});
// Longer than a typical load balancer's idle timeout (60 s), so it never closes a kept-alive
// connection the balancer is about to reuse.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, hostname, () => log.info({ port, hostname: hostname ?? "*" }, "web server listening"));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
