import type { TFunction } from "i18next";
import type { z } from "zod";
import type { AppError, ErrorCode } from "#app/utils/errors.ts";

/**
 * Every /api/v1 error is one shape: RFC 9457 problem details
 * (`application/problem+json`) with our error `code` and, for bad input, one
 * entry per problem in `errors`, each naming where it is (a JSON Pointer into
 * the body, or a query or path parameter). Told in the caller's language by
 * the one error table (app/utils/errors.ts) and the locale files.
 */

export interface ProblemEntry {
  detail: string;
  pointer?: string;
  parameter?: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  errors?: ProblemEntry[];
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8";

/** Where on the API page a code is explained: the problem's `type`. */
export function problemType(baseUrl: string, code: ErrorCode): string {
  return `${baseUrl}/api#error-${code}`;
}

/** The statuses the API answers with a translated title (apiDocs.status.*). */
const TITLED = new Set([400, 401, 403, 404, 405, 409, 410, 413, 415, 429, 500, 503]);

export function problemOf(
  error: Pick<AppError, "code" | "status" | "params" | "messageKey">,
  options: { t: TFunction; baseUrl: string; instance: string; errors?: ProblemEntry[] },
): ProblemBody {
  const { t } = options;
  const status = TITLED.has(error.status) ? error.status : error.status >= 500 ? 500 : 400;
  return {
    type: problemType(options.baseUrl, error.code),
    title: String(t(`apiDocs.status.${status}`)),
    status: error.status,
    // The web's "Page not found" does not fit an API resource.
    detail: String(error.code === "NOT_FOUND" ? t("apiDocs.notFound") : t(error.messageKey, error.params)),
    instance: options.instance,
    code: error.code,
    ...(options.errors?.length ? { errors: options.errors } : {}),
  };
}

/** "#/lots/0/price": a JSON Pointer (RFC 6901) in URI fragment form. */
export function pointerOf(path: ReadonlyArray<PropertyKey>): string {
  return `#${path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("")}`;
}

/**
 * One entry per zod issue, translated. `where` says what was parsed: the body
 * (entries carry a pointer), or the query or path (entries name the parameter).
 */
export function issueEntries(
  issues: readonly z.core.$ZodIssue[],
  where: "body" | "query" | "path",
  t: TFunction,
): ProblemEntry[] {
  const entries: ProblemEntry[] = [];
  for (const issue of issues) {
    const keys =
      issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of keys) {
      const name = path.length ? String(path[path.length - 1]) : where === "body" ? "body" : "";
      const detail = String(t(...messageOf(issue, name)));
      entries.push(
        where === "body"
          ? { detail, pointer: pointerOf(path) }
          : { detail, parameter: String(path[0] ?? "") },
      );
    }
  }
  return entries;
}

type Message = [key: string, params: Record<string, string | number>];

function messageOf(issue: z.core.$ZodIssue, name: string): Message {
  const v = (key: string, params: Record<string, string | number> = {}): Message => [
    `apiDocs.validation.${key}`,
    { name, ...params },
  ];
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return v("required");
      if (issue.expected === "int") return v("integer");
      return v("type", { expected: issue.expected });
    case "too_small": {
      const minimum = Number(issue.minimum);
      if (issue.origin === "string") return v("tooShort", { minimum });
      if (issue.origin === "array" || issue.origin === "set") return v("tooFew", { minimum });
      return v("tooSmall", { minimum });
    }
    case "too_big": {
      const maximum = Number(issue.maximum);
      if (issue.origin === "string") return v("tooLong", { maximum });
      if (issue.origin === "array" || issue.origin === "set") return v("tooMany", { maximum });
      return v("tooBig", { maximum });
    }
    case "invalid_format":
      return v("format", { format: issue.format === "regex" ? "pattern" : issue.format });
    case "invalid_value":
      return v("oneOf", { values: issue.values.map((x) => String(x)).join(", ") });
    case "unrecognized_keys":
      return v("unknown");
    case "invalid_key":
      return v("key");
    case "custom":
      // A refinement of ours names its own message key.
      if (issue.message.startsWith("apiDocs.validation.")) return [issue.message, { name }];
      return v("invalid");
    default:
      return v("invalid");
  }
}
