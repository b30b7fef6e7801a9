import { sql } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { loader as verifyPageLoader } from "#app/routes/verify.permit.$number.tsx";
import { type AppServices, servicesContext } from "#app/server/context.ts";
import type { Organisation, PermitType, User } from "#db/schema/index.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { addDays, createPermit, createPermitType, isoDate } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { verifyPermit } from "./verify-permit.server.ts";

const database = testDatabase();
const { db } = database;
let agency: Organisation;
let officer: User;

beforeAll(async () => {
  agency = await createOrganisation(db, agencyData());
  officer = await createUser(db, {
    memberships: [{ organisationId: agency.id, roles: ["licensing_officer"] }],
  });
});

async function permitOf(
  overrides: Parameters<typeof createPermit>[1] extends infer T ? Partial<T> : never = {},
) {
  const type: PermitType = await createPermitType(db, agency.id, {
    fields: [{ key: "plot", type: "text", labelAr: "القسيمة", labelEn: "Plot", required: true }],
  });
  const holder = await createOrganisation(db, businessData());
  const permit = await createPermit(db, {
    permitTypeId: type.id,
    holderId: holder.id,
    issuedBy: officer.id,
    fields: { plot: "SECRET-PLOT-77" },
    ...overrides,
  });
  return { type, holder, permit };
}

const json = (value: unknown) => JSON.stringify(value);

describe("verifyPermit", () => {
  test("shows the public facts of a valid permit, and nothing else", async () => {
    const { type, holder, permit } = await permitOf();
    const view = await verifyPermit(permit.number, db);
    expect(view).toEqual({
      number: permit.number,
      status: "valid",
      permitType: { code: type.code, nameAr: type.nameAr, nameEn: type.nameEn },
      agency: { nameAr: agency.nameAr, nameEn: agency.nameEn },
      holder: { nameAr: holder.nameAr, nameEn: holder.nameEn },
      validFrom: permit.validFrom,
      validUntil: permit.validUntil,
    });
    const text = json(view);
    for (const secret of [
      "SECRET-PLOT-77",
      holder.id,
      holder.registrationNumber!,
      holder.contactEmail!,
      officer.id,
      officer.email,
      officer.displayName,
      permit.applicationId,
      permit.id,
    ])
      expect(text).not.toContain(secret);
  });

  test("reads the number as typed: spaces around it and lower case", async () => {
    const { permit } = await permitOf();
    expect((await verifyPermit(`  ${permit.number.toLowerCase()} `, db))?.number).toBe(permit.number);
  });

  test("a valid permit whose validity ended reads as expired before the expiry job runs", async () => {
    const validUntil = addDays(isoDate(new Date()), -2);
    const { permit } = await permitOf({ validFrom: addDays(validUntil, -364), validUntil });
    expect(permit.status).toBe("valid");
    expect((await verifyPermit(permit.number, db))?.status).toBe("expired");
  });

  test("the status turns at expiresAt by the database clock", async () => {
    const { permit } = await permitOf();
    await db.execute(sql`update permits set expires_at = now() + interval '1 hour' where id = ${permit.id}`);
    expect((await verifyPermit(permit.number, db))?.status).toBe("valid");
    await db.execute(
      sql`update permits set expires_at = now() - interval '1 second' where id = ${permit.id}`,
    );
    expect((await verifyPermit(permit.number, db))?.status).toBe("expired");
  });

  test("suspended, revoked and expired permits say so, without the reason", async () => {
    for (const status of ["suspended", "revoked", "expired"] as const) {
      const { permit } = await permitOf({ status, statusReason: "CONFIDENTIAL REASON" });
      const view = await verifyPermit(permit.number, db);
      expect(view?.status).toBe(status);
      expect(json(view)).not.toContain("CONFIDENTIAL");
    }
  });

  test("an unknown number and a malformed one get the same answer, also from the page", async () => {
    const context = new RouterContextProvider();
    context.set(i18nContext, { lang: "en", t: createI18n("en").t });
    context.set(servicesContext, { database } as unknown as AppServices);
    const ask = async (number: string) => {
      const answer = (await verifyPageLoader({
        params: { number },
        context,
        request: new Request(`http://localhost/verify/permit/${encodeURIComponent(number)}`),
      } as unknown as Parameters<typeof verifyPageLoader>[0])) as unknown as {
        data: unknown;
        init: { status: number } | null;
      };
      return { status: answer.init?.status, body: json(answer.data) };
    };

    const unknown = await ask("ZZZ-QQ-2026-999999");
    expect(unknown.status).toBe(404);
    expect(unknown.body).not.toContain("ZZZ");
    expect(unknown.body).not.toContain("999999");
    for (const malformed of ["nonsense!", "ZZZ--QQ", "<script>", "x".repeat(500), " ", "ZZZ QQ 2026"]) {
      expect(await verifyPermit(malformed, db)).toBeNull();
      expect(await ask(malformed)).toEqual(unknown);
    }

    // And a known number is a 200 with its page.
    const { permit } = await permitOf();
    const found = await verifyPageLoader({
      params: { number: permit.number },
      context,
      request: new Request(`http://localhost/verify/permit/${permit.number}`),
    } as unknown as Parameters<typeof verifyPageLoader>[0]);
    expect(found).toMatchObject({ permit: { number: permit.number, status: "valid" } });
  });
});
