import core from "@zxcvbn-ts/core";
import common from "@zxcvbn-ts/language-common";
import { AppError } from "#app/utils/errors.ts";

/**
 * NIST SP 800-63B password rules: length is what matters. At least 15
 * characters when the password is the only factor, 8 with a second factor;
 * long passphrases welcome (up to 1,024 characters, never truncated); no rules
 * about character classes; and a blocklist: common, breached-looking and
 * guessable passwords (dictionary words, keyboard walks, repeats, sequences,
 * the user's own e-mail or name) are refused.
 */
export const MIN_LENGTH_SINGLE_FACTOR = 15;
export const MIN_LENGTH_WITH_SECOND_FACTOR = 8;
export const MAX_LENGTH = 1024;

export type PasswordProblem =
  | { code: "PASSWORD_TOO_SHORT"; min: number }
  | { code: "PASSWORD_TOO_LONG"; max: number }
  | { code: "PASSWORD_TOO_COMMON" };

const factory = new core.ZxcvbnFactory({
  dictionary: { ...common.dictionary },
  graphs: common.adjacencyGraphs,
});

/** Code points, not UTF-16 units: an Arabic or emoji passphrase counts what a person sees. */
function lengthOf(password: string): number {
  return [...password].length;
}

export function checkPassword(
  password: string,
  { hasSecondFactor = false, userInputs = [] }: { hasSecondFactor?: boolean; userInputs?: string[] } = {},
): PasswordProblem | null {
  const min = hasSecondFactor ? MIN_LENGTH_WITH_SECOND_FACTOR : MIN_LENGTH_SINGLE_FACTOR;
  const length = lengthOf(password);
  if (length < min) return { code: "PASSWORD_TOO_SHORT", min };
  if (length > MAX_LENGTH) return { code: "PASSWORD_TOO_LONG", max: MAX_LENGTH };
  // The estimator's cost grows with length; past 100 characters a passphrase is not guessable by pattern.
  const sample = length > 100 ? [...password].slice(0, 100).join("") : password;
  const inputs = ["shafaf", "شفاف", ...userInputs.flatMap((i) => [i, ...i.split(/[@.\s_-]+/)])].filter(
    (i) => i.length >= 3,
  );
  if (factory.check(sample, inputs).score < 3) return { code: "PASSWORD_TOO_COMMON" };
  return null;
}

/** The problem as the error a form shows beside its password field. */
export function passwordError(problem: PasswordProblem, field = "password"): AppError {
  const { code, ...params } = problem;
  return new AppError(code, params, { field });
}
