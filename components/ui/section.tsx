// A titled page section: the h2 names the landmark (aria-labelledby), so sections are distinct regions.
// `min-w-0`: as a grid or flex item it may shrink below its content, so a wide table inside scrolls
// in its own box instead of widening the column (and the page).
import type { ReactNode } from "react";

/** A titled section with an h2, labelled for landmarks navigation. */
export function Section({
  id,
  title,
  description,
  actions,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`} className="mb-10 min-w-0">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}
