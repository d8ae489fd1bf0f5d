// A facility's upstream pools (facility_upstreams, read by upstream.ts's JobRouter): one per
// coin whose shares the proxy verifies. The operator sets the pool's address, account and
// password on the facility page; the password is encrypted with the key ring and bound to the
// facility and coin (a ciphertext copied to another row does not open), never shown again and
// never written to the audit line. Saving again with the password left empty keeps the old one.
import { z } from "zod";
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { Asset } from "../generated/prisma/enums";
import { decryptSecret, encryptSecret } from "../secrets/encryption";
import type { KeyRing } from "../secrets/key-ring";
import { invalid, notFound, type Result } from "../shared/result";
import { VERIFIED_ALGORITHMS } from "./work";

function aad(facilityId: string, coin: Asset): string {
  return `upstream:${facilityId}:${coin}`;
}

export function openUpstreamPassword(
  row: { facilityId: string; coin: Asset; passwordEnc: string; passwordKeyId: string },
  ring: KeyRing,
): string {
  return decryptSecret(row.passwordEnc, row.passwordKeyId, ring, aad(row.facilityId, row.coin));
}

const URL_SHAPE = /^stratum\+tcp:\/\/[A-Za-z0-9.-]+:(\d{1,5})$/;

export const upstreamInputSchema = z.object({
  coin: z.enum(Asset).refine((coin) => coin !== Asset.USD, "Choose the coin the pool mines."),
  url: z
    .string()
    .trim()
    .refine((url) => {
      const m = URL_SHAPE.exec(url);
      return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 65535;
    }, "Enter the pool as stratum+tcp://host:port, e.g. stratum+tcp://pool.example.com:3333."),
  username: z
    .string()
    .trim()
    .min(1, "Enter the pool account (often account.worker).")
    .max(200, "Use at most 200 characters for the account."),
  password: z.string().max(200, "Use at most 200 characters for the password."),
});
export type UpstreamInput = z.output<typeof upstreamInputSchema>;

export interface FacilityUpstreamView {
  coin: Asset;
  url: string;
  username: string;
  updatedAt: Date;
}

/** The facility's upstreams (never their passwords), or null when it is not the operator's. */
export async function facilityUpstreams(
  prisma: PrismaClient,
  operatorId: string,
  facilityId: string,
): Promise<FacilityUpstreamView[] | null> {
  const facility = await prisma.facility.findFirst({
    where: { id: facilityId, operatorId },
    select: {
      upstreams: { select: { coin: true, url: true, username: true, updatedAt: true }, orderBy: { coin: "asc" } },
    },
  });
  return facility?.upstreams ?? null;
}

type UpstreamRefusal = "NOT_FOUND" | "INVALID";

export async function setFacilityUpstream(
  prisma: PrismaClient,
  args: { operatorId: string; facilityId: string; input: UpstreamInput; ring: KeyRing; ip?: string | null },
): Promise<Result<{ coin: Asset; created: boolean }, UpstreamRefusal>> {
  const { operatorId, facilityId, input } = args;
  const coin = await prisma.coin.findUnique({ where: { asset: input.coin }, select: { algorithm: true } });
  if (!coin || !VERIFIED_ALGORITHMS.has(coin.algorithm)) {
    return invalid(`The proxy cannot verify ${input.coin} shares yet, so it cannot mine it for a pool.`, {
      coin: "Choose a SHA-256 or Scrypt coin.",
    });
  }
  return prisma.$transaction(async (tx) => {
    const facility = await tx.facility.findFirst({ where: { id: facilityId, operatorId }, select: { id: true } });
    if (!facility) return notFound("This facility");
    const before = await tx.facilityUpstream.findUnique({
      where: { facilityId_coin: { facilityId, coin: input.coin } },
    });
    if (!before && input.password === "")
      return invalid("Enter the pool password (pools that take any password accept “x”).", {
        password: "Enter the pool password, or x.",
      });
    const sealed =
      input.password === ""
        ? { ciphertext: before!.passwordEnc, keyId: before!.passwordKeyId }
        : encryptSecret(input.password, args.ring, aad(facilityId, input.coin));
    const data = {
      url: input.url,
      username: input.username,
      passwordEnc: sealed.ciphertext,
      passwordKeyId: sealed.keyId,
      updatedAt: new Date(),
    };
    await tx.facilityUpstream.upsert({
      where: { facilityId_coin: { facilityId, coin: input.coin } },
      create: { facilityId, coin: input.coin, ...data },
      update: data,
    });
    await appendAudit(tx, {
      actorId: operatorId,
      action: before ? "facility.upstream_updated" : "facility.upstream_set",
      entityType: "facility",
      entityId: facilityId,
      ip: args.ip ?? null,
      details: {
        coin: input.coin,
        url: input.url,
        username: input.username,
        passwordChanged: input.password !== "",
        ...(before ? { before: { url: before.url, username: before.username } } : {}),
      },
    });
    return { ok: true as const, coin: input.coin, created: !before };
  });
}

export async function removeFacilityUpstream(
  prisma: PrismaClient,
  args: { operatorId: string; facilityId: string; coin: Asset; ip?: string | null },
): Promise<Result<{ coin: Asset }, UpstreamRefusal>> {
  const { operatorId, facilityId, coin } = args;
  return prisma.$transaction(async (tx) => {
    const facility = await tx.facility.findFirst({ where: { id: facilityId, operatorId }, select: { id: true } });
    if (!facility) return notFound("This facility");
    const removed = await tx.facilityUpstream.deleteMany({ where: { facilityId, coin } });
    if (removed.count === 0) return notFound(`The ${coin} upstream`);
    await appendAudit(tx, {
      actorId: operatorId,
      action: "facility.upstream_removed",
      entityType: "facility",
      entityId: facilityId,
      ip: args.ip ?? null,
      details: { coin },
    });
    return { ok: true as const, coin };
  });
}
