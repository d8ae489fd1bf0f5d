// The year's coin lots: acquisitions and FIFO transfers out with their basis (lib/tax/csv.ts),
// the signed-in user's own only.
import { db } from "@/lib/db/client";
import { lotsCsv } from "@/lib/tax/csv";
import { lotExportRows } from "@/lib/tax/queries";
import { csvResponse, exportRequest } from "../../export";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ year: string }> }): Promise<Response> {
  const request = await exportRequest((await params).year);
  if (!request.ok) return request.response;
  const rows = await lotExportRows(db(), request.user.id, request.year);
  return csvResponse(lotsCsv(rows.acquired, rows.transfers), `hashlease-tax-lots-${request.year}.csv`);
}
