// A Stratum V1 client: the bundled test miner (miner.ts), the integration tests and the
// proxy's upstream session use it. Requests resolve with the server's response; notifications
// (mining.notify, mining.set_difficulty, ...) go to `onNotification`.
import net from "node:net";
import { lineSplitter, type StratumResponse } from "./protocol";

export interface Notification {
  method: string;
  params: unknown[];
}

export class StratumClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (response: StratumResponse) => void>();
  private readonly listeners: ((n: Notification) => void)[] = [];
  private closedListeners: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on(
      "data",
      lineSplitter(
        (line) => this.receive(line),
        () => socket.destroy(),
      ),
    );
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
      for (const resolve of this.waiting.values())
        resolve({ id: null, result: null, error: [20, "Connection closed", null] });
      this.waiting.clear();
      this.closedListeners.forEach((fn) => fn());
    });
  }

  static connect(port: number, host = "127.0.0.1"): Promise<StratumClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new StratumClient(socket));
      });
      socket.once("error", reject);
    });
  }

  private receive(line: string): void {
    let message: { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return;
    }
    if (typeof message.method === "string") {
      const notification = { method: message.method, params: Array.isArray(message.params) ? message.params : [] };
      this.listeners.forEach((fn) => fn(notification));
      return;
    }
    if (typeof message.id === "number") {
      const resolve = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      resolve?.(message as StratumResponse);
    }
  }

  onNotification(listener: (n: Notification) => void): void {
    this.listeners.push(listener);
  }

  onClose(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  request(method: string, params: unknown[]): Promise<StratumResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (this.closed) return resolve({ id, result: null, error: [20, "Connection closed", null] });
      this.waiting.set(id, resolve);
      this.socket.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  /** Sends raw bytes (tests: malformed lines). */
  sendRaw(text: string): void {
    this.socket.write(text);
  }

  close(): void {
    this.socket.destroy();
  }
}
