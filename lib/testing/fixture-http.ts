// A real HTTP server on 127.0.0.1 (node:http) that answers with recorded API responses, so
// adapters of public APIs are tested over the wire (status, headers, body, timeouts) without the
// internet and without mocking fetch. Routes are matched by path (the query is recorded, not
// matched); a route can be replaced while the server runs.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FixtureRoute {
  status?: number;
  body: string;
  contentType?: string;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export interface FixtureServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every request's path with its query, in order. */
  requests: string[];
  /** Every request's headers, in the same order. */
  headers: IncomingHttpHeaders[];
  route(path: string, route: FixtureRoute): void;
  close(): Promise<void>;
}

export async function startFixtureServer(routes: Record<string, FixtureRoute> = {}): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes));
  const requests: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const target = req.url ?? "/";
    requests.push(target);
    headers.push(req.headers);
    const route = table.get(new URL(target, "http://fixture").pathname);
    const answer = () => {
      if (!route) {
        res.writeHead(404, { "content-type": "text/plain" }).end("no fixture for this path");
        return;
      }
      res.writeHead(route.status ?? 200, { "content-type": route.contentType ?? "application/json" }).end(route.body);
    };
    if (route?.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, route.delayMs);
      timers.add(timer);
    } else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    headers,
    route: (path, route) => void table.set(path, route),
    close: () =>
      new Promise((resolve) => {
        timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
