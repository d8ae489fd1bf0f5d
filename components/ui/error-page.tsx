// The shell of the app's error pages (error, 403, 404): a centred card with a kicker, a title, an explanation and the ways out.
import type { ReactNode } from "react";
import { LinkButton } from "./button";

export function ErrorPage({
  kicker,
  kickerClassName = "text-brand-700",
  title,
  children,
  primaryAction,
  role,
}: {
  kicker: string;
  kickerClassName?: string;
  title: ReactNode;
  children: ReactNode;
  /** The first button; "Go home" always follows it. */
  primaryAction: ReactNode;
  role?: "alert";
}) {
  return (
    <div className="page flex justify-center">
      <div role={role} className="card w-full max-w-lg p-8 text-center">
        <p className={`text-sm font-semibold tracking-wider uppercase ${kickerClassName}`}>{kicker}</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="mt-3 text-slate-600">{children}</p>
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          {primaryAction}
          <LinkButton href="/" variant="secondary">
            Go home
          </LinkButton>
        </div>
      </div>
    </div>
  );
}
