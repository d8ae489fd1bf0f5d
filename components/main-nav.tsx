"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button, LinkButton } from "@/components/ui";
import type { NavLink } from "./role-home";
import { SignOutButton } from "./sign-out-button";

function isCurrent(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * Primary navigation: inline links from xl (1280 px) up, a disclosure menu below. A user with every
 * role has seven area links and five account links: only from xl do they fit one line.
 */
export function MainNav({ links, email, unread = 0 }: { links: NavLink[]; email: string | null; unread?: number }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState(pathname);
  const menuId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);

  // Navigating closes the menu (state adjusted during render, not in an effect).
  if (openedAt !== pathname) {
    setOpenedAt(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === "Escape") {
        setOpen(false);
        toggleRef.current?.focus();
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open]);

  const linkClass = (href: string) =>
    isCurrent(pathname, href)
      ? "rounded-md px-3 py-2 text-sm font-semibold text-brand-700 bg-brand-50"
      : "rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900";

  return (
    <>
      <nav aria-label="Main" className="hidden min-w-0 flex-1 items-center gap-1 whitespace-nowrap xl:flex">
        {links.map((link) => (
          <Link
            key={link.href}
            href={link.href}
            className={linkClass(link.href)}
            aria-current={isCurrent(pathname, link.href) ? "page" : undefined}
          >
            {link.label}
          </Link>
        ))}
      </nav>
      <div className="ml-auto hidden items-center gap-3 whitespace-nowrap xl:flex">
        <AccountLinks email={email} unread={unread} inline />
      </div>

      <Button
        ref={toggleRef}
        type="button"
        variant="ghost"
        className="ml-auto px-2.5 xl:hidden"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((value) => !value)}
      >
        <StrokeIcon>{open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}</StrokeIcon>
        <span>Menu</span>
      </Button>
      <div
        id={menuId}
        hidden={!open}
        className="absolute inset-x-0 top-16 border-b border-slate-200 bg-white px-4 pt-2 pb-4 shadow-md xl:hidden"
      >
        <nav aria-label="Main">
          <ul className="flex flex-col gap-1">
            {links.map((link) => (
              <li key={link.href}>
                <Link
                  href={link.href}
                  className={`block ${linkClass(link.href)}`}
                  aria-current={isCurrent(pathname, link.href) ? "page" : undefined}
                >
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="mt-3 flex flex-wrap items-center gap-3 border-t border-slate-200 pt-3">
          <AccountLinks email={email} unread={unread} />
        </div>
      </div>
    </>
  );
}

/** `inline`: in the header's row, where the email is visible only from 2xl (the menu always shows it). */
function AccountLinks({ email, unread, inline = false }: { email: string | null; unread: number; inline?: boolean }) {
  if (email) {
    return (
      <>
        <span
          className={`${inline ? "sr-only 2xl:not-sr-only" : ""} max-w-[16rem] min-w-0 truncate text-sm text-slate-600`}
          title={email}
        >
          <span className="sr-only">Signed in as </span>
          {email}
        </span>
        <NotificationsLink unread={unread} />
        <LinkButton href="/settings/security" variant="ghost">
          Security
        </LinkButton>
        <LinkButton href="/settings/api-keys" variant="ghost">
          API keys
        </LinkButton>
        <LinkButton href="/settings/sessions" variant="ghost">
          Devices
        </LinkButton>
        <SignOutButton />
      </>
    );
  }
  return (
    <>
      <LinkButton href="/login" variant="ghost">
        Log in
      </LinkButton>
      <LinkButton href="/register">Register</LinkButton>
    </>
  );
}

/** The bell: the in-app notification list, with the signed-in user's unread count when there is one. */
function NotificationsLink({ unread }: { unread: number }) {
  return (
    <LinkButton href="/notifications" variant="ghost" className="relative px-2.5">
      <StrokeIcon>
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </StrokeIcon>
      <span className="sr-only">{unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}</span>
      {unread > 0 ? (
        <span
          aria-hidden="true"
          data-testid="unread-badge"
          className="absolute -top-0.5 -right-0.5 inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-red-600 px-1 text-xs leading-none font-semibold text-white"
        >
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </LinkButton>
  );
}

/** A 24-pixel line icon drawn in the text colour; decorative (its button or link is named). */
function StrokeIcon({ children }: { children: ReactNode }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className="h-5 w-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}
