import { describe, expect, it } from "vitest";
import { totpCodeFor } from "../auth/totp";
import { keyB64 } from "../secrets/test-helpers";
import { createUser } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestDatabase } from "../testing/test-database";
import { enrollTotp } from "../testing/totp";
import {
  ADDRESS_LOCK_MS,
  addWithdrawalAddress,
  deleteWithdrawalAddress,
  listAddressBook,
  usableAddress,
  type AddAddressInput,
} from "./address-book";

const keys = `k1:${keyB64()}`;
const BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
const BTC_ADDRESS_2 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
const LTC_ADDRESS = "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9";

withTestSecrets(keys);
const t = withTestDatabase();

/** A customer with 2FA on, and a clock that moves one TOTP step (30 s) per tick. */
async function enrolledCustomer() {
  const user = await createUser(t.prisma);
  const secret = await enrollTotp(t.prisma, user.id, keys, { enabledAt: new Date("2026-01-01T00:00:00Z") });
  let now = new Date("2026-11-20T10:00:00.000Z");
  return {
    id: user.id,
    secret,
    get now() {
      return now;
    },
    tick() {
      now = new Date(now.getTime() + 30_000);
      return now;
    },
    code(at = now) {
      return totpCodeFor(secret, at);
    },
  };
}
type Customer = Awaited<ReturnType<typeof enrolledCustomer>>;

function add(customer: Customer, input: Partial<AddAddressInput>, at = customer.now) {
  return addWithdrawalAddress(t.prisma, {
    userId: customer.id,
    input: { coin: "BTC", address: BTC_ADDRESS, label: "Cold wallet", totpCode: customer.code(at), ...input },
    ip: "203.0.113.7",
    now: at,
  });
}

async function auditLines(userId: string, action: string) {
  return t.prisma.auditLog.findMany({ where: { actorId: userId, action }, orderBy: { id: "asc" } });
}

async function liveCount(userId: string) {
  return t.prisma.withdrawalAddress.count({ where: { userId, deletedAt: null } });
}

describe("adding an address", () => {
  it("needs 2FA: a user without it is sent to /settings/security and nothing is stored", async () => {
    const user = await createUser(t.prisma);
    const result = await addWithdrawalAddress(t.prisma, {
      userId: user.id,
      input: { coin: "BTC", address: BTC_ADDRESS, label: "Cold wallet", totpCode: "123456" },
    });
    expect(result).toMatchObject({ ok: false, code: "TWO_FACTOR_REQUIRED" });
    expect(!result.ok && result.message).toMatch(/two-factor authentication at \/settings\/security first/);
    expect(await liveCount(user.id)).toBe(0);
  });

  it("with a valid code stores the normalised address, its format and a 48 h lock, and audits it", async () => {
    const c = await enrolledCustomer();
    const result = await add(c, { address: BTC_ADDRESS.toUpperCase(), label: "  Ledger  " });
    if (!result.ok) throw new Error(result.message);
    expect(result).toMatchObject({ address: BTC_ADDRESS, format: "P2WPKH (bech32)" });
    expect(result.usableAfter.getTime() - c.now.getTime()).toBe(ADDRESS_LOCK_MS);

    const row = await t.prisma.withdrawalAddress.findUniqueOrThrow({ where: { id: result.addressId } });
    expect(row).toMatchObject({
      userId: c.id,
      coin: "BTC",
      address: BTC_ADDRESS,
      label: "Ledger",
      addressFormat: "P2WPKH (bech32)",
      deletedAt: null,
    });
    expect(row.validatedAt).toEqual(c.now);
    expect(row.usableAfter).toEqual(new Date(c.now.getTime() + 48 * 3600 * 1000));

    const [line] = await auditLines(c.id, "withdrawal_address.added");
    expect(line).toMatchObject({ entityType: "withdrawal_address", entityId: result.addressId, ip: "203.0.113.7" });
    expect(line?.details).toMatchObject({
      coin: "BTC",
      address: BTC_ADDRESS,
      label: "Ledger",
      format: "P2WPKH (bech32)",
    });
  });

  it("refuses a wrong code, counting the failure and auditing the refusal", async () => {
    const c = await enrolledCustomer();
    const wrong = c.code() === "000000" ? "111111" : "000000";
    const result = await add(c, { totpCode: wrong });
    expect(result).toMatchObject({ ok: false, code: "TWO_FACTOR_REFUSED" });
    expect(!result.ok && result.fieldErrors?.totpCode).toMatch(/code is not right/);
    expect(await liveCount(c.id)).toBe(0);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: c.id } });
    expect(user.totpFailedCount).toBe(1);
    const [line] = await auditLines(c.id, "withdrawal_address.add_refused");
    expect(line?.details).toEqual({ coin: "BTC", reason: "totp_invalid" });
  });

  it("refuses a replayed code: the time step of an accepted code cannot be used again", async () => {
    const c = await enrolledCustomer();
    const code = c.code();
    expect((await add(c, { totpCode: code })).ok).toBe(true);
    const replay = await add(c, { totpCode: code, address: BTC_ADDRESS_2 }, new Date(c.now.getTime() + 5_000));
    expect(replay).toMatchObject({ ok: false, code: "TWO_FACTOR_REFUSED" });
    expect(!replay.ok && replay.message).toMatch(/already used/);
    expect(await liveCount(c.id)).toBe(1);
    expect(await auditLines(c.id, "withdrawal_address.add_refused")).toHaveLength(1);
  });

  it("refuses a live duplicate (in any letter case) without spending the code", async () => {
    const c = await enrolledCustomer();
    expect((await add(c, {})).ok).toBe(true);
    c.tick();
    const duplicate = await add(c, { address: BTC_ADDRESS.toUpperCase(), label: "Again" });
    expect(duplicate).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: "This BTC address is already in your address book.",
    });
    // The refused duplicate rolled back: the same code still adds another address.
    expect((await add(c, { address: BTC_ADDRESS_2 })).ok).toBe(true);
    // The same address under another coin is a different entry (here: not a valid LTC address).
    const asLtc = await add(c, { coin: "LTC" }, c.tick());
    expect(asLtc).toMatchObject({ ok: false, code: "INVALID" });
    expect(await liveCount(c.id)).toBe(2);
  });

  it("refuses an invalid address with its precise reason, before checking (and spending) the code", async () => {
    const c = await enrolledCustomer();
    const result = await add(c, { address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr" });
    expect(result).toMatchObject({ ok: false, code: "INVALID" });
    expect(!result.ok && result.fieldErrors?.address).toMatch(/^Checksum mismatch/);
    const testnet = await add(c, { address: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7" });
    expect(!testnet.ok && testnet.message).toMatch(/^This is a testnet address/);
    expect((await add(c, {})).ok).toBe(true);
  });
});

describe("the 48 h lock and withdrawals' lookup", () => {
  it("makes an entry usable exactly 48 hours after it was added, for its own coin only", async () => {
    const c = await enrolledCustomer();
    const added = await add(c, {});
    if (!added.ok) throw new Error(added.message);
    const lookup = (at: Date, coin: "BTC" | "LTC" = "BTC") =>
      t.prisma.$transaction((tx) => usableAddress(tx, c.id, added.addressId, coin, at));

    const justBefore = await lookup(new Date(added.usableAfter.getTime() - 1));
    expect(justBefore.ok).toBe(false);
    expect(!justBefore.ok && justBefore.message).toBe(
      "New addresses can receive withdrawals 48 hours after they are added: this one from 2026-11-22 10:00 UTC.",
    );
    expect(await lookup(added.usableAfter)).toEqual({
      ok: true,
      addressId: added.addressId,
      address: BTC_ADDRESS,
      label: "Cold wallet",
      format: "P2WPKH (bech32)",
    });
    const otherCoin = await lookup(added.usableAfter, "LTC");
    expect(!otherCoin.ok && otherCoin.message).toMatch(/^That address is for BTC, not LTC/);
    const notAnId = await t.prisma.$transaction((tx) =>
      usableAddress(tx, c.id, "not-a-uuid", "BTC", added.usableAfter),
    );
    expect(notAnId).toEqual({ ok: false, message: "Choose an address from your address book." });
  });

  it("lists entries per coin with their lock state", async () => {
    const c = await enrolledCustomer();
    await add(c, { coin: "LTC", address: LTC_ADDRESS, label: "Litecoin" });
    const later = c.tick();
    await add(c, {}, later);
    const book = await listAddressBook(t.prisma, c.id, new Date(c.now.getTime() + ADDRESS_LOCK_MS - 15_000));
    expect(book.map((e) => [e.coin, e.label, e.usable])).toEqual([
      ["BTC", "Cold wallet", false],
      ["LTC", "Litecoin", true],
    ]);
  });
});

describe("deleting an address", () => {
  it("soft-deletes at once, audits it, and lets the address be added again with a fresh lock", async () => {
    const c = await enrolledCustomer();
    const added = await add(c, {});
    if (!added.ok) throw new Error(added.message);
    const at = new Date(added.usableAfter.getTime() + 60_000);
    const removed = await deleteWithdrawalAddress(t.prisma, {
      userId: c.id,
      addressId: added.addressId,
      ip: "203.0.113.7",
      now: at,
    });
    expect(removed).toEqual({ ok: true, coin: "BTC", label: "Cold wallet" });

    const row = await t.prisma.withdrawalAddress.findUniqueOrThrow({ where: { id: added.addressId } });
    expect(row.deletedAt).toEqual(at);
    expect(await listAddressBook(t.prisma, c.id, at)).toEqual([]);
    expect(await t.prisma.$transaction((tx) => usableAddress(tx, c.id, added.addressId, "BTC", at))).toEqual({
      ok: false,
      message: "Choose an address from your address book.",
    });
    const [line] = await auditLines(c.id, "withdrawal_address.deleted");
    expect(line).toMatchObject({ entityId: added.addressId, ip: "203.0.113.7" });
    expect(line?.details).toEqual({ coin: "BTC", address: BTC_ADDRESS, label: "Cold wallet" });

    expect(
      await deleteWithdrawalAddress(t.prisma, { userId: c.id, addressId: added.addressId, now: at }),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });

    const again = await add(c, {}, at);
    if (!again.ok) throw new Error(again.message);
    expect(again.usableAfter).toEqual(new Date(at.getTime() + ADDRESS_LOCK_MS));
  });
});

describe("other users' addresses", () => {
  it("are invisible: not listed, not usable, not deletable", async () => {
    const owner = await enrolledCustomer();
    const other = await enrolledCustomer();
    const added = await add(owner, {});
    if (!added.ok) throw new Error(added.message);
    // The other customer may whitelist the same address in their own book.
    expect((await add(other, {})).ok).toBe(true);

    const othersBook = await listAddressBook(t.prisma, other.id);
    expect(othersBook.map((e) => e.id)).not.toContain(added.addressId);
    const lookup = await t.prisma.$transaction((tx) =>
      usableAddress(tx, other.id, added.addressId, "BTC", added.usableAfter),
    );
    expect(lookup).toEqual({ ok: false, message: "Choose an address from your address book." });
    const removal = await deleteWithdrawalAddress(t.prisma, { userId: other.id, addressId: added.addressId });
    expect(removal).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await t.prisma.withdrawalAddress.findUniqueOrThrow({ where: { id: added.addressId } })).toMatchObject({
      deletedAt: null,
    });
    expect(await auditLines(other.id, "withdrawal_address.deleted")).toHaveLength(0);
  });
});

describe("database guards", () => {
  it("refuse editing, hard-deleting and live duplicates whatever code writes", async () => {
    const c = await enrolledCustomer();
    const added = await add(c, {});
    if (!added.ok) throw new Error(added.message);
    await expect(
      t.prisma.withdrawalAddress.update({ where: { id: added.addressId }, data: { address: BTC_ADDRESS_2 } }),
    ).rejects.toThrow(/immutable/);
    await expect(
      t.prisma.withdrawalAddress.update({ where: { id: added.addressId }, data: { usableAfter: c.now } }),
    ).rejects.toThrow(/immutable/);
    await expect(t.prisma.withdrawalAddress.delete({ where: { id: added.addressId } })).rejects.toThrow(
      /cannot be deleted/,
    );
    await expect(
      t.prisma.withdrawalAddress.create({
        data: {
          userId: c.id,
          coin: "BTC",
          address: BTC_ADDRESS,
          label: "x",
          validatedAt: c.now,
          addressFormat: "x",
          usableAfter: c.now,
        },
      }),
    ).rejects.toThrow();
    await t.prisma.withdrawalAddress.update({ where: { id: added.addressId }, data: { deletedAt: c.now } });
    await expect(
      t.prisma.withdrawalAddress.update({ where: { id: added.addressId }, data: { deletedAt: null } }),
    ).rejects.toThrow(/immutable/);
  });
});
