// The BTC day the hand-computed formula and estimate tests work from (their expected figures
// were worked out with exact integers from these inputs, so they must not change).
import type { NetworkInputs } from "../payouts/formula";

/** 150 T difficulty (N = 1.073741824e21 H/s), 3.125 BTC subsidy + 0.1 BTC fees a block, $95,000 (1 sat = 950 µUSD). */
export const HAND_CHECKED_BTC: NetworkInputs = {
  networkHashrateHs: null,
  difficulty: 150_000_000_000_000n,
  blockTimeMs: 600_000n,
  blockSubsidyBase: 312_500_000n,
  avgFeesPerBlockBase: 10_000_000n,
  priceMicroUsd: 95_000_000_000n,
};
