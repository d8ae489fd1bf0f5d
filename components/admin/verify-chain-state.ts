// What the "verify chain" action answers: the one FormState plus the outcome of the walk
// (BigInts as strings: they cross to the browser).
import { initialFormState, type FormState } from "../forms/form-state";

export type ChainOutcome =
  | { intact: true; lines: string; sealedNow: number; checkpoints: number; sinceCheckpoint: number }
  | {
      intact: false;
      /** What broke it, in words: "rewritten", "truncated", "checkpoint missing", … */
      problem: string;
      lines: string;
      brokenAtSeq: string;
      brokenAtId: string | null;
      reason: string;
    };

export type VerifyChainState = FormState<{ chain?: ChainOutcome }>;

export const initialVerifyChainState: VerifyChainState = initialFormState<{ chain?: ChainOutcome }>();
