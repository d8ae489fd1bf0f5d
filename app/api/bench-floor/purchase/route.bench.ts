// bench:floor's floor for a purchase (built only with HASHLEASE_BENCH_ROUTES=1, next.config.ts):
// the purchase_contract statement alone, through a pg pool of its own, with the arguments
// callPurchase (lib/contracts/purchase.ts) gives it for an API purchase, and no sign-in, key,
// nonce or validation: the cost no purchase route can go below. The customer is in the body.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PLATFORM_FEE_BPS } from "@/lib/contracts/pricing";
import { RESERVATION_MS } from "@/lib/contracts/purchase";
import { IDEMPOTENCY_TTL_MS } from "@/lib/idempotency/idempotency";

export const dynamic = "force-dynamic";

let pool: pg.Pool | undefined;

export async function POST(request: Request) {
  if (process.env.HASHLEASE_BENCH_ROUTES !== "1") return new Response(null, { status: 404 });
  const body = (await request.json()) as { customerId: string; listingId: string; hashrate: string; days: number };
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const { rows } = await pool.query<{ answer: { status: number; body: unknown } }>(
    `SELECT purchase_contract($1::uuid, NULL::timestamptz, $2::text, $3::text, $4::interval, $5::uuid, $6::text,
       $7::integer, 'BALANCE_USD'::payment_method, $8::interval, $9::integer, NULL::text, now(), NULL::asset) AS answer`,
    [
      body.customerId,
      randomUUID(),
      randomUUID(),
      `${IDEMPOTENCY_TTL_MS} milliseconds`,
      body.listingId,
      body.hashrate,
      body.days,
      `${RESERVATION_MS} milliseconds`,
      Number(PLATFORM_FEE_BPS),
    ],
  );
  const answer = rows[0]!.answer;
  return Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store, no-transform" } });
}
