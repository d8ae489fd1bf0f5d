// GET /api/v1/withdrawals — the key owner's recent withdrawals (scope read).
// POST /api/v1/withdrawals — request one with a TOTP code (scope withdraw); lib/wallet/withdrawal-request.ts
// claims the Idempotency-Key in its own transaction.
import { refusalStatus } from "@/lib/api/error-codes";
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { apiCode } from "@/lib/api/v1";
import { MAX_WHOLE_COIN_DIGITS } from "@/lib/wallet/amounts";
import { coinText, requestWithdrawal } from "@/lib/wallet/withdrawal-request";
import { withdrawalView } from "@/lib/wallet/withdrawal-view";

export const dynamic = "force-dynamic";

export const GET = apiRoute({
  scope: apiOperations.listWithdrawals.scope,
  handler: async ({ prisma, user }) => {
    const rows = await prisma.withdrawal.findMany({
      where: { userId: user.id },
      orderBy: [{ requestedAt: "desc" }, { id: "asc" }],
      take: 200,
    });
    return { status: 200, body: { withdrawals: rows.map(withdrawalView) } };
  },
});

const create = apiOperations.createWithdrawal;

export const POST = apiRoute({
  scope: create.scope,
  mutating: true,
  idempotency: "handler",
  body: create.body,
  handler: async ({ prisma, user, body, idempotencyKey, ip }) => {
    const coin = await prisma.coin.findUnique({ where: { asset: body.coin }, select: { decimals: true } });
    if (!coin) throw new ApiError(422, "invalid_request", "coin: this coin cannot be withdrawn.");
    // The wallet reads at most MAX_WHOLE_COIN_DIGITS whole coins; say so in the API's own unit.
    const digits = MAX_WHOLE_COIN_DIGITS + coin.decimals;
    if (BigInt(body.amount) >= 10n ** BigInt(digits)) {
      throw new ApiError(
        422,
        "invalid_request",
        `amount: larger than any ${body.coin} balance can be; send at most ${digits} digits of base units.`,
      );
    }
    // The core reads the amount as the wallet form does (whole coins): the same figure exactly.
    const outcome = await requestWithdrawal(prisma, {
      userId: user.id,
      idempotencyKey,
      ip,
      body: {
        coin: body.coin,
        addressId: body.addressId,
        amount: coinText(BigInt(body.amount), coin.decimals),
        totpCode: body.totp,
      },
    });
    if (!outcome.ok) throw new ApiError(refusalStatus(outcome.code), apiCode(outcome.code), outcome.message);
    return { status: outcome.status, body: outcome.withdrawal };
  },
});
