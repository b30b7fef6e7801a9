import { and, asc, eq } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { parseAmount } from "#app/modules/ledger/money.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import {
  type AgencyPaymentSettings,
  agencyPaymentSettings,
  FEE_TYPES,
  type FeeSchedule,
  type FeeType,
  feeSchedules,
} from "#db/schema/index.ts";
import { financeAgencyOf } from "./agency-scope.server.ts";
import { computeFee, parseRate } from "./fee-calculation.ts";

/** The agency the actor acts for, when it may keep that agency's payment settings. */
async function agencyOf(actor: Actor, db: Queryable) {
  return (await financeAgencyOf(actor, "payments:configure", db)).agency;
}

/** An agency's fee schedule: public, like any published tariff. */
export function listFeeSchedules(agencyId: string, db: Queryable): Promise<FeeSchedule[]> {
  return db
    .select()
    .from(feeSchedules)
    .where(eq(feeSchedules.agencyId, agencyId))
    .orderBy(asc(feeSchedules.feeType), asc(feeSchedules.subject));
}

export interface FeeScheduleForm {
  feeType: string;
  subject?: string;
  calculation: string;
  amount?: string;
  rate?: string;
  minimum?: string;
  maximum?: string;
}

/**
 * Create or replace one line of the acting agency's fee schedule. Amounts are
 * typed in the agency's currency as people write them ("12.500", "١٢٫٥").
 */
export async function saveFeeSchedule(
  input: { actor: Actor; form: FeeScheduleForm; ip?: string | null },
  db: Db,
): Promise<FeeSchedule> {
  const agency = await agencyOf(input.actor, db);
  const { form } = input;
  if (!FEE_TYPES.includes(form.feeType as FeeType))
    throw new AppError("VALIDATION", {}, { field: "feeType" });
  // Only permit fees are per subject (the permit type); any other fee has one line, with no subject.
  const subject = form.feeType === "permit" ? (form.subject ?? "").trim() : "";
  if (form.feeType === "permit" && !/^[a-z0-9][a-z0-9-]{1,59}$/.test(subject))
    throw new AppError("FEE_SUBJECT_REQUIRED", {}, { field: "subject" });
  const money = (text: string | undefined, field: string, required: boolean) => {
    if (!text?.trim()) {
      if (required) throw new AppError("AMOUNT_INVALID", {}, { field });
      return null;
    }
    const value = parseAmount(text, agency.currency);
    if (value === null || value < 0n || (required && value === 0n))
      throw new AppError("AMOUNT_INVALID", {}, { field });
    return value;
  };
  let values: Pick<
    FeeSchedule,
    "calculation" | "fixedAmount" | "rateBasisPoints" | "minimumAmount" | "maximumAmount"
  >;
  if (form.calculation === "fixed") {
    values = {
      calculation: "fixed",
      fixedAmount: money(form.amount, "amount", true),
      rateBasisPoints: null,
      minimumAmount: null,
      maximumAmount: null,
    };
  } else if (form.calculation === "percentage") {
    const rate = parseRate(form.rate ?? "");
    if (rate === null) throw new AppError("RATE_INVALID", {}, { field: "rate" });
    values = {
      calculation: "percentage",
      fixedAmount: null,
      rateBasisPoints: rate,
      minimumAmount: money(form.minimum, "minimum", false),
      maximumAmount: money(form.maximum, "maximum", false),
    };
    if (
      values.minimumAmount !== null &&
      values.maximumAmount !== null &&
      values.maximumAmount < values.minimumAmount
    )
      throw new AppError("FEE_BOUNDS_INVALID", {}, { field: "maximum" });
  } else {
    throw new AppError("VALIDATION", {}, { field: "calculation" });
  }
  const actorUserId = input.actor.type === "user" ? input.actor.userId : null;
  return db.transaction(async (tx) => {
    const row = {
      agencyId: agency.id,
      feeType: form.feeType as FeeType,
      subject,
      currency: agency.currency,
      ...values,
      updatedBy: actorUserId,
    };
    const [saved] = await tx
      .insert(feeSchedules)
      .values(row)
      .onConflictDoUpdate({
        target: [feeSchedules.agencyId, feeSchedules.feeType, feeSchedules.subject],
        set: { ...values, updatedBy: actorUserId, updatedAt: new Date() },
      })
      .returning();
    await recordAudit(tx, {
      actorUserId,
      organisationId: agency.id,
      action: "fee_schedule.saved",
      objectType: "fee_schedule",
      objectId: saved!.id,
      ip: input.ip ?? null,
      details: {
        feeType: row.feeType,
        subject,
        calculation: values.calculation,
        fixedAmount: values.fixedAmount?.toString() ?? null,
        rateBasisPoints: values.rateBasisPoints,
        minimumAmount: values.minimumAmount?.toString() ?? null,
        maximumAmount: values.maximumAmount?.toString() ?? null,
      },
    });
    return saved!;
  });
}

/** Remove a line of the schedule: that fee is no longer charged. */
export async function removeFeeSchedule(
  input: { actor: Actor; scheduleId: string; ip?: string | null },
  db: Db,
): Promise<void> {
  const agency = await agencyOf(input.actor, db);
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(feeSchedules)
      .where(and(eq(feeSchedules.id, input.scheduleId), eq(feeSchedules.agencyId, agency.id)))
      .returning();
    if (!removed) throw new AppError("NOT_FOUND");
    await recordAudit(tx, {
      actorUserId: input.actor.type === "user" ? input.actor.userId : null,
      organisationId: agency.id,
      action: "fee_schedule.removed",
      objectType: "fee_schedule",
      objectId: removed.id,
      ip: input.ip ?? null,
      details: { feeType: removed.feeType, subject: removed.subject },
    });
  });
}

/**
 * What a fee costs now: the amount and currency from the agency's schedule,
 * for a base amount when the fee is a percentage. Null when the agency does
 * not charge it.
 */
export async function feeFor(
  query: { agencyId: string; feeType: FeeType; subject?: string; base?: bigint | null },
  db: Queryable,
): Promise<{ amount: bigint; currency: string } | null> {
  const [schedule] = await db
    .select()
    .from(feeSchedules)
    .where(
      and(
        eq(feeSchedules.agencyId, query.agencyId),
        eq(feeSchedules.feeType, query.feeType),
        eq(feeSchedules.subject, query.subject ?? ""),
      ),
    );
  if (!schedule) return null;
  if (schedule.calculation === "percentage" && (query.base === undefined || query.base === null))
    throw new AppError("VALIDATION");
  return { amount: computeFee(schedule, query.base), currency: schedule.currency };
}

const NO_SETTINGS = (agencyId: string): AgencyPaymentSettings => ({
  agencyId,
  bankName: "",
  accountName: "",
  iban: "",
  counterAr: "",
  counterEn: "",
  secondOfficerFrom: 0n,
  refundDocumentFeesOnCancellation: true,
  updatedAt: new Date(0),
});

/** How to pay the agency by transfer or at the counter (public: it is printed on every payment). */
export async function paymentSettingsOf(agencyId: string, db: Queryable): Promise<AgencyPaymentSettings> {
  const found = await db.query.agencyPaymentSettings.findFirst({
    where: eq(agencyPaymentSettings.agencyId, agencyId),
  });
  return found ?? NO_SETTINGS(agencyId);
}

/** IBAN check digits (ISO 13616, mod 97): a mistyped account number is caught before anyone pays into it. */
export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  return remainder === 1;
}

export async function savePaymentSettings(
  input: {
    actor: Actor;
    form: {
      bankName: string;
      accountName: string;
      iban: string;
      counterAr: string;
      counterEn: string;
      secondOfficerFrom: string;
    };
    ip?: string | null;
  },
  db: Db,
): Promise<AgencyPaymentSettings> {
  const agency = await agencyOf(input.actor, db);
  const { form } = input;
  const iban = form.iban.replace(/\s+/g, "").toUpperCase();
  if (iban && !isValidIban(iban)) throw new AppError("IBAN_INVALID", {}, { field: "iban" });
  const threshold = form.secondOfficerFrom.trim() ? parseAmount(form.secondOfficerFrom, agency.currency) : 0n;
  if (threshold === null || threshold < 0n)
    throw new AppError("AMOUNT_INVALID", {}, { field: "secondOfficerFrom" });
  const values = {
    bankName: form.bankName.trim(),
    accountName: form.accountName.trim(),
    iban,
    counterAr: form.counterAr.trim(),
    counterEn: form.counterEn.trim(),
    secondOfficerFrom: threshold,
    updatedAt: new Date(),
  };
  return db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(agencyPaymentSettings)
      .values({ agencyId: agency.id, ...values })
      .onConflictDoUpdate({ target: agencyPaymentSettings.agencyId, set: values })
      .returning();
    await recordAudit(tx, {
      actorUserId: input.actor.type === "user" ? input.actor.userId : null,
      organisationId: agency.id,
      action: "payment_settings.saved",
      objectType: "organisation",
      objectId: agency.id,
      ip: input.ip ?? null,
      details: { iban: values.iban, secondOfficerFrom: threshold.toString() },
    });
    return saved!;
  });
}
