import type { Metadata } from "next";
import { ListingForm } from "@/components/operator/listing-form";
import { PageHeader } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { listingCoins, rigChoices } from "@/lib/operator/queries";
import { coinOptions, rigOptions } from "../../_lib/options";
import { createListingAction } from "../../actions";

export const metadata: Metadata = { title: "New listing" };
export const dynamic = "force-dynamic";

export default async function NewListingPage() {
  const user = await requireRole("OPERATOR", "/operator/listings/new");
  const prisma = db();
  const [coins, rigs] = await Promise.all([listingCoins(prisma), rigChoices(prisma, user.id, null)]);
  return (
    <div className="page max-w-4xl">
      <PageHeader
        title="New listing"
        description="Offer capacity of your rigs for one coin. The listing starts as a draft; publish it when its terms and rigs are right."
      />
      <ListingForm
        action={createListingAction}
        mode="create"
        coinLocked={false}
        coins={coinOptions(coins)}
        rigs={rigOptions(rigs)}
        initial={{
          coin: coins[0]?.asset ?? "",
          title: "",
          price: "",
          maintenanceFee: "",
          minDays: "30",
          maxDays: "365",
          minHashrate: "1",
          rigIds: [],
        }}
      />
    </div>
  );
}
