import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { Notice } from "@/components/form-fields";
import { formatDayRange, formatUnitPricePerDay } from "@/components/format";
import { CapacityStack } from "@/components/operator/capacity-stack";
import { ListingForm } from "@/components/operator/listing-form";
import { PublishForm } from "@/components/operator/publish-form";
import { PageHeader, Section, StatusBadge } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { listingFormValues } from "@/lib/operator/listings";
import { listingCoins, operatorListings, rigChoices } from "@/lib/operator/queries";
import { coinOptions, rigOptions } from "../../_lib/options";
import { setListingPublishedAction, updateListingAction } from "../../actions";

export const metadata: Metadata = { title: "Listing" };
export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ listingId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function ListingPage({ params, searchParams }: Props) {
  const { listingId } = await params;
  const user = await requireRole("OPERATOR", `/operator/listings/${encodeURIComponent(listingId)}`);
  if (!z.uuid().safeParse(listingId).success) notFound();
  const prisma = db();
  const [[listing], coins, rigs, contracts] = await Promise.all([
    operatorListings(prisma, user.id, listingId),
    listingCoins(prisma),
    rigChoices(prisma, user.id, listingId),
    prisma.contract.count({ where: { listingId, listing: { operatorId: user.id } } }),
  ]);
  if (!listing) notFound();
  const published = listing.status === "PUBLISHED";
  const created = (await searchParams).notice === "created";

  return (
    <div className="page max-w-5xl">
      <PageHeader
        title={listing.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={listing.status} />
            {listing.coin} · {formatUnitPricePerDay(listing.priceMicroUsdPerUnitDay, listing.unitLabel)} · maintenance{" "}
            {formatUnitPricePerDay(listing.maintenanceFeeMicroUsdPerUnitDay, listing.unitLabel)} ·{" "}
            {formatDayRange(listing.minDays, listing.maxDays)}
          </span>
        }
        actions={<PublishForm action={setListingPublishedAction.bind(null, listing.id)} published={published} />}
      />

      {created ? <Notice>Listing created as a draft. Publish it to put it on the marketplace.</Notice> : null}

      <Section
        id="capacity"
        title="Capacity"
        description={`${listing.activeRigs} of ${listing.rigs} backing ${listing.rigs === 1 ? "rig is" : "rigs are"} active. Only active rigs sell capacity.`}
      >
        <div className="card p-5">
          <CapacityStack capacity={listing} />
        </div>
      </Section>

      <Section
        id="terms"
        title="Terms and rigs"
        description="New terms apply to new contracts; sold contracts keep the terms they were bought with."
      >
        <ListingForm
          action={updateListingAction.bind(null, listing.id)}
          mode="edit"
          coinLocked={contracts > 0}
          coins={coinOptions(coins)}
          rigs={rigOptions(rigs)}
          initial={listingFormValues({ ...listing, rigIds: rigs.filter((r) => r.selected).map((r) => r.id) })}
        />
      </Section>
    </div>
  );
}
