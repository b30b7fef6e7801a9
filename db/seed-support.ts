import { eq } from "drizzle-orm";
import type { Actor, Membership } from "#app/modules/accounts/actor.ts";
import type { SealingKeys } from "#app/modules/bids/submit-bid.server.ts";
import {
  addCriterion,
  addItem,
  addLot,
  createTenderDraft,
  publishTender,
  type TenderBasicsForm,
} from "#app/modules/tenders/author-tender.server.ts";
import { instantToZoned } from "#app/utils/time-zones.ts";
import { actorOf } from "#tests/factories/actors.ts";
import type { Db } from "./client.server.ts";
import { memberships, organisations, type Tender, users } from "./schema/index.ts";

/** What the demo seeds share: acting as a demo account, and publishing a one-lot tender through the modules. */

/** A demo account acting for its (first) organisation with its roles there. */
export function demoActorByEmail(db: Db) {
  return async (email: string): Promise<Actor> => {
    const user = (await db.query.users.findFirst({ where: eq(users.email, email) }))!;
    const membership = (await db.query.memberships.findFirst({ where: eq(memberships.userId, user.id) }))!;
    const org = (await db.query.organisations.findFirst({
      where: eq(organisations.id, membership.organisationId),
    }))!;
    return actorOf(user, { organisationId: org.id, kind: org.kind, roles: membership.roles } as Membership);
  };
}

/** A wall-clock time `hoursAhead` from now in `zone`, as a datetime-local field holds it. */
export const localIn = (hoursAhead: number, zone: string) =>
  instantToZoned(new Date(Date.now() + hoursAhead * 3600_000), zone);

/**
 * Draft, complete and publish a one-lot open tender with a pass/fail, a
 * technical (40) and a financial (60) criterion; deadlines one and two days
 * ahead unless the form says otherwise.
 */
export async function publishDemoTender(
  deps: { db: Db; keys: SealingKeys },
  officer: Actor,
  zone: string,
  form: Partial<TenderBasicsForm> & Pick<TenderBasicsForm, "titleAr" | "titleEn" | "category">,
  lot: { ar: string; en: string; item: [string, string, string, string] },
): Promise<Tender> {
  const { db, keys } = deps;
  const draft = await createTenderDraft(
    {
      actor: officer,
      form: {
        method: "open",
        requireVerified: "on",
        enquiryDeadline: localIn(24, zone),
        submissionDeadline: localIn(48, zone),
        openingAt: localIn(49, zone),
        ...form,
      },
    },
    db,
  );
  const created = await addLot({ actor: officer, tenderId: draft.id, titleAr: lot.ar, titleEn: lot.en }, db);
  const [descriptionAr, descriptionEn, quantity, unit] = lot.item;
  await addItem(
    { actor: officer, tenderId: draft.id, lotId: created.id, descriptionAr, descriptionEn, quantity, unit },
    db,
  );
  for (const [nameAr, nameEn, kind, weight] of [
    ["شهادة التصنيف", "Classification certificate", "pass_fail", "0"],
    ["الخبرة الفنية", "Technical experience", "technical", "40"],
    ["السعر", "Price", "financial", "60"],
  ] as const)
    await addCriterion({ actor: officer, tenderId: draft.id, nameAr, nameEn, kind, weight }, db);
  return publishTender({ actor: officer, tenderId: draft.id }, { db, master: keys.master });
}
