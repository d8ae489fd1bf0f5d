// A status as a coloured pill. The colour is a tone chosen per status (one table below), never a class
// string written at the call site; an unknown status is slate.
type Tone = "green" | "amber" | "red" | "slate" | "brand";

const TONES: Record<Tone, string> = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  amber: "bg-amber-50 text-amber-900 ring-amber-600/25",
  red: "bg-red-50 text-red-800 ring-red-600/20",
  slate: "bg-slate-100 text-slate-700 ring-slate-500/20",
  brand: "bg-brand-50 text-brand-800 ring-brand-600/20",
};

const STATUS_TONES: Record<string, Tone> = {
  ACTIVE: "green",
  PUBLISHED: "green",
  LIVE: "green",
  COMPLETED: "slate",
  CONFIRMED: "green",
  MAINTENANCE: "amber",
  PENDING_PAYMENT: "amber",
  DRAFT: "slate",
  UNPUBLISHED: "slate",
  RUNNING: "brand",
  REQUESTED: "amber",
  APPROVED: "brand",
  SENT: "brand",
  OFFLINE: "red",
  RETIRED: "slate",
  EXPIRED: "slate",
  CANCELLED: "slate",
  REJECTED: "red",
  FAILED: "red",
};

/**
 * Enum values whose words alone do not read as a person would say them (abbreviations, codes,
 * or a name that means something else to a reader).
 */
const LABELS: Record<string, string> = {
  // TelemetrySource
  OPERATOR_UI: "Entered on the site",
  API: "API",
  SIMULATOR: "Demo simulator",
  // PaymentMethod
  CARD: "Card",
  BALANCE_USD: "USD balance",
  BALANCE_COIN: "Coin balance",
  // HashrateSource
  SHARES: "Verified shares",
  TELEMETRY: "Reported telemetry",
  MIXED: "Shares and telemetry",
  // AccountType
  USER_AVAILABLE: "Available balance",
  USER_HELD: "Held balance",
  WITHDRAWALS_IN_FLIGHT: "Withdrawals in flight",
  // JournalKind
  UNDER_DELIVERY_CREDIT: "Under-delivery credit",
  OPERATOR_PAYABLE_TRANSFER: "Payable moved to wallet",
  // Algorithm
  SHA256: "SHA-256",
  SCRYPT: "Scrypt",
  KHEAVYHASH: "kHeavyHash",
  ETCHASH: "Etchash",
  RANDOMX: "RandomX",
};

/** "PENDING_PAYMENT" -> "Pending payment"; the values in LABELS read as written there. */
export function humanize(value: string): string {
  const label = LABELS[value];
  if (label) return label;
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `tone` overrides the status's own tone (e.g. a check that passed or failed, which is no status). */
export function StatusBadge({ status, label, tone }: { status: string; label?: string; tone?: Tone }) {
  const chosen = tone ?? STATUS_TONES[status] ?? "slate";
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[chosen]}`}
    >
      {label ?? humanize(status)}
    </span>
  );
}

/** A pass/fail check as a badge: "✓ OK" in green or the failure label in red. */
export function CheckBadge({ ok, okLabel = "✓ OK", failLabel }: { ok: boolean; okLabel?: string; failLabel: string }) {
  return ok ? <StatusBadge status="ACTIVE" label={okLabel} /> : <StatusBadge status="FAILED" label={failLabel} />;
}
