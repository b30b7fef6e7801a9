import { eq, sql } from "drizzle-orm";
import { capturePayment } from "#app/modules/payments/payment-ledger.server.ts";
import { requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import { feeSubjectOf } from "#app/modules/permits/application-fee.server.ts";
import { agencyCode } from "#app/modules/tenders/tender-rules.ts";
import { businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { addDays, createPermit, createPermitApplication, isoDate } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import type { Db } from "./client.server.ts";
import {
  type ApplicationEventKind,
  organisations,
  type PermitType,
  permitApplicationEvents,
  permitEvents,
  permitInspections,
  permits,
  permitTypes,
  users,
} from "./schema/index.ts";
import { DEMO_PERMIT_CODES as C } from "./seed-permits.ts";

/**
 * Demo permit activity on top of the catalogue: a food business (Al Bustan
 * Bakery) holding the commercial licence its food licence needs, permits in
 * every state (valid, close to its end and open for renewal, suspended,
 * revoked, expired in its grace period, issued on a parent licence), and
 * applications in the officers' queue at each step (submitted, in review and
 * late, information requested, inspection scheduled), plus decided ones so
 * the service-level figures have history. Past dates are written directly;
 * the timelines match what the use cases would have written.
 */
export async function seedDemoPermitActivity(db: Db): Promise<number> {
  const toPay: Array<{ applicationId: string; payerId: string; agencyId: string; code: string }> = [];
  const count = await db.transaction(async (tx) => {
    const org = async (slug: string) =>
      (await tx.query.organisations.findFirst({ where: eq(organisations.slug, slug) }))!;
    const user = async (email: string) =>
      (await tx.query.users.findFirst({ where: eq(users.email, email) }))!;
    const type = async (code: string) =>
      (await tx.query.permitTypes.findFirst({ where: eq(permitTypes.code, code) }))!;

    const capital = await org("capital-municipality");
    const works = await org("ministry-of-public-works");
    const bakery = await createOrganisation(
      tx,
      businessData({
        slug: "al-bustan-bakery",
        nameAr: "مخابز البستان",
        nameEn: "Al Bustan Bakery",
        sector: "food",
        country: "SA",
        currency: "SAR",
        timeZone: "Asia/Riyadh",
      }),
      { onConflict: "keep" },
    );
    await createUser(tx, {
      email: "owner@bustan.test",
      displayName: "سلمان البستان",
      language: "ar",
      memberships: [{ organisationId: bakery.id, roles: ["owner"] }],
    });
    // Two-officer approvals need a second licensing officer in each agency.
    await createUser(tx, {
      email: "licensing2@capital.gov.test",
      displayName: "Omar Haddad",
      language: "en",
      memberships: [{ organisationId: capital.id, roles: ["licensing_officer"] }],
    });
    await createUser(tx, {
      email: "licensing2@works.gov.test",
      displayName: "دانة الصباح",
      language: "ar",
      memberships: [{ organisationId: works.id, roles: ["licensing_officer"] }],
    });
    const capitalOfficer = await user("licensing@capital.gov.test");
    const capitalOfficer2 = await user("licensing2@capital.gov.test");
    const worksOfficer = await user("licensing@works.gov.test");

    const today = isoDate(new Date());
    let sequence = 0;
    const numberFor = async (t: PermitType, agencySlug: string, validFrom: string) =>
      `${agencyCode(agencySlug)}-${agencyCode(t.code)}-${validFrom.slice(0, 4)}-${String(++sequence).padStart(6, "0")}`;

    /** An issued permit with its history, valid `from` for the type's months unless `until` says otherwise. */
    const issue = async (
      holderSlug: string,
      code: string,
      opts: {
        from: string;
        until?: string;
        parentId?: string;
        status?: "valid" | "suspended" | "revoked" | "expired";
        reason?: string;
        fields?: Record<string, string>;
      },
    ) => {
      const t = await type(code);
      const holder = await org(holderSlug);
      const agency = t.agencyId === capital.id ? capital : works;
      const officer = t.agencyId === capital.id ? capitalOfficer : worksOfficer;
      const until = opts.until ?? addDays(addMonths(opts.from, t.validityMonths), -1);
      // The application that led to it, decided a little inside its service level.
      const owner = (
        await tx.execute<{ user_id: string }>(
          sql`select user_id from memberships where organisation_id = ${holder.id} and 'owner' = any(roles) limit 1`,
        )
      )[0]!.user_id;
      const decided = sql`${opts.from}::date + time '08:00'`;
      const submitted = sql`${opts.from}::date + time '08:00' - make_interval(days => ${t.serviceLevelDays})`;
      const application = await createPermitApplication(tx, {
        permitTypeId: t.id,
        businessId: holder.id,
        createdBy: owner,
        reference: `APP-${opts.from.slice(0, 4)}-${String(++sequence).padStart(4, "0")}-DEMO`,
        status: "issued",
        fields: opts.fields ?? {},
        submittedAt: submitted as never,
        dueAt: sql`${submitted} + make_interval(days => ${Math.ceil((t.serviceLevelDays * 7) / 5)})` as never,
        decidedAt: decided as never,
        assignedTo: officer.id,
        approvedBy: officer.id,
      });
      for (const [i, kind] of (
        ["created", "submitted", "assigned", "review_started", "approved", "issued"] as const
      ).entries())
        await tx.insert(permitApplicationEvents).values({
          applicationId: application.id,
          kind,
          actorId: i < 2 ? owner : officer.id,
          at: sql`${submitted} + make_interval(mins => ${i * 30}) + make_interval(days => ${i >= 4 ? t.serviceLevelDays : 0})` as never,
        });
      const permit = await createPermit(tx, {
        applicationId: application.id,
        permitTypeId: t.id,
        holderId: holder.id,
        issuedBy: officer.id,
        number: await numberFor(t, agency.slug, opts.from),
        validFrom: opts.from,
        validUntil: until,
        parentPermitId: opts.parentId ?? null,
        status: opts.status ?? "valid",
        statusReason: opts.reason ?? null,
        fields: opts.fields ?? {},
        issuedAt: sql`${opts.from}::date + time '09:00'` as never,
      });
      await tx.insert(permitEvents).values({
        permitId: permit.id,
        kind: "issued",
        validUntilAfter: until,
        actorId: officer.id,
        at: sql`${opts.from}::date + time '09:00'` as never,
      });
      if (opts.status && opts.status !== "valid")
        await tx.insert(permitEvents).values({
          permitId: permit.id,
          kind: opts.status,
          reason: opts.reason ?? null,
          actorId: opts.status === "expired" ? null : officer.id,
        });
      return permit;
    };

    const bakeryLicence = await issue("al-bustan-bakery", C.commercialLicence, {
      from: addDays(today, -60),
      fields: { trade_name: "مخابز البستان", activity: "retail", plot_number: "214-0831", floor_area: "140" },
    });
    const alNoorLicence = await issue("al-noor-contracting", C.commercialLicence, {
      from: addDays(addMonths(today, -12), 21),
      fields: {
        trade_name: "Al Noor Contracting",
        activity: "services",
        plot_number: "118-2207",
        floor_area: "320",
      },
    });
    await issue("al-noor-contracting", C.contractorClassification, {
      from: addDays(today, -200),
      parentId: alNoorLicence.id,
    });
    const gulfLicence = await issue("gulf-build", C.commercialLicence, {
      from: addDays(today, -150),
      fields: { trade_name: "Gulf Build", activity: "services", plot_number: "305-1190", floor_area: "210" },
    });
    await issue("gulf-build", C.signagePermit, {
      from: addDays(today, -90),
      parentId: gulfLicence.id,
      status: "suspended",
      reason:
        "اللوحة مركّبة فوق ممر المشاة بخلاف المخطط المعتمد — Sign mounted over the footway, unlike the approved drawing.",
    });
    await issue("gulf-build", C.contractorClassification, {
      from: addDays(today, -400),
      until: addDays(today, -35),
      status: "revoked",
      reason:
        "تصنيف مبني على شهادات خبرة غير صحيحة — Classification obtained with false experience certificates.",
    });
    await issue("sahara-it-solutions", C.commercialLicence, {
      from: addDays(addMonths(today, -12), -10),
      status: "expired",
    });

    /** An application written as the use cases would have left it at `status`, with its timeline. */
    const apply = async (
      holderSlug: string,
      code: string,
      status:
        | "submitted"
        | "in_review"
        | "information_requested"
        | "inspection_scheduled"
        | "issued"
        | "rejected",
      opts: {
        submittedDaysAgo: number;
        decidedDaysAgo?: number;
        fields: Record<string, string>;
        steps?: Array<[ApplicationEventKind, string?]>;
        assigned?: boolean;
        reason?: string;
      },
    ) => {
      const t = await type(code);
      const holder = await org(holderSlug);
      const owner = (
        await tx.execute<{ user_id: string }>(
          sql`select user_id from memberships where organisation_id = ${holder.id} and 'owner' = any(roles) limit 1`,
        )
      )[0]!.user_id;
      const officer = t.agencyId === capital.id ? capitalOfficer : worksOfficer;
      const submitted = sql`now() - make_interval(days => ${opts.submittedDaysAgo})`;
      const application = await createPermitApplication(tx, {
        permitTypeId: t.id,
        businessId: holder.id,
        createdBy: owner,
        reference: `APP-${today.slice(0, 4)}-${String(++sequence).padStart(4, "0")}-DEMO`,
        status,
        fields: opts.fields,
        submittedAt: submitted as never,
        // Working days are counted properly by the use cases; the demo approximates with calendar days.
        dueAt:
          sql`now() - make_interval(days => ${opts.submittedDaysAgo}) + make_interval(days => ${Math.ceil((t.serviceLevelDays * 7) / 5)})` as never,
        clockStoppedAt: status === "information_requested" ? (sql`now() - interval '1 day'` as never) : null,
        assignedTo: opts.assigned || status !== "submitted" ? officer.id : null,
        decidedAt:
          opts.decidedDaysAgo === undefined
            ? null
            : (sql`now() - make_interval(days => ${opts.decidedDaysAgo})` as never),
        decisionReason: opts.reason ?? null,
        approvedBy: status === "issued" ? officer.id : null,
      });
      toPay.push({ applicationId: application.id, payerId: holder.id, agencyId: t.agencyId, code: t.code });
      const steps: Array<[ApplicationEventKind, string?]> = [
        ["created"],
        ["submitted"],
        ...(opts.steps ?? []),
      ];
      for (const [i, [kind, note]] of steps.entries())
        await tx.insert(permitApplicationEvents).values({
          applicationId: application.id,
          kind,
          note: note ?? null,
          actorId:
            kind === "created" || kind === "submitted" || kind === "information_provided"
              ? owner
              : officer.id,
          at: sql`now() - make_interval(days => ${opts.submittedDaysAgo}) + make_interval(mins => ${i * 90})` as never,
        });
      return application;
    };

    await apply("al-bustan-bakery", C.signagePermit, "submitted", {
      submittedDaysAgo: 1,
      fields: {
        sign_text_ar: "مخابز البستان",
        sign_text_en: "Al Bustan Bakery",
        width_m: "4",
        height_m: "1.2",
      },
    });
    await apply("sahara-it-solutions", C.engineeringOffice, "in_review", {
      submittedDaysAgo: 20,
      fields: {},
      steps: [["assigned"], ["review_started"]],
    });
    await apply("gulf-build", C.buildingPermit, "information_requested", {
      submittedDaysAgo: 4,
      fields: { plot_number: "305-1190", floors: "3", built_area: "640" },
      steps: [
        ["assigned"],
        ["review_started"],
        [
          "information_requested",
          "يرجى إرفاق المخطط الإنشائي موقّعًا من المكتب الهندسي — Please attach the structural drawing signed by the engineering office.",
        ],
      ],
    });
    const excavation = await apply("al-noor-contracting", C.roadExcavation, "inspection_scheduled", {
      submittedDaysAgo: 3,
      fields: { road_name: "شارع الخليج العربي", length_m: "120", depth_m: "1.5", duration_days: "14" },
      steps: [["assigned"], ["review_started"], ["inspection_scheduled", "شارع الخليج العربي، قطعة 7"]],
    });
    await tx.insert(permitInspections).values({
      applicationId: excavation.id,
      scheduledFor: sql`date_trunc('hour', now()) + interval '2 days 3 hours'` as never,
      location: "شارع الخليج العربي، قطعة 7 — Arabian Gulf Street, block 7",
      inspectorId: worksOfficer.id,
      scheduledBy: worksOfficer.id,
    });
    // A decided one that was refused, for the service-level figures (the issued ones are above).
    await apply("newco-trading", C.commercialLicence, "rejected", {
      submittedDaysAgo: 30,
      decidedDaysAgo: 22,
      fields: {},
      reason:
        "النشاط غير مسموح به في استعمال أرض القطعة — The activity is not allowed by the plot's land use.",
      steps: [
        ["assigned"],
        ["review_started"],
        [
          "rejected",
          "النشاط غير مسموح به في استعمال أرض القطعة — The activity is not allowed by the plot's land use.",
        ],
      ],
    });
    void capitalOfficer2;
    void bakeryLicence;
    return (await tx.select({ n: sql<number>`count(*)::int` }).from(permits))[0]!.n;
  });
  // Submitted applications have paid their fee, through the fee gate and the ledger like any other.
  for (const a of toPay) {
    const payment = await requestFeePayment(
      {
        payerId: a.payerId,
        agencyId: a.agencyId,
        feeType: "permit",
        subject: feeSubjectOf(a.applicationId),
        scheduleSubject: a.code,
      },
      db,
    ).catch(() => null);
    if (payment)
      await db.transaction((tx) => capturePayment({ paymentId: payment.id, actor: { userId: null } }, tx));
  }
  return count;
}

/** `months` calendar months after a date (the 31st becomes the month's last day). */
function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return isoDate(target);
}
