// The year's lines in a universal crypto-tax import layout (lib/tax/csv.ts), the signed-in
// user's own only.
import { db } from "@/lib/db/client";
import { linesCsv } from "@/lib/tax/csv";
import { payoutExportRows, withdrawalExportRows } from "@/lib/tax/queries";
import { csvResponse, exportRequest } from "../../export";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ year: string }> }): Promise<Response> {
  const request = await exportRequest((await params).year);
  if (!request.ok) return request.response;
  const prisma = db();
  const [payouts, withdrawals] = await Promise.all([
    payoutExportRows(prisma, request.user.id, request.year),
    withdrawalExportRows(prisma, request.user.id, request.year),
  ]);
  return csvResponse(linesCsv(payouts, withdrawals), `hashlease-tax-lines-${request.year}.csv`);
}
