// The admin's user view: search by email, and one user's roles, 2FA state, API keys (read
// from the api_keys table: label, scopes, last use, revocation — never the secret), balances
// per asset (available and held, from the ledger's accounts), frozen state (the account's and
// its withdrawals') and the recent audit lines the user wrote or that are about the user.
import { API_KEY_VIEW_SELECT } from "../api/keys";
import type { PrismaClient } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import type { Role } from "../generated/prisma/enums";
import { auditLineHead } from "./audit-log";
import { assetDecimals } from "./ledger";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface UserSearchRow {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  frozenAt: Date | null;
  twoFactorEnabled: boolean;
  createdAt: Date;
}

export async function searchUsers(
  prisma: PrismaClient,
  filter: { email?: string; role?: Role; frozen?: boolean },
  options: { page: number; pageSize: number },
): Promise<{ rows: UserSearchRow[]; total: number }> {
  const email = filter.email?.trim().toLowerCase() ?? "";
  const where = {
    ...(email ? { email: { contains: email } } : {}),
    ...(filter.role ? { roles: { has: filter.role } } : {}),
    ...(filter.frozen ? { frozenAt: { not: null } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({
      where,
      orderBy: [{ email: "asc" }],
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      select: { id: true, email: true, name: true, roles: true, frozenAt: true, totpEnabledAt: true, createdAt: true },
    }),
  ]);
  return {
    total,
    rows: rows.map(({ totpEnabledAt, ...u }) => ({ ...u, twoFactorEnabled: totpEnabledAt !== null })),
  };
}

export interface UserBalance {
  asset: string;
  decimals: number;
  available: bigint;
  held: bigint;
  /** Operators: what the platform owes them (USD). */
  operatorPayable: bigint;
}

export interface UserView {
  user: {
    id: string;
    email: string;
    name: string;
    roles: Role[];
    createdAt: Date;
    frozenAt: Date | null;
    frozenReason: string | null;
    /** The customer's "this wasn't me" withdrawals freeze (lib/wallet/withdrawal-freeze.ts). */
    withdrawalsFrozenAt: Date | null;
    withdrawalsFrozenReason: string | null;
  };
  twoFactor: {
    enabled: boolean;
    enabledAt: Date | null;
    lockedUntil: Date | null;
    locked: boolean;
    failedCount: number;
    recoveryCodesLeft: number;
  };
  apiKeys: {
    id: string;
    keyId: string;
    label: string;
    scopes: string[];
    ipAllowlist: string[];
    createdAt: Date;
    lastUsedAt: Date | null;
    revokedAt: Date | null;
    rotatingUntil: Date | null;
  }[];
  balances: UserBalance[];
  accounts: { id: string; type: string; asset: string }[];
  counts: { contracts: number; withdrawals: number };
  audit: {
    id: bigint;
    seq: bigint | null;
    at: Date;
    action: string;
    actorEmail: string | null;
    entityType: string;
    entityId: string | null;
    ip: string | null;
  }[];
}

export async function userView(prisma: PrismaClient, userId: string, now: Date = new Date()): Promise<UserView | null> {
  if (!UUID.test(userId)) return null;
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      roles: true,
      createdAt: true,
      frozenAt: true,
      frozenReason: true,
      withdrawalsFrozenAt: true,
      withdrawalsFrozenReason: true,
      totpEnabledAt: true,
      totpLockedUntil: true,
      totpFailedCount: true,
    },
  });
  if (!user) return null;
  const [recoveryCodesLeft, apiKeys, accounts, contracts, withdrawals, audit, decimals] = await Promise.all([
    prisma.recoveryCode.count({ where: { userId, usedAt: null } }),
    prisma.apiKey.findMany({
      where: { userId },
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
      select: API_KEY_VIEW_SELECT,
    }),
    prisma.ledgerAccount.findMany({
      where: { userId },
      orderBy: [{ asset: "asc" }, { type: "asc" }],
      select: { id: true, type: true, asset: true, balance: true },
    }),
    prisma.contract.count({ where: { customerId: userId } }),
    prisma.withdrawal.count({ where: { userId } }),
    // The user's own lines and the lines about the user (two indexed reads, merged).
    prisma.auditLog.findMany({
      where: { OR: [{ actorId: userId }, { entityType: "user", entityId: userId }] },
      orderBy: { id: "desc" },
      take: 25,
      include: { actor: { select: { email: true } } },
    }),
    assetDecimals(prisma),
  ]);
  const balances = new Map<string, UserBalance>();
  for (const account of accounts) {
    const entry = balances.get(account.asset) ?? {
      asset: account.asset,
      decimals: decimals.get(account.asset) ?? 0,
      available: 0n,
      held: 0n,
      operatorPayable: 0n,
    };
    const amount = decimalToBigInt(account.balance);
    if (account.type === "USER_AVAILABLE") entry.available += amount;
    else if (account.type === "USER_HELD") entry.held += amount;
    else if (account.type === "OPERATOR_PAYABLE") entry.operatorPayable += amount;
    balances.set(account.asset, entry);
  }
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      roles: user.roles,
      createdAt: user.createdAt,
      frozenAt: user.frozenAt,
      frozenReason: user.frozenReason,
      withdrawalsFrozenAt: user.withdrawalsFrozenAt,
      withdrawalsFrozenReason: user.withdrawalsFrozenReason,
    },
    twoFactor: {
      enabled: user.totpEnabledAt !== null,
      enabledAt: user.totpEnabledAt,
      lockedUntil: user.totpLockedUntil,
      locked: user.totpLockedUntil !== null && user.totpLockedUntil.getTime() > now.getTime(),
      failedCount: user.totpFailedCount,
      recoveryCodesLeft,
    },
    apiKeys: apiKeys.map((k) => ({
      id: k.id,
      keyId: k.keyId,
      label: k.label,
      scopes: k.scopes,
      ipAllowlist: k.ipAllowlist,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
      rotatingUntil:
        k.previousValidUntil && k.previousValidUntil.getTime() > now.getTime() ? k.previousValidUntil : null,
    })),
    balances: [...balances.values()],
    accounts: accounts.map((a) => ({ id: a.id, type: a.type, asset: a.asset })),
    counts: { contracts, withdrawals },
    audit: audit.map((a) => ({
      ...auditLineHead(a),
      entityType: a.entityType,
      entityId: a.entityId,
      ip: a.ip,
    })),
  };
}
