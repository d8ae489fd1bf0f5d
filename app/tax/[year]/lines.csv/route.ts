// The year's lines in a universal crypto-tax import layout (lib/tax/csv.ts): payouts, withdrawals
// and coin payments (disposals), the signed-in user's own only, streamed page by page.
import { db } from "@/lib/db/client";
import { disposalRecords, LINES_CSV_HEADER, mergedCsvChunks, payoutRecord, recordBatches, withdrawalRecord } from "@/lib/tax/csv";
import { disposalRows, payoutExportBatches, withdrawalExportRows } from "@/lib/tax/queries";
import { csvResponse, exportRequest } from "../../export";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ year: string }> }): Promise<Response> {
  const request = await exportRequest((await params).year);
  if (!request.ok) return request.response;
  const prisma = db();
  const [withdrawals, disposals] = await Promise.all([
    withdrawalExportRows(prisma, request.user.id, request.year),
    disposalRows(prisma, request.user.id, request.year),
  ]);
  const payouts = recordBatches(payoutExportBatches(prisma, request.user.id, request.year), payoutRecord);
  const others = [...withdrawals.map(withdrawalRecord), ...disposalRecords(disposals)];
  return csvResponse(mergedCsvChunks(LINES_CSV_HEADER, payouts, others), `hashlease-tax-lines-${request.year}.csv`);
}
