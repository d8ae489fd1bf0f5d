// For integration tests: the /api/v1 route handlers behind a real Node HTTP server, routed the
// way Next's App Router routes app/api/v1/**/route.ts ([name] segments are parameters), so a
// client talks HTTP to exactly the handlers the app serves without a production build.
import { readdirSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { PEER_IP_HEADER } from "../http/client-ip";
import { RAW_TARGET_HEADER } from "../http/request";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

export interface ApiRouteFile {
  /** The file relative to the repository, e.g. app/api/v1/contracts/[id]/route.ts. */
  file: string;
  /** The URL template, e.g. /api/v1/contracts/{id}. */
  template: string;
  pattern: RegExp;
  names: string[];
}

const ROOT = path.resolve(import.meta.dirname, "../..");

export function apiRouteFiles(dir = "app/api/v1"): ApiRouteFile[] {
  const out: ApiRouteFile[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name !== "route.ts") continue;
    const file = path.relative(ROOT, path.join(entry.parentPath, entry.name));
    const segments = path.dirname(file).split(path.sep).slice(1); // drop "app"
    const names: string[] = [];
    const template = `/${segments.map((s) => (/^\[(\w+)\]$/.test(s) ? `{${s.slice(1, -1)}}` : s)).join("/")}`;
    const pattern = new RegExp(
      `^/${segments
        .map((s) => {
          const m = /^\[(\w+)\]$/.exec(s);
          if (m) {
            names.push(m[1]!);
            return "([^/]+)";
          }
          return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/")}$`,
    );
    out.push({ file, template, pattern, names });
  }
  // Static segments win over parameters, as in Next (listings/mine before a [id]).
  return out.sort((a, b) => a.names.length - b.names.length);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startApiServer(): Promise<{ url: string; close(): Promise<void> }> {
  const routes = await Promise.all(
    apiRouteFiles().map(async (route) => ({
      route,
      module: (await import(path.join(ROOT, route.file))) as Record<string, Handler>,
    })),
  );
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const found = routes.find(({ route }) => route.pattern.test(url.pathname));
      const handler = found?.module[req.method ?? "GET"];
      if (!found || !handler) {
        res
          .writeHead(found ? 405 : 404, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { code: "not_found", message: "No such route." } }));
        return;
      }
      const match = found.route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(found.route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      // As the app's web server does (lib/cli/web.ts): the socket's address, never the client's claim.
      headers.set(PEER_IP_HEADER, req.socket.remoteAddress ?? "");
      headers.set(RAW_TARGET_HEADER, req.url ?? "/");
      const response = await handler(new Request(url, { method: req.method, headers, body }), {
        params: Promise.resolve(params),
      });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
