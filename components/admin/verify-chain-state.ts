// What the "verify chain" action answers (BigInts as strings: they cross to the browser).
export type VerifyChainState =
  | { status: "idle" }
  | { status: "error"; message: string }
  | { status: "ok"; lines: string; sealedNow: number }
  | { status: "broken"; lines: string; brokenAtSeq: string; brokenAtId: string | null; reason: string };

export const initialVerifyChainState: VerifyChainState = { status: "idle" };
