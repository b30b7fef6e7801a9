import { expect, test } from "vitest";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { listAuditEvents } from "./list-audit-events.server.ts";
import { recordAudit } from "./record-audit.server.ts";

test("an agency admin sees only their agency's events; a business owner sees none; the platform admin sees all", async () => {
  const { db } = testDatabase();
  const works = await createOrganisation(db, agencyData());
  const capital = await createOrganisation(db, agencyData());
  const shop = await createOrganisation(db, businessData());
  const platform = await createOrganisation(db, {
    kind: "platform",
    slug: `p-${Date.now()}`,
    nameAr: "م",
    nameEn: "P",
    country: "KW",
    currency: "KWD",
    timeZone: "Asia/Kuwait",
  });
  await db.transaction(async (tx) => {
    await recordAudit(tx, { actorUserId: null, organisationId: works.id, action: "members.invited" });
    await recordAudit(tx, { actorUserId: null, organisationId: capital.id, action: "members.invited" });
    await recordAudit(tx, { actorUserId: null, action: "auth.sign_in_failed" });
  });
  const admin = (org: string, roles: string[], kind: "agency" | "business" | "platform") =>
    createUser(db).then((u) => actorOf(u, { organisationId: org, kind, roles } as never));

  const worksAdmin = await admin(works.id, ["agency_admin"], "agency");
  const seen = await listAuditEvents(worksAdmin, { page: 1 }, db);
  expect(seen.total).toBe(1);
  expect(seen.rows[0]!.action).toBe("members.invited");

  await expect(
    listAuditEvents(await admin(shop.id, ["owner"], "business"), { page: 1 }, db),
  ).rejects.toMatchObject({ code: "FORBIDDEN" });
  const all = await listAuditEvents(
    await admin(platform.id, ["platform_admin"], "platform"),
    { page: 1, action: "auth." },
    db,
  );
  expect(all.rows.map((r) => r.action)).toEqual(["auth.sign_in_failed"]);
});
