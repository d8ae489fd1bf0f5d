// The frame every admin page repeats: the admin nav (with the link back to the list on a detail
// page), the page header, then the page's sections; and the section of a paged list, which ends
// in its pager. Server-safe (no hooks).
import type { ReactNode } from "react";
import type { MoneyActionReadiness } from "@/lib/auth/two-factor-guard";
import { TwoFactorGate } from "../auth/two-factor-gate";
import { formatInteger } from "../format";
import { Pager } from "../pager";
import { PageHeader, SearchForm, Section } from "../ui";
import { AdminDetailNav, AdminNav, type AdminSection } from "./admin-nav";

export function AdminPage({
  current,
  back,
  title,
  description,
  actions,
  moneyGate,
  children,
}: {
  current: AdminSection;
  /** On a detail page: the list it was opened from. */
  back?: { href: string; label: string };
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** A page with money actions: the 2FA banner and disabled buttons when this session may not take them. */
  moneyGate?: { readiness: MoneyActionReadiness; purpose: string };
  children: ReactNode;
}) {
  return (
    <div className="page">
      {back ? <AdminDetailNav current={current} back={back} /> : <AdminNav current={current} />}
      <PageHeader title={title} description={description} actions={actions} />
      {moneyGate ? (
        <TwoFactorGate readiness={moneyGate.readiness} purpose={moneyGate.purpose}>
          {children}
        </TwoFactorGate>
      ) : (
        children
      )}
    </div>
  );
}

/** A list page's search section: a GET form of the list's filters and the Search button. */
export function SearchSection({ action, label, children }: { action: string; label: string; children: ReactNode }) {
  return (
    <Section id="search" title="Search">
      <SearchForm action={action} label={label}>
        {children}
      </SearchForm>
    </Section>
  );
}

/** A section listing one page of `total` rows, `pageSize` a page, with the pager after the rows. */
export function PagedSection({
  id,
  title,
  description,
  page,
  total,
  pageSize,
  href,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  page: number;
  total: number;
  pageSize: number;
  href: (page: number) => string;
  children: ReactNode;
}) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Section id={id} title={title} description={description}>
      {children}
      <Pager page={Math.min(page, pageCount)} pageCount={pageCount} href={href} />
    </Section>
  );
}

/** "1 contract", "1,024 contracts". */
export function countText(count: number, one: string, many: string): string {
  return `${formatInteger(count)} ${count === 1 ? one : many}`;
}
