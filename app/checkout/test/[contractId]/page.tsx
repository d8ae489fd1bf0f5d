import { notFound } from "next/navigation";
import { formatHashrate, formatInstantUtc } from "@/components/format";
import { Button, PageHeader, Section } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { cardPayments } from "@/lib/payments/config";
import { usdCents } from "@/lib/shared/usd";
import { cancelTestCheckout, payTestCheckout } from "./actions";

export const dynamic = "force-dynamic";

export default async function TestCheckoutPage({ params }: { params: Promise<{ contractId: string }> }) {
  const { contractId } = await params;
  const user = await requireRole("CUSTOMER", `/checkout/test/${contractId}`);
  // Only where the test checkout is switched on (HASHLEASE_TEST_CHECKOUT=1 and no Stripe key).
  if ((await cardPayments()) !== "test") notFound();
  const contract = /^[0-9a-f-]{36}$/.test(contractId)
    ? await db().contract.findFirst({
        where: { id: contractId, customerId: user.id },
        include: { listing: { select: { title: true } } },
      })
    : null;
  if (!contract || contract.chargedCents === null) notFound();
  const pending = contract.status === "PENDING_PAYMENT";
  return (
    <>
      <PageHeader
        title="Checkout"
        description="Test mode: this instance takes no real card payments, so no card is charged."
      />
      <div
        role="note"
        className="mb-6 rounded-lg border-2 border-dashed border-amber-500 bg-amber-50 p-4 text-amber-900"
      >
        <strong>TEST MODE.</strong> This stands in for Stripe Checkout on a machine without Stripe keys. Paying here
        activates the contract through the same code as a real card payment.
      </div>
      <Section id="checkout" title={contract.listing.title}>
        <dl className="grid max-w-md grid-cols-2 gap-2 text-sm">
          <dt className="text-slate-600">Hashrate</dt>
          <dd>{formatHashrate(contract.hashrateHs)}</dd>
          <dt className="text-slate-600">Term</dt>
          <dd>{contract.days} days</dd>
          <dt className="text-slate-600">Amount</dt>
          <dd className="font-semibold">{usdCents(contract.chargedCents * 10_000n)}</dd>
          {contract.reservedUntil ? (
            <>
              <dt className="text-slate-600">Capacity held until</dt>
              <dd>{formatInstantUtc(contract.reservedUntil)}</dd>
            </>
          ) : null}
        </dl>
        {pending ? (
          <div className="mt-6 flex gap-3">
            <form action={payTestCheckout}>
              <input type="hidden" name="contractId" value={contract.id} />
              <Button type="submit">Pay {usdCents(contract.chargedCents * 10_000n)} (test mode)</Button>
            </form>
            <form action={cancelTestCheckout}>
              <input type="hidden" name="contractId" value={contract.id} />
              <Button variant="secondary" type="submit">
                Cancel
              </Button>
            </form>
          </div>
        ) : (
          <p className="mt-6">This checkout is closed (contract {contract.status.toLowerCase().replace("_", " ")}).</p>
        )}
      </Section>
    </>
  );
}
