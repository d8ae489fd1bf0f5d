import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formatInstantUtc } from "@/components/format";
import { FacilityForm } from "@/components/operator/facility-form";
import { UpstreamForm } from "@/components/operator/upstream-form";
import { PageHeader } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { facilityFormValues } from "@/lib/operator/facilities";
import { operatorFacility } from "@/lib/operator/queries";
import { facilityUpstreams } from "@/lib/stratum/upstream-config";
import { VERIFIED_ALGORITHMS } from "@/lib/stratum/work";
import { removeFacilityUpstreamAction, setFacilityUpstreamAction, updateFacilityAction } from "../../actions";

export const metadata: Metadata = { title: "Edit facility" };
export const dynamic = "force-dynamic";

export default async function EditFacilityPage({ params }: { params: Promise<{ facilityId: string }> }) {
  const { facilityId } = await params;
  const user = await requireRole("OPERATOR", `/operator/facilities/${encodeURIComponent(facilityId)}`);
  if (!z.uuid().safeParse(facilityId).success) notFound();
  const [facility, upstreams, coins] = await Promise.all([
    operatorFacility(db(), user.id, facilityId),
    facilityUpstreams(db(), user.id, facilityId),
    db().coin.findMany({
      where: { algorithm: { in: [...VERIFIED_ALGORITHMS.keys()] } },
      select: { asset: true },
      orderBy: { asset: "asc" },
    }),
  ]);
  if (!facility || !upstreams) notFound();
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
      <section aria-labelledby="upstream-heading" className="mt-10">
        <h2 id="upstream-heading" className="mb-2 text-lg font-semibold text-slate-900">
          Upstream pools
        </h2>
        <p className="mb-4 text-sm text-slate-700">
          Name the pool this facility&apos;s rigs of a coin mine for. The Stratum proxy takes the pool&apos;s jobs,
          verifies every share itself (that is what customers are paid on) and forwards the shares that meet the
          pool&apos;s difficulty, counting the pool&apos;s answers on each rig&apos;s page.
        </p>
        <UpstreamForm
          save={setFacilityUpstreamAction.bind(null, facility.id)}
          remove={removeFacilityUpstreamAction.bind(null, facility.id)}
          upstreams={upstreams.map((u) => ({
            coin: u.coin,
            url: u.url,
            username: u.username,
            updated: formatInstantUtc(u.updatedAt),
          }))}
          coins={coins.map((c) => c.asset)}
        />
      </section>
    </div>
  );
}
