import { and, asc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import { cpvLabel, unitName } from "#app/modules/tenders/classifications.server.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  awards,
  clarifications,
  contractAmendments,
  contractInvoices,
  contractMilestones,
  contracts,
  organisations,
  storedFiles,
  tenderAmendments,
  tenderDocuments,
  tenderItems,
  tenderLots,
  tenderOpenings,
  tenders,
} from "#db/schema/index.ts";
import { AWARD_SUSPENSIONS } from "./award-suspensions.server.ts";
import type { ProcessAward, ProcessContract, TenderProcess } from "./tender-process.ts";

/**
 * Tenders whose process is public. A draft or a tender awaiting approval is
 * never read here; a cancelled one stays public with what it had published.
 */
export const PUBLIC_TENDER_STATUSES = ["published", "opened", "cancelled"] as const;

/**
 * Read the public part of these tenders' processes, keyed by tender id
 * (unknown or non-public ids are simply absent). Nothing sealed is read: no
 * bids, and the opening's record only once the opening is confirmed — and of
 * that record only who bid, never a price. Of the later stages: the awards
 * whose notice was published (the winner's price only), the periods
 * complaints suspended them (times only), the signed contracts with their
 * amendments after the signature, milestones and the payments the agency made.
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

  const later = await loadAwardsAndContracts(found, db);
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
          cancellation:
            l.cancelledAt && l.cancelReason ? { at: l.cancelledAt, reason: l.cancelReason } : null,
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
      cancellation: t.cancelledAt && t.cancelReason ? { at: t.cancelledAt, reason: t.cancelReason } : null,
      awards: (later.awards.get(t.id) ?? []).map((a) => noticeAfterOpening(a, opening?.confirmedAt ?? null)),
      contracts: later.contracts.get(t.id) ?? [],
    });
  }
  return out;
}

/**
 * An award's notice is never dated before the confirmed opening: it cannot be
 * in real life (the award comes from the evaluation of the opened bids), and
 * nothing about bidders may be public before the opening, so test and demo
 * data that back-date a notice by seconds (tests/factories/contracts.ts
 * endStandstill) are read at the opening. The release list does the same.
 */
function noticeAfterOpening(a: ProcessAward, openedAt: Date | null): ProcessAward {
  if (!openedAt || a.noticePublishedAt.getTime() >= openedAt.getTime()) return a;
  return { ...a, noticePublishedAt: openedAt };
}

const groupBy = <T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> => {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
};

/**
 * The awards whose notice was published and the signed contracts of these
 * (public) tenders, by tender id. An award counts once its notice is out —
 * the public-awards rule (app/modules/awards/public-awards.server.ts) — and a
 * cancelled one stays: its notice was public, and the open data shows it
 * cancelled. A contract counts once signed.
 */
async function loadAwardsAndContracts(
  tenderIds: string[],
  db: Queryable,
): Promise<{ awards: Map<string, ProcessAward[]>; contracts: Map<string, ProcessContract[]> }> {
  const [awardRows, periods, contractRows] = await Promise.all([
    db
      .select({ award: awards, supplier: organisations })
      .from(awards)
      .innerJoin(organisations, eq(organisations.id, awards.businessId))
      .where(and(inArray(awards.tenderId, tenderIds), isNotNull(awards.noticePublishedAt)))
      .orderBy(asc(awards.noticePublishedAt), asc(awards.id)),
    db.execute(sql`
      select s.award_id, s.n, s.reinstated,
        to_char(date_trunc('milliseconds', s.started_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as started_at,
        to_char(date_trunc('milliseconds', s.ended_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ended_at
      from (${AWARD_SUSPENSIONS}) s
      where s.tender_id in (${sql.join(
        tenderIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      order by s.award_id, s.n`),
    db
      .select()
      .from(contracts)
      .where(and(inArray(contracts.tenderId, tenderIds), eq(contracts.status, "signed")))
      .orderBy(asc(contracts.signedAt), asc(contracts.id)),
  ]);
  const suspensionsOf = groupBy(
    periods as unknown as Array<{
      award_id: string;
      n: number;
      started_at: string;
      ended_at: string | null;
      reinstated: boolean;
    }>,
    (r) => r.award_id,
  );
  const byTender = new Map<string, ProcessAward[]>();
  for (const { award: a, supplier } of awardRows) {
    const list = byTender.get(a.tenderId) ?? [];
    list.push({
      id: a.id,
      lotId: a.tenderLotId,
      supplier: {
        id: supplier.id,
        nameAr: supplier.nameAr,
        nameEn: supplier.nameEn,
        country: supplier.country,
      },
      price: a.price,
      currency: a.currency,
      decidedAt: a.decidedAt ?? a.noticePublishedAt!,
      noticePublishedAt: a.noticePublishedAt!,
      suspensions: (suspensionsOf.get(a.id) ?? []).map((r) => ({
        number: Number(r.n),
        startedAt: new Date(r.started_at),
        reinstatedAt: r.reinstated && r.ended_at ? new Date(r.ended_at) : null,
      })),
      cancelledAt: a.cancelledAt,
    });
    byTender.set(a.tenderId, list);
  }

  const contractsByTender = new Map<string, ProcessContract[]>();
  if (contractRows.length === 0) return { awards: byTender, contracts: contractsByTender };
  const ids = contractRows.map((c) => c.id);
  const [milestones, amendments, paid] = await Promise.all([
    db
      .select()
      .from(contractMilestones)
      .where(inArray(contractMilestones.contractId, ids))
      .orderBy(asc(contractMilestones.position)),
    db
      .select({ amendment: contractAmendments })
      .from(contractAmendments)
      .innerJoin(contracts, eq(contracts.id, contractAmendments.contractId))
      .where(
        and(
          inArray(contractAmendments.contractId, ids),
          // Only amendments of the contract in force; those before the signature made the signed terms.
          gt(
            sql`date_trunc('milliseconds', ${contractAmendments.createdAt})`,
            sql`date_trunc('milliseconds', ${contracts.signedAt})`,
          ),
        ),
      )
      .orderBy(asc(contractAmendments.version)),
    db
      .select({
        id: contractInvoices.id,
        contractId: contractInvoices.contractId,
        milestoneId: contractInvoices.milestoneId,
        amount: contractInvoices.amount,
        currency: contractInvoices.currency,
        paidAt: contractInvoices.paidAt,
      })
      .from(contractInvoices)
      .where(
        and(
          inArray(contractInvoices.contractId, ids),
          eq(contractInvoices.status, "paid"),
          isNotNull(contractInvoices.paidAt),
        ),
      )
      .orderBy(asc(contractInvoices.paidAt), asc(contractInvoices.id)),
  ]);
  for (const c of contractRows) {
    const list = contractsByTender.get(c.tenderId) ?? [];
    list.push({
      id: c.id,
      reference: c.reference,
      awardId: c.awardId,
      lotId: c.tenderLotId,
      supplierId: c.businessId,
      currency: c.currency,
      value: c.value,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      signedAt: c.signedAt!,
      milestones: milestones
        .filter((m) => m.contractId === c.id)
        .map((m) => ({
          id: m.id,
          position: m.position,
          titleAr: m.titleAr,
          titleEn: m.titleEn,
          dueOn: m.dueOn,
          amount: m.amount,
          deliveredAt: m.deliveredAt,
        })),
      amendments: amendments
        .filter(({ amendment: m }) => m.contractId === c.id)
        .map(({ amendment: m }) => ({
          version: m.version,
          reason: m.reason,
          before: m.before,
          after: m.after,
          createdAt: m.createdAt,
        })),
      payments: paid
        .filter((x) => x.contractId === c.id)
        .map((x) => ({
          id: x.id,
          milestoneId: x.milestoneId,
          amount: x.amount,
          currency: x.currency,
          paidAt: x.paidAt!,
        })),
    });
    contractsByTender.set(c.tenderId, list);
  }
  return { awards: byTender, contracts: contractsByTender };
}
