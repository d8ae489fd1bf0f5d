import type { Metadata } from "next";
import { Notice } from "@/components/form-fields";
import { formatInstantUtc } from "@/components/format";
import { DataTable, EmptyState, LinkButton, PageHeader, Section } from "@/components/ui";
import { AddAddressForm } from "@/components/wallet/add-address-form";
import { DeleteAddressForm } from "@/components/wallet/delete-address-form";
import { LockCountdown } from "@/components/wallet/lock-countdown";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import {
  listAddressBook,
  TWO_FACTOR_SETTINGS_PATH,
  twoFactorEnabled,
  type AddressBookEntry,
} from "@/lib/wallet/address-book";
import { ADDRESS_SHAPES, COIN_NAMES, WITHDRAWAL_COINS } from "@/lib/wallet/addresses";
import { addAddressAction, deleteAddressAction } from "./actions";

export const metadata: Metadata = { title: "Withdrawal addresses" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  "address-deleted": "Address deleted. Withdrawals already requested to it keep their address.",
};

export default async function AddressBookPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireRole("CUSTOMER", "/wallet/addresses");
  const prisma = db();
  const now = new Date();
  const [entries, hasTwoFactor] = await Promise.all([
    listAddressBook(prisma, user.id, now),
    twoFactorEnabled(prisma, user.id),
  ]);
  const notice = (await searchParams).notice;
  const byCoin = WITHDRAWAL_COINS.map((coin) => ({ coin, entries: entries.filter((e) => e.coin === coin) })).filter(
    (g) => g.entries.length > 0,
  );
  const coins = WITHDRAWAL_COINS.map((coin) => ({
    value: coin,
    label: `${coin} — ${COIN_NAMES[coin]}`,
    shape: ADDRESS_SHAPES[coin],
  }));

  return (
    <div className="page max-w-5xl">
      <PageHeader
        title="Withdrawal addresses"
        description={
          <>
            Withdrawals go only to addresses in this book. Each address is checked against its coin&apos;s checksum when
            you add it, and can receive withdrawals 48 hours later — time to notice if someone else added it.
          </>
        }
        actions={
          <LinkButton href="/wallet" variant="secondary">
            Wallet
          </LinkButton>
        }
      />
      {typeof notice === "string" && NOTICES[notice] ? <Notice>{NOTICES[notice]}</Notice> : null}

      <Section
        id="addresses"
        title="Your addresses"
        description={
          entries.length > 0 ? `${entries.length} ${entries.length === 1 ? "address" : "addresses"}` : undefined
        }
      >
        {byCoin.length === 0 ? (
          <EmptyState title="No withdrawal addresses yet">
            Add the address of a wallet you control below. It becomes usable for withdrawals 48 hours after you add it.
          </EmptyState>
        ) : (
          <div className="space-y-8">
            {byCoin.map((group) => (
              <CoinAddresses key={group.coin} coin={group.coin} entries={group.entries} now={now} />
            ))}
          </div>
        )}
      </Section>

      {hasTwoFactor ? (
        <AddAddressForm action={addAddressAction} coins={coins} twoFactorPath={TWO_FACTOR_SETTINGS_PATH} />
      ) : (
        <div className="card border-amber-300 bg-amber-50 p-6" role="note" aria-labelledby="needs-2fa-title">
          <h2 id="needs-2fa-title" className="text-lg font-semibold text-slate-900">
            Turn on two-factor authentication first
          </h2>
          <p className="mt-2 text-sm text-slate-700">
            Adding a withdrawal address needs a code from an authenticator app, so that a stolen password alone cannot
            send your coins elsewhere.
          </p>
          <LinkButton href={TWO_FACTOR_SETTINGS_PATH} className="mt-4">
            Set up two-factor authentication
          </LinkButton>
        </div>
      )}
    </div>
  );
}

function CoinAddresses({ coin, entries, now }: { coin: string; entries: AddressBookEntry[]; now: Date }) {
  const name = COIN_NAMES[coin as keyof typeof COIN_NAMES] ?? coin;
  return (
    <div>
      <h3 className="mb-2 text-base font-semibold text-slate-900">
        {name} <span className="font-normal text-slate-600">({coin})</span>
      </h3>
      <DataTable
        label={`${name} addresses`}
        rows={entries}
        rowKey={(entry) => entry.id}
        columns={[
          { header: "Label", rowHeader: true, cell: (entry) => entry.label },
          { header: "Address", className: "max-w-[22rem] break-all font-mono text-xs", cell: (entry) => entry.address },
          { header: "Format", className: "whitespace-nowrap", cell: (entry) => entry.format },
          {
            header: "Status",
            className: "min-w-[11rem]",
            cell: (entry) => (
              <LockCountdown
                usableAfterIso={entry.usableAfter.toISOString()}
                serverNowMs={now.getTime()}
                usableAtText={formatInstantUtc(entry.usableAfter)}
              />
            ),
          },
          { header: "Added", className: "whitespace-nowrap", cell: (entry) => formatInstantUtc(entry.createdAt) },
          {
            header: <span className="sr-only">Actions</span>,
            key: "actions",
            cell: (entry) => (
              <DeleteAddressForm action={deleteAddressAction} addressId={entry.id} label={entry.label} />
            ),
          },
        ]}
      />
    </div>
  );
}
