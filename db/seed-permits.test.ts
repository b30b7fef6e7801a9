import { expect, test } from "vitest";
import { listPublicPermitTypes } from "#app/modules/permits/permit-catalogue.server.ts";
import { checkPermitTypeForm, valuesOfType } from "#app/modules/permits/permit-type-form.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { seedDemoData } from "./seed.ts";
import { DEMO_PERMIT_CODES, seedDemoPermitTypes } from "./seed-permits.ts";

test("the demo catalogue: every type in both agencies, each with its fee, parents across agencies, editable as seeded", async () => {
  const { db } = testDatabase();
  await seedDemoData(db, testSealingKeys());
  const types = await listPublicPermitTypes(db);
  const byCode = new Map(types.map((e) => [e.type.code, e]));
  for (const code of Object.values(DEMO_PERMIT_CODES)) expect(byCode.has(code), code).toBe(true);
  expect(new Set(types.map((e) => e.agency.currency))).toEqual(new Set(["KWD", "SAR"]));
  for (const entry of types) {
    expect(entry.fee, entry.type.code).not.toBeNull();
    expect(entry.fee!.currency).toBe(entry.agency.currency);
    // What the admin page would load saves back unchanged.
    expect(
      checkPermitTypeForm(valuesOfType(entry.type, entry.parent?.code ?? null), "update").ok,
      entry.type.code,
    ).toBe(true);
  }
  const classification = byCode.get(DEMO_PERMIT_CODES.contractorClassification)!;
  expect(classification.parent?.code).toBe(DEMO_PERMIT_CODES.commercialLicence);
  expect(classification.agency.id).not.toBe(classification.parent!.agencyId);
  expect(byCode.get(DEMO_PERMIT_CODES.buildingPermit)!.type).toMatchObject({
    inspectionRequired: true,
    secondApprovalRequired: true,
  });
  expect(byCode.get(DEMO_PERMIT_CODES.foodEstablishment)!.type.inspectionRequired).toBe(true);
  // Fees already on the schedule are kept (the demo payments were for these amounts).
  expect(byCode.get(DEMO_PERMIT_CODES.commercialLicence)!.fee!.amount).toBe(75_000n);
  // Running it again adds nothing.
  expect(await seedDemoPermitTypes(db)).toBe(0);
});
