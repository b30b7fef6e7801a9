import { asc, eq, sql } from "drizzle-orm";
import type { Actor, AgencyRole } from "#app/modules/accounts/actor.ts";
import { confirmOpening, startOpening } from "#app/modules/bids/open-bids.server.ts";
import { type SealingKeys, submitBid } from "#app/modules/bids/submit-bid.server.ts";
import {
  addCriterion,
  addItem,
  addLot,
  createTenderDraft,
  publishTender,
  type TenderBasicsForm,
} from "#app/modules/tenders/author-tender.server.ts";
import { instantToZoned } from "#app/utils/time-zones.ts";
import type { Db } from "#db/client.server.ts";
import {
  type NewOrganisation,
  type Organisation,
  type Tender,
  type TenderLot,
  tenderLots,
  tenders,
} from "#db/schema/index.ts";
import { actorOf } from "./actors.ts";
import { agencyData, businessData, createOrganisation } from "./organisations.ts";
import { createUser } from "./users.ts";

/**
 * Tenders as the evaluation needs them: an agency with its staff, a tender
 * published through the authoring module, sealed bids from several businesses
 * through submitBid, and the opening by two officers — the same path people
 * take, with the clock moved by SQL in between (the deadlines of a published
 * tender must lie in the future; the opening must lie in the past).
 */

export type UserActor = Extract<Actor, { type: "user" }>;

export interface CriterionSpec {
  nameAr: string;
  nameEn: string;
  kind: "pass_fail" | "technical" | "financial";
  weight: number;
}

/** Pass/fail certificate; technical experience 30 and method 20; price 50. Keys c1..c4 in this order. */
export const DEFAULT_CRITERIA: CriterionSpec[] = [
  { nameAr: "شهادة التصنيف", nameEn: "Classification certificate", kind: "pass_fail", weight: 0 },
  { nameAr: "الخبرة", nameEn: "Experience", kind: "technical", weight: 30 },
  { nameAr: "المنهجية", nameEn: "Method statement", kind: "technical", weight: 20 },
  { nameAr: "السعر", nameEn: "Price", kind: "financial", weight: 50 },
];

export interface AgencyStaff {
  agency: Organisation;
  officer: UserActor;
  secondOfficer: UserActor;
  evaluators: UserActor[];
  approvers: UserActor[];
}

/** An agency with two procurement officers, evaluators and approvers. */
export async function agencyWithStaff(
  db: Db,
  options: { evaluators?: number; approvers?: number; agency?: Partial<NewOrganisation> } = {},
): Promise<AgencyStaff> {
  const agency = await createOrganisation(db, agencyData({ currency: "KWD", ...options.agency }));
  const staff = async (roles: AgencyRole[]) =>
    actorOf(await createUser(db, { memberships: [{ organisationId: agency.id, roles }] }), {
      organisationId: agency.id,
      kind: "agency",
      roles,
    });
  const officer = await staff(["procurement_officer"]);
  const secondOfficer = await staff(["procurement_officer"]);
  const evaluators: UserActor[] = [];
  for (let i = 0; i < (options.evaluators ?? 3); i++) evaluators.push(await staff(["evaluator"]));
  const approvers: UserActor[] = [];
  for (let i = 0; i < (options.approvers ?? 2); i++) approvers.push(await staff(["approver"]));
  return { agency, officer, secondOfficer, evaluators, approvers };
}

/** A business with one bidder (its owner), verified unless told otherwise. */
export async function bidderBusiness(
  db: Db,
  overrides: Partial<NewOrganisation> = {},
): Promise<{ business: Organisation; actor: UserActor }> {
  const business = await createOrganisation(db, businessData(overrides));
  const actor = actorOf(
    await createUser(db, { memberships: [{ organisationId: business.id, roles: ["owner"] }] }),
    { organisationId: business.id, kind: "business", roles: ["owner"] },
  );
  return { business, actor };
}

const local = (ms: number, zone: string) => instantToZoned(new Date(Date.now() + ms), zone);

/** A published tender of the agency with `lots` lots (one item each) and the given criteria. */
export async function publishedTender(
  db: Db,
  keys: SealingKeys,
  staff: AgencyStaff,
  options: { lots?: number; criteria?: CriterionSpec[]; form?: Partial<TenderBasicsForm> } = {},
): Promise<{ tender: Tender; lots: TenderLot[] }> {
  const { officer, agency } = staff;
  const draft = await createTenderDraft(
    {
      actor: officer,
      form: {
        titleAr: "توريد وتركيب معدات",
        titleEn: "Supply and installation of equipment",
        method: "open",
        category: "goods",
        requireVerified: "on",
        enquiryDeadline: local(3600_000, agency.timeZone),
        submissionDeadline: local(2 * 3600_000, agency.timeZone),
        openingAt: local(3 * 3600_000, agency.timeZone),
        ...options.form,
      },
    },
    db,
  );
  for (let n = 1; n <= (options.lots ?? 1); n++) {
    const lot = await addLot(
      { actor: officer, tenderId: draft.id, titleAr: `المجموعة ${n}`, titleEn: `Lot ${n}` },
      db,
    );
    await addItem(
      {
        actor: officer,
        tenderId: draft.id,
        lotId: lot.id,
        descriptionAr: "معدات",
        descriptionEn: "Equipment",
        quantity: "10",
        unit: "H87",
      },
      db,
    );
  }
  for (const c of options.criteria ?? DEFAULT_CRITERIA)
    await addCriterion({ actor: officer, tenderId: draft.id, ...c, weight: String(c.weight) }, db);
  const tender = await publishTender({ actor: officer, tenderId: draft.id }, { db, master: keys.master });
  const lots = await db
    .select()
    .from(tenderLots)
    .where(eq(tenderLots.tenderId, tender.id))
    .orderBy(asc(tenderLots.number));
  return { tender, lots };
}

export interface OpenedTender extends AgencyStaff {
  tender: Tender;
  lots: TenderLot[];
  bidders: Array<{ business: Organisation; actor: UserActor; bidId: string }>;
}

/**
 * A tender whose bids were opened by two officers. `prices[i][j]` is bidder i's price for lot j
 * in minor units (null: no bid on that lot). Default: three bidders on one lot.
 */
export async function openedTender(
  db: Db,
  keys: SealingKeys,
  options: {
    prices?: Array<Array<string | null>>;
    lots?: number;
    criteria?: CriterionSpec[];
    form?: Partial<TenderBasicsForm>;
    evaluators?: number;
    approvers?: number;
    staff?: AgencyStaff;
    businesses?: Array<{ business: Organisation; actor: UserActor }>;
  } = {},
): Promise<OpenedTender> {
  const staff = options.staff ?? (await agencyWithStaff(db, options));
  const prices = options.prices ?? [["1000000"], ["1100000"], ["900000"]];
  const { tender, lots } = await publishedTender(db, keys, staff, {
    lots: options.lots ?? prices[0]!.length,
    criteria: options.criteria,
    form: options.form,
  });
  const bidders: OpenedTender["bidders"] = [];
  for (const [i, row] of prices.entries()) {
    const { business, actor } = options.businesses?.[i] ?? (await bidderBusiness(db));
    const responses = Object.fromEntries(
      tender.criteria
        .filter((c) => c.kind !== "financial")
        .map((c) => [c.key, `Response of bidder ${i + 1}`]),
    );
    const placed = await submitBid(
      {
        actor,
        tenderId: tender.id,
        content: {
          lots: row.flatMap((price, j) => (price === null ? [] : [{ lotId: lots[j]!.id, price }])),
          responses,
        },
      },
      { db, keys },
    );
    bidders.push({ business, actor, bidId: placed.bid.id });
  }
  await db.execute(sql`update tenders set enquiry_deadline = now() - interval '3 seconds',
    submission_deadline = now() - interval '2 seconds', opening_at = now() - interval '1 second'
    where id = ${tender.id}`);
  await startOpening({ actor: staff.officer, tenderId: tender.id }, db);
  await confirmOpening({ actor: staff.secondOfficer, tenderId: tender.id }, { db, master: keys.master });
  const opened = (await db.query.tenders.findFirst({ where: eq(tenders.id, tender.id) }))!;
  return { ...staff, tender: opened, lots, bidders };
}
