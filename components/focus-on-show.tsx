"use client";

// Moves focus to its content (and scrolls it into view) whenever `signal` changes: the answer to a
// submit — a refusal's error summary or the done message — may render above the fold of a long
// form, where a person who pressed Save at the bottom would never see it, and a screen reader
// would not be taken there. `signal` is the form state object, new after every submit.
import { useEffect, useRef, type ReactNode } from "react";

export function FocusOnShow({ signal, children }: { signal: unknown; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || !element.firstElementChild) return;
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [signal]);
  return (
    <div ref={ref} tabIndex={-1} className="scroll-mt-20 outline-none">
      {children}
    </div>
  );
}
