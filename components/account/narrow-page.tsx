// The frame of the sign-in and account-link pages: a heading, a line under it, one card.
import type { ReactNode } from "react";

export function NarrowPage({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <div className="page flex justify-center">
      <div className="w-full max-w-md">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {intro ? <p className="mt-2 text-slate-600">{intro}</p> : null}
        <div className="card mt-6 space-y-4 p-6 sm:p-8">{children}</div>
      </div>
    </div>
  );
}
