// Shared by the CSV route handlers of /tax/[year]: the signed-in user (401 otherwise), a
// checked year (400 otherwise) and the download response. Only the user's own rows are read.
import { getCurrentUser, type CurrentUser } from "@/lib/auth/session";
import { log } from "@/lib/observability/log";
import { FIRST_TAX_YEAR } from "@/lib/tax/queries";

export type ExportRequest = { ok: true; user: CurrentUser; year: number } | { ok: false; response: Response };

function plain(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}

export async function exportRequest(yearText: string, now: Date = new Date()): Promise<ExportRequest> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, response: plain(401, "Sign in to download your tax exports.") };
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
  if (!(year >= FIRST_TAX_YEAR && year <= now.getUTCFullYear())) {
    return {
      ok: false,
      response: plain(400, `The tax year must be between ${FIRST_TAX_YEAR} and ${now.getUTCFullYear()}.`),
    };
  }
  return { ok: true, user, year };
}

/**
 * A CSV download streamed chunk by chunk (the rows are read from the database in pages while
 * the response is sent). A failure after the first chunk can only cut the download short; it
 * is logged.
 */
export function csvResponse(chunks: AsyncGenerator<string>, filename: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        log.error({ err: error, filename }, "tax: export failed");
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
