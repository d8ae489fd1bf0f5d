// The sentence /admin/queues shows after a retry, carried in the query string of the redirect: the
// queue (shown only when it is one of the page's queues) and two counts, never free text.
import type { RetryResult } from "@/lib/jobs/admin";

export function retriedQuery(result: RetryResult, one: boolean): string {
  return new URLSearchParams({
    retried: result.queue,
    requeued: String(result.requeued),
    superseded: String(result.superseded),
    ...(one ? { one: "1" } : {}),
  }).toString();
}

const count = (value: unknown): number | null =>
  typeof value === "string" && /^\d{1,6}$/.test(value) ? Number(value) : null;

export function retriedNotice(params: Record<string, string | string[] | undefined>, queues: string[]): string | null {
  const queue = params.retried;
  const requeued = count(params.requeued);
  const superseded = count(params.superseded);
  if (typeof queue !== "string" || !queues.includes(queue) || requeued === null || superseded === null) return null;
  const back =
    requeued === 0
      ? `No job of ${queue} was re-queued`
      : params.one === "1"
        ? `Retried: the failed job of ${queue} is back in its queue`
        : `Retried ${requeued} failed ${requeued === 1 ? "job" : "jobs"} of ${queue}: back in the queue`;
  const closed =
    superseded === 0
      ? ""
      : ` ${superseded} ${superseded === 1 ? "was" : "were"} not re-queued: ${queue} already has a job waiting or running, which does the same work, so ${superseded === 1 ? "it is" : "they are"} closed.`;
  return `${back}.${closed}`;
}
