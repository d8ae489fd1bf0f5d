import type { Metadata } from "next";
import { RigForm } from "@/components/operator/rig-form";
import { EmptyState, PageHeader } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { facilityChoices } from "@/lib/operator/queries";
import { algorithmOptions, defaultUnits, newRigStatusOptions, unitOptions } from "../../_lib/options";
import { createRigAction } from "../../actions";

export const metadata: Metadata = { title: "Add a rig" };
export const dynamic = "force-dynamic";

export default async function NewRigPage() {
  const user = await requireRole("OPERATOR", "/operator/rigs/new");
  const facilities = await facilityChoices(db(), user.id);
  return (
    <div className="page max-w-3xl">
      <PageHeader
        title="Add a rig"
        description="One machine with its nameplate figures. To add many at once, import a CSV file instead."
      />
      {facilities.length === 0 ? (
        <EmptyState
          title="Add a facility first."
          action={{ href: "/operator/facilities/new", label: "Add a facility" }}
        >
          Every rig is hosted in one of your facilities.
        </EmptyState>
      ) : (
        <RigForm
          action={createRigAction}
          mode="create"
          initial={{
            facilityId: facilities[0]!.id,
            model: "",
            serialNumber: "",
            algorithm: "SHA256",
            nominalHashrate: "",
            hashrateUnit: defaultUnits.SHA256!,
            powerW: "",
            status: "ACTIVE",
          }}
          facilities={facilities.map((f) => ({ value: f.id, label: f.name }))}
          algorithms={algorithmOptions}
          units={unitOptions}
          defaultUnits={defaultUnits}
          statuses={newRigStatusOptions}
        />
      )}
    </div>
  );
}
