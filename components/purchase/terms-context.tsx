"use client";

// The hashrate and days a customer is weighing on a listing page, shared by the profitability
// calculator and the purchase panel so that what was estimated is what is bought. Seeded from
// the page's URL (?hashrate=&days=), which is how the terms survive a detour through sign-in.
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";

export interface PurchaseTerms {
  hashrate: string;
  days: string;
  setHashrate: (text: string) => void;
  setDays: (text: string) => void;
}

const TermsContext = createContext<PurchaseTerms | null>(null);

export function PurchaseTermsProvider({
  initial,
  children,
}: {
  initial: { hashrate: string; days: string };
  children: ReactNode;
}) {
  const [hashrate, setHashrate] = useState(initial.hashrate);
  const [days, setDays] = useState(initial.days);
  const value = useMemo(() => ({ hashrate, days, setHashrate, setDays }), [hashrate, days]);
  return <TermsContext.Provider value={value}>{children}</TermsContext.Provider>;
}

/**
 * The shared terms where a provider is above, else a component's own (a calculator or panel used
 * on its own). Both hooks always run, so the order of hooks never changes.
 */
export function useTerms(initial: { hashrate: string; days: string }): PurchaseTerms {
  const shared = useContext(TermsContext);
  const [hashrate, setHashrate] = useState(initial.hashrate);
  const [days, setDays] = useState(initial.days);
  return shared ?? { hashrate, days, setHashrate, setDays };
}
