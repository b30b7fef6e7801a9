import { generateKeyPairSync } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { ANONYMOUS, type Membership } from "#app/modules/accounts/actor.ts";
import { createCheckpoint } from "#app/modules/ledger/checkpoints.server.ts";
import { platformKeyFromPem } from "#app/modules/ledger/platform-key.server.ts";
import { capturePayment, openPayment, refundPayment } from "#app/modules/payments/payment-ledger.server.ts";
import { ledgerTransactions, type Organisation } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import {
  findReceipt,
  parseReceiptNumber,
  receiptFor,
  receiptNumberOfRefund,
  refundReceiptNumber,
} from "./receipt-data.server.ts";
import { renderReceiptPdf } from "./render-receipt-pdf.server.ts";

const { db } = testDatabase();
const system = { userId: null };
const baseUrl = "https://shafaf.example.test";
let business: Organisation;
let agency: Organisation;
let otherBusiness: Organisation;
let n = 0;
const unique = () => `receipt-test-${n++}`;

async function actorIn(organisation: Organisation, roles: string[]) {
  const user = await createUser(db);
  return actorOf(user, { organisationId: organisation.id, kind: organisation.kind, roles } as Membership);
}

async function capturedPayment(amount: bigint, feeType = "tender_document") {
  const payment = await openPayment(
    {
      payerId: business.id,
      payeeId: agency.id,
      feeType,
      currency: "KWD",
      amount,
      method: "bank_transfer",
    },
    db,
  );
  return capturePayment({ paymentId: payment.id, actor: system }, db);
}

const refund = (paymentId: string, amount: bigint, reason: "other" | "duplicate_payment" = "other") =>
  refundPayment({ paymentId, amount, reason, idempotencyKey: unique(), actor: system }, db);

beforeAll(async () => {
  business = await createOrganisation(db, businessData());
  agency = await createOrganisation(db, agencyData());
  otherBusiness = await createOrganisation(db, businessData());
});

describe("receipt numbers", () => {
  test("are read in any case, and anything else is not a receipt number", () => {
    expect(parseReceiptNumber(" shf-ab12-cd34 ")).toEqual({
      number: "SHF-AB12-CD34",
      paymentReference: "SHF-AB12-CD34",
      refundPosition: null,
    });
    expect(parseReceiptNumber("SHF-AB12-CD34-R12")).toMatchObject({ refundPosition: 12 });
    for (const bad of ["", "SHF-AB12", "SHF-AB12-CD34-R0", "SHF-AB12-CD34-R", "x SHF-AB12-CD34", "'; --"])
      expect(parseReceiptNumber(bad)).toBeNull();
  });

  test("a payment's receipt is its reference; its refunds are -R1, -R2, -R3 in the order they were made", async () => {
    const payment = await capturedPayment(10_000n);
    const first = await refund(payment.id, 1_000n);
    const second = await refund(payment.id, 2_000n, "duplicate_payment");
    const third = await refund(payment.id, 3_000n);

    expect((await findReceipt(payment.reference, db))?.kind).toBe("payment");
    for (const [position, r] of [first, second, third].entries()) {
      const number = refundReceiptNumber(payment.reference, position + 1);
      expect(number).toBe(`${payment.reference}-R${position + 1}`);
      const found = await findReceipt(number, db);
      expect(found).toMatchObject({ kind: "refund", number, refund: { id: r.id, amount: r.amount } });
      expect(found!.transaction).toMatchObject({ referenceType: "refund", referenceId: r.id });
      expect(await receiptNumberOfRefund(r.id, db)).toBe(number);
    }
    expect(await findReceipt(`${payment.reference}-R4`, db)).toBeNull();
  });

  test("a payment not yet received has no receipt", async () => {
    const pending = await openPayment(
      {
        payerId: business.id,
        payeeId: agency.id,
        feeType: "permit",
        currency: "KWD",
        amount: 5_000n,
        method: "counter",
      },
      db,
    );
    expect(await findReceipt(pending.reference, db)).toBeNull();
  });
});

describe("receiptFor", () => {
  test("the payer's members and the payee's finance staff get it; anyone else is told it does not exist", async () => {
    const payment = await capturedPayment(12_500n);
    const number = payment.reference;

    for (const allowed of [
      await actorIn(business, ["bidder"]),
      await actorIn(business, ["finance"]),
      await actorIn(agency, ["finance_officer"]),
      await actorIn(agency, ["agency_admin"]),
    ])
      expect((await receiptFor(allowed, number, db, { baseUrl })).number).toBe(number);

    for (const refused of [
      await actorIn(otherBusiness, ["owner"]),
      await actorIn(agency, ["procurement_officer"]),
      // A member of the payer who is acting for another organisation right now.
      actorOf(
        await createUser(db, {
          memberships: [
            { organisationId: business.id, roles: ["owner"] },
            { organisationId: otherBusiness.id, roles: ["owner"] },
          ],
        }),
        { organisationId: otherBusiness.id, kind: "business", roles: ["owner", "finance"] },
      ),
      actorOf(await createUser(db), null),
    ])
      await expect(receiptFor(refused, number, db, { baseUrl })).rejects.toMatchObject({
        code: "NOT_FOUND",
        status: 404,
      });

    // The same answer as for a number that does not exist at all.
    const owner = await actorIn(business, ["owner"]);
    await expect(receiptFor(owner, "SHF-ZZZZ-ZZZZ", db, { baseUrl })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(receiptFor(ANONYMOUS, number, db, { baseUrl })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      status: 401,
    });
  });

  test("carries the bilingual labels, the ledger transaction, its checkpoint and the verification link", async () => {
    const payment = await capturedPayment(12_500n);
    const owner = await actorIn(business, ["owner"]);
    const doc = await receiptFor(owner, payment.reference.toLowerCase(), db, { baseUrl: `${baseUrl}/` });
    const [transaction] = await db
      .select()
      .from(ledgerTransactions)
      .where(
        and(eq(ledgerTransactions.referenceType, "payment"), eq(ledgerTransactions.referenceId, payment.id)),
      );
    expect(doc).toMatchObject({
      kind: "payment",
      number: payment.reference,
      payer: {
        nameAr: business.nameAr,
        nameEn: business.nameEn,
        registrationNumber: business.registrationNumber,
      },
      payee: { nameAr: agency.nameAr, nameEn: agency.nameEn },
      feeLabel: { ar: "رسوم وثائق المناقصة", en: "Tender document fee" },
      method: { ar: "حوالة بنكية", en: "Bank transfer" },
      amount: "12.500",
      currency: "KWD",
      reason: null,
      paymentReference: payment.reference,
      ledgerTransactionId: transaction!.id,
      ledgerContentHash: transaction!.contentHash,
      checkpoint: null,
      verifyUrl: `${baseUrl}/verify/receipt/${payment.reference}`,
    });
    expect(doc.issuedAt).toEqual(payment.capturedAt);

    // Once a checkpoint closes the transaction, the receipt names it. (Other
    // test workers' open transactions can hold a checkpoint back a little.)
    const key = platformKeyFromPem(
      generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    );
    let closed = doc.checkpoint;
    for (let i = 0; i < 50 && !closed; i++) {
      await createCheckpoint(db, key);
      closed = (await receiptFor(owner, payment.reference, db, { baseUrl })).checkpoint;
      if (!closed) await new Promise((r) => setTimeout(r, 100));
    }
    const checkpoint = await db.query.ledgerCheckpoints.findFirst({
      where: (c, { eq }) => eq(c.id, BigInt(closed!.id)),
    });
    expect(
      checkpoint!.xidFrom <= transaction!.createdXid && transaction!.createdXid < checkpoint!.xidTo,
    ).toBe(true);
    expect(closed).toEqual({
      id: checkpoint!.id.toString(),
      hash: checkpoint!.hash,
      createdAt: checkpoint!.createdAt,
    });
  });

  test("a refund's receipt shows the refund's amount, method and reason", async () => {
    const payment = await capturedPayment(10_500n, "bid_submission");
    const r = await refund(payment.id, 10_500n, "duplicate_payment");
    const finance = await actorIn(agency, ["finance_officer"]);
    const doc = await receiptFor(finance, `${payment.reference}-R1`, db, { baseUrl });
    expect(doc).toMatchObject({
      kind: "refund",
      number: `${payment.reference}-R1`,
      feeLabel: { ar: "رسوم تقديم العطاء", en: "Bid submission fee" },
      amount: "10.500",
      method: { ar: "حوالة بنكية", en: "Bank transfer" },
      reason: { ar: "دفعة مكررة", en: "Duplicate payment" },
      paymentReference: payment.reference,
    });
    expect(doc.issuedAt).toEqual(r.createdAt);
  });

  test("renders as a PDF", async () => {
    const payment = await capturedPayment(25_000n);
    await refund(payment.id, 5_000n);
    const owner = await actorIn(business, ["owner"]);
    for (const number of [payment.reference, `${payment.reference}-R1`]) {
      const pdf = await renderReceiptPdf(await receiptFor(owner, number, db, { baseUrl }));
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }
  });
});
