// The year's lines in a universal crypto-tax import layout (lib/tax/csv.ts), the signed-in
// user's own only, streamed page by page.
import { db } from "@/lib/db/client";
import { LINES_CSV_HEADER, mergedCsvChunks, payoutRecord, recordBatches, withdrawalRecord } from "@/lib/tax/csv";
import { payoutExportBatches, withdrawalExportRows } from "@/lib/tax/queries";
import { csvResponse, exportRequest } from "../../export";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ year: string }> }): Promise<Response> {
  const request = await exportRequest((await params).year);
  if (!request.ok) return request.response;
  const prisma = db();
  const withdrawals = await withdrawalExportRows(prisma, request.user.id, request.year);
  const payouts = recordBatches(payoutExportBatches(prisma, request.user.id, request.year), payoutRecord);
  return csvResponse(mergedCsvChunks(LINES_CSV_HEADER, payouts, withdrawals.map(withdrawalRecord)), `hashlease-tax-lines-${request.year}.csv`);
}
