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

/** The page a user lands on after signing in when no page asked for it: their first area. */
export function homeForRoles(roles: readonly string[]): string {
  return roleLinks(roles)[0]?.href ?? "/marketplace";
}
