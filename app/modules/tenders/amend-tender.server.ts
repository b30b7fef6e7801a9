import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { Language } from "#app/modules/i18n/i18n.ts";
import { queueEmail } from "#app/modules/notifications/queue-email.server.ts";
import { AppError } from "#app/utils/errors.ts";
import { formatInZone, zonedToInstant } from "#app/utils/time-zones.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import {
  type AmendmentChange,
  bids,
  bidVersions,
  type Tender,
  type TenderAmendment,
  tenderAmendments,
  tenders,
  users,
} from "#db/schema/index.ts";
import { scheduleProblem } from "./tender-rules.ts";

/**
 * Changing a published tender. Every change is an amendment anyone can read,
 * with each field's before and after. An amendment that lands within
 * `minDays` of the submission deadline moves the deadline so bidders keep at
 * least that long (and the opening with it); bidders who had already submitted
 * are told and must reconfirm before their bid counts. An extension (an
 * incident: the platform or the agency failed bidders) moves the dates only,
 * with a reason, and tells every bidder; it asks no reconfirmation.
 */

export interface AmendmentForm {
  titleAr?: string;
  titleEn?: string;
  descriptionAr?: string;
  descriptionEn?: string;
  enquiryDeadline?: string;
  submissionDeadline?: string;
  openingAt?: string;
}

const TEXT_FIELDS = ["titleAr", "titleEn", "descriptionAr", "descriptionEn"] as const;
const TIME_FIELDS = ["enquiryDeadline", "submissionDeadline", "openingAt"] as const;

export async function amendTender(
  input: {
    actor: Actor;
    tenderId: string;
    kind: "amendment" | "extension";
    reason: string;
    form: AmendmentForm;
    ip?: string | null;
    baseUrl?: string;
  },
  deps: { db: Db; minDays: number },
): Promise<TenderAmendment> {
  assertCan(input.actor, "tender:draft");
  const agencyId = input.actor.membership!.organisationId;
  const reason = input.reason.trim();
  if (reason.length < 5 || reason.length > 2000)
    throw new AppError("REASON_REQUIRED", {}, { field: "reason" });
  return deps.db.transaction(async (tx) => {
    const [tender] = await tx
      .select()
      .from(tenders)
      .where(and(eq(tenders.id, input.tenderId), eq(tenders.agencyId, agencyId)))
      .for("update");
    if (!tender) throw new AppError("NOT_FOUND");
    const [{ now }] = (await tx.execute(sql`select now() as now`)) as unknown as [{ now: Date }];
    const clock = new Date(now);
    // An amendment needs the tender still open; an extension may also come just after the deadline
    // (an outage in its last hour), as long as the bids were not opened.
    if (tender.status !== "published" || (input.kind === "amendment" && tender.submissionDeadline! <= clock))
      throw new AppError("TENDER_CLOSED");

    const next: Partial<Pick<Tender, (typeof TEXT_FIELDS)[number] | (typeof TIME_FIELDS)[number]>> = {};
    if (input.kind === "amendment")
      for (const field of TEXT_FIELDS) {
        const value = input.form[field]?.trim();
        if (value === undefined || value === tender[field]) continue;
        if ((field.startsWith("title") && value.length < 3) || value.length > 20_000)
          throw new AppError("VALIDATION", {}, { field });
        next[field] = value;
      }
    for (const field of TIME_FIELDS) {
      const text = input.form[field]?.trim();
      if (!text) continue;
      const instant = zonedToInstant(text, tender.timeZone);
      if (!instant) throw new AppError("VALIDATION", {}, { field });
      if (instant.getTime() !== tender[field]!.getTime()) next[field] = instant;
    }
    let submission = next.submissionDeadline ?? tender.submissionDeadline!;
    let opening = next.openingAt ?? tender.openingAt!;
    if (input.kind === "extension" && !(submission > tender.submissionDeadline!))
      throw new AppError("EXTENSION_NOT_LATER", {}, { field: "submissionDeadline" });
    // The rule: bidders keep at least minDays after an amendment.
    let movedByRule = false;
    const floor = new Date(clock.getTime() + deps.minDays * 86_400_000);
    if (input.kind === "amendment" && submission < floor) {
      const gap = opening.getTime() - submission.getTime();
      submission = floor;
      opening = new Date(Math.max(opening.getTime(), floor.getTime() + gap));
      next.submissionDeadline = submission;
      next.openingAt = opening;
      movedByRule = true;
    } else if (opening < submission) {
      opening = new Date(
        submission.getTime() + (tender.openingAt!.getTime() - tender.submissionDeadline!.getTime()),
      );
      next.openingAt = opening;
    }
    const problem =
      input.kind === "amendment"
        ? scheduleProblem({ ...tender, ...next }, clock)
        : submission <= clock
          ? "submission_in_past"
          : opening < submission
            ? "opening_before_submission"
            : null;
    if (problem) throw new AppError("SCHEDULE_INVALID", { problem }, { field: "submissionDeadline" });

    const show = (value: unknown) =>
      value instanceof Date ? formatInZone(value, tender.timeZone) : String(value ?? "");
    const changes: AmendmentChange[] = (Object.keys(next) as Array<keyof typeof next>).map((field) => ({
      field,
      before: show(tender[field]),
      after: show(next[field]),
    }));
    if (changes.length === 0) throw new AppError("NOTHING_CHANGED");

    await tx
      .update(tenders)
      .set({ ...next, updatedAt: new Date() })
      .where(eq(tenders.id, tender.id));
    const [{ number }] = (await tx.execute(
      sql`select coalesce(max(number), 0) + 1 as number from tender_amendments where tender_id = ${tender.id}`,
    )) as unknown as [{ number: number }];
    const [amendment] = await tx
      .insert(tenderAmendments)
      .values({
        tenderId: tender.id,
        number: Number(number),
        kind: input.kind,
        reason,
        changes,
        deadlineMovedByRule: movedByRule,
        createdBy: input.actor.type === "user" ? input.actor.userId : "",
      })
      .returning();

    // Who bid so far: told, and (for an amendment) asked to reconfirm.
    const current = await tx
      .select({ versionId: bidVersions.id, userId: bidVersions.submittedBy })
      .from(bidVersions)
      .innerJoin(bids, eq(bids.id, bidVersions.bidId))
      .where(and(eq(bids.tenderId, tender.id), eq(bidVersions.status, "submitted")));
    if (input.kind === "amendment" && current.length)
      await tx
        .update(bidVersions)
        .set({ reconfirmRequired: true })
        .where(
          inArray(
            bidVersions.id,
            current.map((c) => c.versionId),
          ),
        );
    const recipients = current.length
      ? await tx
          .select()
          .from(users)
          .where(inArray(users.id, [...new Set(current.map((c) => c.userId))]))
      : [];
    for (const user of recipients) {
      const language = (user.language === "en" ? "en" : "ar") as Language;
      await queueEmail(tx, {
        to: user.email,
        language,
        template: input.kind === "amendment" ? "tenderAmended" : "deadlineExtended",
        params: {
          name: user.displayName,
          reference: tender.reference,
          title: language === "ar" ? (next.titleAr ?? tender.titleAr) : (next.titleEn ?? tender.titleEn),
          deadline: formatInZone(submission, tender.timeZone),
          reason,
          link: `${input.baseUrl ?? ""}/tenders/${tender.id}/bid`,
        },
      });
    }
    await recordAudit(tx, {
      actorUserId: input.actor.type === "user" ? input.actor.userId : null,
      organisationId: agencyId,
      action: input.kind === "amendment" ? "tender.amended" : "tender.deadline_extended",
      objectType: "tender",
      objectId: tender.id,
      ip: input.ip ?? null,
      details: {
        number: amendment!.number,
        reason,
        changes,
        movedByRule,
        bidsToReconfirm: input.kind === "amendment" ? current.length : 0,
      },
    });
    return amendment!;
  });
}

/** Every amendment of a tender, newest first: public for public tenders. */
export function amendmentsOf(tenderId: string, db: Queryable): Promise<TenderAmendment[]> {
  return db
    .select()
    .from(tenderAmendments)
    .where(eq(tenderAmendments.tenderId, tenderId))
    .orderBy(desc(tenderAmendments.number));
}
