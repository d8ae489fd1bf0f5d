import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { DayChart } from "@/components/dashboard/day-chart";
import { formatHashrate, formatInteger } from "@/components/format";
import { PageHeader, Section, StatCard, StatusBadge } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { contractVerifiedHashrate, rejectedTotal } from "@/lib/stratum/queries";

export const metadata: Metadata = { title: "Contract delivery" };
export const dynamic = "force-dynamic";

const HOURS = 24;
const timeOfDay = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`;

export default async function ContractDeliveryPage({ params }: { params: Promise<{ contractId: string }> }) {
  const { contractId } = await params;
  const user = await requireRole("CUSTOMER", `/dashboard/contracts/${encodeURIComponent(contractId)}`);
  if (!z.uuid().safeParse(contractId).success) notFound();
  const prisma = db();
  const [contract, verified] = await Promise.all([
    prisma.contract.findFirst({
      where: { id: contractId, customerId: user.id },
      select: { id: true, coin: true, status: true, hashrateHs: true, listing: { select: { title: true } } },
    }),
    contractVerifiedHashrate(prisma, user.id, contractId, { hours: HOURS }),
  ]);
  if (!contract || !verified) notFound();
  const points = verified.points;
  const total = points.reduce((sum, p) => sum + p.hashrateHs, 0n);
  const average = points.length ? total / BigInt(points.length) : 0n;
  const latest = points.at(-1)?.hashrateHs ?? 0n;
  const rejected = rejectedTotal(verified.counts);

  return (
    <div className="page max-w-4xl">
      <PageHeader
        title={contract.listing.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={contract.status} /> {contract.coin} · contract {contract.id.slice(0, 8)} ·{" "}
            <Link href={`/dashboard?contract=${contract.id}#payouts`} className="link">
              Its payouts
            </Link>
          </span>
        }
      />
      <dl className="mb-10 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Contracted hashrate" value={formatHashrate(contract.hashrateHs)} />
        <StatCard label="Verified, last 10 min" value={formatHashrate(latest)} />
        <StatCard label={`Verified, ${HOURS} h average`} value={formatHashrate(average)} />
        <StatCard
          label={`Shares, ${HOURS} h`}
          value={`${formatInteger(verified.counts.accepted)} accepted`}
          detail={`${formatInteger(rejected)} rejected · ${formatInteger(verified.measuredRigs)} of ${formatInteger(verified.rigs)} rigs measured`}
        />
      </dl>
      <Section
        id="verified"
        title="Verified hashrate"
        description="Measured from the shares your contract's rigs submit to the Hashlease Stratum endpoint: each one hashed and checked against its target. Each point is 10 minutes; each rig counts in proportion to your allocation on it, capped at its nominal hashrate, as the daily payout counts it."
      >
        {verified.measuredRigs === 0 ? (
          <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            No rig of this contract mined through the Hashlease Stratum endpoint in the last {HOURS} hours. Until they
            do, payouts use the operator&apos;s reported hashrate, and each payout is marked &ldquo;Reported by
            operator&rdquo;.
          </p>
        ) : null}
        <DayChart
          id="verified-hashrate-chart"
          title={`Verified hashrate, last ${HOURS} hours (UTC)`}
          days={points.map((p) => p.at)}
          tickLabel={timeOfDay}
          series={[
            {
              key: "verified",
              label: "Verified",
              values: points.map((p) => p.hashrateHs),
              kind: "line",
              tone: "emerald",
            },
            {
              key: "contracted",
              label: "Contracted",
              values: points.map(() => contract.hashrateHs),
              kind: "line",
              tone: "slate",
              dashed: true,
            },
          ]}
          formatValue={formatHashrate}
          summary={`Over the last ${HOURS} hours the verified hashrate averaged ${formatHashrate(average)} against ${formatHashrate(contract.hashrateHs)} contracted; ${formatInteger(verified.counts.accepted)} shares were accepted and ${formatInteger(rejected)} rejected.`}
        />
      </Section>
    </div>
  );
}
