import { eq } from "drizzle-orm";
import type { OpeningRow } from "#app/components/tender.tsx";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { tenderForOfficer } from "#app/modules/tenders/author-tender.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { type OpeningRecordEntry, tenderOpenings, users } from "#db/schema/index.ts";

/** The opening of a tender as its officers see it: who started it, whether confirmed, and the record. */
export async function openingForOfficer(actor: Actor, tenderId: string, db: Queryable) {
  assertCan(actor, "bids:open");
  const { tender, lots, userId } = await tenderForOfficer(actor, tenderId, db);
  if (tender.status === "draft" || tender.status === "awaiting_approval") throw new AppError("NOT_FOUND");
  const opening = await db.query.tenderOpenings.findFirst({ where: eq(tenderOpenings.tenderId, tender.id) });
  const starter = opening
    ? await db.query.users.findFirst({ where: eq(users.id, opening.startedBy) })
    : undefined;
  return { tender, lots, userId, opening: opening ?? null, startedByName: starter?.displayName ?? null };
}

/** An opening record as table rows in the reader's language: one row per bidder and lot. */
export function openingRows(record: OpeningRecordEntry[], currency: string, lang: string): OpeningRow[] {
  return record.flatMap((entry) =>
    entry.lots.map((lot) => ({
      key: `${entry.bidId}-${lot.lotId}`,
      bidder: lang === "ar" ? entry.businessNameAr : entry.businessNameEn,
      lot: lot.number,
      price: moneyText(BigInt(lot.price), currency, lang),
      receivedAt: entry.receivedAt,
    })),
  );
}
