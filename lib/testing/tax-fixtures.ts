// Fixtures for the tax tests that send withdrawals against lots: a customer holding a known
// set of lots, written straight to tax_lots (their payouts are not the test's business).
import type { PrismaClient } from "../db/client";
import { createUser, usableBtcAddress } from "./fixtures";

/**
 * A customer with a usable BTC address and 40 BTC lots of 100,000 sats (four a day from
 * 2025-02-01, an odd basis each: 7,000,001 + n µUSD; payout ids from `firstPayoutId`), and an
 * admin to send the customer's withdrawals. The coins themselves are the test's to deposit.
 */
export async function customerWithFortyLots(prisma: PrismaClient, firstPayoutId: number) {
  const customerId = (await createUser(prisma)).id;
  const adminId = (await createUser(prisma, ["ADMIN"])).id;
  const addressId = await usableBtcAddress(prisma, customerId);
  await prisma.$executeRaw`
    INSERT INTO tax_lots (user_id, coin, acquired_on, amount_base, basis_micro_usd, remaining_base, payout_id)
    SELECT ${customerId}::uuid, 'BTC', '2025-02-01'::date + (g / 4), 100000, 7000001 + g, 100000, ${firstPayoutId}::bigint + g
      FROM generate_series(0, 39) g`;
  return { customerId, adminId, addressId };
}
