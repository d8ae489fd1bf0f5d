// The test balancer itself (tcp-proxy.ts): connections alternate between upstreams, every request
// on a kept-alive connection (with Content-Length and chunked bodies between them) carries the
// client's address in X-Forwarded-For, the instances see the proxy's own source address, and a
// pin sends new connections to one upstream after closing the open ones.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestFramer, startRoundRobinProxy, withForwardedFor, type RoundRobinProxy } from "./tcp-proxy";

interface Seen {
  upstream: number;
  peer: string;
  forwardedFor: string | null;
  body: string;
}

let servers: http.Server[] = [];
let proxy: RoundRobinProxy;

beforeAll(async () => {
  servers = [0, 1].map((upstream) =>
    http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const seen: Seen = {
          upstream,
          peer: req.socket.remoteAddress ?? "",
          forwardedFor: (req.headers["x-forwarded-for"] as string | undefined) ?? null,
          body,
        };
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(seen));
      });
    }),
  );
  for (const server of servers) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy = await startRoundRobinProxy({
    upstreams: servers.map((s) => (s.address() as AddressInfo).port),
    sourceAddress: "127.0.0.3",
  });
});

afterAll(async () => {
  await proxy?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function send(
  options: { agent?: http.Agent | false; localAddress?: string; headers?: http.OutgoingHttpHeaders; method?: string },
  body?: string | string[],
): Promise<Seen & { clientPort: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: proxy.port, path: "/", method: options.method ?? "GET", ...options },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ ...(JSON.parse(text) as Seen), clientPort: req.socket!.localPort! }));
      },
    );
    req.on("error", reject);
    if (Array.isArray(body))
      for (const part of body) req.write(part); // no length: chunked
    else if (body !== undefined) req.write(body);
    req.end();
  });
}

describe("the round-robin proxy", () => {
  it("alternates new connections and forwards the client's address from its own source address", async () => {
    const before = [...proxy.connections];
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await send({ agent: false, localAddress: "127.0.0.9" }));
    expect(seen.map((s) => s.upstream)).toEqual([0, 1, 0, 1]);
    expect(seen.every((s) => s.forwardedFor === "127.0.0.9" && s.peer === "127.0.0.3")).toBe(true);
    expect(seen.map((s) => proxy.upstreamOf(s.clientPort))).toEqual([0, 1, 0, 1]);
    expect(proxy.connections).toEqual([before[0]! + 2, before[1]! + 2]);
  });

  it("rewrites every request head on a kept-alive connection, bodies of both framings between them", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const requests = [...proxy.requests];
    const a = await send({ agent, method: "POST", headers: { "x-forwarded-for": "198.51.100.7" } }, "x".repeat(70_000));
    const b = await send({ agent, method: "POST" }, ["part one, ", "\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n", "end"]);
    const c = await send({ agent });
    agent.destroy();
    expect(new Set([a.clientPort, b.clientPort, c.clientPort]).size).toBe(1);
    expect(new Set([a.upstream, b.upstream, c.upstream]).size).toBe(1);
    expect(a).toMatchObject({ forwardedFor: "198.51.100.7, 127.0.0.1", body: "x".repeat(70_000) });
    expect(b).toMatchObject({ forwardedFor: "127.0.0.1", body: "part one, \r\n\r\nGET /smuggled HTTP/1.1\r\n\r\nend" });
    expect(c.forwardedFor).toBe("127.0.0.1");
    expect(proxy.requests.reduce((s, n) => s + n, 0) - requests.reduce((s, n) => s + n, 0)).toBe(3);
  });

  it("pins new connections to one upstream, closing the open ones", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // The client learns of the closed connection a moment later (a browser would also retry).
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    proxy.pin(1);
    const first = await send({ agent });
    proxy.pin(0);
    await settle();
    const second = await send({ agent });
    const third = await send({ agent });
    proxy.pin(null);
    agent.destroy();
    expect([first.upstream, second.upstream, third.upstream]).toEqual([1, 0, 0]);
    expect(second.clientPort).not.toBe(first.clientPort);
    expect(third.clientPort).toBe(second.clientPort);
  });

  it("frames heads split across reads and refuses a malformed length", () => {
    const heads: string[] = [];
    const frame = requestFramer((head) => (heads.push(head), withForwardedFor(head, "10.0.0.1")));
    const wire = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
    const out = Buffer.concat([...wire].map((ch) => frame(Buffer.from(ch, "latin1")))).toString("latin1");
    expect(heads).toEqual(["POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3", "GET /b HTTP/1.1\r\nHost: x"]);
    expect(out).toBe(
      "POST /a HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
        "GET /b HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nHost: x\r\n\r\n",
    );
    expect(() => requestFramer((h) => h)(Buffer.from("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"))).toThrow(
      /Content-Length/,
    );
  });
});
