import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { Language } from "#app/modules/i18n/i18n.ts";
import { queueEmail } from "#app/modules/notifications/queue-email.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import {
  memberships,
  type Organisation,
  organisationDocuments,
  organisations,
  storedFiles,
  type User,
  users,
} from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";
import { COUNTRIES, type CountryCode, type Sector } from "./countries.ts";
import { issueEmailToken } from "./email-tokens.server.ts";
import { checkPassword, passwordError } from "./password-policy.ts";
import { hashPassword } from "./passwords.server.ts";

export interface RegisterBusiness {
  actor: Actor;
  /** Needed when the person registering has no account yet: it is created with the business. */
  account?: { displayName: string; email: string; password: string; language: Language };
  business: {
    nameAr: string;
    nameEn: string;
    registrationNumber: string;
    taxNumber: string;
    country: CountryCode;
    sector: Sector;
    address: string;
    contactEmail: string;
    contactPhone: string;
  };
  /** Uploaded documents (already in the file store), with what each one is. */
  documents: Array<{ fileId: string; kind: "commercial_registration" | "tax_certificate" | "other" }>;
  ip: string | null;
  baseUrl: string;
}

function slugFor(nameEn: string): string {
  const base =
    nameEn
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "business";
  return `${base}-${randomBytes(3).toString("hex")}`;
}

async function createAccount(
  tx: Tx,
  account: NonNullable<RegisterBusiness["account"]>,
  passwordHash: string,
  baseUrl: string,
) {
  const email = account.email.trim();
  const taken = await tx.query.users.findFirst({ where: sql`lower(${users.email}) = lower(${email})` });
  if (taken) throw new AppError("EMAIL_TAKEN", {}, { field: "email" });
  const [user] = await tx
    .insert(users)
    .values({ email, displayName: account.displayName.trim(), passwordHash, language: account.language })
    .returning();
  const token = await issueEmailToken(tx, user!.id, "verify_email");
  await queueEmail(tx, {
    to: email,
    language: account.language,
    template: "verifyEmail",
    params: { name: user!.displayName, link: `${baseUrl}/verify-email/${token}` },
  });
  return user!;
}

/**
 * Register a business. The person registering becomes its owner (their
 * account is created here if they have none). The business starts "pending":
 * it can browse and prepare, but cannot bid or apply until a platform admin
 * verifies it. Everything — account, business, membership, documents, e-mail,
 * audit event — commits together or not at all.
 */
export async function registerBusiness(
  input: RegisterBusiness,
  db: Db,
): Promise<{ organisation: Organisation; user: User; newAccount: boolean }> {
  if (input.actor.type === "anonymous" && !input.account) throw new AppError("UNAUTHENTICATED");
  if (!input.documents.some((d) => d.kind === "commercial_registration"))
    throw new AppError("DOCUMENTS_REQUIRED", {}, { field: "commercialRegistration" });
  let passwordHash: string | undefined;
  if (input.actor.type === "anonymous" && input.account) {
    const problem = checkPassword(input.account.password, {
      userInputs: [input.account.email, input.account.displayName],
    });
    if (problem) throw passwordError(problem);
    passwordHash = await hashPassword(input.account.password);
  }
  const { country } = input.business;
  const registrationNumber = input.business.registrationNumber.trim().toUpperCase();

  try {
    return await db.transaction(async (tx) => {
      const user =
        input.actor.type === "user"
          ? (await tx.query.users.findFirst({ where: eq(users.id, input.actor.userId) }))!
          : await createAccount(tx, input.account!, passwordHash!, input.baseUrl);
      const duplicate = await tx.query.organisations.findFirst({
        where: and(
          eq(organisations.country, country),
          eq(organisations.registrationNumber, registrationNumber),
        ),
      });
      if (duplicate) throw new AppError("REGISTRATION_NUMBER_TAKEN", {}, { field: "registrationNumber" });

      const [organisation] = await tx
        .insert(organisations)
        .values({
          kind: "business",
          slug: slugFor(input.business.nameEn),
          nameAr: input.business.nameAr.trim(),
          nameEn: input.business.nameEn.trim(),
          country,
          currency: COUNTRIES[country].currency,
          timeZone: COUNTRIES[country].timeZone,
          registrationNumber,
          taxNumber: input.business.taxNumber.trim(),
          sector: input.business.sector,
          address: input.business.address.trim(),
          contactEmail: input.business.contactEmail.trim(),
          contactPhone: input.business.contactPhone.trim(),
          verification: "pending",
        })
        .returning();
      await tx
        .insert(memberships)
        .values({ userId: user.id, organisationId: organisation!.id, roles: ["owner"] });

      const fileIds = input.documents.map((d) => d.fileId);
      const attached = await tx
        .update(storedFiles)
        .set({ attachedAt: sql`now()` })
        .where(and(inArray(storedFiles.id, fileIds), isNull(storedFiles.attachedAt)))
        .returning({ id: storedFiles.id });
      if (attached.length !== fileIds.length) throw new AppError("VALIDATION");
      await tx.insert(organisationDocuments).values(
        input.documents.map((d) => ({
          organisationId: organisation!.id,
          fileId: d.fileId,
          kind: d.kind,
          uploadedBy: user.id,
        })),
      );
      await recordAudit(tx, {
        actorUserId: user.id,
        organisationId: organisation!.id,
        action: "business.registered",
        objectType: "organisation",
        objectId: organisation!.id,
        ip: input.ip,
        details: { registrationNumber, country, documents: input.documents.length },
      });
      return { organisation: organisation!, user, newAccount: input.actor.type === "anonymous" };
    });
  } catch (e) {
    // Two registrations of the same number at once: the unique index decides.
    const pg = postgresErrorOf(e);
    if (pg?.code === "23505" && (pg.constraint ?? pg.message).includes("organisations_registration_key"))
      throw new AppError("REGISTRATION_NUMBER_TAKEN", {}, { field: "registrationNumber" });
    throw e;
  }
}
