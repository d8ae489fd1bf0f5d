// The withdrawal address book: a customer whitelists addresses per coin; withdrawals may only
// go to an entry of the customer's own book whose 48 h new-address lock has passed.
// - Adding needs 2FA and a fresh TOTP code (one transaction: code check, insert, audit line).
//   The address must pass its coin's checksum validation (./addresses.ts); the normalised
//   form, its format and the instant of validation are stored.
// - An address is in a user's live book at most once per coin (partial unique index); a
//   deleted address may be added again, with a fresh lock.
// - Deleting is immediate and soft (deleted_at); withdrawals keep the address they copied.
//   Entries are otherwise immutable (database trigger), so no edit can dodge the lock.
// - Every add, refused add (wrong 2FA code) and delete is an audit-log line.
// - Every add mails the security.new_withdrawal_address notice (and its in-app copy) in the same
//   transaction, with a 7-day "this wasn't me" link that freezes withdrawals
//   (withdrawal-freeze.ts). Adding stays possible while withdrawals are frozen: it moves no
//   funds, nothing can be withdrawn until an admin lifts the freeze, and each add is noticed.
import { z } from "zod";
import { appendAudit, appendUserAudit } from "../audit/audit";
import { normalizeTotpCode, verifyUserTotp, type VerifyTotpOptions } from "../auth/totp";
import type { PrismaClient, Tx } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import type { Asset } from "../generated/prisma/enums";
import { getSecrets } from "../secrets";
import { formatInstantUtc } from "../shared/days";
import type { Refusal } from "../shared/result";
import {
  COIN_NAMES,
  isWithdrawalCoin,
  validateWithdrawalAddress,
  WITHDRAWAL_COINS,
  type WithdrawalCoin,
} from "./addresses";
import { noticeNewWithdrawalAddress } from "./withdrawal-freeze";

/** New-address lock: an entry can receive withdrawals this long after it was added. */
export const ADDRESS_LOCK_MS = 48 * 60 * 60 * 1000;
/** Live entries per coin per user: plenty for real use, bounded against abuse. */
export const MAX_ADDRESSES_PER_COIN = 50;
export const MAX_LABEL_LENGTH = 60;
export const TWO_FACTOR_SETTINGS_PATH = "/settings/security";

export type AddressBookRefusal = Refusal<
  "INVALID" | "NOT_FOUND" | "CONFLICT" | "TWO_FACTOR_REQUIRED" | "TWO_FACTOR_REFUSED"
>;
export type AddressBookResult<T extends object = object> = ({ ok: true } & T) | AddressBookRefusal;

export const addAddressInputSchema = z.object({
  coin: z.enum(WITHDRAWAL_COINS, { error: "Choose the coin this address is for." }),
  address: z
    .string()
    .trim()
    .min(1, "Enter the address.")
    .max(200, "No supported address is longer than 200 characters."),
  label: z
    .string()
    .trim()
    .min(1, "Give the address a label, e.g. “Ledger cold wallet”.")
    .max(MAX_LABEL_LENGTH, `Use at most ${MAX_LABEL_LENGTH} characters for the label.`),
  totpCode: z.string().transform((text, ctx) => {
    const code = normalizeTotpCode(text);
    if (!code) {
      ctx.addIssue({ code: "custom", message: "Enter the 6-digit code from your authenticator app." });
      return z.NEVER;
    }
    return code;
  }),
});
export type AddAddressInput = z.output<typeof addAddressInputSchema>;

export interface AddressAdded {
  addressId: string;
  address: string;
  format: string;
  usableAfter: Date;
}

function twoFactorRequired(): AddressBookRefusal {
  return {
    ok: false,
    code: "TWO_FACTOR_REQUIRED",
    message: `Turn on two-factor authentication at ${TWO_FACTOR_SETTINGS_PATH} first: adding a withdrawal address needs a code from your authenticator app.`,
  };
}

/**
 * Adds an address to the user's book: validates it for its coin, checks the TOTP code (the
 * user row is locked by the check, so one user's adds run one at a time), refuses a live
 * duplicate, inserts it locked for 48 hours, writes the audit line and the new-address notice
 * with its freeze link — one transaction.
 */
export async function addWithdrawalAddress(
  prisma: PrismaClient,
  args: { userId: string; input: AddAddressInput; ip?: string | null; now?: Date; totp?: VerifyTotpOptions },
): Promise<AddressBookResult<AddressAdded>> {
  const { userId, input } = args;
  const now = args.now ?? new Date();
  const check = validateWithdrawalAddress(input.coin, input.address);
  if (!check.ok) return { ok: false, code: "INVALID", message: check.message, fieldErrors: { address: check.message } };
  const label = input.label.trim();
  if (label.length === 0 || label.length > MAX_LABEL_LENGTH) {
    const message = `Give the address a label of 1 to ${MAX_LABEL_LENGTH} characters.`;
    return { ok: false, code: "INVALID", message, fieldErrors: { label: message } };
  }
  const duplicate = (): AddressBookRefusal => {
    const message = `This ${input.coin} address is already in your address book.`;
    return { ok: false, code: "CONFLICT", message, fieldErrors: { address: message } };
  };
  const { authSecret } = await getSecrets();

  try {
    return await prisma.$transaction(async (tx): Promise<AddressBookResult<AddressAdded>> => {
      const totp = await verifyUserTotp(tx, userId, input.totpCode, now, args.totp);
      if (!totp.ok) {
        if (totp.reason === "NOT_ENABLED") return twoFactorRequired();
        // The wrong-code count and this line commit with the refusal (return, not throw).
        await appendUserAudit(tx, userId, {
          action: "withdrawal_address.add_refused",
          ip: args.ip ?? null,
          details: { coin: input.coin, reason: `totp_${totp.reason.toLowerCase()}` },
        });
        return {
          ok: false,
          code: "TWO_FACTOR_REFUSED",
          message: totp.message,
          fieldErrors: { totpCode: totp.message },
        };
      }
      const live = await tx.withdrawalAddress.findMany({
        where: { userId, coin: input.coin, deletedAt: null },
        select: { address: true },
      });
      // Refused before the insert so the code's time step is not spent on a duplicate (the
      // transaction rolls back); the unique index still decides any race.
      if (live.some((entry) => entry.address === check.address)) throw new DuplicateAddress();
      if (live.length >= MAX_ADDRESSES_PER_COIN) {
        const message = `You have ${MAX_ADDRESSES_PER_COIN} ${input.coin} addresses already: delete one you no longer use first.`;
        return { ok: false, code: "CONFLICT", message };
      }
      const usableAfter = new Date(now.getTime() + ADDRESS_LOCK_MS);
      const entry = await tx.withdrawalAddress.create({
        data: {
          userId,
          coin: input.coin,
          address: check.address,
          label,
          validatedAt: now,
          addressFormat: check.format,
          usableAfter,
          createdAt: now,
        },
        select: { id: true },
      });
      await appendAudit(tx, {
        actorId: userId,
        action: "withdrawal_address.added",
        entityType: "withdrawal_address",
        entityId: entry.id,
        ip: args.ip ?? null,
        details: {
          coin: input.coin,
          address: check.address,
          label,
          format: check.format,
          usableAfter: usableAfter.toISOString(),
        },
      });
      await noticeNewWithdrawalAddress(tx, authSecret, {
        userId,
        addressId: entry.id,
        coin: input.coin,
        label,
        address: check.address,
      });
      return { ok: true, addressId: entry.id, address: check.address, format: check.format, usableAfter };
    });
  } catch (error) {
    if (error instanceof DuplicateAddress || isUniqueViolation(error)) return duplicate();
    throw error;
  }
}

class DuplicateAddress extends Error {}

/** Soft-deletes one of the user's live entries at once; someone else's is "not found". */
export async function deleteWithdrawalAddress(
  prisma: PrismaClient,
  args: { userId: string; addressId: string; ip?: string | null; now?: Date },
): Promise<AddressBookResult<{ coin: WithdrawalCoin; label: string }>> {
  const now = args.now ?? new Date();
  const notFound: AddressBookRefusal = {
    ok: false,
    code: "NOT_FOUND",
    message: "This address was not found in your address book (it may be deleted already).",
  };
  if (!z.uuid().safeParse(args.addressId).success) return notFound;
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.withdrawalAddress.updateMany({
      where: { id: args.addressId, userId: args.userId, deletedAt: null },
      data: { deletedAt: now },
    });
    if (count === 0) return notFound;
    const entry = await tx.withdrawalAddress.findUniqueOrThrow({
      where: { id: args.addressId },
      select: { coin: true, address: true, label: true },
    });
    await appendAudit(tx, {
      actorId: args.userId,
      action: "withdrawal_address.deleted",
      entityType: "withdrawal_address",
      entityId: args.addressId,
      ip: args.ip ?? null,
      details: { coin: entry.coin, address: entry.address, label: entry.label },
    });
    return { ok: true as const, coin: entry.coin as WithdrawalCoin, label: entry.label };
  });
}

export interface AddressBookEntry {
  id: string;
  coin: WithdrawalCoin;
  address: string;
  label: string;
  format: string;
  createdAt: Date;
  usableAfter: Date;
  /** The 48 h lock has passed at the time of the read. */
  usable: boolean;
}

/** The user's live entries, by coin (in the supported coins' order), newest first. */
export async function listAddressBook(
  prisma: PrismaClient,
  userId: string,
  now = new Date(),
): Promise<AddressBookEntry[]> {
  const rows = await prisma.withdrawalAddress.findMany({
    where: { userId, deletedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      coin: true,
      address: true,
      label: true,
      addressFormat: true,
      createdAt: true,
      usableAfter: true,
    },
  });
  const order = (coin: string) => WITHDRAWAL_COINS.indexOf(coin as WithdrawalCoin);
  return rows
    .filter((row) => isWithdrawalCoin(row.coin))
    .sort((a, b) => order(a.coin) - order(b.coin))
    .map((row) => ({
      id: row.id,
      coin: row.coin as WithdrawalCoin,
      address: row.address,
      label: row.label,
      format: row.addressFormat,
      createdAt: row.createdAt,
      usableAfter: row.usableAfter,
      usable: row.usableAfter <= now,
    }));
}

export async function twoFactorEnabled(prisma: PrismaClient, userId: string): Promise<boolean> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { totpEnabledAt: true, totpSecretEnc: true },
  });
  return !!user?.totpEnabledAt && !!user.totpSecretEnc;
}

export type UsableAddress =
  { ok: true; addressId: string; address: string; label: string; format: string } | { ok: false; message: string };

interface LockedEntry {
  id: string;
  user_id: string;
  coin: Asset;
  address: string;
  label: string;
  address_format: string;
  usable_after: Date;
  deleted_at: Date | null;
}

/**
 * For withdrawals, inside their transaction: the entry if it is the user's own, live, for
 * `coin`, past its 48 h lock at `now`, and still passes validation; else why not. The row is
 * share-locked, so a concurrent delete waits for the withdrawal to commit (and the
 * withdrawal keeps its copy of the address either way).
 */
export async function usableAddress(
  tx: Tx,
  userId: string,
  addressId: string,
  coin: Asset,
  now: Date,
): Promise<UsableAddress> {
  const choose = { ok: false as const, message: "Choose an address from your address book." };
  if (!z.uuid().safeParse(addressId).success) return choose;
  const [entry] = await tx.$queryRaw<LockedEntry[]>`
    SELECT id, user_id, coin, address, label, address_format, usable_after, deleted_at
      FROM withdrawal_addresses WHERE id = ${addressId}::uuid AND user_id = ${userId}::uuid FOR SHARE`;
  if (!entry || entry.deleted_at) return choose;
  if (entry.coin !== coin)
    return { ok: false, message: `That address is for ${entry.coin}, not ${coin}: choose a ${coin} address.` };
  if (entry.usable_after > now) {
    return {
      ok: false,
      message: `New addresses can receive withdrawals 48 hours after they are added: this one from ${formatInstantUtc(entry.usable_after)}.`,
    };
  }
  if (!isWithdrawalCoin(coin)) return { ok: false, message: `${coin} cannot be withdrawn to an address.` };
  const check = validateWithdrawalAddress(coin, entry.address);
  if (!check.ok || check.address !== entry.address) {
    return {
      ok: false,
      message:
        `This ${COIN_NAMES[coin]} address no longer passes validation; delete it and add it again. ${check.ok ? "" : check.message}`.trim(),
    };
  }
  return { ok: true, addressId: entry.id, address: entry.address, label: entry.label, format: entry.address_format };
}
