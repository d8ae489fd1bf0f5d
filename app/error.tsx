"use client";

import { useEffect } from "react";
import { Button, LinkButton } from "@/components/ui";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;

  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div className="page flex justify-center">
      <div role="alert" className="card w-full max-w-lg p-8 text-center">
        <p className="text-sm font-semibold tracking-wider text-red-700 uppercase">Something went wrong</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">This page could not be loaded</h1>
        <p className="mt-3 text-slate-600">
          It may be a temporary problem. Try again; if it keeps happening, contact support
          {digest ? (
            <>
              {" "}
              and mention reference <code className="rounded bg-slate-100 px-1 font-mono text-sm">{digest}</code>
            </>
          ) : null}
          .
        </p>
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          <Button type="button" onClick={() => retry()}>
            Try again
          </Button>
          <LinkButton href="/" variant="secondary">
            Go home
          </LinkButton>
        </div>
      </div>
    </div>
  );
}
