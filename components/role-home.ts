// Where each role's work starts; safe for client components (no server imports).
import type { Role } from "@/lib/generated/prisma/enums";

export interface NavLink {
  href: string;
  label: string;
}

const ROLE_AREAS: { role: Role; link: NavLink }[] = [
  { role: "CUSTOMER", link: { href: "/dashboard", label: "Dashboard" } },
  { role: "CUSTOMER", link: { href: "/wallet", label: "Wallet" } },
  { role: "CUSTOMER", link: { href: "/tax", label: "Tax" } },
  { role: "OPERATOR", link: { href: "/operator", label: "Operator" } },
  { role: "ADMIN", link: { href: "/admin", label: "Admin" } },
];

/** The areas a user with these roles may open, in a fixed order. */
export function roleLinks(roles: readonly string[]): NavLink[] {
  return ROLE_AREAS.filter((area) => roles.includes(area.role)).map((area) => area.link);
}

/** The most specific role first: an operator (who is a customer too) lands on their rigs, an admin on the console. */
const HOME_ORDER: { role: Role; href: string }[] = [
  { role: "ADMIN", href: "/admin" },
  { role: "OPERATOR", href: "/operator" },
  { role: "CUSTOMER", href: "/dashboard" },
];

/** The page a user lands on after signing in when no page asked for it: their most specific role's area. */
export function homeForRoles(roles: readonly string[]): string {
  return HOME_ORDER.find((home) => roles.includes(home.role))?.href ?? "/marketplace";
}

/** Help, support and the documents, for everyone. */
const DOCUMENT_LINKS: NavLink[] = [
  { href: "/help", label: "Help" },
  { href: "/support", label: "Support" },
  { href: "/terms", label: "Terms" },
  { href: "/risk", label: "Risk disclosure" },
  { href: "/privacy", label: "Privacy" },
];

/**
 * The footer's links fit who is looking: a visitor is offered an account; a signed-in user is not
 * (they have one), and gets the area they land in and their account settings instead. Help,
 * support and the documents are for everyone.
 */
export function footerLinks(viewer: { roles: readonly string[] } | null): NavLink[] {
  const shared: NavLink[] = [
    { href: "/marketplace", label: "Marketplace" },
    { href: "/docs/api", label: "API docs" },
  ];
  if (!viewer) return [...shared, { href: "/register", label: "Create account" }, ...DOCUMENT_LINKS];
  const landing = homeForRoles(viewer.roles);
  const home = ROLE_AREAS.find((area) => area.link.href === landing)?.link;
  return [
    ...shared,
    ...(home ? [home] : []),
    { href: "/settings/security", label: "Account settings" },
    ...DOCUMENT_LINKS,
  ];
}
