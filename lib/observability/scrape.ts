// What GET /api/metrics answers: bearer token METRICS_TOKEN (constant-time compare), else 404 when
// no token is configured (the endpoint does not exist) and 401 for a missing or wrong one. The
// mail-outbox gauges are read from the database here, once per scrape, never per request.
import { createHash, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "../db/client";
import { metrics } from "./metrics";

export type MetricsAccess = "ok" | "disabled" | "unauthorized";

export function metricsAccess(authorization: string | null, token = process.env.METRICS_TOKEN): MetricsAccess {
  if (!token) return "disabled";
  const presented = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1] ?? "";
  // Hashes of equal length, so the compare takes the same time whatever the presented length.
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b) && presented.length > 0 ? "ok" : "unauthorized";
}

export async function refreshOutboxGauges(prisma: PrismaClient, now = new Date()): Promise<void> {
  const [row] = await prisma.$queryRaw<{ queued: bigint; oldest: Date | null }[]>`
    SELECT count(*) AS queued, min(created_at) AS oldest FROM mail_outbox WHERE status = 'PENDING'`;
  const m = metrics();
  m.mailOutboxQueued.set(Number(row?.queued ?? 0));
  m.mailOutboxOldestAge.set(row?.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0);
}
