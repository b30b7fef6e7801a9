import type { TFunction } from "i18next";
import type { z } from "zod";
import type { AppError } from "./errors.ts";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/**
 * Validate input with a zod schema whose messages are i18n keys (optionally
 * `key|{"param":1}` for placeholders), and translate the field errors for the
 * error summary and the inline messages.
 */
export function parseWith<T>(
  schema: z.ZodType<T>,
  input: Record<string, unknown>,
  t: TFunction,
): ParseResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    if (errors[field]) continue;
    const [key, params] = issue.message.split("|", 2);
    errors[field] = String(t(key ?? "errors.VALIDATION", params ? JSON.parse(params) : {}));
  }
  return { ok: false, errors };
}

/** The query string as a plain object (first value of each key). */
export function searchParamsObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

/** An AppError as form errors: beside its field when it names one, else at the top of the form. */
export function formErrorsOf(error: AppError, t: TFunction, fallbackField = "form"): Record<string, string> {
  return { [error.field ?? fallbackField]: String(t(error.messageKey, error.params)) };
}
