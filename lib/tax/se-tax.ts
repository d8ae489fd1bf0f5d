// Self-employment tax estimate per Schedule SE (Form 1040), from a year's net profit and that
// year's parameters (tax_year_parameters). Estimates, not advice.
//
// Lines, in micro-USD, each rounded half up to the cent as the form is filled in cents:
//   net earnings (line 4a)       = net profit x 92.35 %; none when net profit <= 0 (a loss year)
//   below the $400 floor (4c)    -> no SE tax at all
//   Social Security part (10)    = min(net earnings, the year's wage base) x 12.4 %
//   Medicare part (11)           = net earnings x 2.9 %
//   SE tax (12)                  = (10) + (11)
//   deductible half (13)         = (12) x 50 %
// Assumes no W-2 wages or other SE income in the year (they would use up part of the wage
// base, line 8) and leaves out the Additional Medicare Tax (Form 8959) and the farm and church
// options: the page says so.
import { roundHalfUpToCent } from "./money";

const BPS = 10_000n;

export interface SeParameters {
  year: number;
  socialSecurityWageBaseMicroUsd: bigint;
  /** 9235 = 92.35 %. */
  seEarningsFactorBps: number;
  socialSecurityRateBps: number;
  medicareRateBps: number;
  /** Net earnings below this owe no SE tax ($400). */
  seMinimumMicroUsd: bigint;
}

export interface SeTax {
  netEarningsMicroUsd: bigint;
  /** Net earnings below the floor: no SE tax. */
  belowMinimum: boolean;
  /** The part of net earnings the 12.4 % applies to (capped at the wage base). */
  socialSecurityBaseMicroUsd: bigint;
  /** Net earnings above the wage base (no Social Security part on them). */
  aboveWageBaseMicroUsd: bigint;
  socialSecurityTaxMicroUsd: bigint;
  medicareTaxMicroUsd: bigint;
  totalMicroUsd: bigint;
  deductibleHalfMicroUsd: bigint;
}

export function selfEmploymentTax(netProfitMicroUsd: bigint, parameters: SeParameters): SeTax {
  const netEarnings =
    netProfitMicroUsd > 0n ? roundHalfUpToCent(netProfitMicroUsd * BigInt(parameters.seEarningsFactorBps), BPS) : 0n;
  const belowMinimum = netEarnings < parameters.seMinimumMicroUsd;
  if (belowMinimum) {
    return {
      netEarningsMicroUsd: netEarnings,
      belowMinimum,
      socialSecurityBaseMicroUsd: 0n,
      aboveWageBaseMicroUsd: 0n,
      socialSecurityTaxMicroUsd: 0n,
      medicareTaxMicroUsd: 0n,
      totalMicroUsd: 0n,
      deductibleHalfMicroUsd: 0n,
    };
  }
  const base =
    netEarnings < parameters.socialSecurityWageBaseMicroUsd ? netEarnings : parameters.socialSecurityWageBaseMicroUsd;
  const socialSecurity = roundHalfUpToCent(base * BigInt(parameters.socialSecurityRateBps), BPS);
  const medicare = roundHalfUpToCent(netEarnings * BigInt(parameters.medicareRateBps), BPS);
  const total = socialSecurity + medicare;
  return {
    netEarningsMicroUsd: netEarnings,
    belowMinimum,
    socialSecurityBaseMicroUsd: base,
    aboveWageBaseMicroUsd: netEarnings - base,
    socialSecurityTaxMicroUsd: socialSecurity,
    medicareTaxMicroUsd: medicare,
    totalMicroUsd: total,
    deductibleHalfMicroUsd: roundHalfUpToCent(total, 2n),
  };
}
