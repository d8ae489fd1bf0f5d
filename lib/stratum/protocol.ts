// Stratum V1 framing: newline-delimited JSON-RPC 1.0 as cgminer, bmminer and cpuminer speak it.
// Requests carry an id, notifications have id null; a response is {id, result, error} with
// error [code, message, null]. Error codes are the de-facto standard set (slush's Stratum
// documentation, used by ckpool and most pools).

export const StratumError = {
  OTHER: 20,
  JOB_NOT_FOUND: 21,
  DUPLICATE: 22,
  LOW_DIFFICULTY: 23,
  UNAUTHORIZED: 24,
  NOT_SUBSCRIBED: 25,
} as const;
export type StratumErrorCode = (typeof StratumError)[keyof typeof StratumError];

export type StratumErrorTuple = [StratumErrorCode, string, null];

export interface StratumRequest {
  id: number | string | null;
  method: string;
  params: unknown[];
}

export interface StratumResponse {
  id: number | string | null;
  result: unknown;
  error: StratumErrorTuple | null;
}

/** The longest line a peer may send (a submit is ~200 bytes; configure/subscribe a few hundred). */
export const MAX_LINE_BYTES = 16 * 1024;

export function errorTuple(code: StratumErrorCode, message: string): StratumErrorTuple {
  return [code, message, null];
}

/** Parses one line into a request, or says why it is not one. */
export function parseRequest(line: string): { ok: true; request: StratumRequest } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, message: "Not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, message: "Not a JSON-RPC object" };
  const record = value as Record<string, unknown>;
  const id = record.id;
  if (id !== undefined && id !== null && typeof id !== "number" && typeof id !== "string") {
    return { ok: false, message: "Bad id" };
  }
  if (typeof record.method !== "string") return { ok: false, message: "No method" };
  const params = record.params ?? [];
  if (!Array.isArray(params)) return { ok: false, message: "params must be an array" };
  return { ok: true, request: { id: id ?? null, method: record.method, params } };
}

/**
 * Splits a byte stream into lines; calls `onLine` for each complete one and `onOverflow` when a
 * line grows past MAX_LINE_BYTES (the caller drops the peer).
 */
export function lineSplitter(onLine: (line: string) => void, onOverflow: () => void): (chunk: Buffer) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk.toString("utf8");
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) onLine(line);
      newline = pending.indexOf("\n");
    }
    if (pending.length > MAX_LINE_BYTES) {
      pending = "";
      onOverflow();
    }
  };
}
