// What a list or table shows when it has no row: a title, an explanation and at most one way forward.
import type { ReactNode } from "react";
import { LinkButton } from "./button";

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: { href: string; label: string };
}) {
  return (
    <div className="card flex flex-col items-start gap-3 border-dashed px-6 py-8 sm:items-center sm:text-center">
      <p className="font-medium text-slate-900">{title}</p>
      {children ? <div className="max-w-xl text-sm text-slate-600">{children}</div> : null}
      {action ? (
        <LinkButton href={action.href} className="mt-1">
          {action.label}
        </LinkButton>
      ) : null}
    </div>
  );
}
