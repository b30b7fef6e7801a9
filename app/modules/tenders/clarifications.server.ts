import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { assertVerifiedBusiness } from "#app/modules/accounts/verified-business.server.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { isLanguage } from "#app/modules/i18n/i18n.ts";
import { queueEmail } from "#app/modules/notifications/queue-email.server.ts";
import { AppError } from "#app/utils/errors.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { clarifications, organisations, tenders, users } from "#db/schema/index.ts";

/**
 * Clarifications: a verified business asks about a published tender before
 * its enquiry deadline (by the database clock); a procurement officer of the
 * tender's agency answers, once; the answered pair is public. Who asked is
 * kept for the record and shown to the agency's officers, never to the public
 * or to other bidders.
 */

export const QUESTION_MIN = 10;
export const QUESTION_MAX = 4000;
export const ANSWER_MIN = 2;
export const ANSWER_MAX = 8000;

/** Tenders the public may see (and so their answered questions). */
const PUBLIC_STATUSES = ["published", "opened", "cancelled"] as const;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The language a question is written in: Arabic when it has more Arabic letters than Latin ones. */
export function languageOfText(text: string): "ar" | "en" {
  const arabic = text.match(/[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/g)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return arabic >= latin && arabic > 0 ? "ar" : "en";
}

/** A date in the agency's zone, kept left-to-right inside a sentence in either language. */
const deadlineText = (deadline: Date | null, zone: string) =>
  deadline ? `\u2066${formatInZone(deadline, zone)}\u2069` : "—";

/** A published tender as the questions page needs it, with whether enquiries are open now (database clock). */
export async function tenderForQuestions(tenderId: string, db: Queryable) {
  const [row] = await db
    .select({
      id: tenders.id,
      agencyId: tenders.agencyId,
      reference: tenders.reference,
      titleAr: tenders.titleAr,
      titleEn: tenders.titleEn,
      status: tenders.status,
      timeZone: tenders.timeZone,
      enquiryDeadline: tenders.enquiryDeadline,
      enquiriesOpen: sql<boolean>`(${tenders.status} = 'published' and now() < ${tenders.enquiryDeadline})`,
    })
    .from(tenders)
    .where(and(eq(tenders.id, tenderId), inArray(tenders.status, [...PUBLIC_STATUSES])));
  return row ?? null;
}

export async function askQuestion(
  input: { actor: Actor; tenderId: string; question: string; ip?: string | null },
  db: Db,
): Promise<{ id: string }> {
  const actor = input.actor;
  assertCan(actor, "bid:submit");
  await assertVerifiedBusiness(actor, db);
  const organisationId = actor.membership!.organisationId;
  const question = input.question.trim();
  if (question.length < QUESTION_MIN || question.length > QUESTION_MAX)
    throw new AppError("VALIDATION", { min: QUESTION_MIN, max: QUESTION_MAX }, { field: "question" });
  return db.transaction(async (tx) => {
    // The deadline is decided by the database clock, inside the transaction that stores the question;
    // the share lock keeps the tender from being cancelled or opened under us.
    const [tender] = await tx
      .select({
        id: tenders.id,
        status: tenders.status,
        timeZone: tenders.timeZone,
        enquiryDeadline: tenders.enquiryDeadline,
        open: sql<boolean>`coalesce(now() < ${tenders.enquiryDeadline}, false)`,
      })
      .from(tenders)
      .where(eq(tenders.id, input.tenderId))
      .for("share");
    if (!tender || !PUBLIC_STATUSES.includes(tender.status as never)) throw new AppError("NOT_FOUND");
    if (tender.status !== "published" || !tender.open)
      throw new AppError(
        "ENQUIRY_CLOSED",
        { deadline: deadlineText(tender.enquiryDeadline, tender.timeZone) },
        { field: "question" },
      );
    const [row] = await tx
      .insert(clarifications)
      .values({
        tenderId: tender.id,
        askedBy: actor.userId,
        askingOrganisationId: organisationId,
        question,
        questionLang: languageOfText(question),
      })
      .returning({ id: clarifications.id });
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId,
      action: "clarification.asked",
      objectType: "clarification",
      objectId: row!.id,
      ip: input.ip ?? null,
      details: { tenderId: tender.id, questionSha256: sha256(question) },
    });
    return { id: row!.id };
  });
}

/** The acting procurement officer's agency (checked in the database, like tender authoring). */
async function answeringAgency(actor: Actor, db: Queryable): Promise<{ agencyId: string; userId: string }> {
  assertCan(actor, "tender:answer");
  const agency = await db.query.organisations.findFirst({
    where: eq(organisations.id, actor.membership!.organisationId),
  });
  if (agency?.kind !== "agency") throw new AppError("FORBIDDEN");
  return { agencyId: agency.id, userId: actor.userId };
}

/**
 * Answer a question on one of the agency's tenders. The answer is published
 * with the question at once, and the asker is told by e-mail. Answered once:
 * a second answer is refused (a correction is a new clarification or an amendment).
 */
export async function answerQuestion(
  input: {
    actor: Actor;
    clarificationId: string;
    answer: string;
    ip?: string | null;
    /** Where the link in the e-mail points (PUBLIC_URL or the request's origin). */
    baseUrl?: string;
  },
  db: Db,
): Promise<{ tenderId: string }> {
  const officer = await answeringAgency(input.actor, db);
  const answer = input.answer.trim();
  if (answer.length < ANSWER_MIN || answer.length > ANSWER_MAX)
    throw new AppError("VALIDATION", { min: ANSWER_MIN, max: ANSWER_MAX }, { field: "answer" });
  return db.transaction(async (tx) => {
    // Another agency's question is simply not found.
    const [found] = await tx
      .select({
        id: clarifications.id,
        askedBy: clarifications.askedBy,
        answeredAt: clarifications.answeredAt,
        tenderId: tenders.id,
        reference: tenders.reference,
        titleAr: tenders.titleAr,
        titleEn: tenders.titleEn,
      })
      .from(clarifications)
      .innerJoin(tenders, eq(tenders.id, clarifications.tenderId))
      .where(and(eq(clarifications.id, input.clarificationId), eq(tenders.agencyId, officer.agencyId)))
      .for("update", { of: clarifications });
    if (!found) throw new AppError("NOT_FOUND");
    if (found.answeredAt) throw new AppError("ALREADY_ANSWERED", {}, { field: "answer" });
    await tx
      .update(clarifications)
      .set({ answer, answeredBy: officer.userId, answeredAt: sql`now()`, published: true })
      .where(eq(clarifications.id, found.id));
    const asker = await tx.query.users.findFirst({ where: eq(users.id, found.askedBy) });
    if (asker && !asker.disabledAt) {
      const language = isLanguage(asker.language) ? asker.language : "ar";
      await queueEmail(tx, {
        to: asker.email,
        language,
        template: "clarificationAnswered",
        params: {
          name: asker.displayName,
          reference: found.reference,
          title: language === "ar" ? found.titleAr : found.titleEn,
          link: `${input.baseUrl ?? ""}/tenders/${found.tenderId}/questions`,
        },
      });
    }
    await recordAudit(tx, {
      actorUserId: officer.userId,
      organisationId: officer.agencyId,
      action: "clarification.answered",
      objectType: "clarification",
      objectId: found.id,
      ip: input.ip ?? null,
      details: { tenderId: found.tenderId, answerSha256: sha256(answer) },
    });
    return { tenderId: found.tenderId };
  });
}

/**
 * The public questions and answers of a tender, in the order they were
 * published. Only the texts and times: never who asked or who answered.
 */
export async function publicClarifications(
  tenderId: string,
  db: Queryable,
): Promise<Array<{ question: string; answer: string; askedAt: Date; answeredAt: Date }>> {
  const rows = await db
    .select({
      question: clarifications.question,
      answer: clarifications.answer,
      askedAt: clarifications.askedAt,
      answeredAt: clarifications.answeredAt,
    })
    .from(clarifications)
    .innerJoin(tenders, eq(tenders.id, clarifications.tenderId))
    .where(
      and(
        eq(clarifications.tenderId, tenderId),
        eq(clarifications.published, true),
        inArray(tenders.status, [...PUBLIC_STATUSES]),
      ),
    )
    .orderBy(asc(clarifications.answeredAt), asc(clarifications.askedAt));
  return rows.map((r) => ({
    question: r.question,
    answer: r.answer!,
    askedAt: r.askedAt,
    answeredAt: r.answeredAt!,
  }));
}

/** Every question on one of the agency's tenders, answered or not, with the asking business's name (officers only). */
export async function officerClarifications(actor: Actor, tenderId: string, db: Queryable) {
  const officer = await answeringAgency(actor, db);
  const tender = await db.query.tenders.findFirst({
    where: and(eq(tenders.id, tenderId), eq(tenders.agencyId, officer.agencyId)),
    columns: { id: true },
  });
  if (!tender) throw new AppError("NOT_FOUND");
  return db
    .select({
      id: clarifications.id,
      question: clarifications.question,
      questionLang: clarifications.questionLang,
      askedAt: clarifications.askedAt,
      answer: clarifications.answer,
      answeredAt: clarifications.answeredAt,
      askerNameAr: organisations.nameAr,
      askerNameEn: organisations.nameEn,
    })
    .from(clarifications)
    .innerJoin(organisations, eq(organisations.id, clarifications.askingOrganisationId))
    .where(eq(clarifications.tenderId, tender.id))
    .orderBy(asc(clarifications.askedAt));
}

/** The acting business's own questions on a tender (whoever of its members asked), with their status. */
export async function myQuestions(actor: Actor, tenderId: string, db: Queryable) {
  assertCan(actor, "bid:submit");
  if (actor.membership?.kind !== "business") throw new AppError("FORBIDDEN");
  const rows = await db
    .select({
      id: clarifications.id,
      question: clarifications.question,
      askedAt: clarifications.askedAt,
      answer: clarifications.answer,
      answeredAt: clarifications.answeredAt,
    })
    .from(clarifications)
    .where(
      and(
        eq(clarifications.tenderId, tenderId),
        eq(clarifications.askingOrganisationId, actor.membership.organisationId),
      ),
    )
    .orderBy(asc(clarifications.askedAt));
  return rows.map((r) => ({ ...r, status: r.answeredAt ? ("answered" as const) : ("pending" as const) }));
}
