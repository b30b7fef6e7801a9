import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { maySeeBidContent } from "#app/modules/evaluations/evaluation-access.server.ts";
import type { FileStore } from "#app/modules/files/file-store.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import {
  bids,
  bidVersions,
  type OpeningRecordEntry,
  organisations,
  type TenderOpening,
  tenderLots,
  tenderOpenings,
  tenders,
} from "#db/schema/index.ts";
import { EnvelopeError, open, unwrapDataKey } from "./envelope.server.ts";
import type { BidMasterKey } from "./master-key.server.ts";
import { openSealedDocument } from "./seal-bid-documents.server.ts";
import type { BidContent } from "./submit-bid.server.ts";

/**
 * Opening sealed bids, the joint act of two authorised officers (Directive
 * 2014/24/EU, Annex IV): at or after the opening time one procurement officer
 * of the agency starts the opening and a different one confirms it; only the
 * confirmation unseals the bids and writes the opening record. Before that,
 * any attempt to read a bid is refused and audited.
 */

async function officer(actor: Actor, tenderId: string, db: Queryable) {
  assertCan(actor, "bids:open");
  const tender = await db.query.tenders.findFirst({
    where: and(eq(tenders.id, tenderId), eq(tenders.agencyId, actor.membership!.organisationId)),
  });
  if (!tender) throw new AppError("NOT_FOUND");
  return { tender, userId: actor.userId, agencyId: actor.membership!.organisationId };
}

export async function startOpening(
  input: { actor: Actor; tenderId: string; ip?: string | null },
  db: Db,
): Promise<TenderOpening> {
  const { tender, userId, agencyId } = await officer(input.actor, input.tenderId, db);
  return db.transaction(async (tx) => {
    const [due] = (await tx.execute(
      sql`select status = 'published' and now() >= opening_at as due from tenders where id = ${tender.id} for update`,
    )) as unknown as [{ due: boolean }];
    if (!due?.due) throw new AppError("OPENING_TOO_EARLY");
    const [started] = await tx
      .insert(tenderOpenings)
      .values({ tenderId: tender.id, startedBy: userId })
      .onConflictDoNothing()
      .returning();
    await recordAudit(tx, {
      actorUserId: userId,
      organisationId: agencyId,
      action: started ? "bids.opening_started" : "bids.opening_start_repeated",
      objectType: "tender",
      objectId: tender.id,
      ip: input.ip ?? null,
    });
    return (
      started ?? (await tx.query.tenderOpenings.findFirst({ where: eq(tenderOpenings.tenderId, tender.id) }))!
    );
  });
}

/** The second officer confirms: the bids are unsealed and the opening record written, once. */
export async function confirmOpening(
  input: { actor: Actor; tenderId: string; ip?: string | null },
  deps: { db: Db; master: BidMasterKey },
): Promise<TenderOpening> {
  const { tender, userId, agencyId } = await officer(input.actor, input.tenderId, deps.db);
  // The attempt by the officer who started it is refused, and the refusal kept (in its own transaction).
  const started = await deps.db.query.tenderOpenings.findFirst({
    where: eq(tenderOpenings.tenderId, tender.id),
  });
  if (started && !started.confirmedAt && started.startedBy === userId) {
    await deps.db.transaction((tx) =>
      recordAudit(tx, {
        actorUserId: userId,
        organisationId: agencyId,
        action: "bids.opening_refused_same_officer",
        objectType: "tender",
        objectId: tender.id,
        ip: input.ip ?? null,
      }),
    );
    throw new AppError("SECOND_OFFICER_REQUIRED");
  }
  return deps.db.transaction(async (tx) => {
    // The exclusive lock waits for any bid still being accepted (they hold a share lock).
    await tx.select({ id: tenders.id }).from(tenders).where(eq(tenders.id, tender.id)).for("update");
    const opening = await tx.query.tenderOpenings.findFirst({
      where: eq(tenderOpenings.tenderId, tender.id),
    });
    if (!opening || opening.confirmedAt) throw new AppError("OPENING_TOO_EARLY");
    if (opening.startedBy === userId) throw new AppError("SECOND_OFFICER_REQUIRED");
    const dataKey = unwrapDataKey(deps.master, tender.dataKeyWrapped!, tender.id);
    const lots = await tx.select().from(tenderLots).where(eq(tenderLots.tenderId, tender.id));
    const current = await tx
      .select({ version: bidVersions, bid: bids, nameAr: organisations.nameAr, nameEn: organisations.nameEn })
      .from(bidVersions)
      .innerJoin(bids, eq(bids.id, bidVersions.bidId))
      .innerJoin(organisations, eq(organisations.id, bids.businessId))
      .where(
        and(
          eq(bids.tenderId, tender.id),
          eq(bidVersions.status, "submitted"),
          eq(bidVersions.reconfirmRequired, false),
        ),
      )
      .orderBy(bidVersions.receivedAt);
    const record: OpeningRecordEntry[] = current.map(({ version, bid, nameAr, nameEn }) => {
      let content: BidContent;
      try {
        content = JSON.parse(
          open(dataKey, version.sealed, `bid:${bid.id}:v${version.version}`).toString("utf8"),
        );
      } catch (e) {
        if (e instanceof EnvelopeError)
          throw new Error(`bid ${bid.id} v${version.version} does not unseal: ${e.message}`);
        throw e;
      }
      return {
        bidId: bid.id,
        businessId: bid.businessId,
        businessNameAr: nameAr,
        businessNameEn: nameEn,
        version: version.version,
        receivedAt: version.receivedAtText,
        sealedSha256: version.sealedSha256,
        documents: (content.documents ?? []).map(({ docId, name, mediaType, size, sha256 }) => ({
          docId,
          name,
          mediaType,
          size,
          sha256,
        })),
        lots: content.lots.map((l) => ({
          lotId: l.lotId,
          number: lots.find((x) => x.id === l.lotId)?.number ?? 0,
          price: l.price,
        })),
      };
    });
    const [confirmed] = await tx
      .update(tenderOpenings)
      .set({ confirmedBy: userId, confirmedAt: sql`now()`, record })
      .where(eq(tenderOpenings.tenderId, tender.id))
      .returning();
    await tx
      .update(tenders)
      .set({ status: "opened", updatedAt: new Date() })
      .where(eq(tenders.id, tender.id));
    await recordAudit(tx, {
      actorUserId: userId,
      organisationId: agencyId,
      action: "bids.opened",
      objectType: "tender",
      objectId: tender.id,
      ip: input.ip ?? null,
      details: { bids: record.length, startedBy: opening.startedBy },
    });
    return confirmed!;
  });
}

/**
 * Reading one bid's content. Before the opening nobody may — not the agency's
 * officers, not a platform admin, not a rival, not the bidder through the app
 * — and every attempt is audited. After it, the agency's procurement officers
 * may, and the evaluation committee's members once cleared of conflicts of
 * interest (evaluations/evaluation-access.server.ts).
 */
export async function readBidContent(
  input: { actor: Actor; bidId: string; ip?: string | null },
  deps: { db: Db; master: BidMasterKey },
): Promise<BidContent> {
  const { db } = deps;
  const actor = input.actor;
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const bid = await db.query.bids.findFirst({ where: eq(bids.id, input.bidId) });
  const tender = bid ? await db.query.tenders.findFirst({ where: eq(tenders.id, bid.tenderId) }) : undefined;
  if (!bid || !tender) throw new AppError("NOT_FOUND");
  // After the opening: the agency's procurement officers, and evaluation committee members who
  // declared no conflict of interest for every bidder; nobody with a declared conflict.
  if (!(await maySeeBidContent(db, actor, tender))) {
    await db.transaction((tx) =>
      recordAudit(tx, {
        actorUserId: actor.userId,
        organisationId: actor.membership?.organisationId ?? null,
        action: "bid.read_refused",
        objectType: "bid",
        objectId: bid.id,
        ip: input.ip ?? null,
        details: { tender: tender.reference, tenderStatus: tender.status },
      }),
    );
    throw new AppError(tender.status === "opened" ? "FORBIDDEN" : "BID_SEALED");
  }
  const [version] = await db
    .select()
    .from(bidVersions)
    .where(and(eq(bidVersions.bidId, bid.id), eq(bidVersions.status, "submitted")));
  if (!version) throw new AppError("NOT_FOUND");
  const dataKey = unwrapDataKey(deps.master, tender.dataKeyWrapped!, tender.id);
  return JSON.parse(open(dataKey, version.sealed, `bid:${bid.id}:v${version.version}`).toString("utf8"));
}

/** After the opening, one of a bid's documents for the agency's officers (same rules as reading the bid). */
export async function readBidDocument(
  input: { actor: Actor; bidId: string; docId: string; ip?: string | null },
  deps: { db: Db; master: BidMasterKey; files: FileStore },
): Promise<{ name: string; mediaType: string; bytes: Buffer; sha256: string }> {
  const content = await readBidContent({ actor: input.actor, bidId: input.bidId, ip: input.ip }, deps);
  const ref = content.documents?.find((d) => d.docId === input.docId);
  const bid = await deps.db.query.bids.findFirst({ where: eq(bids.id, input.bidId) });
  const tender = bid
    ? await deps.db.query.tenders.findFirst({ where: eq(tenders.id, bid.tenderId) })
    : undefined;
  if (!ref || !bid || !tender) throw new AppError("NOT_FOUND");
  const bytes = await openSealedDocument(
    {
      tenderId: tender.id,
      businessId: bid.businessId,
      ref,
      dataKey: unwrapDataKey(deps.master, tender.dataKeyWrapped!, tender.id),
    },
    deps,
  );
  return { name: ref.name, mediaType: ref.mediaType, bytes, sha256: ref.sha256 };
}
