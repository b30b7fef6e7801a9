import { and, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { assertVerifiedBusiness } from "#app/modules/accounts/verified-business.server.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { FileStore } from "#app/modules/files/file-store.server.ts";
import { parseAmount } from "#app/modules/ledger/money.ts";
import type { PlatformKey } from "#app/modules/ledger/platform-key.server.ts";
import { paidFeeTypes } from "#app/modules/payments/request-payment.server.ts";
import { assertHoldsPermit } from "#app/modules/permits/permit-eligibility.server.ts";
import { AppError } from "#app/utils/errors.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { preparedPerHandle } from "#db/prepared.server.ts";
import {
  type Bid,
  type BidVersion,
  bids,
  bidVersions,
  storedFiles,
  type Tender,
  tenderLots,
  tenders,
} from "#db/schema/index.ts";
import { issueBidReceipt } from "./bid-receipt.server.ts";
import { type PortableBidReceipt, RECEIVED_AT_SQL_FORMAT } from "./bid-receipt.ts";
import { digest, open as openEnvelope, seal, unwrapDataKey } from "./envelope.server.ts";
import type { BidMasterKey } from "./master-key.server.ts";
import {
  type DocumentUpload,
  type SealedDocumentRef,
  storeSealedDocuments,
} from "./seal-bid-documents.server.ts";

/**
 * Submitting a sealed bid. The content (a price per lot and a response per
 * criterion) is sealed with the tender's data key before it reaches the
 * database; the deadline is checked against the database clock in the same
 * transaction that stores the bid, and the bidder gets a receipt signed by the
 * platform: the time of receipt (microseconds) and the SHA-256 of what was
 * sealed. Before the deadline a bid may be replaced (the latest version counts,
 * the others are kept as superseded) or withdrawn.
 */

export interface BidContent {
  /** Price per lot the bidder bids on, in minor units of the tender's currency. */
  lots: Array<{ lotId: string; price: string }>;
  /** A response per criterion key. */
  responses: Record<string, string>;
  /** The bid's documents, sealed in the file store; what they are is only known inside this content. */
  documents?: SealedDocumentRef[];
}

export interface SealingKeys {
  master: BidMasterKey;
  platformKey: PlatformKey;
}

const sealedAad = (bidId: string, version: number) => `bid:${bidId}:v${version}`;
export const draftAad = (bidId: string) => `bid:${bidId}:draft`;

/** The business may bid on this tender at all (not yet the deadline: that is the database's call). */
async function bidder(actor: Actor, tender: Tender, db: Db | Tx) {
  assertCan(actor, "bid:submit");
  if (actor.membership!.kind !== "business") throw new AppError("FORBIDDEN");
  if (tender.requireVerified) await assertVerifiedBusiness(actor, db);
  if (tender.requiredPermitType)
    await assertHoldsPermit(actor.membership!.organisationId, tender.requiredPermitType, db);
  return { businessId: actor.membership!.organisationId, userId: actor.userId };
}

/** Read on every bid submission: prepared once (see preparedPerHandle). */
const lotsOf = preparedPerHandle((db) =>
  db
    .select({ id: tenderLots.id })
    .from(tenderLots)
    .where(eq(tenderLots.tenderId, sql.placeholder("tenderId")))
    .prepare("tender_lot_ids"),
);

/** Prices typed by the bidder ("1,250.500", Arabic digits) → the content to seal; every lot must be the tender's. */
export async function bidContentFrom(
  tender: Tender,
  form: { prices: Record<string, string>; responses: Record<string, string> },
  db: Db | Tx,
  /** A draft may be incomplete: no price yet, criteria not all answered. */
  options: { partial?: boolean } = {},
): Promise<BidContent> {
  const lots = await lotsOf(db).execute({ tenderId: tender.id });
  const content: BidContent = { lots: [], responses: {} };
  for (const [lotId, text] of Object.entries(form.prices)) {
    if (!text.trim()) continue;
    if (!lots.some((l) => l.id === lotId)) throw new AppError("VALIDATION", {}, { field: `price-${lotId}` });
    const price = parseAmount(text, tender.currency);
    if (price === null || price <= 0n) throw new AppError("AMOUNT_INVALID", {}, { field: `price-${lotId}` });
    content.lots.push({ lotId, price: price.toString() });
  }
  if (content.lots.length === 0 && !options.partial)
    throw new AppError("BID_NO_PRICE", {}, { field: "prices" });
  for (const c of tender.criteria) {
    if (c.kind === "financial") continue;
    const response = (form.responses[c.key] ?? "").trim();
    if (response.length > 20_000) throw new AppError("VALIDATION", {}, { field: `response-${c.key}` });
    if (!response && !options.partial)
      throw new AppError("BID_RESPONSE_REQUIRED", {}, { field: `response-${c.key}` });
    if (response) content.responses[c.key] = response;
  }
  content.lots.sort((a, b) => (a.lotId < b.lotId ? -1 : 1));
  return content;
}

/** The fees a tender asks before a bid counts (document and submission fees), as fee-gate subjects. */
export function feesDue(tender: Tender) {
  return [
    ...(tender.documentFee > 0n ? [{ feeType: "tender_document" as const, amount: tender.documentFee }] : []),
    ...(tender.submissionFee > 0n
      ? [{ feeType: "bid_submission" as const, amount: tender.submissionFee }]
      : []),
  ].map((f) => ({ ...f, subject: `tender:${tender.id}` }));
}

/** What a submission returns: the bid, the version just sealed and its signed receipt. */
export interface SubmittedBid {
  bid: Pick<Bid, "id" | "tenderId" | "businessId" | "status">;
  version: Pick<BidVersion, "id" | "version" | "sealedSha256" | "receivedAtText">;
  receipt: PortableBidReceipt;
}

type Received = { open: boolean; received_at_text: string; received_at: Date; deadline: Date };

/**
 * Seal and submit. Throws BID_LATE when the database clock says the deadline
 * has passed — checked in the transaction that stores the bid, so a bid is
 * either accepted before the deadline or not at all.
 */
export async function submitBid(
  input: {
    actor: Actor;
    tenderId: string;
    content: BidContent;
    /** Checked documents (see checkBidDocuments), sealed before the bid is. */
    documents?: Array<DocumentUpload & { mediaType: string }>;
    ip?: string | null;
    /** The tender as the caller already read it (saves a read on the hot path); its state is checked here anyway. */
    tender?: Tender;
  },
  deps: { db: Db; keys: SealingKeys; files?: FileStore },
): Promise<SubmittedBid> {
  const { db, keys } = deps;
  const tender =
    input.tender?.id === input.tenderId
      ? input.tender
      : await db.query.tenders.findFirst({ where: eq(tenders.id, input.tenderId) });
  if (!tender || (tender.status !== "published" && tender.status !== "opened"))
    throw new AppError("NOT_FOUND");
  const who = await bidder(input.actor, tender, db);
  const due = feesDue(tender);
  if (due.length > 0) {
    const paid = await paidFeeTypes({ payerId: who.businessId, subject: `tender:${tender.id}` }, db);
    if (due.some((fee) => !paid.has(fee.feeType))) throw new AppError("BID_FEE_UNPAID");
  }
  const dataKey = unwrapDataKey(keys.master, tender.dataKeyWrapped!, tender.id);
  let content = input.content;
  if (input.documents?.length) {
    if (!deps.files) throw new Error("documents need the file store");
    const refs = await storeSealedDocuments(
      { tenderId: tender.id, businessId: who.businessId, dataKey, documents: input.documents },
      { db, files: deps.files },
    );
    content = { ...content, documents: refs };
  }
  const plaintext = Buffer.from(JSON.stringify(content));

  return db.transaction(async (tx) => {
    // Statements go to PostgreSQL in two batches (each one round trip), not one at a time: every
    // round trip is a wait in a busy server, and the last batch holds the audit chain's lock.
    // 1. The clock and the bid row together. The tender row is shared-locked (the opening, which
    //    locks it exclusively, waits for bids in flight). The upsert makes (or takes) the bid row,
    //    marks it submitted, locks it for this transaction and says which version this is; when the
    //    clock says late, the transaction is rolled back and the upsert with it.
    const [clockRows, bidRows] = await Promise.all([
      tx.execute(sql`
        select now() < submission_deadline and status = 'published' as open,
               to_char(now() at time zone 'UTC', ${RECEIVED_AT_SQL_FORMAT}) as received_at_text,
               now() as received_at, submission_deadline as deadline
        from tenders where id = ${tender.id} for share`),
      tx.execute(sql`
        insert into bids (tender_id, business_id, created_by, status)
        values (${tender.id}, ${who.businessId}, ${who.userId}, 'submitted')
        on conflict (tender_id, business_id)
          do update set status = 'submitted', draft_sealed = null, updated_at = now()
        returning id, (select coalesce(max(v.version), 0) + 1 from bid_versions v where v.bid_id = bids.id) as next`),
    ]);
    const [clock] = clockRows as unknown as Received[];
    if (!clock?.open)
      throw new AppError("BID_LATE", { deadline: formatInZone(new Date(clock!.deadline), tender.timeZone) });
    const [row] = bidRows as unknown as [{ id: string; next: number }];
    const bidId = row.id;
    const version = Number(row.next);
    const sealed = seal(dataKey, plaintext, sealedAad(bidId, version));
    const sealedSha256 = digest(sealed);
    const receipt = issueBidReceipt(keys.platformKey, {
      tenderReference: tender.reference,
      bidId,
      version,
      bidderId: who.businessId,
      receivedAt: clock.received_at_text,
      sealedSha256,
    });
    const documentIds = (content.documents ?? []).map((d) => d.fileId);
    // 2. The new version, its documents and the audit event together. The version that counted until
    //    now is superseded first (the partial unique index keeps one current version per bid, checked
    //    per statement); statements on one connection run in the order sent. now() is the
    //    transaction's time: the very instant read above and signed in the receipt, to the microsecond.
    // A query is sent when first awaited and recordAudit sends its own at once, hence this order.
    const written = Promise.all([
      tx.execute(
        sql`update bid_versions set status = 'superseded' where bid_id = ${bidId} and status = 'submitted'`,
      ),
      tx.execute(sql`
        insert into bid_versions (bid_id, version, sealed, sealed_sha256, received_at, received_at_text,
                                  receipt_statement, receipt_signature, receipt_key_id, submitted_by)
        values (${bidId}, ${version}, ${sealed}, ${sealedSha256}, now(), ${clock.received_at_text},
                ${receipt.statement}, ${receipt.signature}, ${receipt.keyId}, ${who.userId})
        returning id`),
      documentIds.length
        ? tx.update(storedFiles).set({ attachedAt: new Date() }).where(inArray(storedFiles.id, documentIds))
        : null,
    ]);
    const audited = recordAudit(tx, {
      actorUserId: who.userId,
      organisationId: who.businessId,
      action: "bid.submitted",
      objectType: "bid",
      objectId: bidId,
      ip: input.ip ?? null,
      details: {
        tender: tender.reference,
        version,
        sealedSha256,
        receivedAt: clock.received_at_text,
        documents: documentIds.length,
      },
    });
    const [[, inserted]] = await Promise.all([written, audited]);
    const [stored] = inserted as unknown as [{ id: string }];
    return {
      bid: { id: bidId, tenderId: tender.id, businessId: who.businessId, status: "submitted" },
      version: { id: stored.id, version, sealedSha256, receivedAtText: clock.received_at_text },
      receipt,
    };
  });
}

/** Withdraw a submitted bid before the deadline; its versions are kept, none counts. */
export async function withdrawBid(
  input: { actor: Actor; tenderId: string; ip?: string | null },
  db: Db,
): Promise<Bid> {
  const tender = await db.query.tenders.findFirst({ where: eq(tenders.id, input.tenderId) });
  if (!tender || tender.status === "draft" || tender.status === "awaiting_approval")
    throw new AppError("NOT_FOUND");
  const who = await bidder(input.actor, tender, db);
  return db.transaction(async (tx) => {
    const [clock] = (await tx.execute(sql`
      select now() < submission_deadline and status = 'published' as open, submission_deadline as deadline
      from tenders where id = ${tender.id} for share`)) as unknown as Received[];
    if (!clock?.open)
      throw new AppError("BID_LATE", { deadline: formatInZone(new Date(clock!.deadline), tender.timeZone) });
    const [bid] = await tx
      .select()
      .from(bids)
      .where(and(eq(bids.tenderId, tender.id), eq(bids.businessId, who.businessId)))
      .for("update");
    if (bid?.status !== "submitted") throw new AppError("NOT_FOUND");
    await tx
      .update(bidVersions)
      .set({ status: "withdrawn" })
      .where(and(eq(bidVersions.bidId, bid.id), eq(bidVersions.status, "submitted")));
    const [withdrawn] = await tx
      .update(bids)
      .set({ status: "withdrawn", updatedAt: new Date() })
      .where(eq(bids.id, bid.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: who.userId,
      organisationId: who.businessId,
      action: "bid.withdrawn",
      objectType: "bid",
      objectId: bid.id,
      ip: input.ip ?? null,
      details: { tender: tender.reference },
    });
    return withdrawn!;
  });
}

/** After an amendment, the bidder confirms its bid still stands (before the deadline); it counts again. */
export async function reconfirmBid(
  input: { actor: Actor; tenderId: string; ip?: string | null },
  db: Db,
): Promise<BidVersion> {
  const tender = await db.query.tenders.findFirst({ where: eq(tenders.id, input.tenderId) });
  if (!tender || tender.status === "draft" || tender.status === "awaiting_approval")
    throw new AppError("NOT_FOUND");
  const who = await bidder(input.actor, tender, db);
  return db.transaction(async (tx) => {
    const [clock] = (await tx.execute(sql`
      select now() < submission_deadline and status = 'published' as open, submission_deadline as deadline
      from tenders where id = ${tender.id} for share`)) as unknown as Received[];
    if (!clock?.open)
      throw new AppError("BID_LATE", { deadline: formatInZone(new Date(clock!.deadline), tender.timeZone) });
    const [version] = await tx
      .update(bidVersions)
      .set({ reconfirmRequired: false })
      .where(
        and(
          eq(bidVersions.status, "submitted"),
          eq(bidVersions.reconfirmRequired, true),
          sql`${bidVersions.bidId} = (select id from bids where tender_id = ${tender.id} and business_id = ${who.businessId})`,
        ),
      )
      .returning();
    if (!version) throw new AppError("NO_RECONFIRMATION_DUE");
    await recordAudit(tx, {
      actorUserId: who.userId,
      organisationId: who.businessId,
      action: "bid.reconfirmed",
      objectType: "bid",
      objectId: version.bidId,
      ip: input.ip ?? null,
      details: { tender: tender.reference, version: version.version },
    });
    return version;
  });
}

/**
 * Keep a working copy before submitting: sealed like a bid (so the database
 * holds no plaintext), readable only by the business that wrote it, and not a
 * bid — it is never opened, counted or receipted. Documents are attached at submission.
 */
export async function saveBidDraft(
  input: { actor: Actor; tenderId: string; content: BidContent; ip?: string | null },
  deps: { db: Db; keys: SealingKeys },
): Promise<Bid> {
  const { db, keys } = deps;
  const tender = await db.query.tenders.findFirst({ where: eq(tenders.id, input.tenderId) });
  if (tender?.status !== "published") throw new AppError("NOT_FOUND");
  const who = await bidder(input.actor, tender, db);
  const dataKey = unwrapDataKey(keys.master, tender.dataKeyWrapped!, tender.id);
  return db.transaction(async (tx) => {
    await tx
      .insert(bids)
      .values({ tenderId: tender.id, businessId: who.businessId, createdBy: who.userId, status: "draft" })
      .onConflictDoNothing();
    const [bid] = await tx
      .select()
      .from(bids)
      .where(and(eq(bids.tenderId, tender.id), eq(bids.businessId, who.businessId)))
      .for("update");
    const sealed = seal(
      dataKey,
      Buffer.from(JSON.stringify({ ...input.content, documents: [] })),
      draftAad(bid!.id),
    );
    const [saved] = await tx
      .update(bids)
      .set({ draftSealed: sealed, updatedAt: new Date() })
      .where(eq(bids.id, bid!.id))
      .returning();
    return saved!;
  });
}

/** The business's own working copy, or null. */
export async function loadBidDraft(
  actor: Actor,
  tenderId: string,
  deps: { db: Db | Tx; keys: SealingKeys },
): Promise<BidContent | null> {
  const tender = await deps.db.query.tenders.findFirst({ where: eq(tenders.id, tenderId) });
  if (!tender?.dataKeyWrapped) return null;
  const who = await bidder(actor, tender, deps.db);
  const bid = await deps.db.query.bids.findFirst({
    where: and(eq(bids.tenderId, tender.id), eq(bids.businessId, who.businessId)),
  });
  if (!bid?.draftSealed) return null;
  const dataKey = unwrapDataKey(deps.keys.master, tender.dataKeyWrapped, tender.id);
  return JSON.parse(openEnvelope(dataKey, bid.draftSealed, draftAad(bid.id)).toString("utf8"));
}
