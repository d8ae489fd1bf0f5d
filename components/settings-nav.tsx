"use client";

// The settings pages side by side (app/settings/layout.tsx): one tab per page under /settings,
// the current one marked with aria-current, so a page of account settings is one click from the
// others (the header keeps only the most used ones).
import Link from "next/link";
import { usePathname } from "next/navigation";

const SETTINGS = [
  { href: "/settings/security", label: "Security" },
  { href: "/settings/sessions", label: "Devices" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/notifications", label: "Notifications" },
] as const;

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-1">
        {SETTINGS.map((page) => {
          const current = pathname === page.href || pathname.startsWith(`${page.href}/`);
          return (
            <li key={page.href}>
              <Link
                href={page.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-3 py-2 text-sm font-medium ${
                  current
                    ? "border-brand-600 text-brand-700"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                }`}
              >
                {page.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
