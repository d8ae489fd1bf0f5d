import { describe, expect, it } from "vitest";
import { balanceOf } from "../ledger/ledger";
import { withTestDatabase } from "../testing/test-database";
import { DEMO_CUSTOMER_CREDIT_MICRO_USD, seedDemoData } from "./seed";

const t = withTestDatabase();

describe("demo customer credit", () => {
  it("is posted once through the ledger, however often the seed runs", async () => {
    await seedDemoData(t.prisma);
    await seedDemoData(t.prisma);
    const customer = await t.prisma.user.findUniqueOrThrow({ where: { email: "customer@hashlease.test" } });
    // The demo history's contracts were paid by card; its payouts add under-delivery credits.
    const credits = await t.prisma.dailyPayout.aggregate({
      where: { contract: { customerId: customer.id } },
      _sum: { underDeliveryCreditMicroUsd: true },
    });
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "USD", userId: customer.id })).toBe(
      DEMO_CUSTOMER_CREDIT_MICRO_USD + (credits._sum.underDeliveryCreditMicroUsd ?? 0n),
    );
    expect(
      await t.prisma.journalTransaction.count({ where: { referenceType: "demo-credit", referenceId: customer.id } }),
    ).toBe(1);
  });
});
