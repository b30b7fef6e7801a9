import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { cpvLabel, unitName } from "#app/modules/tenders/classifications.server.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  clarifications,
  organisations,
  storedFiles,
  tenderAmendments,
  tenderDocuments,
  tenderItems,
  tenderLots,
  tenderOpenings,
  tenders,
} from "#db/schema/index.ts";
import type { TenderProcess } from "./tender-process.ts";

/**
 * Tenders whose process is public. A draft or a tender awaiting approval is
 * never read here; a cancelled one stays public with what it had published.
 */
export const PUBLIC_TENDER_STATUSES = ["published", "opened", "cancelled"] as const;

/**
 * Read the public part of these tenders' processes, keyed by tender id
 * (unknown or non-public ids are simply absent). Nothing sealed is read: no
 * bids, and the opening's record only once the opening is confirmed — and of
 * that record only who bid, never a price.
 */
export async function loadTenderProcesses(
  tenderIds: readonly string[],
  db: Queryable,
): Promise<Map<string, TenderProcess>> {
  const ids = [...new Set(tenderIds)];
  const out = new Map<string, TenderProcess>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ tender: tenders, buyer: organisations })
    .from(tenders)
    .innerJoin(organisations, eq(organisations.id, tenders.agencyId))
    .where(
      and(
        inArray(tenders.id, ids),
        inArray(tenders.status, [...PUBLIC_TENDER_STATUSES]),
        isNotNull(tenders.publishedAt),
      ),
    );
  if (rows.length === 0) return out;
  const found = rows.map((r) => r.tender.id);

  const [lots, items, documents, amendments, enquiries, openings] = await Promise.all([
    db.select().from(tenderLots).where(inArray(tenderLots.tenderId, found)).orderBy(asc(tenderLots.number)),
    db
      .select({ item: tenderItems, tenderId: tenderLots.tenderId })
      .from(tenderItems)
      .innerJoin(tenderLots, eq(tenderLots.id, tenderItems.lotId))
      .where(inArray(tenderLots.tenderId, found))
      .orderBy(asc(tenderItems.descriptionEn), asc(tenderItems.id)),
    db
      .select({
        id: tenderDocuments.id,
        tenderId: tenderDocuments.tenderId,
        title: tenderDocuments.title,
        version: tenderDocuments.version,
        sha256: tenderDocuments.sha256,
        mediaType: storedFiles.mediaType,
        createdAt: tenderDocuments.createdAt,
      })
      .from(tenderDocuments)
      .innerJoin(storedFiles, eq(storedFiles.id, tenderDocuments.fileId))
      .where(inArray(tenderDocuments.tenderId, found))
      .orderBy(asc(tenderDocuments.createdAt), asc(tenderDocuments.id)),
    db
      .select()
      .from(tenderAmendments)
      .where(inArray(tenderAmendments.tenderId, found))
      .orderBy(asc(tenderAmendments.number)),
    db
      .select({
        id: clarifications.id,
        tenderId: clarifications.tenderId,
        question: clarifications.question,
        answer: clarifications.answer,
        askedAt: clarifications.askedAt,
        answeredAt: clarifications.answeredAt,
      })
      .from(clarifications)
      .where(
        and(
          inArray(clarifications.tenderId, found),
          eq(clarifications.published, true),
          isNotNull(clarifications.answer),
          isNotNull(clarifications.answeredAt),
        ),
      )
      .orderBy(asc(clarifications.answeredAt), asc(clarifications.id)),
    db
      .select({
        tenderId: tenderOpenings.tenderId,
        confirmedAt: tenderOpenings.confirmedAt,
        record: tenderOpenings.record,
      })
      .from(tenderOpenings)
      .where(and(inArray(tenderOpenings.tenderId, found), isNotNull(tenderOpenings.confirmedAt))),
  ]);

  const bidderIds = [...new Set(openings.flatMap((o) => (o.record ?? []).map((e) => e.businessId)))];
  const countries = new Map(
    bidderIds.length
      ? (
          await db
            .select({ id: organisations.id, country: organisations.country })
            .from(organisations)
            .where(inArray(organisations.id, bidderIds))
        ).map((o) => [o.id, o.country])
      : [],
  );

  for (const { tender: t, buyer } of rows) {
    const opening = openings.find((o) => o.tenderId === t.id);
    const tenderers = new Map<string, NonNullable<TenderProcess["opening"]>["tenderers"][number]>();
    for (const entry of opening?.record ?? [])
      tenderers.set(entry.businessId, {
        id: entry.businessId,
        nameAr: entry.businessNameAr,
        nameEn: entry.businessNameEn,
        country: countries.get(entry.businessId) ?? buyer.country,
      });
    out.set(t.id, {
      tender: {
        id: t.id,
        reference: t.reference,
        titleAr: t.titleAr,
        titleEn: t.titleEn,
        descriptionAr: t.descriptionAr,
        descriptionEn: t.descriptionEn,
        method: t.method,
        category: t.category,
        cpv: t.cpvCodes.map((code) => ({ code, label: cpvLabel(code, "en")?.label ?? null })),
        currency: t.currency,
        estimatedValue: t.estimatedValue,
        criteria: t.criteria,
        requireVerified: t.requireVerified,
        timeZone: t.timeZone,
        // Published tenders have all three (a check constraint of the table).
        enquiryDeadline: t.enquiryDeadline!,
        submissionDeadline: t.submissionDeadline!,
        openingAt: t.openingAt!,
        publishedAt: t.publishedAt!,
      },
      buyer: { id: buyer.id, nameAr: buyer.nameAr, nameEn: buyer.nameEn, country: buyer.country },
      lots: lots
        .filter((l) => l.tenderId === t.id)
        .map((l) => ({
          id: l.id,
          number: l.number,
          titleAr: l.titleAr,
          titleEn: l.titleEn,
          estimatedValue: l.estimatedValue,
          items: items
            .filter((i) => i.item.lotId === l.id)
            .map(({ item }) => ({
              id: item.id,
              descriptionAr: item.descriptionAr,
              descriptionEn: item.descriptionEn,
              quantity: item.quantity,
              unit: {
                code: item.unit,
                nameEn: unitName(item.unit, "en")?.label ?? null,
                nameAr: unitName(item.unit, "ar")?.lang === "ar" ? unitName(item.unit, "ar")!.label : null,
              },
            })),
        })),
      documents: documents.filter((d) => d.tenderId === t.id).map(({ tenderId: _, ...d }) => d),
      amendments: amendments
        .filter((a) => a.tenderId === t.id)
        .map((a) => ({
          id: a.id,
          number: a.number,
          kind: a.kind,
          reason: a.reason,
          changes: a.changes,
          deadlineMovedByRule: a.deadlineMovedByRule,
          createdAt: a.createdAt,
        })),
      enquiries: enquiries
        .filter((e) => e.tenderId === t.id)
        .map((e) => ({
          id: e.id,
          question: e.question,
          answer: e.answer!,
          askedAt: e.askedAt,
          answeredAt: e.answeredAt!,
        })),
      opening:
        opening?.confirmedAt && opening.record
          ? { confirmedAt: opening.confirmedAt, tenderers: [...tenderers.values()] }
          : null,
    });
  }
  return out;
}
