import Link from "next/link";
import { MainNav } from "./main-nav";
import { roleLinks, type NavLink } from "./role-home";

export interface SiteHeaderProps {
  /** The signed-in user, or null for visitors. */
  viewer: { email: string; roles: readonly string[]; /** Unread in-app notices (the badge). */ unread?: number } | null;
}

export function SiteHeader({ viewer }: SiteHeaderProps) {
  const links: NavLink[] = [{ href: "/marketplace", label: "Marketplace" }, ...(viewer ? roleLinks(viewer.roles) : [])];
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur supports-[backdrop-filter]:bg-white/80">
      <div className="mx-auto flex h-16 w-full max-w-6xl items-center gap-6 px-4 sm:px-6 lg:px-8">
        <Link href="/" className="flex shrink-0 items-center gap-2 rounded-md font-semibold text-slate-900">
          <Logo />
          <span className="text-lg tracking-tight">Hashlease</span>
        </Link>
        <MainNav links={links} email={viewer?.email ?? null} unread={viewer?.unread ?? 0} />
      </div>
    </header>
  );
}

function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className="h-8 w-8">
      <rect width="32" height="32" rx="8" className="fill-brand-600" />
      <path d="M10 8v16M22 8v16M10 16h12" className="stroke-white" strokeWidth="3" strokeLinecap="round" fill="none" />
      <circle cx="16" cy="16" r="2.5" className="fill-brand-200" />
    </svg>
  );
}
