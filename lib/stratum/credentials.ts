// Rig credentials for Stratum (DESIGN.md: secrets, stored hashed, shown once, rotatable,
// audited). The worker name is public and stays the same across rotations; the secret is 24
// random bytes (base64url) whose SHA-256 is all the database keeps. Issuing again rotates: the
// old secret stops working at once (new connections; open ones keep their authorization
// until they reconnect, as on every pool).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import type { Algorithm, RigStatus } from "../generated/prisma/enums";

export interface IssuedCredentials {
  rigId: string;
  workerName: string;
  /** Shown once; never stored. */
  secret: string;
  rotated: boolean;
}

export interface AuthorizedRig {
  rigId: string;
  operatorId: string;
  facilityId: string;
  algorithm: Algorithm;
  status: RigStatus;
  workerName: string;
}

function secretDigest(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

function newWorkerName(): string {
  return `hl-${randomBytes(6).toString("hex")}`;
}

/**
 * Issues (first time) or rotates the rig's Stratum secret. `operatorId` given = the caller
 * must own the rig (else null, the same for a rig that does not exist); null = a trusted
 * caller (the CLI). One transaction with its audit line.
 */
export async function issueRigCredentials(
  prisma: PrismaClient,
  args: {
    rigId: string;
    operatorId: string | null;
    actorId: string | null;
    ip?: string | null;
    via: "operator_ui" | "cli";
  },
): Promise<IssuedCredentials | null> {
  return prisma.$transaction(async (tx) => {
    const rig = await tx.rig.findUnique({
      where: { id: args.rigId },
      select: {
        id: true,
        facility: { select: { operatorId: true } },
        stratumCredential: { select: { workerName: true } },
      },
    });
    if (!rig || (args.operatorId !== null && rig.facility.operatorId !== args.operatorId)) return null;
    const secret = randomBytes(24).toString("base64url");
    const digest = secretDigest(secret);
    const rotated = rig.stratumCredential !== null;
    const workerName = rig.stratumCredential?.workerName ?? newWorkerName();
    await tx.rigStratumCredential.upsert({
      where: { rigId: rig.id },
      create: { rigId: rig.id, workerName, secretSha256: digest },
      update: { secretSha256: digest, rotatedAt: new Date() },
    });
    await appendAudit(tx, {
      actorId: args.actorId,
      action: rotated ? "stratum.credentials_rotated" : "stratum.credentials_issued",
      entityType: "rig",
      entityId: rig.id,
      ip: args.ip ?? null,
      details: { workerName, via: args.via },
    });
    return { rigId: rig.id, workerName, secret, rotated };
  });
}

/** The rig a worker name and password belong to, or null for anything else. */
export async function authorizeWorker(
  prisma: PrismaClient,
  workerName: string,
  password: string,
): Promise<AuthorizedRig | null> {
  if (workerName.length > 64 || password.length > 128) return null;
  const row = await prisma.rigStratumCredential.findUnique({
    where: { workerName },
    select: {
      secretSha256: true,
      rig: {
        select: {
          id: true,
          algorithm: true,
          status: true,
          facilityId: true,
          facility: { select: { operatorId: true } },
        },
      },
    },
  });
  // Hash either way, so a wrong worker name costs the same as a wrong password.
  const given = Buffer.from(secretDigest(password), "hex");
  const stored = Buffer.from(row?.secretSha256 ?? "0".repeat(64), "hex");
  if (!timingSafeEqual(given, stored) || !row) return null;
  return {
    rigId: row.rig.id,
    operatorId: row.rig.facility.operatorId,
    facilityId: row.rig.facilityId,
    algorithm: row.rig.algorithm,
    status: row.rig.status,
    workerName,
  };
}
