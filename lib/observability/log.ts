// The app's one logger: JSON lines on stdout (pino), level from LOG_LEVEL (default "info"), each
// line carrying the request id of the request it was written for (./context.ts). Log a message and
// fields, never a secret: request bodies, tokens and passwords do not belong in a log line.
import pino from "pino";
import { currentRequestId } from "./context";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** LOG_LEVEL if it names a pino level, else "info". */
export function logLevel(text: string | undefined): string {
  const value = text?.trim().toLowerCase();
  return value && (LEVELS as readonly string[]).includes(value) ? value : "info";
}

const KEY = Symbol.for("hashlease.observability.logger");

function createLogger(): pino.Logger {
  return pino({
    level: logLevel(process.env.LOG_LEVEL),
    base: { service: "hashlease" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  });
}

export const log: pino.Logger = ((globalThis as Record<symbol, unknown>)[KEY] ??= createLogger()) as pino.Logger;

/** A `(line) => void` for the helpers that take one (migrate, jobs, Stratum), under a component name. */
export function lineLogger(component: string): (line: string) => void {
  const child = log.child({ component });
  return (line) => child.info(line);
}
