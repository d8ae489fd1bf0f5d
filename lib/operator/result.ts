// The refusal codes of the operator core. The shape and its constructors are the house's one
// (lib/shared/result.ts); refusals never say whether another operator's object exists: someone
// else's rig is simply "not found".
import type { Result } from "../shared/result";

export type OperatorRefusalCode = "NOT_FOUND" | "INVALID" | "CONFLICT";

export type OperatorResult<T extends object = object> = Result<T, OperatorRefusalCode>;
