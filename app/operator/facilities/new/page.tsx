import type { Metadata } from "next";
import { FacilityForm } from "@/components/operator/facility-form";
import { PageHeader } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { createFacilityAction } from "../../actions";

export const metadata: Metadata = { title: "Add a facility" };
export const dynamic = "force-dynamic";

export default async function NewFacilityPage() {
  await requireRole("OPERATOR", "/operator/facilities/new");
  return (
    <div className="page max-w-3xl">
      <PageHeader
        title="Add a facility"
        description="A hosting site: its name, where it is, and what power costs there."
      />
      <FacilityForm
        action={createFacilityAction}
        initial={{ name: "", location: "", countryCode: "", powerPrice: "" }}
        submitLabel="Add facility"
      />
    </div>
  );
}
