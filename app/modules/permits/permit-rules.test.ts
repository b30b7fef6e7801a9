import { describe, expect, test } from "vitest";
import type { PermitFieldSpec } from "#db/schema/permit-kinds.ts";
import { fieldsSchema } from "./permit-rules.ts";

const specs: PermitFieldSpec[] = [
  { key: "tradeName", type: "text", labelAr: "الاسم", labelEn: "Name", required: true, max: 10 },
  { key: "employees", type: "number", labelAr: "العاملون", labelEn: "Employees", required: false, min: 1 },
];

const messages = (values: Record<string, unknown>, complete: boolean) =>
  fieldsSchema(specs, { complete })
    .safeParse(values)
    .error?.issues.map((i) => `${String(i.path[0])}: ${i.message}`) ?? [];

describe("a permit type's form fields", () => {
  test("at submission a required answer must be there: neither missing nor empty", () => {
    expect(messages({}, true)).toEqual(["tradeName: permits.errors.required"]);
    expect(messages({ tradeName: "  " }, true)).toEqual(["tradeName: permits.errors.required"]);
    expect(messages({ tradeName: "Al Noor" }, true)).toEqual([]);
  });

  test("a draft may leave required answers for later, but what is given must be valid", () => {
    expect(messages({}, false)).toEqual([]);
    expect(messages({ tradeName: "far too long a name" }, false)).toEqual([
      'tradeName: permits.errors.tooLong|{"max":10}',
    ]);
    expect(messages({ tradeName: "far too long a name" }, true)).toEqual([
      'tradeName: permits.errors.tooLong|{"max":10}',
    ]);
    expect(messages({ employees: "0" }, false)).toEqual(['employees: permits.errors.numberMin|{"min":1}']);
  });
});
