"use client";

import { useEffect, useState } from "react";

/** "47 h 05 min 09 s" from milliseconds (rounded up to the second, never shows 0 early). */
export function remainingText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return hours > 0 ? `${hours} h ${pad(minutes)} min ${pad(seconds)} s` : `${minutes} min ${pad(seconds)} s`;
}

/**
 * The new-address lock ticking down to the instant the entry becomes usable. The first
 * render uses the server's clock (identical markup on server and client); the browser's
 * clock takes over at the first tick. A timer role keeps screen readers from announcing
 * every second; the fixed UTC time beside it says the same once.
 */
export function LockCountdown({
  usableAfterIso,
  serverNowMs,
  usableAtText,
}: {
  usableAfterIso: string;
  serverNowMs: number;
  usableAtText: string;
}) {
  const usableAt = Date.parse(usableAfterIso);
  const [now, setNow] = useState(serverNowMs);
  const left = usableAt - now;
  useEffect(() => {
    if (usableAt - Date.now() <= -1000) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [usableAt]);

  if (left <= 0) {
    return (
      <span className="text-sm">
        <span className="font-medium text-emerald-800">Usable now</span>
        <span className="block text-xs text-slate-600">since {usableAtText}</span>
      </span>
    );
  }
  return (
    <span className="text-sm">
      <span className="font-medium text-amber-900">
        Locked: usable in{" "}
        <time role="timer" dateTime={usableAfterIso} className="tabular-nums" data-testid="lock-countdown">
          {remainingText(left)}
        </time>
      </span>
      <span className="block text-xs text-slate-600">from {usableAtText}</span>
    </span>
  );
}
