import { and, desc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { loadPlatformKey } from "#app/modules/ledger/platform-key.server.ts";
import { requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import type { Env } from "#app/utils/env.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { preparedPerHandle } from "#db/prepared.server.ts";
import { bids, bidVersions, payments, type Tender, tenders } from "#db/schema/index.ts";
import { type PortableBidReceipt, toPortableBidReceipt } from "./bid-receipt.ts";
import { feesDue } from "./submit-bid.server.ts";

/**
 * A business's own bid on a tender, as the business sees it: status, the
 * receipts of its submissions and the fees to pay first. Never the content:
 * once sealed, nobody reads it through the app before the opening.
 */

async function businessOf(actor: Actor) {
  assertCan(actor, "bid:submit");
  if (actor.membership!.kind !== "business") throw new AppError("FORBIDDEN");
  return actor.membership!.organisationId;
}

/** Read on every bid submission: prepared once (see preparedPerHandle). */
const tenderById = preparedPerHandle((db) =>
  db.query.tenders.findFirst({ where: eq(tenders.id, sql.placeholder("id")) }).prepare("tender_by_id"),
);

/** A tender a business may see and bid on (published, or opened for the record). */
export async function biddableTender(tenderId: string, db: Queryable): Promise<Tender> {
  const tender = await tenderById(db).execute({ id: tenderId });
  if (!tender || (tender.status !== "published" && tender.status !== "opened"))
    throw new AppError("NOT_FOUND");
  return tender;
}

export async function myBid(actor: Actor, tenderId: string, db: Queryable) {
  const businessId = await businessOf(actor);
  const tender = await biddableTender(tenderId, db);
  const bid = await db.query.bids.findFirst({
    where: and(eq(bids.tenderId, tender.id), eq(bids.businessId, businessId)),
  });
  const versions = bid
    ? await db
        .select()
        .from(bidVersions)
        .where(eq(bidVersions.bidId, bid.id))
        .orderBy(desc(bidVersions.version))
    : [];
  const fees = [];
  for (const fee of feesDue(tender)) {
    const payment = await db.query.payments.findFirst({
      where: and(
        eq(payments.payerId, businessId),
        eq(payments.feeType, fee.feeType),
        eq(payments.subject, fee.subject),
      ),
    });
    fees.push({ ...fee, payment: payment ?? null, paid: payment?.status === "captured" });
  }
  return { tender, bid: bid ?? null, versions, fees };
}

/** Ask for one of the tender's fees: the payment to make (the same one if asked before). */
export async function requestTenderFee(
  input: { actor: Actor; tenderId: string; feeType: "tender_document" | "bid_submission" },
  db: Db,
) {
  const businessId = await businessOf(input.actor);
  const tender = await biddableTender(input.tenderId, db);
  const fee = feesDue(tender).find((f) => f.feeType === input.feeType);
  if (!fee) throw new AppError("FEE_NOT_CHARGED");
  return requestFeePayment(
    {
      payerId: businessId,
      agencyId: tender.agencyId,
      feeType: fee.feeType,
      subject: fee.subject,
      price: { amount: fee.amount, currency: tender.currency },
    },
    db,
  );
}

/** The downloadable receipt of one of the business's submissions. */
export async function myBidReceipt(
  actor: Actor,
  input: { tenderId: string; version: number },
  deps: { db: Queryable; env: Pick<Env, "PLATFORM_SIGNING_KEY" | "dataDir"> },
): Promise<PortableBidReceipt> {
  const { tender, bid, versions } = await myBid(actor, input.tenderId, deps.db);
  const version = versions.find((v) => v.version === input.version);
  if (!bid || !version) throw new AppError("NOT_FOUND");
  const key = await loadPlatformKey(deps.env);
  return toPortableBidReceipt(
    {
      tenderReference: tender.reference,
      bidId: bid.id,
      version: version.version,
      bidderId: bid.businessId,
      receivedAt: version.receivedAtText,
      sealedSha256: version.sealedSha256,
    },
    { statement: version.receiptStatement, signature: version.receiptSignature, keyId: version.receiptKeyId },
    key.publicKeyPem,
  );
}
