// The sample rig CSV, named after the signed-in operator's first facility when there is one.
import { getCurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { facilityChoices } from "@/lib/operator/queries";
import { sampleRigCsv } from "@/lib/operator/rig-import";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const user = await getCurrentUser();
  const facilities = user?.roles.includes("OPERATOR") ? await facilityChoices(db(), user.id) : [];
  return new Response(sampleRigCsv(facilities[0]?.name), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="hashlease-rigs-sample.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
