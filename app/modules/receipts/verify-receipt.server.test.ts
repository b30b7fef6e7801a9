import { generateKeyPairSync } from "node:crypto";
import { RouterContextProvider } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { createCheckpoint } from "#app/modules/ledger/checkpoints.server.ts";
import { platformKeyFromPem } from "#app/modules/ledger/platform-key.server.ts";
import { capturePayment, openPayment, refundPayment } from "#app/modules/payments/payment-ledger.server.ts";
import { loader as verifyPageLoader } from "#app/routes/verify.receipt.$number.tsx";
import { type AppServices, servicesContext } from "#app/server/context.ts";
import type { Organisation } from "#db/schema/index.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { ledgerEntryMatchesHash, verifyReceipt } from "./verify-receipt.server.ts";

const database = testDatabase();
const { db } = database;
const system = { userId: null };
let business: Organisation;
let agency: Organisation;

beforeAll(async () => {
  business = await createOrganisation(db, businessData());
  agency = await createOrganisation(db, agencyData());
});

async function capturedPayment(amount: bigint) {
  const payment = await openPayment(
    {
      payerId: business.id,
      payeeId: agency.id,
      feeType: "permit",
      currency: "KWD",
      amount,
      method: "counter",
    },
    db,
  );
  return capturePayment({ paymentId: payment.id, actor: system }, db);
}

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v) as unknown);

describe("verifyReceipt", () => {
  test("shows what the receipt shows, without the payer", async () => {
    const payment = await capturedPayment(40_000n);
    await refundPayment(
      { paymentId: payment.id, amount: 15_000n, reason: "other", idempotencyKey: "v-1", actor: system },
      db,
    );
    const view = await verifyReceipt(payment.reference, db);
    expect(view).toMatchObject({
      number: payment.reference,
      kind: "payment",
      agency: { nameAr: agency.nameAr, nameEn: agency.nameEn },
      feeType: "permit",
      feeLabel: { ar: "رسوم التصريح", en: "Permit fee" },
      amount: 40_000n,
      currency: "KWD",
      status: "valid",
      refundedSoFar: 15_000n,
      ledger: { matchesHash: true },
      checkpoint: null,
    });
    expect(view!.ledger.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const refund = await verifyReceipt(`${payment.reference}-R1`, db);
    expect(refund).toMatchObject({
      kind: "refund",
      amount: 15_000n,
      refundedSoFar: null,
      paymentReference: payment.reference,
      ledger: { matchesHash: true },
    });

    for (const shown of [view, refund]) {
      const text = json(shown);
      for (const secret of [business.nameAr, business.nameEn, business.registrationNumber!, business.id])
        expect(text).not.toContain(secret);
    }
  });

  test("names the checkpoint once one closes the entry", async () => {
    const payment = await capturedPayment(1_000n);
    const key = platformKeyFromPem(
      generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    );
    let view = await verifyReceipt(payment.reference, db);
    for (let i = 0; i < 50 && !view?.checkpoint; i++) {
      await createCheckpoint(db, key);
      view = await verifyReceipt(payment.reference, db);
      if (!view?.checkpoint) await new Promise((r) => setTimeout(r, 100));
    }
    expect(view!.checkpoint).toMatchObject({
      keyId: key.keyId,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(view!.checkpoint!.signature.length).toBeGreaterThan(80);
  });

  test("an unknown number and a malformed one get the same answer, also from the page", async () => {
    const context = new RouterContextProvider();
    context.set(i18nContext, { lang: "en", t: createI18n("en").t });
    context.set(servicesContext, { database } as unknown as AppServices);
    const ask = async (number: string) => {
      const answer = (await verifyPageLoader({
        params: { number },
        context,
        request: new Request(`http://localhost/verify/receipt/${encodeURIComponent(number)}`),
      } as unknown as Parameters<typeof verifyPageLoader>[0])) as unknown as {
        data: unknown;
        init: { status: number };
      };
      return { status: answer.init?.status, body: json(answer.data) };
    };

    const unknown = await ask("SHF-ZZZZ-ZZZZ");
    expect(unknown.status).toBe(404);
    for (const malformed of [
      "nonsense",
      "SHF-ZZZZ-ZZZZ-R0",
      "SHF-ZZZZ-ZZZZ-R1",
      "<script>",
      "x".repeat(500),
    ]) {
      expect(await verifyReceipt(malformed, db)).toBeNull();
      expect(await ask(malformed)).toEqual(unknown);
    }
    expect(unknown.body).not.toContain("ZZZZ");
  });
});

describe("ledgerEntryMatchesHash", () => {
  test("recomputes the entry from its postings, and notices a change", async () => {
    const payment = await capturedPayment(2_000n);
    const view = await verifyReceipt(payment.reference, db);
    expect(await ledgerEntryMatchesHash(view!.ledger.transactionId, db)).toBe(true);
    // Rewrite a posting behind the ledger's guards (this file's database only).
    await database.sql.begin(async (tx) => {
      await tx`alter table ledger_postings disable trigger user`;
      await tx`update ledger_postings set amount = amount * 2 where transaction_id = ${view!.ledger.transactionId}`;
      await tx`alter table ledger_postings enable trigger user`;
    });
    expect(await ledgerEntryMatchesHash(view!.ledger.transactionId, db)).toBe(false);
    expect((await verifyReceipt(payment.reference, db))!.ledger.matchesHash).toBe(false);
  });
});
