import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { FacilityForm } from "@/components/operator/facility-form";
import { PageHeader } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { facilityFormValues } from "@/lib/operator/facilities";
import { operatorFacility } from "@/lib/operator/queries";
import { updateFacilityAction } from "../../actions";

export const metadata: Metadata = { title: "Edit facility" };
export const dynamic = "force-dynamic";

export default async function EditFacilityPage({ params }: { params: Promise<{ facilityId: string }> }) {
  const { facilityId } = await params;
  const user = await requireRole("OPERATOR", `/operator/facilities/${encodeURIComponent(facilityId)}`);
  if (!z.uuid().safeParse(facilityId).success) notFound();
  const facility = await operatorFacility(db(), user.id, facilityId);
  if (!facility) notFound();
  return (
    <div className="page max-w-3xl">
      <PageHeader
        title={`Edit ${facility.name}`}
        description="Changes apply to the facility's rigs and listings from now on."
      />
      <FacilityForm
        action={updateFacilityAction.bind(null, facility.id)}
        initial={facilityFormValues(facility)}
        submitLabel="Save facility"
      />
    </div>
  );
}
