import type { Metadata } from "next";
import Link from "next/link";
import { AdminPage, countText, PagedSection, SearchSection } from "@/components/admin/admin-page";
import { formatDay } from "@/components/format";
import { DataTable, EmptyState, humanize, SearchField, SelectFilter, StatusBadge } from "@/components/ui";
import { searchUsers } from "@/lib/admin/users";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { Role } from "@/lib/generated/prisma/enums";
import { enumParam, hrefWith, pageParam, textParam, type SearchParams } from "../_lib/params";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;
const ROLES = Object.values(Role);

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRole("ADMIN", "/admin/users");
  const params = await searchParams;
  const email = textParam(params, "email", 200);
  const role = enumParam(params, "role", ROLES);
  const frozen = textParam(params, "frozen", 5) === "1";
  const page = pageParam(params);
  const { rows, total } = await searchUsers(db(), { email, role, frozen }, { page, pageSize: PAGE_SIZE });

  return (
    <AdminPage
      current="/admin/users"
      title="Users"
      description="Find an account by email; open it for roles, 2FA, API keys, balances, audit lines, and to freeze or unfreeze it."
    >
      <SearchSection action="/admin/users" label="Search users">
        <SearchField
          id="user-email"
          name="email"
          label="Email contains"
          defaultValue={email}
          className="min-w-[16rem] flex-1"
        />
        <SelectFilter id="user-role" name="role" label="Role" anyLabel="Any role" values={ROLES} defaultValue={role} />
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" name="frozen" value="1" defaultChecked={frozen} /> Frozen only
        </label>
      </SearchSection>
      <PagedSection
        id="users"
        title="Accounts"
        description={`${countText(total, "account", "accounts")} match.`}
        page={page}
        total={total}
        pageSize={PAGE_SIZE}
        href={(p) => hrefWith("/admin/users", { email, role, frozen: frozen ? "1" : undefined, page: p })}
      >
        <DataTable
          label="Users"
          caption="Users"
          rows={rows}
          empty={
            <EmptyState title="No account matches.">Try part of the email address, or clear the filters.</EmptyState>
          }
          rowKey={(u) => u.id}
          columns={[
            {
              header: "Email",
              rowHeader: true,
              cell: (u) => (
                <Link className="link" href={`/admin/users/${u.id}`}>
                  {u.email}
                </Link>
              ),
            },
            { header: "Name", cell: (u) => u.name },
            { header: "Roles", cell: (u) => u.roles.map(humanize).join(", ") },
            { header: "2FA", cell: (u) => (u.twoFactorEnabled ? "On" : "Off") },
            {
              header: "State",
              cell: (u) =>
                u.frozenAt ? (
                  <StatusBadge status="FAILED" label="Frozen" />
                ) : (
                  <StatusBadge status="ACTIVE" label="Active" />
                ),
            },
            { header: "Since", className: "whitespace-nowrap", cell: (u) => formatDay(u.createdAt) },
          ]}
        />
      </PagedSection>
    </AdminPage>
  );
}
