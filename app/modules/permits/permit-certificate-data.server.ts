import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { organisations, permits, permitTypes } from "#db/schema/index.ts";
import type { PermitFieldSpec } from "#db/schema/permit-kinds.ts";
import { effectivePermitStatus, normalisePermitNumber } from "./permit-status.ts";
import type { CertificateField, PermitCertificateDocument } from "./render-permit-certificate.server.ts";

const agencies = alias(organisations, "agency");
const holders = alias(organisations, "holder");
const parents = alias(permits, "parent");

// A certificate is one page: a type with a long form prints its first
// answers, each cut to a line or two. The full answers stay on the application.
const MAX_FIELDS = 10;
const MAX_VALUE = 120;

/**
 * The answers worth printing on the certificate, in the form's order, with
 * their labels in both languages: only fields the permit type defines
 * (never a stray key), only answered ones, and no long free text (a
 * `textarea` is an explanation for the reviewer, not a term of the permit).
 * A select prints its option's label, in each language.
 */
export function certificateFields(
  specs: readonly PermitFieldSpec[],
  values: Readonly<Record<string, string>>,
): CertificateField[] {
  const printed: CertificateField[] = [];
  for (const spec of specs) {
    if (spec.type === "textarea") continue;
    const raw = values[spec.key]?.trim();
    if (!raw) continue;
    const option = spec.type === "select" ? spec.options?.find((o) => o.value === raw) : undefined;
    const clip = (text: string) => {
      const chars = Array.from(text);
      return chars.length <= MAX_VALUE ? text : `${chars.slice(0, MAX_VALUE - 1).join("")}…`;
    };
    printed.push({
      labelAr: spec.labelAr,
      labelEn: spec.labelEn,
      value: option
        ? { ar: clip(option.labelAr), en: clip(option.labelEn) }
        : { ar: clip(raw), en: clip(raw) },
    });
    if (printed.length === MAX_FIELDS) break;
  }
  return printed;
}

/**
 * May this actor hold the certificate? Members of the holding business and
 * of the issuing agency, acting for it at the moment of asking.
 */
function mayHold(actor: Extract<Actor, { type: "user" }>, holderId: string, agencyId: string): boolean {
  const acting = actor.membership?.organisationId;
  return acting !== undefined && (acting === holderId || acting === agencyId);
}

/**
 * The printable certificate of a permit, whatever its status (the status at
 * the time of printing is on it, and its QR code leads to the live one).
 * Anyone but the holder's and the issuing agency's members gets NOT_FOUND,
 * exactly as for a number that does not exist, so a permit's existence does
 * not leak through this route (the public check is /verify/permit).
 */
export async function permitCertificateFor(
  actor: Actor,
  number: string,
  db: Queryable,
  options: { baseUrl: string },
): Promise<PermitCertificateDocument> {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const normalised = normalisePermitNumber(number);
  if (!normalised) throw new AppError("NOT_FOUND");
  const [row] = await db
    .select({
      number: permits.number,
      storedStatus: permits.status,
      validityEnded: sql<boolean>`now() >= ${permits.expiresAt}`,
      validFrom: permits.validFrom,
      validUntil: permits.validUntil,
      fields: permits.fields,
      issuedOn: sql<string>`to_char(${permits.issuedAt} at time zone ${agencies.timeZone}, 'YYYY-MM-DD')`,
      printedAt: sql<string>`to_char(now() at time zone ${agencies.timeZone}, 'YYYY-MM-DD HH24:MI')`,
      timeZone: agencies.timeZone,
      typeNameAr: permitTypes.nameAr,
      typeNameEn: permitTypes.nameEn,
      typeFields: permitTypes.fields,
      agencyId: agencies.id,
      agencyNameAr: agencies.nameAr,
      agencyNameEn: agencies.nameEn,
      holderId: holders.id,
      holderNameAr: holders.nameAr,
      holderNameEn: holders.nameEn,
      registrationNumber: holders.registrationNumber,
      parentNumber: parents.number,
    })
    .from(permits)
    .innerJoin(permitTypes, eq(permitTypes.id, permits.permitTypeId))
    .innerJoin(agencies, eq(agencies.id, permitTypes.agencyId))
    .innerJoin(holders, eq(holders.id, permits.holderId))
    .leftJoin(parents, eq(parents.id, permits.parentPermitId))
    .where(eq(permits.number, normalised));
  if (!row || !mayHold(actor, row.holderId, row.agencyId)) throw new AppError("NOT_FOUND");

  return {
    number: row.number,
    status: effectivePermitStatus(row.storedStatus, row.validityEnded),
    permitType: { nameAr: row.typeNameAr, nameEn: row.typeNameEn },
    agency: { nameAr: row.agencyNameAr, nameEn: row.agencyNameEn },
    holder: {
      nameAr: row.holderNameAr,
      nameEn: row.holderNameEn,
      registrationNumber: row.registrationNumber,
    },
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    issuedOn: row.issuedOn,
    parentPermitNumber: row.parentNumber,
    fields: certificateFields(row.typeFields, row.fields),
    printedAt: `${row.printedAt} (${row.timeZone})`,
    verifyUrl: `${options.baseUrl.replace(/\/+$/, "")}/verify/permit/${encodeURIComponent(row.number)}`,
  };
}
