"use client";

import { useEffect } from "react";
import { Button, ErrorPage as ErrorShell } from "@/components/ui";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;

  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <ErrorShell
      role="alert"
      kicker="Something went wrong"
      kickerClassName="text-red-700"
      title="This page could not be loaded"
      primaryAction={
        <Button type="button" onClick={() => retry()}>
          Try again
        </Button>
      }
    >
      It may be a temporary problem. Try again; if it keeps happening, contact support
      {digest ? (
        <>
          {" "}
          and mention reference <code className="rounded bg-slate-100 px-1 font-mono text-sm">{digest}</code>
        </>
      ) : null}
      .
    </ErrorShell>
  );
}
