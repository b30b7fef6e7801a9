import { eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import type { Actor } from "#app/modules/accounts/actor.ts";
import type { Db } from "#db/client.server.ts";
import {
  bidPermitFlags,
  bids,
  emailOutbox,
  type Organisation,
  permitEvents,
  permits,
  tenders,
} from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createPermit, createPermitType } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { reinstatePermit, revokePermit, suspendPermit } from "./change-permit-status.server.ts";
import { permitFlagsOfTender, validPermitOf } from "./permit-eligibility.server.ts";

let db: Db;
let commerce: Organisation;
let works: Organisation;
let officer: Actor;
let officerUserId: string;

beforeAll(async () => {
  db = testDatabase().db;
  commerce = await createOrganisation(db, agencyData());
  works = await createOrganisation(db, agencyData());
  const user = await createUser(db, {
    memberships: [{ organisationId: commerce.id, roles: ["licensing_officer"] }],
  } as never);
  officerUserId = user.id;
  officer = actorOf(user, { organisationId: commerce.id, kind: "agency", roles: ["licensing_officer"] });
});

async function holderWithChain() {
  const holder = await createOrganisation(db, businessData());
  const owner = await createUser(db, {
    memberships: [{ organisationId: holder.id, roles: ["owner"] }],
  } as never);
  const licenceType = await createPermitType(db, commerce.id);
  const classType = await createPermitType(db, works.id, { parentTypeId: licenceType.id });
  const gradeType = await createPermitType(db, works.id, { parentTypeId: classType.id });
  const licence = await createPermit(db, {
    permitTypeId: licenceType.id,
    holderId: holder.id,
    issuedBy: officerUserId,
  });
  const classification = await createPermit(db, {
    permitTypeId: classType.id,
    holderId: holder.id,
    issuedBy: officerUserId,
    parentPermitId: licence.id,
  });
  const grade = await createPermit(db, {
    permitTypeId: gradeType.id,
    holderId: holder.id,
    issuedBy: officerUserId,
    parentPermitId: classification.id,
  });
  // An open tender that requires the classification, with the holder's submitted bid on it.
  const [tender] = await db
    .insert(tenders)
    .values({
      agencyId: works.id,
      reference: `T-${classType.code}`,
      titleAr: "صيانة طرق",
      titleEn: "Road maintenance",
      category: "works",
      currency: "KWD",
      timeZone: "Asia/Kuwait",
      status: "published",
      requiredPermitType: classType.code,
      enquiryDeadline: new Date(Date.now() + 86_400_000),
      submissionDeadline: new Date(Date.now() + 5 * 86_400_000),
      openingAt: new Date(Date.now() + 5 * 86_400_000),
      createdBy: officerUserId,
    })
    .returning();
  const [bid] = await db
    .insert(bids)
    .values({ tenderId: tender!.id, businessId: holder.id, status: "submitted", createdBy: owner.id })
    .returning();
  return { holder, owner, licence, classification, grade, classType, bid: bid! };
}

test("revoking a licence revokes the permits that stand on it, flags the holder's bids and tells the holder", async () => {
  const { holder, licence, classification, grade, classType, bid } = await holderWithChain();
  const result = await revokePermit(
    { actor: officer, permitId: licence.id, reason: "Forged registration documents." },
    db,
  );
  expect(result.permit.status).toBe("revoked");
  expect(result.cascaded.map((p) => p.id).sort()).toEqual([classification.id, grade.id].sort());
  for (const id of [classification.id, grade.id]) {
    const [row] = await db.select().from(permits).where(eq(permits.id, id));
    expect(row!.status).toBe("revoked");
    expect(row!.statusReason).toContain(licence.number);
    const [event] = await db.select().from(permitEvents).where(eq(permitEvents.permitId, id));
    expect(event).toMatchObject({ kind: "revoked", causedByPermitId: licence.id });
  }
  expect(result.flaggedBids).toBe(1);
  const flags = await db.select().from(bidPermitFlags).where(eq(bidPermitFlags.bidId, bid.id));
  expect(flags).toMatchObject([{ permitId: classification.id, permitStatus: "revoked" }]);
  // The tender's officers see it on their page.
  expect(await permitFlagsOfTender(bid.tenderId, db)).toMatchObject([
    { bidId: bid.id, permitNumber: classification.number, permitStatus: "revoked" },
  ]);
  expect(await validPermitOf({ holderId: holder.id, typeCode: classType.code }, db)).toBeNull();
  const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "permitRevoked"));
  expect(mails.filter((m) => m.body.includes(licence.number)).length).toBeGreaterThanOrEqual(1);
});

test("a suspension cascades, and lifting it lifts what it suspended (not what was suspended for another reason)", async () => {
  const { licence, classification, grade } = await holderWithChain();
  await suspendPermit({ actor: officer, permitId: licence.id, reason: "Unpaid municipal fees." }, db);
  expect((await db.select().from(permits).where(eq(permits.id, grade.id)))[0]!.status).toBe("suspended");
  // The grade is suspended again for its own reason by its agency: it stays suspended when the licence is lifted.
  await db
    .insert(permitEvents)
    .values({ permitId: grade.id, kind: "suspended", reason: "Site accident under investigation." });
  const lifted = await reinstatePermit({ actor: officer, permitId: licence.id, reason: "Fees paid." }, db);
  expect(lifted.permit.status).toBe("valid");
  expect(lifted.cascaded.map((p) => p.id)).toEqual([classification.id]);
  expect((await db.select().from(permits).where(eq(permits.id, grade.id)))[0]!.status).toBe("suspended");
});

test("only the issuing agency's licensing officers change a permit, with a reason, from a state that allows it", async () => {
  const { licence } = await holderWithChain();
  const other = await createUser(db, {
    memberships: [{ organisationId: works.id, roles: ["licensing_officer"] }],
  } as never);
  const stranger = actorOf(other, { organisationId: works.id, kind: "agency", roles: ["licensing_officer"] });
  await expect(
    revokePermit({ actor: stranger, permitId: licence.id, reason: "Because." }, db),
  ).rejects.toMatchObject({ code: "NOT_FOUND" });
  await expect(suspendPermit({ actor: officer, permitId: licence.id, reason: "" }, db)).rejects.toMatchObject(
    { code: "REASON_REQUIRED", status: 400 },
  );
  await expect(
    reinstatePermit({ actor: officer, permitId: licence.id, reason: "Nothing to lift." }, db),
  ).rejects.toMatchObject({
    code: "PERMIT_WRONG_STATUS",
    status: 409,
  });
  expect((await db.select().from(permits).where(eq(permits.id, licence.id)))[0]!.status).toBe("valid");
});
