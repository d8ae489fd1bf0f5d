// Run by e2e/admin-2fa.spec.ts through tsx (the wallet cores import next/headers, which the
// Playwright loader cannot resolve): a new customer's 0.2 BTC withdrawal, above the review
// threshold, through the real cores — credited, a whitelisted address, requested, confirmed by
// its link (signed with the e2e server's auth secret, read from the same generated file: run with
// HASHLEASE_DATA_DIR and DATABASE_URL of the e2e server). Prints {"email","withdrawalId"}.
import { createPrismaClient } from "../lib/db/client";
import { createUser, deposit, usableBtcAddress } from "../lib/testing/fixtures";
import { confirmWithdrawalLink, requestBtcWithdrawal } from "../lib/testing/withdrawals";

const prisma = createPrismaClient(process.env.DATABASE_URL!);
try {
  const customer = await createUser(prisma, ["CUSTOMER"]);
  await deposit(prisma, customer.id, "BTC", 30_000_000n);
  const addressId = await usableBtcAddress(prisma, customer.id);
  const withdrawal = await requestBtcWithdrawal(prisma, { userId: customer.id, addressId, amount: "0.2" });
  const confirmed = await confirmWithdrawalLink(prisma, withdrawal.id);
  if (!confirmed.ok) throw new Error(confirmed.message);
  console.log(JSON.stringify({ email: customer.email, withdrawalId: withdrawal.id }));
} finally {
  await prisma.$disconnect();
}
