// The year's coin lots: acquisitions, FIFO transfers out and disposals (contracts paid in coin)
// with their basis (lib/tax/csv.ts),
// the signed-in user's own only, streamed page by page.
import { db } from "@/lib/db/client";
import { lotAcquiredRecord, lotDisposalRecord, LOTS_CSV_HEADER, lotTransferRecord, mergedCsvChunks, recordBatches } from "@/lib/tax/csv";
import { lotAcquiredBatches, lotDisposalRows, lotTransferRows } from "@/lib/tax/queries";
import { csvResponse, exportRequest } from "../../export";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ year: string }> }): Promise<Response> {
  const request = await exportRequest((await params).year);
  if (!request.ok) return request.response;
  const prisma = db();
  const [transfers, disposals] = await Promise.all([
    lotTransferRows(prisma, request.user.id, request.year),
    lotDisposalRows(prisma, request.user.id, request.year),
  ]);
  const acquired = recordBatches(lotAcquiredBatches(prisma, request.user.id, request.year), lotAcquiredRecord);
  const others = [...transfers.map(lotTransferRecord), ...disposals.map(lotDisposalRecord)];
  return csvResponse(mergedCsvChunks(LOTS_CSV_HEADER, acquired, others), `hashlease-tax-lots-${request.year}.csv`);
}
