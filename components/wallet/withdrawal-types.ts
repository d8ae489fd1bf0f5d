// What the wallet page hands the withdrawal form, and what the request action answers.
// Display-ready: amounts are base-unit strings (BigInt does not cross to the browser).

export interface WithdrawalFormCoin {
  asset: string;
  name: string;
  decimals: number;
  availableBase: string;
  minimumBase: string;
  feeBase: string;
  limitLeftBase: string;
  reviewThresholdBase: string;
}

export interface WithdrawalFormAddress {
  id: string;
  coin: string;
  label: string;
  address: string;
  usable: boolean;
  /** "2026-11-27 14:05 UTC" when still locked. */
  usableFrom: string;
}

export interface WithdrawalRequestInput {
  coin: string;
  addressId: string;
  amount: string;
  totpCode: string;
  idempotencyKey: string;
}

export type WithdrawalRequestAnswer =
  | { ok: true; replayed: boolean; message: string }
  | { ok: false; message: string; field?: "coin" | "addressId" | "amount" | "totpCode" };

export interface RowActionState {
  status: "idle" | "error" | "done";
  message?: string;
}

export const initialRowActionState: RowActionState = { status: "idle" };
