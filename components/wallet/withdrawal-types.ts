// What the wallet page hands the withdrawal form, and what the request action answers (the
// one FormState). Display-ready: amounts are base-unit strings (BigInt does not cross to the
// browser).
import { initialFormState, type FormState } from "../forms/form-state";

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

/** Done, or refused with the field at fault (coin, addressId, amount or totpCode) in fieldErrors. */
export type WithdrawalRequestAnswer = FormState<{ replayed?: boolean }>;

/** One action on one row (approve, cancel, freeze ...): a sentence, nothing to refill. */
export type RowActionState = FormState;

export const initialRowActionState: RowActionState = initialFormState();
