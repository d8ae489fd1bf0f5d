import { db } from "@/lib/db/client";
import { checkDatabase } from "@/lib/db/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkDatabase(db());
  if (health.ok) return Response.json({ status: "ok", db: "ok" });
  return Response.json({ status: "error", db: "unreachable", reason: health.reason }, { status: 503 });
}
