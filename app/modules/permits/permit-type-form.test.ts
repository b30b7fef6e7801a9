import { describe, expect, test } from "vitest";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import {
  applyRowIntent,
  checkPermitTypeForm,
  errorsOf,
  newPermitTypeValues,
  optionsText,
  parseOptionsText,
  readPermitTypeForm,
  summaryOf,
  valuesOfType,
  withoutBlankRows,
} from "./permit-type-form.ts";

/** A form as the browser posts it. */
function posted(entries: Array<[string, string]>): FormData {
  const form = new FormData();
  for (const [k, v] of entries) form.append(k, v);
  return form;
}

const basics: Array<[string, string]> = [
  ["code", "food-establishment"],
  ["nameAr", "رخصة منشأة غذائية"],
  ["nameEn", "Food establishment licence"],
  ["serviceLevelDays", "١٠"],
  ["validityMonths", "12"],
  ["renewalWindowDays", "60"],
  ["gracePeriodDays", "30"],
  ["active", "on"],
  ["requireVerified", "on"],
  ["eligibleSectors", "food"],
];

describe("the permit-type form", () => {
  test("rows are read in their posted order, with ticks and repeated formats", () => {
    const values = readPermitTypeForm(
      posted([
        ...basics,
        ["fields.1.key", "floor_area"],
        ["fields.1.type", "number"],
        ["fields.0.key", "trade_name"],
        ["fields.0.required", "on"],
        ["documents.0.key", "lease"],
        ["documents.0.mediaTypes", "application/pdf"],
        ["documents.0.mediaTypes", "image/jpeg"],
      ]),
    );
    expect(values.fields.map((f) => f.key)).toEqual(["trade_name", "floor_area"]);
    expect(values.fields[0]).toMatchObject({ required: true, type: "text" });
    expect(values.fields[1]).toMatchObject({ required: false, type: "number" });
    expect(values.documents[0]!.mediaTypes).toEqual(["application/pdf", "image/jpeg"]);
    expect(values).toMatchObject({ active: true, requireVerified: true, inspectionRequired: false });
    expect(values.eligibleSectors).toEqual(["food"]);
  });

  test("a whole form is checked into a type, Arabic digits read as numbers and choices one a line", () => {
    const values = withoutBlankRows(
      readPermitTypeForm(
        posted([
          ...basics,
          ["fields.0.key", "activity"],
          ["fields.0.type", "select"],
          ["fields.0.labelAr", "النشاط"],
          ["fields.0.labelEn", "Activity"],
          ["fields.0.options", "restaurant | مطعم | Restaurant\n\ncafe | مقهى | Café\n"],
          ["fields.1.key", ""],
          ["fields.1.labelAr", ""],
          ["checklist.0.key", "hygiene"],
          ["checklist.0.labelAr", "النظافة"],
          ["checklist.0.labelEn", "Hygiene"],
        ]),
      ),
    );
    expect(values.fields).toHaveLength(1);
    const checked = checkPermitTypeForm(values, "create");
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value).toMatchObject({ code: "food-establishment", serviceLevelDays: 10, active: true });
    expect(checked.value.fields[0]!.options).toEqual([
      { value: "restaurant", labelAr: "مطعم", labelEn: "Restaurant" },
      { value: "cafe", labelAr: "مقهى", labelEn: "Café" },
    ]);
    expect(checked.value.parentCode).toBeNull();
  });

  test("every problem is named beside its control, a bad choice by its line number", () => {
    const values = withoutBlankRows(
      readPermitTypeForm(
        posted([
          ["code", "Food"],
          ["nameAr", ""],
          ["nameEn", "Food"],
          ["serviceLevelDays", "ten"],
          ["validityMonths", "12"],
          ["renewalWindowDays", "400"],
          ["gracePeriodDays", ""],
          ["fields.0.key", "activity"],
          ["fields.0.type", "select"],
          ["fields.0.labelAr", "النشاط"],
          ["fields.0.labelEn", "Activity"],
          ["fields.0.options", "a | أ | A\n\nmissing labels"],
          ["fields.1.key", "kind"],
          ["fields.1.type", "select"],
          ["fields.1.labelAr", "النوع"],
          ["fields.1.labelEn", "Kind"],
          ["fields.1.options", "a | أ | A\nb | ب | B\na | أ | A"],
          ["fields.2.key", "area"],
          ["fields.2.type", "number"],
          ["fields.2.labelAr", "المساحة"],
          ["fields.2.labelEn", "Area"],
          ["fields.2.min", "100"],
          ["fields.2.max", "10"],
          ["fields.3.key", "area"],
          ["fields.3.type", "text"],
          ["fields.3.labelAr", "رقم"],
          ["fields.3.labelEn", "Number"],
          ["fields.3.pattern", "(["],
          ["documents.0.key", "Lease"],
          ["documents.0.labelAr", "عقد"],
          ["documents.0.labelEn", "Lease"],
        ]),
      ),
    );
    const checked = checkPermitTypeForm(values, "create");
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const errors = errorsOf(checked.issues, createI18n("en").t);
    expect(errors).toEqual({
      code: expect.stringContaining("lowercase"),
      nameAr: "This is required.",
      serviceLevelDays: "Enter a whole number from 1 to 365.",
      renewalWindowDays: "Enter a whole number from 0 to 365.",
      gracePeriodDays: "This is required.",
      "fields.0.options": expect.stringMatching(/^Line 3: /),
      "fields.1.options": "Line 3: this value is already listed above.",
      "fields.2.max": "The maximum must not be less than the minimum.",
      "fields.3.key": "The key area is already used in this list.",
      "fields.3.pattern": "This is not a valid regular expression.",
      "documents.0.key": expect.stringContaining("lowercase"),
    });
    // The summary reads in the form's order and names each control.
    expect(Object.keys(errors)).toEqual([
      "code",
      "nameAr",
      "serviceLevelDays",
      "renewalWindowDays",
      "gracePeriodDays",
      "fields.0.options",
      "fields.1.options",
      "fields.2.max",
      "fields.3.key",
      "fields.3.pattern",
      "documents.0.key",
    ]);
    const summary = summaryOf(errors, createI18n("en").t);
    expect(summary.nameAr).toBe("Name (Arabic): This is required.");
    expect(summary["fields.2.max"]).toBe("Field 3, Maximum: The maximum must not be less than the minimum.");
    // In Arabic too.
    const ar = errorsOf(checked.issues, createI18n("ar").t);
    expect(ar["fields.0.options"]).toMatch(/^السطر 3/);
  });

  test("the row buttons add and remove rows without saving anything", () => {
    const values = readPermitTypeForm(
      posted([...basics, ["checklist.0.key", "a"], ["checklist.1.key", "b"], ["checklist.2.key", "c"]]),
    );
    expect(applyRowIntent(values, "add:fields")!.fields).toHaveLength(1);
    expect(applyRowIntent(values, "remove:checklist:1")!.checklist.map((c) => c.key)).toEqual(["a", "c"]);
    expect(applyRowIntent(values, "save")).toBeNull();
    expect(applyRowIntent(values, "add:nothing")).toBeNull();
  });

  test("a stored type comes back into the form as it was typed", () => {
    const fields = [
      {
        key: "activity",
        type: "select" as const,
        labelAr: "النشاط",
        labelEn: "Activity",
        required: true,
        options: [{ value: "retail", labelAr: "تجزئة", labelEn: "Retail" }],
      },
      { key: "area", type: "number" as const, labelAr: "المساحة", labelEn: "Area", required: false, min: 1 },
    ];
    const values = valuesOfType(
      {
        agencyId: "a",
        code: "shop",
        nameAr: "محل",
        nameEn: "Shop",
        descriptionAr: "",
        descriptionEn: "",
        eligibleSectors: [],
        requireVerified: false,
        serviceLevelDays: 3,
        inspectionRequired: true,
        secondApprovalRequired: false,
        validityMonths: 24,
        renewalWindowDays: 30,
        gracePeriodDays: 0,
        active: true,
        fields,
        documents: [],
        checklist: [],
      },
      "commercial-licence",
    );
    expect(values).toMatchObject({
      parentCode: "commercial-licence",
      serviceLevelDays: "3",
      gracePeriodDays: "0",
    });
    expect(values.fields[0]!.options).toBe("retail | تجزئة | Retail");
    expect(values.fields[1]).toMatchObject({ min: "1", max: "" });
    const checked = checkPermitTypeForm(values, "update");
    expect(checked.ok && checked.value.fields).toEqual(fields);
  });

  test("choices typed one a line round-trip", () => {
    const options = [
      { value: "a", labelAr: "أ", labelEn: "A" },
      { value: "b-2", labelAr: "ب", labelEn: "B two" },
    ];
    expect(parseOptionsText(optionsText(options))).toEqual({ ok: true, options, lines: [1, 2] });
    expect(parseOptionsText("a | أ")).toEqual({ ok: false, line: 1 });
  });

  test("a new type starts with the usual periods and one empty row of each list", () => {
    const values = newPermitTypeValues("agency-1");
    expect(values).toMatchObject({ agencyId: "agency-1", validityMonths: "12", active: true });
    expect(values.fields).toHaveLength(1);
    expect(withoutBlankRows(values).fields).toHaveLength(0);
  });
});
