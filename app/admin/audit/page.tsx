import type { Metadata } from "next";
import Link from "next/link";
import { AdminPage, countText, PagedSection } from "@/components/admin/admin-page";
import { nowrap } from "@/components/admin/columns";
import { VerifyChainForm } from "@/components/admin/verify-chain-form";
import { formatInstantUtc, formatInteger } from "@/components/format";
import { Button, DataTable, EmptyState, LinkButton, Section, StatusBadge } from "@/components/ui";
import { auditChainState, listAuditLines } from "@/lib/admin/audit-log";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { hrefWith, pageParam, textParam, type SearchParams } from "../_lib/params";
import { verifyChainAction } from "./actions";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

/** The filter's text boxes: the query parameter, the label, and the key in the filter. */
const FILTER_FIELDS = [
  { id: "audit-actor", name: "actor", label: "Actor email (or “system”)" },
  { id: "audit-action", name: "action", label: "Action (e.g. account.frozen or withdrawal.)" },
  { id: "audit-entity-type", name: "entityType", label: "Entity type" },
  { id: "audit-entity-id", name: "entityId", label: "Entity id" },
] as const;

/** Where a line's entity has a page in the admin console. */
function entityHref(type: string, id: string | null): string | null {
  if (!id) return null;
  if (type === "user") return `/admin/users/${id}`;
  if (type === "contract") return `/admin/contracts/${id}`;
  if (type === "ledger_account") return `/admin/ledger/accounts/${id}`;
  if (type === "payout_run") return `/admin/payouts/runs/${id}`;
  return null;
}

function detailsText(details: unknown): string {
  const text = JSON.stringify(details, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  return text === "{}" ? "" : text;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRole("ADMIN", "/admin/audit");
  const params = await searchParams;
  const filter = {
    actor: textParam(params, "actor", 200),
    action: textParam(params, "action", 100),
    entityType: textParam(params, "entityType", 100),
    entityId: textParam(params, "entityId", 100),
    lineId: textParam(params, "line", 20),
  };
  const page = pageParam(params);
  const prisma = db();
  const [{ rows, total, unknownActor }, chain] = await Promise.all([
    listAuditLines(prisma, filter, { page, pageSize: PAGE_SIZE }),
    auditChainState(prisma),
  ]);
  const filtered = Object.values(filter).some((v) => v !== "");

  return (
    <AdminPage
      current="/admin/audit"
      title="Audit log"
      description="Append-only and hash-chained under a key kept outside the database: each sealed line carries a keyed hash (HMAC) of the line before it plus its own content, and signed checkpoints of the chain's head are published outside the database. The database refuses any UPDATE (but sealing) and every DELETE."
    >
      <Section
        id="verify"
        title="Verify the chain"
        description="Seals the lines still waiting, checks the signed checkpoints, then recomputes every hash from the first line to the last and compares the checkpointed heads (as npm run audit:verify does)."
      >
        <div className="card space-y-3 p-5">
          <p className="text-sm text-slate-700">
            {formatInteger(chain.sealedLines)} lines sealed, {formatInteger(chain.unsealedLines)} waiting for the
            sealer.{" "}
            {chain.lastVerification ? (
              <>
                Last verified {formatInstantUtc(chain.lastVerification.at)} by{" "}
                {chain.lastVerification.actorEmail ?? "the system"}:{" "}
                {chain.lastVerification.ok ? (
                  <StatusBadge status="ACTIVE" label="ok" />
                ) : (
                  <StatusBadge status="FAILED" label={`broken at line ${chain.lastVerification.brokenAtSeq ?? "?"}`} />
                )}
              </>
            ) : (
              "Not verified from this page yet."
            )}
          </p>
          <VerifyChainForm action={verifyChainAction} />
        </div>
      </Section>

      <PagedSection
        id="lines"
        title="Lines"
        description={`${countText(total, "line", "lines")}${filtered ? " match" : ""}, newest first.`}
        page={page}
        total={total}
        pageSize={PAGE_SIZE}
        href={(p) =>
          hrefWith("/admin/audit", { ...filter, line: filter.lineId, lineId: undefined, page: p }) + "#lines"
        }
      >
        <form
          method="get"
          action="/admin/audit"
          className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end"
          role="search"
          aria-label="Filter audit lines"
        >
          {FILTER_FIELDS.map((field) => (
            <div key={field.id}>
              <label htmlFor={field.id} className="label text-xs">
                {field.label}
              </label>
              <input
                id={field.id}
                name={field.name}
                defaultValue={filter[field.name]}
                className="input mt-1"
                autoComplete="off"
              />
            </div>
          ))}
          <div className="flex gap-2">
            <Button type="submit" variant="secondary">
              Filter
            </Button>
            {filtered ? (
              <LinkButton href="/admin/audit#lines" variant="secondary">
                Clear
              </LinkButton>
            ) : null}
          </div>
        </form>
        {unknownActor ? (
          <p role="alert" className="field-error mb-3">
            No account has the email {filter.actor}.
          </p>
        ) : null}
        <DataTable
          label="Audit lines"
          caption="Audit lines"
          rows={rows}
          empty={<EmptyState title={filtered ? "No line matches these filters." : "The audit log is empty."} />}
          rowKey={(line) => line.id.toString()}
          rowProps={(line) => ({ id: `line-${line.id}` })}
          columns={[
            {
              header: "Line",
              rowHeader: true,
              className: "whitespace-nowrap text-xs",
              cell: (line) => (
                <>
                  {line.seq === null ? <StatusBadge status="REQUESTED" label="unsealed" /> : `#${line.seq}`}
                  <span className="block font-normal text-slate-600">id {line.id.toString()}</span>
                </>
              ),
            },
            { header: "When", ...nowrap, cell: (line) => formatInstantUtc(line.at) },
            {
              header: "Actor",
              cell: (line) => (
                <>
                  {line.actorId ? (
                    <Link className="link" href={`/admin/users/${line.actorId}`}>
                      {line.actorEmail}
                    </Link>
                  ) : (
                    "system"
                  )}
                  {line.ip ? <span className="block text-xs text-slate-600">{line.ip}</span> : null}
                </>
              ),
            },
            { header: "Action", className: "font-mono text-xs", cell: (line) => line.action },
            {
              header: "Entity",
              className: "text-xs",
              cell: (line) => {
                const href = entityHref(line.entityType, line.entityId);
                return (
                  <>
                    {line.entityType}{" "}
                    {line.entityId ? (
                      href ? (
                        <Link className="link break-all" href={href}>
                          {line.entityId}
                        </Link>
                      ) : (
                        <span className="break-all">{line.entityId}</span>
                      )
                    ) : null}
                  </>
                );
              },
            },
            {
              header: "Details",
              className: "max-w-md break-all font-mono text-xs text-slate-700",
              cell: (line) => detailsText(line.details),
            },
          ]}
        />
      </PagedSection>
    </AdminPage>
  );
}
