import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { moneyReadiness } from "@/app/admin/_lib/money-gate";
import { AccountLink } from "@/components/admin/admin-links";
import { AdminPage } from "@/components/admin/admin-page";
import { AssetAmount } from "@/components/admin/amount";
import { figure, nowrap } from "@/components/admin/columns";
import { formatInstantUtc, formatInteger } from "@/components/format";
import { DataTable, EmptyState, humanize, Section, StatCard, StatusBadge } from "@/components/ui";
import { RowActionForm } from "@/components/wallet/row-action-form";
import { userView } from "@/lib/admin/users";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { freezeUserAction, liftWithdrawalsFreezeAction, unfreezeUserAction } from "../actions";

export const metadata: Metadata = { title: "User" };
export const dynamic = "force-dynamic";

export default async function UserPage({ params }: { params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  const admin = await requireRole("ADMIN", `/admin/users/${userId}`);
  const readiness = await moneyReadiness(admin);
  const view = await userView(db(), userId);
  if (!view) notFound();
  const { user, twoFactor, apiKeys, balances, accounts, counts, audit } = view;

  return (
    <AdminPage
      current="/admin/users"
      moneyGate={{ readiness, purpose: "freeze or unfreeze accounts" }}
      back={{ href: "/admin/users", label: "Users" }}
      title={user.email}
      description={
        <>
          {user.name} · {user.roles.map(humanize).join(", ")} · account since {formatInstantUtc(user.createdAt)} ·{" "}
          <Link className="link" href={`/admin/contracts?q=${encodeURIComponent(user.email)}`}>
            {formatInteger(counts.contracts)} contracts
          </Link>{" "}
          ·{" "}
          <Link className="link" href={`/admin/audit?actor=${encodeURIComponent(user.email)}#lines`}>
            all audit lines by this user
          </Link>
        </>
      }
    >
      <Section id="state" title="Account state">
        <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          <StatCard
            label="Access"
            value={
              user.frozenAt ? (
                <StatusBadge status="FAILED" label="Frozen" />
              ) : (
                <StatusBadge status="ACTIVE" label="Active" />
              )
            }
            detail={
              user.frozenAt
                ? `Since ${formatInstantUtc(user.frozenAt)}: ${user.frozenReason ?? ""}`
                : "Can sign in and request withdrawals."
            }
          />
          <StatCard
            label="Two-factor authentication"
            value={twoFactor.enabled ? "Enabled" : "Not enabled"}
            detail={
              twoFactor.enabled
                ? `${twoFactor.enabledAt ? `Since ${formatInstantUtc(twoFactor.enabledAt)}; ` : ""}${twoFactor.recoveryCodesLeft} recovery codes left; ${
                    twoFactor.locked && twoFactor.lockedUntil
                      ? `locked until ${formatInstantUtc(twoFactor.lockedUntil)}`
                      : `${twoFactor.failedCount} failed codes in a row`
                  }`
                : "Withdrawals need 2FA."
            }
          />
          <StatCard
            label="Withdrawals"
            value={
              user.withdrawalsFrozenAt ? (
                <StatusBadge status="FAILED" label="Frozen by the customer" />
              ) : (
                formatInteger(counts.withdrawals)
              )
            }
            detail={
              user.withdrawalsFrozenAt
                ? `Since ${formatInstantUtc(user.withdrawalsFrozenAt)}: ${user.withdrawalsFrozenReason ?? ""}`
                : "requested over the account's life"
            }
          />
        </dl>
        {user.withdrawalsFrozenAt ? (
          <div className="card mt-4 p-5" id="withdrawals-freeze">
            <h3 className="font-semibold">Withdrawals freeze</h3>
            <p className="mt-1 text-sm text-slate-700">
              The customer froze withdrawals on {formatInstantUtc(user.withdrawalsFrozenAt)} with the “this wasn&apos;t
              me” link of a new-address notice: {user.withdrawalsFrozenReason} Check the account&apos;s recent audit
              lines (sign-ins, address changes) before lifting it.
            </p>
            {user.id === admin.id ? (
              <p className="mt-3 text-sm text-slate-700">This is your own account; another admin must lift it.</p>
            ) : (
              <div className="mt-3">
                <RowActionForm
                  idPrefix="lift-withdrawals-freeze"
                  action={liftWithdrawalsFreezeAction}
                  hidden={{ userId: user.id }}
                  fields={[
                    {
                      name: "note",
                      label: "Note (kept in the audit log)",
                      placeholder: "e.g. confirmed with the customer by phone; address removed",
                      wide: true,
                    },
                  ]}
                  submitLabel="Lift withdrawals freeze"
                  pendingLabel="Lifting…"
                  tone="secondary"
                />
              </div>
            )}
          </div>
        ) : null}
        <div className="card mt-4 p-5">
          {user.id === admin.id ? (
            <p className="text-sm text-slate-700">This is your own account; another admin can freeze it.</p>
          ) : user.frozenAt ? (
            <RowActionForm
              idPrefix="unfreeze"
              action={unfreezeUserAction}
              hidden={{ userId: user.id }}
              submitLabel="Unfreeze account"
              pendingLabel="Unfreezing…"
              tone="secondary"
            />
          ) : (
            <RowActionForm
              idPrefix="freeze"
              action={freezeUserAction}
              hidden={{ userId: user.id }}
              fields={[
                {
                  name: "reason",
                  label: "Reason (kept in the audit log)",
                  placeholder: "e.g. suspected account takeover",
                  wide: true,
                },
              ]}
              submitLabel="Freeze account"
              pendingLabel="Freezing…"
              tone="danger"
            />
          )}
        </div>
      </Section>

      <Section
        id="balances"
        title="Balances"
        description="From the ledger: available, held (withdrawals requested, checkouts pending) and, for operators, the payable."
      >
        <DataTable
          label="Balances"
          caption="Balances per asset"
          rows={balances}
          empty={<EmptyState title="No ledger account yet." />}
          rowKey={(b) => b.asset}
          columns={[
            { header: "Asset", rowHeader: true, cell: (b) => b.asset },
            {
              header: "Available",
              ...figure,
              cell: (b) => <AssetAmount asset={b.asset} amount={b.available} decimals={b.decimals} />,
            },
            {
              header: "Held",
              ...figure,
              cell: (b) => <AssetAmount asset={b.asset} amount={b.held} decimals={b.decimals} />,
            },
            {
              header: "Operator payable",
              ...figure,
              cell: (b) => <AssetAmount asset={b.asset} amount={b.operatorPayable} decimals={b.decimals} />,
            },
          ]}
        />
        {accounts.length > 0 ? (
          <p className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-sm">
            Statements:
            {accounts.map((a) => (
              <AccountLink key={a.id} id={a.id} type={a.type} asset={a.asset} />
            ))}
          </p>
        ) : null}
      </Section>

      <Section id="api-keys" title="API keys" description="Secrets are never shown here.">
        <DataTable
          label="API keys"
          caption="API keys"
          rows={apiKeys}
          empty={<EmptyState title="No API key." />}
          rowKey={(k) => k.id}
          columns={[
            { header: "Label", rowHeader: true, cell: (k) => k.label },
            { header: "Key id", className: "font-mono text-xs", cell: (k) => k.keyId },
            { header: "Scopes", cell: (k) => k.scopes.map((s) => s.toLowerCase()).join(", ") },
            {
              header: "IP allowlist",
              className: "text-xs",
              cell: (k) => (k.ipAllowlist.length ? k.ipAllowlist.join(", ") : "any"),
            },
            { header: "Created", ...nowrap, cell: (k) => formatInstantUtc(k.createdAt) },
            { header: "Last used", ...nowrap, cell: (k) => (k.lastUsedAt ? formatInstantUtc(k.lastUsedAt) : "never") },
            {
              header: "State",
              cell: (k) =>
                k.revokedAt ? (
                  <StatusBadge status="REJECTED" label={`Revoked ${formatInstantUtc(k.revokedAt)}`} />
                ) : k.rotatingUntil ? (
                  <StatusBadge
                    status="MAINTENANCE"
                    label={`Rotating, old secret until ${formatInstantUtc(k.rotatingUntil)}`}
                  />
                ) : (
                  <StatusBadge status="ACTIVE" label="Active" />
                ),
            },
          ]}
        />
      </Section>

      <Section
        id="audit"
        title="Recent audit lines"
        description="The latest 25 lines this user wrote or that are about this account."
      >
        <DataTable
          label="Recent audit lines"
          caption="Recent audit lines"
          rows={audit}
          empty={<EmptyState title="No audit line yet." />}
          rowKey={(a) => a.id.toString()}
          columns={[
            { header: "When", ...nowrap, cell: (a) => formatInstantUtc(a.at) },
            {
              header: "Actor",
              cell: (a) => (
                <>
                  {a.actorEmail ?? "system"}
                  {a.ip ? <span className="block text-xs text-slate-600">{a.ip}</span> : null}
                </>
              ),
            },
            {
              header: "Action",
              className: "font-mono text-xs",
              cell: (a) => (
                <Link className="link" href={`/admin/audit?line=${a.id}#lines`}>
                  {a.action}
                </Link>
              ),
            },
            {
              header: "Entity",
              className: "break-all text-xs",
              cell: (a) => (
                <>
                  {a.entityType} {a.entityId ?? ""}
                </>
              ),
            },
          ]}
        />
      </Section>
    </AdminPage>
  );
}
