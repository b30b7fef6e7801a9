import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { emailOutbox, invitations } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { createAgency } from "./create-agency.server.ts";
import { assertVerifiedBusiness } from "./verified-business.server.ts";

const { db } = testDatabase();

test("the platform admin creates an agency and its first administrator is invited; nobody else may", async () => {
  const platform = await createOrganisation(db, {
    kind: "platform",
    slug: "pl-agency-test",
    nameAr: "م",
    nameEn: "P",
    country: "KW",
    currency: "KWD",
    timeZone: "Asia/Kuwait",
  });
  const admin = actorOf(await createUser(db), {
    organisationId: platform.id,
    kind: "platform",
    roles: ["platform_admin"],
  });
  const agency = await createAgency(
    {
      actor: admin,
      nameAr: "وزارة الصحة",
      nameEn: "Ministry of Health",
      country: "OM",
      adminEmail: "head@health.gov.test",
      language: "ar",
      baseUrl: "https://x.test",
      ip: null,
    },
    db,
  );
  expect(agency).toMatchObject({ kind: "agency", currency: "OMR", timeZone: "Asia/Muscat" });
  const [invite] = await db.select().from(invitations).where(eq(invitations.organisationId, agency.id));
  expect(invite).toMatchObject({ email: "head@health.gov.test", roles: ["agency_admin"] });
  const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, "head@health.gov.test"));
  expect(mail?.subject).toContain("وزارة الصحة");

  const shop = await createOrganisation(db, businessData());
  const owner = actorOf(await createUser(db), {
    organisationId: shop.id,
    kind: "business",
    roles: ["owner"],
  });
  await expect(
    createAgency(
      {
        actor: owner,
        nameAr: "س",
        nameEn: "X",
        country: "KW",
        adminEmail: "a@b.test",
        language: "en",
        baseUrl: "https://x.test",
        ip: null,
      },
      db,
    ),
  ).rejects.toMatchObject({ code: "FORBIDDEN" });
});

test("an unverified business can prepare but not submit", async () => {
  const pending = await createOrganisation(db, businessData({ verification: "pending" }));
  const verified = await createOrganisation(db, businessData());
  const user = await createUser(db);
  await expect(
    assertVerifiedBusiness(
      actorOf(user, { organisationId: pending.id, kind: "business", roles: ["owner"] }),
      db,
    ),
  ).rejects.toMatchObject({
    code: "BUSINESS_NOT_VERIFIED",
    status: 403,
  });
  await expect(
    assertVerifiedBusiness(
      actorOf(user, { organisationId: verified.id, kind: "business", roles: ["bidder"] }),
      db,
    ),
  ).resolves.toBeUndefined();
});
