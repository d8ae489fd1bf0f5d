// A round-robin TCP load balancer for tests and benches that run several app instances (DESIGN.md
// "Scale path"): each accepted connection goes to the next upstream, so a kept-alive browser
// connection stays on one instance and only new connections alternate (as an L4 balancer does).
// Being TCP it cannot see requests, so it frames them itself: it reads each HTTP/1.1 request head
// (Content-Length and chunked bodies are passed through byte for byte) and appends the client's
// socket address to X-Forwarded-For, which the instances believe when TRUSTED_PROXIES names the
// proxy (lib/http/client-ip.ts). `sourceAddress` makes it connect upstream from a loopback address
// of its own (127.0.0.3), so an instance can tell the proxy from a client on the same machine.
// It counts connections and requests per upstream, so a test can prove every instance was hit.
import net from "node:net";

export interface ProxyOptions {
  /** Upstream ports on `upstreamHost`, in the order connections are handed out. */
  upstreams: number[];
  upstreamHost?: string;
  /** Listening port (0: any free one) on 127.0.0.1. */
  port?: number;
  /** Local address of the upstream connections (the peer the instances see). */
  sourceAddress?: string;
  /** Append the client's address to X-Forwarded-For on every request head (default true). */
  forwardedFor?: boolean;
}

export interface RoundRobinProxy {
  port: number;
  /** Connections accepted per upstream (index as in `upstreams`). */
  readonly connections: number[];
  /** Request heads forwarded per upstream. */
  readonly requests: number[];
  /** Sends new connections to one upstream (null: round robin again) and closes every open one. */
  pin(index: number | null): void;
  /** Closes every open client connection (their next request opens a new one). */
  dropConnections(): void;
  /** The upstream a client connection went to, by the client's local port. */
  upstreamOf(clientPort: number): number | undefined;
  close(): Promise<void>;
}

const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");

function clientAddress(socket: net.Socket): string {
  const address = socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/** The head with the client's address appended to X-Forwarded-For (added when there is none). */
export function withForwardedFor(head: string, client: string): string {
  const lines = head.split("\r\n");
  const at = lines.findIndex((line, i) => i > 0 && /^x-forwarded-for\s*:/i.test(line));
  if (at === -1) lines.splice(1, 0, `X-Forwarded-For: ${client}`);
  else lines[at] = `${lines[at]!.trimEnd()}, ${client}`;
  return lines.join("\r\n");
}

type BodyState =
  | { kind: "head" }
  | { kind: "fixed"; left: number }
  | { kind: "chunk-size" }
  | { kind: "chunk-data"; left: number }
  | { kind: "trailers" }
  | { kind: "raw" };

/**
 * A stream rewriter for one client connection: feed it what the client sends, it returns what to
 * send upstream (request heads rewritten by `rewrite`, everything else unchanged) and calls
 * `onRequest` per head. After a head asking for an upgrade (or CONNECT) the rest passes through.
 */
export function requestFramer(rewrite: (head: string) => string, onRequest: () => void = () => {}) {
  let state: BodyState = { kind: "head" };
  let pending: Buffer = Buffer.alloc(0);
  return (chunk: Buffer): Buffer => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const out: Buffer[] = [];
    for (;;) {
      if (state.kind === "raw") {
        out.push(pending);
        pending = Buffer.alloc(0);
        break;
      }
      if (state.kind === "fixed" || state.kind === "chunk-data") {
        const take = Math.min(state.left, pending.length);
        out.push(pending.subarray(0, take));
        pending = pending.subarray(take);
        state.left -= take;
        if (state.left > 0) break;
        state = state.kind === "fixed" ? { kind: "head" } : { kind: "chunk-size" };
        continue;
      }
      if (state.kind === "head") {
        // Stray CRLFs between requests are allowed (RFC 9112 2.2).
        while (pending.length >= 2 && pending[0] === 0x0d && pending[1] === 0x0a) {
          out.push(pending.subarray(0, 2));
          pending = pending.subarray(2);
        }
        const end = pending.indexOf(HEAD_END);
        if (end === -1) {
          if (pending.length > MAX_HEAD_BYTES) throw new Error("request head too large");
          break;
        }
        const head = pending.subarray(0, end).toString("latin1");
        pending = pending.subarray(end + HEAD_END.length);
        onRequest();
        out.push(Buffer.from(`${rewrite(head)}\r\n\r\n`, "latin1"));
        const headers = head.split("\r\n").slice(1);
        const value = (name: string) =>
          headers
            .find((h) => h.toLowerCase().startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim() ?? null;
        if (/^CONNECT /i.test(head) || value("upgrade")) state = { kind: "raw" };
        else if (/chunked/i.test(value("transfer-encoding") ?? "")) state = { kind: "chunk-size" };
        else {
          const length = Number(value("content-length") ?? 0);
          if (!Number.isSafeInteger(length) || length < 0) throw new Error("bad Content-Length");
          state = length > 0 ? { kind: "fixed", left: length } : { kind: "head" };
        }
        continue;
      }
      // chunk-size or trailers: line by line.
      const eol = pending.indexOf(CRLF);
      if (eol === -1) break;
      const line = pending.subarray(0, eol).toString("latin1");
      out.push(pending.subarray(0, eol + 2));
      pending = pending.subarray(eol + 2);
      if (state.kind === "trailers") {
        if (line === "") state = { kind: "head" };
        continue;
      }
      const size = parseInt(line.split(";")[0]!.trim(), 16);
      if (!Number.isSafeInteger(size) || size < 0) throw new Error("bad chunk size");
      state = size === 0 ? { kind: "trailers" } : { kind: "chunk-data", left: size + 2 };
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  };
}

export async function startRoundRobinProxy(options: ProxyOptions): Promise<RoundRobinProxy> {
  const { upstreams, upstreamHost = "127.0.0.1", sourceAddress, forwardedFor = true } = options;
  if (upstreams.length === 0) throw new Error("a proxy needs at least one upstream");
  const connections = upstreams.map(() => 0);
  const requests = upstreams.map(() => 0);
  const byClientPort = new Map<number, number>();
  const open = new Set<net.Socket>();
  let next = 0;
  let pinned: number | null = null;

  const server = net.createServer((client) => {
    const index = pinned ?? next++ % upstreams.length;
    connections[index]!++;
    if (client.remotePort !== undefined) byClientPort.set(client.remotePort, index);
    open.add(client);
    const upstream = net.connect({ port: upstreams[index]!, host: upstreamHost, localAddress: sourceAddress });
    const address = clientAddress(client);
    const frame = requestFramer(
      (head) => (forwardedFor ? withForwardedFor(head, address) : head),
      () => requests[index]!++,
    );
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk: Buffer) => {
      let bytes: Buffer;
      try {
        bytes = frame(chunk);
      } catch {
        client.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        upstream.destroy();
        return;
      }
      if (bytes.length && !upstream.write(bytes)) {
        client.pause();
        upstream.once("drain", () => client.resume());
      }
    });
    upstream.pipe(client);
    client.on("end", () => upstream.end());
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const dropConnections = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    requests,
    pin(index) {
      if (index !== null && !(index >= 0 && index < upstreams.length)) throw new Error(`no upstream ${index}`);
      pinned = index;
      dropConnections();
    },
    dropConnections,
    upstreamOf: (clientPort) => byClientPort.get(clientPort),
    close: () =>
      new Promise<void>((resolve) => {
        dropConnections();
        server.close(() => resolve());
      }),
  };
}
