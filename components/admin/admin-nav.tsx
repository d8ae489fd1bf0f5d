import Link from "next/link";

const LINKS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/network", label: "Network data" },
  { href: "/admin/payouts", label: "Payout runs" },
  { href: "/admin/stratum", label: "Stratum" },
  { href: "/admin/withdrawals", label: "Withdrawals" },
  { href: "/admin/contracts", label: "Contracts" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/ledger", label: "Ledger" },
  { href: "/admin/queues", label: "Queues" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

/** The href of one of the admin area's sections. */
export type AdminSection = (typeof LINKS)[number]["href"];

/** The admin area's sections; `current` is the section's href. */
export function AdminNav({ current }: { current: AdminSection }) {
  return (
    <nav aria-label="Admin" className="mb-6 flex flex-wrap gap-2 border-b border-slate-200 pb-3">
      {LINKS.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={link.href === current ? "page" : undefined}
          className={
            link.href === current
              ? "rounded-md bg-brand-50 px-3 py-1.5 text-sm font-semibold text-brand-700"
              : "rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900"
          }
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}

/** A detail page's admin nav followed by the link back to the list it was opened from. */
export function AdminDetailNav({ current, back }: { current: AdminSection; back: { href: string; label: string } }) {
  return (
    <>
      <AdminNav current={current} />
      <p className="mb-2 text-sm">
        <Link href={back.href} className="link">
          ← {back.label}
        </Link>
      </p>
    </>
  );
}
