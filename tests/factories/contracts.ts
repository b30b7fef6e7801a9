import { eq, sql } from "drizzle-orm";
import type { AgencyRole, BusinessRole } from "#app/modules/accounts/actor.ts";
import { approveAward } from "#app/modules/awards/decide-award.server.ts";
import { recommendAward } from "#app/modules/awards/recommend-award.server.ts";
import type { SealingKeys } from "#app/modules/bids/submit-bid.server.ts";
import { acceptContract } from "#app/modules/contracts/accept-contract.server.ts";
import { bidSecuritySubject } from "#app/modules/contracts/contract-rules.ts";
import { createContract } from "#app/modules/contracts/create-contract.server.ts";
import { signContract } from "#app/modules/contracts/sign-contract.server.ts";
import { closeEvaluation } from "#app/modules/evaluations/close-evaluation.server.ts";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { holdBidSecurity } from "#app/modules/payments/payment-ledger.server.ts";
import type { Db } from "#db/client.server.ts";
import { type Award, awards, type BidSecurityHold, type Contract } from "#db/schema/index.ts";
import { actorOf } from "./actors.ts";
import { clearedCommittee, qualifyAll, scoreAndSubmit } from "./evaluations.ts";
import { type OpenedTender, openedTender, type UserActor } from "./tenders.ts";
import { createUser } from "./users.ts";

/**
 * Awards and contracts as people make them: an opened tender evaluated and
 * awarded through the use cases, bid securities held for each bid, the
 * standstill moved into the past by SQL (like the tender factories move
 * deadlines), and contracts created, accepted and signed through the module.
 */

export interface AwardedTender extends OpenedTender {
  award: Award;
  /** The winning bidder (an owner of the business). */
  winner: OpenedTender["bidders"][number];
  losers: OpenedTender["bidders"];
  /** Each bid's security, held under `bid:<bidId>`, by bid id. */
  holds: Map<string, BidSecurityHold>;
}

/** Another member of the agency with the given roles. */
export async function agencyMember(
  db: Db,
  t: { agency: { id: string } },
  roles: AgencyRole[],
): Promise<UserActor> {
  return actorOf(await createUser(db, { memberships: [{ organisationId: t.agency.id, roles }] }), {
    organisationId: t.agency.id,
    kind: "agency",
    roles,
  });
}

/** Another member of a business with the given roles. */
export async function businessMember(db: Db, businessId: string, roles: BusinessRole[]): Promise<UserActor> {
  return actorOf(await createUser(db, { memberships: [{ organisationId: businessId, roles }] }), {
    organisationId: businessId,
    kind: "business",
    roles,
  });
}

/**
 * A tender with three bids on one lot (securities of `security` minor units held for each), evaluated
 * and its award approved: the standstill is running unless `final`, which moves its end into the past.
 */
export async function awardedTender(
  db: Db,
  keys: SealingKeys,
  options: { security?: bigint; final?: boolean; prices?: Array<Array<string | null>> } = {},
): Promise<AwardedTender> {
  const t = await openedTender(db, keys, { prices: options.prices });
  const holds = new Map<string, BidSecurityHold>();
  for (const b of t.bidders)
    holds.set(
      b.bidId,
      await holdBidSecurity(
        {
          businessId: b.business.id,
          agencyId: t.agency.id,
          currency: t.tender.currency,
          amount: options.security ?? 50_000n,
          subject: bidSecuritySubject(b.bidId),
          actor: { userId: null },
        },
        db,
      ),
    );
  const { chair, members } = await clearedCommittee(db, t);
  await qualifyAll(db, t, chair);
  for (const m of members) await scoreAndSubmit(db, t, m, () => "80");
  const { snapshot } = await closeEvaluation({ actor: chair, tenderId: t.tender.id }, db);
  const winnerId = snapshot.lots[0]!.result.recommendedWinner!;
  const recommended = await recommendAward(
    { actor: t.officer, tenderId: t.tender.id, lotId: t.lots[0]!.id, bidId: winnerId },
    db,
  );
  let award = await approveAward({ actor: t.approvers[0]!, awardId: recommended.id }, db);
  if (options.final) award = await endStandstill(db, award.id);
  return {
    ...t,
    award,
    winner: t.bidders.find((b) => b.bidId === winnerId)!,
    losers: t.bidders.filter((b) => b.bidId !== winnerId),
    holds,
  };
}

/** Move an award's standstill end a moment into the past (as if its days had passed). */
export async function endStandstill(db: Db, awardId: string): Promise<Award> {
  await db.execute(sql`update awards set standstill_ends_at = now() - interval '1 second',
    decided_at = least(decided_at, now() - interval '2 seconds'),
    notice_published_at = least(notice_published_at, now() - interval '2 seconds') where id = ${awardId}`);
  return (await db.query.awards.findFirst({ where: eq(awards.id, awardId) }))!;
}

/** Two milestones splitting the award's price (60% and the rest) within 2027. */
export function twoMilestones(award: Pick<Award, "price" | "currency">) {
  const first = (award.price * 60n) / 100n;
  const amount = (minor: bigint) => toDecimalString({ amount: minor, currency: award.currency });
  return {
    startsOn: "2027-01-01",
    endsOn: "2027-12-31",
    milestones: [
      { titleAr: "التوريد", titleEn: "Delivery", dueOn: "2027-03-31", amount: amount(first) },
      {
        titleAr: "التركيب والتشغيل",
        titleEn: "Installation",
        dueOn: "2027-09-30",
        amount: amount(award.price - first),
      },
    ],
  };
}

/** A contract made from a final award: created by the officer; accepted and signed unless told otherwise. */
export async function contractOf(
  db: Db,
  t: AwardedTender,
  options: { accept?: boolean; sign?: boolean } = {},
): Promise<Contract> {
  let contract = await createContract(
    { actor: t.officer, awardId: t.award.id, ...twoMilestones(t.award) },
    db,
  );
  if (options.accept !== false)
    contract = await acceptContract({ actor: t.winner.actor, contractId: contract.id }, db);
  if (options.accept !== false && options.sign !== false)
    contract = await signContract({ actor: t.approvers[1]!, contractId: contract.id }, db);
  return contract;
}
