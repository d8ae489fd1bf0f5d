// Serves a PGlite instance over the Postgres wire protocol for many pg connections.
// PGlite is one backend session; pglite-socket multiplexes connections onto it one protocol
// *message* at a time, keeping only open transactions together. The extended protocol that
// pg and Prisma use (Parse/Bind/Execute ... Sync) spans several messages, so two
// connections' statements could interleave and clobber each other's unnamed portal
// ("portal does not exist"). This queue gives a connection the backend from its first
// message until the backend is idle again: after a Sync or simple Query that leaves no
// transaction open. Verified by lib/db/embedded.test.ts and every test run on PGlite.
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** True when a message ends its sender's turn (if no transaction stays open). */
function endsTurn(message: Uint8Array): boolean {
  const type = message[0];
  // Startup/SSL/cancel packets start with a length, not a type letter.
  return type === SYNC || type === QUERY || type === TERMINATE || type === 0;
}

function installTurnTakingQueue(queue: QueryQueue): void {
  let owner: number | null = null;
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        owner = item.handlerId;
        this.lastHandlerId = item.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          owner = null;
          item.reject(error);
          continue;
        }
        if (endsTurn(item.message) && !this.db.isInTransaction()) owner = null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (owner === handlerId && !queue.db.isInTransaction()) owner = null;
  };
  const originalClearTx = (
    queue as unknown as { clearTransactionIfNeeded(id: number): Promise<void> }
  ).clearTransactionIfNeeded.bind(queue);
  (queue as unknown as { clearTransactionIfNeeded(id: number): Promise<void> }).clearTransactionIfNeeded = async (
    handlerId: number,
  ) => {
    if (owner === handlerId) owner = null;
    await originalClearTx(handlerId);
  };
}

export async function servePglite(
  db: PGlite,
  options: { port?: number } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 64 });
  installTurnTakingQueue((server as unknown as { queryQueue: QueryQueue }).queryQueue);
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    stop: () => server.stop(),
  };
}
