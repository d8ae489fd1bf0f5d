// Which passwords an account may have (issue 15, "Passwords"): 12 to 200 characters, not the
// account's email (nor its name part), not on the bundled list of common and breached passwords
// (@zxcvbn-ts/language-common's passwords-common), and strong enough for the zxcvbn-ts estimator
// (score 3 of 4: about 10^8 guesses or more), judged with the person's own name and email as
// known words. Server-side only: the dictionaries weigh megabytes.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as commonDictionary } from "@zxcvbn-ts/language-common";
import { dictionary as englishDictionary, translations } from "@zxcvbn-ts/language-en";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
export const PASSWORD_MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
let common: Set<string> | undefined;

function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
  });
  return estimator;
}

function commonPasswords(): Set<string> {
  common ??= new Set(commonDictionary["passwords-common"].map((word) => word.toLowerCase()));
  return common;
}

/** Null when the password may be used, else the sentence to show beside the field. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters for your password.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password is too long (${PASSWORD_MAX_LENGTH} characters at most).`;
  const lower = password.trim().toLowerCase();
  const email = context.email?.trim().toLowerCase() ?? "";
  const local = email.split("@")[0] ?? "";
  if (email && (lower === email || lower === local)) return "Your password cannot be your email address.";
  if (commonPasswords().has(lower)) return "This password is on a list of common or leaked passwords. Choose another.";
  const inputs = [email, local, ...(context.name?.split(/\s+/) ?? []), "hashlease"].filter((word) => word.length > 2);
  const result = zxcvbn().check(password.slice(0, 100), inputs);
  if (result.score >= PASSWORD_MIN_SCORE) return null;
  const hint = result.feedback.warning || result.feedback.suggestions[0];
  return `This password is too easy to guess.${hint ? ` ${hint.replace(/\.?$/, ".")}` : ""} Add more words or characters.`;
}
