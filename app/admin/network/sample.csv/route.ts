// The sample network snapshot CSV (the two days before today, BTC and KAS). Admins only.
import { getCurrentUser } from "@/lib/auth/session";
import { sampleSnapshotCsv } from "@/lib/network/csv-import";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return new Response("Log in as an admin to download the sample.", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!user.roles.includes("ADMIN")) return new Response("Only admins can download this sample.", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(sampleSnapshotCsv(), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="hashlease-network-snapshots-sample.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
