import { describe, expect, test } from "vitest";
import { feeSchedules } from "#db/schema/index.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { capturePayment } from "./payment-ledger.server.ts";
import { isFeePaid, requestFeePayment } from "./request-payment.server.ts";

const { db } = testDatabase();

describe("the fee gate", () => {
  test("prices a fee from the schedule, asks once per payer and subject, and opens when paid", async () => {
    const agency = await createOrganisation(db, agencyData({ currency: "KWD" }));
    const business = await createOrganisation(db, businessData());
    await db.insert(feeSchedules).values([
      {
        agencyId: agency.id,
        feeType: "tender_document",
        currency: "KWD",
        calculation: "fixed",
        fixedAmount: 25_000n,
      },
      {
        agencyId: agency.id,
        feeType: "bid_security",
        currency: "KWD",
        calculation: "percentage",
        rateBasisPoints: 200,
        minimumAmount: 100_000n,
      },
    ]);
    const ask = {
      payerId: business.id,
      agencyId: agency.id,
      feeType: "tender_document" as const,
      subject: "tender:t1",
    };
    // Many clicks at once: one request.
    const requests = await Promise.all(Array.from({ length: 8 }, () => requestFeePayment(ask, db)));
    expect(new Set(requests.map((r) => r.id)).size).toBe(1);
    expect(requests[0]).toMatchObject({
      amount: 25_000n,
      currency: "KWD",
      status: "pending",
      subject: "tender:t1",
    });
    await expect(isFeePaid(ask, db)).resolves.toBe(false);
    await capturePayment({ paymentId: requests[0]!.id, actor: { userId: null } }, db);
    await expect(isFeePaid(ask, db)).resolves.toBe(true);
    await expect(isFeePaid({ ...ask, subject: "tender:t2" }, db)).resolves.toBe(false);

    const security = await requestFeePayment(
      { ...ask, feeType: "bid_security", subject: "bid:b1", base: 10_000_000n },
      db,
    );
    expect(security.amount).toBe(200_000n); // 2% of 10,000.000 KWD
    await expect(
      requestFeePayment({ ...ask, feeType: "complaint", subject: "complaint:c1" }, db),
    ).rejects.toMatchObject({ code: "FEE_NOT_CHARGED" });
  });
});
