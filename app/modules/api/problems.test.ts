import { describe, expect, test } from "vitest";
import { z } from "zod";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { AppError } from "#app/utils/errors.ts";
import { issueEntries, pointerOf, problemOf } from "./problems.ts";

const en = createI18n("en").t;
const ar = createI18n("ar").t;

describe("problem details", () => {
  test("one shape for every error: type on the API page, title by status, detail by code", () => {
    const problem = problemOf(new AppError("RATE_LIMITED", { limit: 120, seconds: 12 }), {
      t: en,
      baseUrl: "https://shafaf.example.gov",
      instance: "/api/v1/tenders",
    });
    expect(problem).toEqual({
      type: "https://shafaf.example.gov/api#error-RATE_LIMITED",
      title: "Too many requests",
      status: 429,
      detail: "Too many requests with this token: at most 120 a minute. Try again in 12 seconds.",
      instance: "/api/v1/tenders",
      code: "RATE_LIMITED",
    });
    const arabic = problemOf(new AppError("NOT_FOUND"), { t: ar, baseUrl: "", instance: "/x" });
    expect(arabic.title).toBe("غير موجود");
    expect(arabic.detail).toBe("لا يوجد لمؤسستك شيء بهذا المعرّف.");
  });

  test("JSON Pointers escape ~ and /", () => {
    expect(pointerOf(["lots", 0, "price"])).toBe("#/lots/0/price");
    expect(pointerOf(["fields", "a/b~c"])).toBe("#/fields/a~1b~0c");
    expect(pointerOf([])).toBe("#");
  });

  test("zod's issues become one translated entry each, pointing where they are", () => {
    const schema = z.strictObject({
      name: z.string().min(3),
      count: z.number().int().max(9),
      kind: z.enum(["a", "b"]),
      lots: z.array(z.object({ price: z.string().regex(/^\d+$/) })).min(1),
    });
    const result = schema.safeParse(
      { count: 1.5, kind: "c", lots: [{ price: "x" }], extra: 1, name: "ab" },
      { reportInput: true },
    );
    expect(issueEntries(result.error!.issues, "body", en)).toEqual([
      { pointer: "#/name", detail: "name must have at least 3 characters." },
      { pointer: "#/count", detail: "count must be a whole number." },
      { pointer: "#/kind", detail: "kind must be one of: a, b." },
      { pointer: "#/lots/0/price", detail: "price is not in the expected format (pattern)." },
      { pointer: "#/extra", detail: "extra is not expected here." },
    ]);
    const missing = schema.safeParse({}, { reportInput: true });
    expect(issueEntries(missing.error!.issues, "body", ar)[0]).toEqual({
      pointer: "#/name",
      detail: "name مطلوب.",
    });
    const query = z.strictObject({ status: z.enum(["x"]).optional() }).safeParse({ status: ["x", "x"] });
    expect(issueEntries(query.error!.issues, "query", en)).toEqual([
      { parameter: "status", detail: "status must be one of: x." },
    ]);
  });
});
