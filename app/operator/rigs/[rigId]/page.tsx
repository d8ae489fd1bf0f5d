import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formatAlgorithm, formatHashrate, formatInteger } from "@/components/format";
import { RigForm } from "@/components/operator/rig-form";
import { RigStatusForm } from "@/components/operator/rig-status-form";
import { PageHeader, Section, StatCard, StatusBadge } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { facilityChoices, operatorRig } from "@/lib/operator/queries";
import { hashrateText, naturalHashrateUnit } from "@/lib/operator/units";
import { changeRigStatusAction, updateRigAction } from "../../actions";
import { algorithmOptions, defaultUnits, rigStatusOptions, unitOptions } from "../../_lib/options";

export const metadata: Metadata = { title: "Rig" };
export const dynamic = "force-dynamic";

export default async function RigPage({ params }: { params: Promise<{ rigId: string }> }) {
  const { rigId } = await params;
  const user = await requireRole("OPERATOR", `/operator/rigs/${encodeURIComponent(rigId)}`);
  if (!z.uuid().safeParse(rigId).success) notFound();
  const prisma = db();
  const [rig, facilities] = await Promise.all([operatorRig(prisma, user.id, rigId), facilityChoices(prisma, user.id)]);
  if (!rig) notFound();
  const unit = naturalHashrateUnit(rig.nominalHashrateHs);
  const retired = rig.status === "RETIRED";

  return (
    <div className="page max-w-4xl">
      <PageHeader
        title={`${rig.model} · ${rig.serialNumber}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={rig.status} /> {formatAlgorithm(rig.algorithm)} in {rig.facility.name} ·{" "}
            {rig.listing ? (
              <>
                backs{" "}
                <Link href={`/operator/listings/${rig.listing.id}`} className="link">
                  {rig.listing.title}
                </Link>
              </>
            ) : (
              "not listed"
            )}
          </span>
        }
      />

      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Nominal hashrate" value={formatHashrate(rig.nominalHashrateHs)} />
        <StatCard label="Allocated (live)" value={formatHashrate(rig.liveHs)} />
        <StatCard label="Reserved" value={formatHashrate(rig.reservedHs)} />
        <StatCard label="Power draw" value={`${formatInteger(rig.powerDrawW)} W`} />
      </dl>

      <Section id="status" title="Status">
        {retired ? (
          <p className="text-sm text-slate-700">This rig is retired. Retirement is final.</p>
        ) : (
          <div className="card p-6">
            <RigStatusForm action={changeRigStatusAction.bind(null, rig.id)} current={rig.status} statuses={rigStatusOptions} />
          </div>
        )}
      </Section>

      {retired ? null : (
        <Section id="edit" title="Details" description="Status changes above; everything else here.">
          <RigForm
            action={updateRigAction.bind(null, rig.id)}
            mode="edit"
            initial={{
              facilityId: rig.facilityId,
              model: rig.model,
              serialNumber: rig.serialNumber,
              algorithm: rig.algorithm,
              nominalHashrate: hashrateText(rig.nominalHashrateHs, unit),
              hashrateUnit: unit,
              powerW: String(rig.powerDrawW),
            }}
            facilities={facilities.map((f) => ({ value: f.id, label: f.name }))}
            algorithms={algorithmOptions}
            units={unitOptions}
            defaultUnits={defaultUnits}
            statuses={[]}
          />
        </Section>
      )}
    </div>
  );
}
