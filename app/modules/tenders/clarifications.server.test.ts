import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { ANONYMOUS } from "#app/modules/accounts/actor.ts";
import {
  auditEvents,
  clarifications,
  emailOutbox,
  type Organisation,
  tenders,
  type User,
} from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import {
  answerQuestion,
  askQuestion,
  languageOfText,
  myQuestions,
  officerClarifications,
  publicClarifications,
} from "./clarifications.server.ts";

const { db } = testDatabase();

let agency: Organisation;
let firm: Organisation;
let otherFirm: Organisation;
let officerUser: User;
let askerUser: User;
let officer: ReturnType<typeof actorOf>;
let rivalOfficer: ReturnType<typeof actorOf>;
let asker: ReturnType<typeof actorOf>;
let otherAsker: ReturnType<typeof actorOf>;
let finance: ReturnType<typeof actorOf>;
let unverified: ReturnType<typeof actorOf>;

const QUESTION = "هل يشمل نطاق الأعمال صيانة الإنارة في المنطقة الأولى؟";
const ANSWER = "نعم، يشمل النطاق صيانة الإنارة، كما هو مبين في البند 3.2 من كراسة الشروط.";

beforeAll(async () => {
  agency = await createOrganisation(db, agencyData({ timeZone: "Asia/Kuwait" }));
  const rivalAgency = await createOrganisation(db, agencyData());
  firm = await createOrganisation(
    db,
    businessData({ nameEn: "Al Noor Contracting", nameAr: "النور للمقاولات" }),
  );
  otherFirm = await createOrganisation(db, businessData());
  const pending = await createOrganisation(db, businessData({ verification: "pending" }));
  officerUser = await createUser(db, {
    memberships: [{ organisationId: agency.id, roles: ["procurement_officer"] }],
  });
  officer = actorOf(officerUser, {
    organisationId: agency.id,
    kind: "agency",
    roles: ["procurement_officer"],
  });
  rivalOfficer = actorOf(await createUser(db), {
    organisationId: rivalAgency.id,
    kind: "agency",
    roles: ["procurement_officer"],
  });
  askerUser = await createUser(db, { displayName: "Huda Asker", language: "en" });
  asker = actorOf(askerUser, { organisationId: firm.id, kind: "business", roles: ["bidder"] });
  otherAsker = actorOf(await createUser(db), {
    organisationId: otherFirm.id,
    kind: "business",
    roles: ["owner"],
  });
  finance = actorOf(await createUser(db), { organisationId: firm.id, kind: "business", roles: ["finance"] });
  unverified = actorOf(await createUser(db), {
    organisationId: pending.id,
    kind: "business",
    roles: ["owner"],
  });
});

/** A tender inserted as it stands after publication, with its enquiry deadline `enquiryInSeconds` from now. */
async function publishedTender({
  enquiryInSeconds = 5 * 86_400,
  status = "published",
}: {
  enquiryInSeconds?: number;
  status?: "draft" | "published" | "cancelled";
} = {}) {
  const now = Date.now();
  const [tender] = await db
    .insert(tenders)
    .values({
      agencyId: agency.id,
      reference: `MOPW-2026-${randomBytes(3).toString("hex")}`,
      titleAr: "صيانة الطرق",
      titleEn: "Road maintenance",
      category: "works",
      currency: "KWD",
      timeZone: "Asia/Kuwait",
      enquiryDeadline: new Date(now + enquiryInSeconds * 1000),
      submissionDeadline: new Date(now + 10 * 86_400_000),
      openingAt: new Date(now + 10 * 86_400_000 + 3_600_000),
      status,
      createdBy: officerUser.id,
      publishedAt: status === "published" ? new Date() : null,
    })
    .returning();
  return tender!;
}

const storedFor = (tenderId: string) =>
  db.select().from(clarifications).where(eq(clarifications.tenderId, tenderId));

describe("asking", () => {
  test("a verified business asks before the enquiry deadline: stored, attributed and audited", async () => {
    const tender = await publishedTender();
    const { id } = await askQuestion({ actor: asker, tenderId: tender.id, question: `  ${QUESTION}  ` }, db);
    const [row] = await storedFor(tender.id);
    expect(row).toMatchObject({
      id,
      askedBy: askerUser.id,
      askingOrganisationId: firm.id,
      question: QUESTION,
      questionLang: "ar",
      answer: null,
      published: false,
    });
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "clarification.asked"), eq(auditEvents.objectId, id)));
    expect(event).toMatchObject({ actorUserId: askerUser.id, organisationId: firm.id });
  });

  test("after the enquiry deadline the question is refused, with the deadline in the agency's zone, and nothing is stored", async () => {
    const tender = await publishedTender({ enquiryInSeconds: -1 });
    const refused = askQuestion({ actor: asker, tenderId: tender.id, question: QUESTION }, db);
    await expect(refused).rejects.toMatchObject({ code: "ENQUIRY_CLOSED", status: 409 });
    await refused.catch((e) => expect(String(e.params.deadline)).toContain("(Asia/Kuwait)"));
    expect(await storedFor(tender.id)).toEqual([]);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.action, "clarification.asked"));
    expect(events.every((e) => (e.details as { tenderId?: string }).tenderId !== tender.id)).toBe(true);
  });

  test("a cancelled tender takes no questions; a draft is not found", async () => {
    const cancelled = await publishedTender({ status: "cancelled" });
    await expect(
      askQuestion({ actor: asker, tenderId: cancelled.id, question: QUESTION }, db),
    ).rejects.toMatchObject({ code: "ENQUIRY_CLOSED" });
    const draft = await publishedTender({ status: "draft" });
    await expect(
      askQuestion({ actor: asker, tenderId: draft.id, question: QUESTION }, db),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("only verified businesses, and only members who may bid, ask", async () => {
    const tender = await publishedTender();
    const ask = (actor: Parameters<typeof askQuestion>[0]["actor"]) =>
      askQuestion({ actor, tenderId: tender.id, question: QUESTION }, db);
    await expect(ask(unverified)).rejects.toMatchObject({ code: "BUSINESS_NOT_VERIFIED" });
    await expect(ask(finance)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(ask(officer)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(ask(ANONYMOUS)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await storedFor(tender.id)).toEqual([]);
  });

  test("a question is 10 to 4000 characters", async () => {
    const tender = await publishedTender();
    for (const question of ["قصير", "x".repeat(4001)])
      await expect(askQuestion({ actor: asker, tenderId: tender.id, question }, db)).rejects.toMatchObject({
        code: "VALIDATION",
        field: "question",
      });
  });

  test("the language of a question is read from its letters", () => {
    expect(languageOfText(QUESTION)).toBe("ar");
    expect(languageOfText("Is lighting maintenance in scope (item 3.2)?")).toBe("en");
    expect(languageOfText("هل البند 3.2 يشمل LED؟")).toBe("ar");
  });
});

describe("answering", () => {
  test("an officer of another agency cannot see or answer the question", async () => {
    const tender = await publishedTender();
    const { id } = await askQuestion({ actor: asker, tenderId: tender.id, question: QUESTION }, db);
    await expect(
      answerQuestion({ actor: rivalOfficer, clarificationId: id, answer: ANSWER }, db),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(officerClarifications(rivalOfficer, tender.id, db)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      answerQuestion({ actor: asker, clarificationId: id, answer: ANSWER }, db),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const [row] = await storedFor(tender.id);
    expect(row).toMatchObject({ answer: null, published: false });
  });

  test("a question is answered once; the answer is published and audited", async () => {
    const tender = await publishedTender();
    const { id } = await askQuestion({ actor: asker, tenderId: tender.id, question: QUESTION }, db);
    await answerQuestion({ actor: officer, clarificationId: id, answer: ANSWER }, db);
    await expect(
      answerQuestion({ actor: officer, clarificationId: id, answer: "A different answer" }, db),
    ).rejects.toMatchObject({ code: "ALREADY_ANSWERED", status: 409 });
    const [row] = await storedFor(tender.id);
    expect(row).toMatchObject({ answer: ANSWER, answeredBy: officerUser.id, published: true });
    expect(row!.answeredAt).toBeInstanceOf(Date);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "clarification.answered"), eq(auditEvents.objectId, id)));
    expect(event).toMatchObject({ actorUserId: officerUser.id, organisationId: agency.id });
  });

  test("an answer is 2 to 8000 characters", async () => {
    const tender = await publishedTender();
    const { id } = await askQuestion({ actor: asker, tenderId: tender.id, question: QUESTION }, db);
    for (const answer of [" ن ", "x".repeat(8001)])
      await expect(answerQuestion({ actor: officer, clarificationId: id, answer }, db)).rejects.toMatchObject(
        {
          code: "VALIDATION",
          field: "answer",
        },
      );
  });

  test("the asker is told by e-mail, in their language, with a link to the answers", async () => {
    const tender = await publishedTender();
    const { id } = await askQuestion({ actor: asker, tenderId: tender.id, question: QUESTION }, db);
    await answerQuestion(
      { actor: officer, clarificationId: id, answer: ANSWER, baseUrl: "https://shafaf.example" },
      db,
    );
    const mail = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, askerUser.email));
    const forTender = mail.filter((m) => m.subject.includes(tender.reference));
    expect(forTender).toHaveLength(1);
    expect(forTender[0]).toMatchObject({ template: "clarificationAnswered", language: "en" });
    expect(forTender[0]!.body).toContain(`https://shafaf.example/tenders/${tender.id}/questions`);
    expect(forTender[0]!.body).toContain("Huda Asker");
  });
});

describe("reading", () => {
  test("the public sees answered questions only, with no trace of who asked or answered", async () => {
    const tender = await publishedTender();
    const first = await askQuestion({ actor: asker, tenderId: tender.id, question: QUESTION }, db);
    await askQuestion(
      { actor: otherAsker, tenderId: tender.id, question: "Is a site visit compulsory?" },
      db,
    );
    await answerQuestion({ actor: officer, clarificationId: first.id, answer: ANSWER }, db);

    const published = await publicClarifications(tender.id, db);
    expect(published).toHaveLength(1);
    expect(Object.keys(published[0]!).sort()).toEqual(["answer", "answeredAt", "askedAt", "question"]);
    expect(published[0]).toMatchObject({ question: QUESTION, answer: ANSWER });
    const json = JSON.stringify(published);
    for (const secret of [
      first.id,
      askerUser.id,
      askerUser.email,
      askerUser.displayName,
      firm.id,
      firm.nameAr,
      firm.nameEn,
      officerUser.id,
      officerUser.email,
    ])
      expect(json).not.toContain(secret);
  });

  test("a draft's questions are never public", async () => {
    const tender = await publishedTender();
    const { id } = await askQuestion({ actor: asker, tenderId: tender.id, question: QUESTION }, db);
    await answerQuestion({ actor: officer, clarificationId: id, answer: ANSWER }, db);
    await db.update(tenders).set({ status: "draft" }).where(eq(tenders.id, tender.id));
    expect(await publicClarifications(tender.id, db)).toEqual([]);
  });

  test("officers see every question with the asking business; a business sees only its own", async () => {
    const tender = await publishedTender();
    const mine = await askQuestion({ actor: asker, tenderId: tender.id, question: QUESTION }, db);
    await askQuestion(
      { actor: otherAsker, tenderId: tender.id, question: "Is a site visit compulsory?" },
      db,
    );
    await answerQuestion({ actor: officer, clarificationId: mine.id, answer: ANSWER }, db);

    const all = await officerClarifications(officer, tender.id, db);
    expect(all).toHaveLength(2);
    expect(all.find((q) => q.id === mine.id)).toMatchObject({ askerNameEn: firm.nameEn, answer: ANSWER });
    expect(all.filter((q) => q.answeredAt === null)).toHaveLength(1);

    const own = await myQuestions(asker, tender.id, db);
    expect(own).toEqual([expect.objectContaining({ id: mine.id, status: "answered", answer: ANSWER })]);
    const theirs = await myQuestions(otherAsker, tender.id, db);
    expect(theirs).toEqual([expect.objectContaining({ status: "pending", answer: null })]);
    await expect(myQuestions(officer, tender.id, db)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
