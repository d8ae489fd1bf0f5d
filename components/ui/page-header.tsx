// The page's h1 with its description and the page-level actions beside it: `links` for the usual
// case of pages to go on to (secondary buttons unless marked primary), `actions` for anything else.
import type { ReactNode } from "react";
import { LinkButton } from "./button";

export interface PageHeaderLink {
  href: string;
  label: string;
  primary?: boolean;
}

export function PageHeader({
  title,
  description,
  actions,
  links = [],
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  links?: readonly PageHeaderLink[];
}) {
  const hasActions = Boolean(actions) || links.length > 0;
  return (
    <div className="mb-8 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{title}</h1>
        {description ? <div className="mt-2 max-w-3xl text-slate-600">{description}</div> : null}
      </div>
      {hasActions ? (
        <div className="flex shrink-0 flex-wrap gap-3">
          {actions}
          {links.map((link) => (
            <LinkButton key={link.href} href={link.href} variant={link.primary ? "primary" : "secondary"}>
              {link.label}
            </LinkButton>
          ))}
        </div>
      ) : null}
    </div>
  );
}
