import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { LocalDiskStore } from "#app/modules/files/file-store.server.ts";
import { DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { saveUpload } from "#app/modules/files/save-upload.server.ts";
import { emailOutbox, memberships, organisations, storedFiles, users } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { chunked, pdfBytes } from "#tests/factories/files.ts";
import { businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { ANONYMOUS } from "./actor.ts";
import { readOrganisationDocument } from "./read-organisation-document.server.ts";
import { type RegisterBusiness, registerBusiness } from "./register-business.server.ts";
import { decideBusinessVerification, listBusinessesForReview } from "./review-businesses.server.ts";

const { db } = testDatabase();
let files: LocalDiskStore;
let platformId: string;
beforeAll(async () => {
  files = new LocalDiskStore(await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-register-")));
  platformId = (
    await createOrganisation(db, {
      kind: "platform",
      slug: "shafaf-test-platform",
      nameAr: "منصة",
      nameEn: "Platform",
      country: "KW",
      currency: "KWD",
      timeZone: "Asia/Kuwait",
    })
  ).id;
});

async function upload() {
  const f = await saveUpload(
    { body: chunked(pdfBytes()), originalName: "cr.pdf", maxBytes: 100_000, accept: DOCUMENT_TYPES },
    { db, files },
  );
  return f.id;
}

async function input(
  overrides: Partial<RegisterBusiness> = {},
  registrationNumber = `CR-${Math.random().toString(36).slice(2, 8)}`,
): Promise<RegisterBusiness> {
  const tag = Math.random().toString(36).slice(2, 8);
  return {
    actor: ANONYMOUS,
    account: {
      displayName: "سالم",
      email: `salem-${tag}@example.test`,
      password: "amber lantern over quiet dunes",
      language: "ar",
    },
    business: {
      nameAr: "مؤسسة سالم",
      nameEn: "Salem Establishment",
      registrationNumber,
      taxNumber: "300-1",
      country: "KW",
      sector: "construction",
      address: "الكويت، شرق",
      contactEmail: "info@salem.test",
      contactPhone: "+965 2222 3333",
    },
    documents: [{ fileId: await upload(), kind: "commercial_registration" }],
    ip: "192.0.2.1",
    baseUrl: "https://shafaf.example.gov",
    ...overrides,
  };
}

async function platformAdmin() {
  const user = await createUser(db, {
    memberships: [{ organisationId: platformId, roles: ["platform_admin"] }],
  });
  return actorOf(user, { organisationId: platformId, kind: "platform", roles: ["platform_admin"] });
}

describe("registering a business", () => {
  test("a newcomer registers: account, pending business, owner membership, documents attached, e-mail queued", async () => {
    const given = await input();
    const { organisation, user, newAccount } = await registerBusiness(given, db);
    expect(newAccount).toBe(true);
    expect(organisation).toMatchObject({
      kind: "business",
      verification: "pending",
      currency: "KWD",
      timeZone: "Asia/Kuwait",
    });
    const [membership] = await db
      .select()
      .from(memberships)
      .where(eq(memberships.organisationId, organisation.id));
    expect(membership).toMatchObject({ userId: user.id, roles: ["owner"] });
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, given.documents[0]!.fileId));
    expect(file!.attachedAt).not.toBeNull();
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email));
    expect(mail?.template).toBe("verifyEmail");
  });

  test("a commercial registration number is unique per country, and a refused registration stores nothing", async () => {
    await registerBusiness(await input({}, "CR-DUP-1"), db);
    const again = await input({}, "cr-dup-1");
    await expect(registerBusiness(again, db)).rejects.toMatchObject({
      code: "REGISTRATION_NUMBER_TAKEN",
      status: 409,
      field: "registrationNumber",
    });
    expect(await db.select().from(users).where(eq(users.email, again.account!.email))).toEqual([]);
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, again.documents[0]!.fileId));
    expect(file!.attachedAt).toBeNull();
    // The same number in another country is another business.
    const abroad = await input({}, "CR-DUP-1");
    abroad.business.country = "SA";
    await expect(registerBusiness(abroad, db)).resolves.toMatchObject({ organisation: { currency: "SAR" } });
  });

  test("the commercial registration certificate is required", async () => {
    await expect(registerBusiness(await input({ documents: [] }), db)).rejects.toMatchObject({
      code: "DOCUMENTS_REQUIRED",
      status: 400,
    });
  });

  test("a weak password for the new account stores nothing", async () => {
    const given = await input();
    given.account!.password = "123456789012345";
    await expect(registerBusiness(given, db)).rejects.toMatchObject({ code: "PASSWORD_TOO_COMMON" });
    expect(
      await db
        .select()
        .from(organisations)
        .where(eq(organisations.registrationNumber, given.business.registrationNumber)),
    ).toEqual([]);
  });

  test("a signed-in user registers a business without a new account", async () => {
    const user = await createUser(db);
    const { newAccount, user: owner } = await registerBusiness(
      await input({ actor: actorOf(user), account: undefined }),
      db,
    );
    expect(newAccount).toBe(false);
    expect(owner.id).toBe(user.id);
  });
});

describe("verifying a business", () => {
  test("the platform admin verifies; the owner is told; a second decision is refused", async () => {
    const { organisation, user } = await registerBusiness(await input(), db);
    const admin = await platformAdmin();
    expect((await listBusinessesForReview(admin, "pending", db)).map((b) => b.id)).toContain(organisation.id);
    await decideBusinessVerification(
      { actor: admin, organisationId: organisation.id, decision: "verified", reason: "", ip: null },
      db,
    );
    const [after] = await db.select().from(organisations).where(eq(organisations.id, organisation.id));
    expect(after!.verification).toBe("verified");
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email));
    expect(mails.map((m) => m.template)).toContain("businessVerified");
    await expect(
      decideBusinessVerification(
        { actor: admin, organisationId: organisation.id, decision: "rejected", reason: "late", ip: null },
        db,
      ),
    ).rejects.toMatchObject({ code: "BUSINESS_NOT_PENDING", status: 409 });
  });

  test("a rejection needs a reason; only the platform admin may decide", async () => {
    const { organisation, user } = await registerBusiness(await input(), db);
    const admin = await platformAdmin();
    await expect(
      decideBusinessVerification(
        { actor: admin, organisationId: organisation.id, decision: "rejected", reason: "  ", ip: null },
        db,
      ),
    ).rejects.toMatchObject({ code: "REASON_REQUIRED", field: "reason" });
    const owner = actorOf(user, { organisationId: organisation.id, kind: "business", roles: ["owner"] });
    await expect(
      decideBusinessVerification(
        { actor: owner, organisationId: organisation.id, decision: "verified", reason: "", ip: null },
        db,
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    await expect(listBusinessesForReview(owner, "pending", db)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("isolation of business documents", () => {
  test("members of the business and the reviewing admin may read a document; another business may not, even with the id", async () => {
    const given = await input();
    const { organisation, user } = await registerBusiness(given, db);
    const fileId = given.documents[0]!.fileId;
    const owner = actorOf(user, { organisationId: organisation.id, kind: "business", roles: ["owner"] });
    await expect(readOrganisationDocument(owner, fileId, db)).resolves.toMatchObject({ id: fileId });
    await expect(readOrganisationDocument(await platformAdmin(), fileId, db)).resolves.toMatchObject({
      id: fileId,
    });

    const rival = await createOrganisation(db, businessData());
    const rivalOwner = await createUser(db, {
      memberships: [{ organisationId: rival.id, roles: ["owner"] }],
    });
    await expect(
      readOrganisationDocument(
        actorOf(rivalOwner, { organisationId: rival.id, kind: "business", roles: ["owner"] }),
        fileId,
        db,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    await expect(readOrganisationDocument(ANONYMOUS, fileId, db)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
    });
  });
});
