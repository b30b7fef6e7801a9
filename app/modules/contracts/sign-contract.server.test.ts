import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { auditEvents, bidSecurityHolds, contracts, ledgerTransactions } from "#db/schema/index.ts";
import { agencyMember, awardedTender, businessMember, contractOf } from "#tests/factories/contracts.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { bidderBusiness } from "#tests/factories/tenders.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { acceptContract } from "./accept-contract.server.ts";
import { contractBooks } from "./contract-ledger.server.ts";
import { signContract } from "./sign-contract.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

describe("acceptance by the supplier, then the agency's signature", () => {
  test("in that order only, each by its own side; the signature commits the value and releases the winner's security", async () => {
    const t = await awardedTender(db, keys, { final: true });
    const contract = await contractOf(db, t, { accept: false });
    const signer = t.approvers[1]!;

    // The agency cannot sign what the supplier has not accepted.
    await expect(signContract({ actor: signer, contractId: contract.id }, db)).rejects.toMatchObject({
      code: "CONTRACT_NOT_ACCEPTED",
      status: 409,
    });
    // Nor can the database be made to record it.
    const early = await db
      .execute(
        sql`update contracts set status = 'signed', signed_by = ${signer.userId}, signed_at = now() where id = ${contract.id}`,
      )
      .catch((e: unknown) => e);
    expect(postgresErrorOf(early)?.code).toBe("23514");
    // Only an owner of the supplier accepts: a losing bidder is told it does not exist, a finance member may not.
    await expect(
      acceptContract({ actor: t.losers[0]!.actor, contractId: contract.id }, db),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const finance = await businessMember(db, t.winner.business.id, ["finance"]);
    await expect(acceptContract({ actor: finance, contractId: contract.id }, db)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const accepted = await acceptContract({ actor: t.winner.actor, contractId: contract.id }, db);
    expect(accepted).toMatchObject({ status: "accepted", acceptedBy: t.winner.actor.userId });
    await expect(
      acceptContract({ actor: t.winner.actor, contractId: contract.id }, db),
    ).rejects.toMatchObject({
      code: "CONTRACT_WRONG_STATUS",
    });

    // The supplier cannot sign for the agency; a procurement officer cannot either.
    await expect(signContract({ actor: t.winner.actor, contractId: contract.id }, db)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(signContract({ actor: t.officer, contractId: contract.id }, db)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // A signatory of another agency does not see it.
    const stranger = await bidderBusiness(db);
    await expect(signContract({ actor: stranger.actor, contractId: contract.id }, db)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(
      (
        await db.query.bidSecurityHolds.findFirst({
          where: eq(bidSecurityHolds.id, t.holds.get(t.winner.bidId)!.id),
        })
      )?.status,
    ).toBe("held");

    const signed = await signContract({ actor: signer, contractId: contract.id }, db);
    expect(signed).toMatchObject({
      status: "signed",
      signedBy: signer.userId,
      acceptedBy: t.winner.actor.userId,
    });
    expect(signed.signedAt!.getTime()).toBeGreaterThanOrEqual(signed.acceptedAt!.getTime());
    await expect(signContract({ actor: t.approvers[0]!, contractId: contract.id }, db)).rejects.toMatchObject(
      {
        code: "CONTRACT_WRONG_STATUS",
      },
    );

    // The books: the value committed once; the winner's security released through the ledger.
    const books = (await contractBooks(db, [contract.id])).get(contract.id)!;
    expect(books).toEqual({
      contracted: t.award.price,
      committed: t.award.price,
      invoiced: 0n,
      paid: 0n,
      payable: 0n,
    });
    const winnerHold = t.holds.get(t.winner.bidId)!;
    expect(
      (await db.query.bidSecurityHolds.findFirst({ where: eq(bidSecurityHolds.id, winnerHold.id) }))?.status,
    ).toBe("released");
    expect(
      await db
        .select()
        .from(ledgerTransactions)
        .where(
          and(
            eq(ledgerTransactions.referenceId, winnerHold.id),
            eq(ledgerTransactions.kind, "bid_security_released"),
          ),
        ),
    ).toHaveLength(1);
    expect(await verifyLedger(db)).toMatchObject({ ok: true });

    // Both steps audited, with who did them.
    const events = await db.select().from(auditEvents).where(eq(auditEvents.objectId, contract.id));
    expect(events.map((e) => [e.action, e.actorUserId])).toEqual(
      expect.arrayContaining([
        ["contract.accepted", t.winner.actor.userId],
        ["contract.signed", signer.userId],
      ]),
    );
  });

  test("the officer who made the contract never signs it, even holding the signatory's role", async () => {
    const t = await awardedTender(db, keys, { final: true });
    const both = await agencyMember(db, t, ["procurement_officer", "approver"]);
    const contract = await contractOf(db, { ...t, officer: both }, { sign: false });
    await expect(signContract({ actor: both, contractId: contract.id }, db)).rejects.toMatchObject({
      code: "CONTRACT_SELF_SIGNATURE",
      status: 403,
    });
    const bypass = await db
      .execute(
        sql`update contracts set status = 'signed', signed_by = created_by, signed_at = now() where id = ${contract.id}`,
      )
      .catch((e: unknown) => e);
    expect(postgresErrorOf(bypass)).toMatchObject({ constraint: "contracts_four_eyes" });
    const [row] = await db.select().from(contracts).where(eq(contracts.id, contract.id));
    expect(row?.status).toBe("accepted");
  });
});
