import { eq, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { SealingKeys } from "#app/modules/bids/submit-bid.server.ts";
import {
  capturePayment,
  holdBidSecurity,
  openPayment,
  refundPayment,
  resolveBidSecurity,
} from "#app/modules/payments/payment-ledger.server.ts";
import { recordReceiptIn } from "#app/modules/payments/record-receipt.server.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import type { Db, Tx } from "./client.server.ts";
import { agencyPaymentSettings, appMeta, feeSchedules } from "./schema/index.ts";
import { seedDemoAwards } from "./seed-awards.ts";
import { seedDemoComplaints } from "./seed-complaints.ts";
import { seedDemoContracts } from "./seed-contracts.ts";
import { seedDemoHistory } from "./seed-history.ts";
import { seedDemoPermitActivity } from "./seed-permit-activity.ts";
import { seedDemoPermitTypes } from "./seed-permits.ts";
import { seedDemoTenders } from "./seed-tenders.ts";

const SEEDED_KEY = "demo_seeded_at";

/**
 * The demo data set: two agencies in two currencies (one with three decimals,
 * KWD) and the businesses named in the identity issue. Built with the test factories. Safe to run
 * again: rows are keyed by slug and existing ones are kept.
 */
export async function seedDemoData(
  db: Db,
  keys: SealingKeys,
): Promise<{ organisations: number; users: number; tenders: number }> {
  const seeded = await db.transaction(async (tx) => {
    const orgs = [
      { kind: "platform" as const, slug: "shafaf", nameAr: "منصة شفاف", nameEn: "Shafaf platform" },
      agencyData({
        slug: "ministry-of-public-works",
        nameAr: "وزارة الأشغال العامة",
        nameEn: "Ministry of Public Works",
        country: "KW",
        currency: "KWD",
        timeZone: "Asia/Kuwait",
      }),
      agencyData({
        slug: "capital-municipality",
        nameAr: "أمانة العاصمة",
        nameEn: "Capital Municipality",
        country: "SA",
        currency: "SAR",
        timeZone: "Asia/Riyadh",
      }),
      businessData({ slug: "al-noor-contracting", nameAr: "النور للمقاولات", nameEn: "Al Noor Contracting" }),
      businessData({ slug: "gulf-build", nameAr: "الخليج للبناء", nameEn: "Gulf Build" }),
      businessData({
        slug: "sahara-it-solutions",
        nameAr: "الصحراء لحلول تقنية المعلومات",
        nameEn: "Sahara IT Solutions",
        country: "SA",
        currency: "SAR",
        timeZone: "Asia/Riyadh",
      }),
      businessData({
        slug: "newco-trading",
        nameAr: "نيوكو للتجارة",
        nameEn: "NewCo Trading",
        sector: "supplies",
        verification: "pending",
      }),
    ];
    const ids = new Map<string, string>();
    for (const org of orgs) {
      const row = await createOrganisation(
        tx,
        { country: "KW", currency: "KWD", timeZone: "Asia/Kuwait", ...org },
        { onConflict: "keep" },
      );
      ids.set(row.slug, row.id);
    }
    const member = (slug: string, ...roles: string[]) => [{ organisationId: ids.get(slug)!, roles }];
    // Every demo account has the password "shafaf-demo-2026" (tests/factories/users.ts).
    const accounts: Array<[string, string, ReturnType<typeof member> | [], "ar" | "en"]> = [
      ["admin@shafaf.test", "مدير المنصة", member("shafaf", "platform_admin"), "ar"],
      [
        "agencyadmin@works.gov.test",
        "مدير الوزارة",
        member("ministry-of-public-works", "agency_admin"),
        "ar",
      ],
      [
        "officer1@works.gov.test",
        "سارة العتيبي",
        member("ministry-of-public-works", "procurement_officer"),
        "ar",
      ],
      [
        "officer2@works.gov.test",
        "Omar Haddad",
        member("ministry-of-public-works", "procurement_officer"),
        "en",
      ],
      ["evaluator1@works.gov.test", "نورة الشمري", member("ministry-of-public-works", "evaluator"), "ar"],
      ["evaluator2@works.gov.test", "خالد المطيري", member("ministry-of-public-works", "evaluator"), "ar"],
      ["evaluator3@works.gov.test", "Layla Nasser", member("ministry-of-public-works", "evaluator"), "en"],
      ["approver@works.gov.test", "فهد الرشيد", member("ministry-of-public-works", "approver"), "ar"],
      ["finance@works.gov.test", "ريم الكندري", member("ministry-of-public-works", "finance_officer"), "ar"],
      [
        "finance2@works.gov.test",
        "سارة العتيبي",
        member("ministry-of-public-works", "finance_officer"),
        "ar",
      ],
      [
        "licensing@works.gov.test",
        "يوسف العنزي",
        member("ministry-of-public-works", "licensing_officer"),
        "ar",
      ],
      ["agencyadmin@capital.gov.test", "مدير الأمانة", member("capital-municipality", "agency_admin"), "ar"],
      [
        "officer1@capital.gov.test",
        "عبدالله القحطاني",
        member("capital-municipality", "procurement_officer"),
        "ar",
      ],
      [
        "officer2@capital.gov.test",
        "Mona Saleh",
        member("capital-municipality", "procurement_officer"),
        "en",
      ],
      [
        "licensing@capital.gov.test",
        "هند الدوسري",
        member("capital-municipality", "licensing_officer"),
        "ar",
      ],
      ["finance@capital.gov.test", "ماجد الغامدي", member("capital-municipality", "finance_officer"), "ar"],
      ["evaluator1@capital.gov.test", "هيفاء العمري", member("capital-municipality", "evaluator"), "ar"],
      ["evaluator2@capital.gov.test", "Rami Khalil", member("capital-municipality", "evaluator"), "en"],
      ["approver@capital.gov.test", "بدر السبيعي", member("capital-municipality", "approver"), "ar"],
      ["owner@alnoor.test", "أحمد النوري", member("al-noor-contracting", "owner"), "ar"],
      ["bidder@alnoor.test", "Samir Aziz", member("al-noor-contracting", "bidder"), "en"],
      ["finance@alnoor.test", "منى الحربي", member("al-noor-contracting", "finance"), "ar"],
      ["owner@gulfbuild.test", "Tariq Mansour", member("gulf-build", "owner"), "en"],
      ["owner@sahara-it.test", "ليلى الزهراني", member("sahara-it-solutions", "owner"), "ar"],
      ["owner@newco.test", "Karim Fawzi", member("newco-trading", "owner"), "en"],
      ["investor@shafaf.test", "مستثمر تجريبي", [], "ar"],
    ];
    const userIds = new Map<string, string>();
    for (const [email, displayName, memberships, language] of accounts) {
      userIds.set(email, (await createUser(tx, { email, displayName, language, memberships })).id);
    }
    const [first] = await tx
      .insert(appMeta)
      .values({ key: SEEDED_KEY, value: sql`to_jsonb(now())` })
      .onConflictDoNothing()
      .returning();
    if (first) {
      await seedDemoMoney(tx, ids);
      await seedPaymentSetup(tx, ids, userIds);
      await recordAudit(tx, {
        actorUserId: null,
        action: "platform.demo_data_seeded",
        details: { organisations: orgs.length, users: accounts.length },
      });
    }
    return { organisations: orgs.length, users: accounts.length, firstTime: Boolean(first) };
  });
  if (seeded.firstTime) {
    await seedDemoPermitTypes(db);
    await seedDemoPermitActivity(db);
    await seedDemoHistory(db);
  }
  // Tenders need time to pass (deadlines close after their bids): outside that transaction.
  const tenders = seeded.firstTime
    ? (await seedDemoTenders(db, keys)) +
      (await seedDemoComplaints(db, keys)) +
      (await seedDemoAwards(db, keys))
    : 0;
  if (seeded.firstTime) await seedDemoContracts(db, keys);
  return { organisations: seeded.organisations, users: seeded.users, tenders };
}

/**
 * Money for the demo, in both currencies: fees paid and received, a partial
 * refund, bid securities held, one released. Posted through the ledger module
 * like any real payment, so `npm run ledger:verify` checks it.
 */
async function seedDemoMoney(tx: Tx, ids: Map<string, string>): Promise<void> {
  const system = { userId: null };
  const works = ids.get("ministry-of-public-works")!;
  const capital = ids.get("capital-municipality")!;
  const pay = async (payer: string, payee: string, feeType: string, currency: string, amount: bigint) => {
    const payment = await openPayment(
      { payerId: ids.get(payer)!, payeeId: payee, feeType, currency, amount, method: "bank_transfer" },
      tx,
    );
    return capturePayment({ paymentId: payment.id, actor: system }, tx);
  };
  await pay("al-noor-contracting", works, "tender_document", "KWD", 25_000n); // 25.000 KWD
  await pay("gulf-build", works, "tender_document", "KWD", 25_000n);
  const duplicate = await pay("al-noor-contracting", works, "bid_submission", "KWD", 10_500n); // 10.500 KWD
  await pay("sahara-it-solutions", capital, "permit", "SAR", 75_000n); // 750.00 SAR
  await refundPayment(
    {
      paymentId: duplicate.id,
      amount: 10_500n,
      reason: "duplicate_payment",
      idempotencyKey: "demo-refund-1",
      actor: system,
    },
    tx,
  );
  const hold = await holdBidSecurity(
    {
      businessId: ids.get("al-noor-contracting")!,
      agencyId: works,
      currency: "KWD",
      amount: 500_000n,
      subject: "demo-bid-1",
      actor: system,
    },
    tx,
  );
  await holdBidSecurity(
    {
      businessId: ids.get("gulf-build")!,
      agencyId: works,
      currency: "KWD",
      amount: 500_000n,
      subject: "demo-bid-2",
      actor: system,
    },
    tx,
  );
  await resolveBidSecurity({ holdId: hold.id, outcome: "released", actor: system }, tx);
}

/**
 * What each demo agency charges and how to pay it, and payments still open:
 * one awaiting a transfer, one whose receipt awaits the second finance officer.
 */
async function seedPaymentSetup(
  tx: Tx,
  ids: Map<string, string>,
  userIds: Map<string, string>,
): Promise<void> {
  const works = ids.get("ministry-of-public-works")!;
  const capital = ids.get("capital-municipality")!;
  const fixed = (amount: bigint) => ({
    calculation: "fixed" as const,
    fixedAmount: amount,
    rateBasisPoints: null,
    minimumAmount: null,
    maximumAmount: null,
  });
  const percent = (basisPoints: number, minimumAmount: bigint, maximumAmount: bigint) => ({
    calculation: "percentage" as const,
    fixedAmount: null,
    rateBasisPoints: basisPoints,
    minimumAmount,
    maximumAmount,
  });
  await tx.insert(feeSchedules).values([
    { agencyId: works, currency: "KWD", feeType: "tender_document", ...fixed(25_000n) },
    { agencyId: works, currency: "KWD", feeType: "bid_submission", ...fixed(10_500n) },
    { agencyId: works, currency: "KWD", feeType: "bid_security", ...percent(200, 100_000n, 5_000_000n) },
    { agencyId: works, currency: "KWD", feeType: "complaint", ...percent(50, 50_000n, 1_000_000n) },
    { agencyId: capital, currency: "SAR", feeType: "tender_document", ...fixed(50_000n) },
    { agencyId: capital, currency: "SAR", feeType: "complaint", ...fixed(100_000n) },
    {
      agencyId: capital,
      currency: "SAR",
      feeType: "permit",
      subject: "commercial-licence",
      ...fixed(75_000n),
    },
    { agencyId: capital, currency: "SAR", feeType: "permit", subject: "building-permit", ...fixed(150_000n) },
    {
      agencyId: capital,
      currency: "SAR",
      feeType: "permit",
      subject: "food-establishment",
      ...fixed(50_000n),
    },
  ]);
  await tx.insert(agencyPaymentSettings).values([
    {
      agencyId: works,
      bankName: "Gulf Commercial Bank",
      accountName: "Ministry of Public Works – Revenue",
      iban: "KW81CBKU0000000000001234560101",
      counterAr:
        "صندوق الوزارة، الطابق الأرضي، المبنى (أ)، من الأحد إلى الخميس، من الساعة 8:00 حتى الساعة 13:00",
      counterEn: "Ministry cashier, ground floor, building A, Sunday to Thursday 8:00–13:00",
      secondOfficerFrom: 100_000n, // 100.000 KWD
    },
    {
      agencyId: capital,
      bankName: "Riyadh Municipal Bank",
      accountName: "Capital Municipality – Fees",
      iban: "SA0380000000608010167519",
      counterAr: "مراكز خدمة الأمانة في جميع البلديات الفرعية",
      counterEn: "Municipality service centres in every district office",
      secondOfficerFrom: 1_000_000n, // 10,000.00 SAR
    },
  ]);
  const open = (payer: string, payee: string, feeType: string, currency: string, amount: bigint) =>
    openPayment(
      { payerId: ids.get(payer)!, payeeId: payee, feeType, currency, amount, method: "bank_transfer" },
      tx,
    );
  await open("al-noor-contracting", works, "tender_document", "KWD", 25_000n);
  await open("sahara-it-solutions", capital, "permit", "SAR", 150_000n);
  const security = await open("gulf-build", works, "bid_security", "KWD", 150_000n);
  await recordReceiptIn(tx, {
    paymentId: security.id,
    amount: security.amount,
    bankReference: "GCB-2026-118204",
    receivedOn: new Date().toISOString().slice(0, 10),
    source: "manual",
    agencyId: works,
    userId: userIds.get("finance@works.gov.test")!,
  });
}

/** Whether the demo data was ever seeded into this database (the first start seeds it once). */
export async function isSeeded(db: Db): Promise<boolean> {
  const row = await db.query.appMeta.findFirst({ where: eq(appMeta.key, SEEDED_KEY) });
  return row !== undefined;
}
