import Link from "next/link";
import { footerLinks } from "./role-home";

/** The footer: the disclaimer and links that fit the viewer (footerLinks). */
export function SiteFooter({ viewer }: { viewer: { roles: readonly string[] } | null }) {
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-4 py-8 text-sm text-slate-600 sm:flex-row sm:items-center sm:justify-between sm:px-6 lg:px-8">
        <p>
          © {new Date().getUTCFullYear()} Hashlease. Mining income is volatile; payouts depend on network conditions.
          Tax figures are estimates, not advice.
        </p>
        <nav aria-label="Footer">
          <ul className="flex shrink-0 flex-wrap gap-x-4 gap-y-2 whitespace-nowrap">
            {footerLinks(viewer).map((link) => (
              <li key={link.href}>
                <Link href={link.href} className="hover:text-slate-900 hover:underline">
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </footer>
  );
}
