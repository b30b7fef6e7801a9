import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  awards,
  type Contract,
  type ContractAmendment,
  type ContractInvoice,
  type ContractMilestone,
  contractAmendments,
  contractInvoices,
  contractMilestones,
  contracts,
  organisations,
  type StoredFile,
  storedFiles,
  tenderLots,
  tenders,
  users,
} from "#db/schema/index.ts";
import { contractReader } from "./contract-access.server.ts";
import { type ContractBooks, contractBooks } from "./contract-ledger.server.ts";

/**
 * Reading contracts: the tender's awards and contracts for the agency's staff,
 * a supplier's contracts, and the public summary of signed contracts
 * (transparency: value, supplier, period, milestones delivered, paid to date).
 * Figures of money come from the ledger (contractBooks), so every page shows
 * the numbers the books hold.
 */

export interface ContractFull {
  contract: Contract;
  tender: { id: string; reference: string; titleAr: string; titleEn: string; timeZone: string };
  lot: { number: number; titleAr: string; titleEn: string };
  agency: { nameAr: string; nameEn: string };
  supplier: { nameAr: string; nameEn: string };
  milestones: ContractMilestone[];
  invoices: Array<ContractInvoice & { document: Pick<StoredFile, "id" | "originalName"> | null }>;
  amendments: ContractAmendment[];
  books: ContractBooks;
  /** Display names of everyone who acted on it, by user id. */
  names: Map<string, string>;
}

const agency = alias(organisations, "agency");
const supplier = alias(organisations, "supplier");

function contractsQuery(db: Queryable) {
  return db
    .select({
      contract: contracts,
      tender: {
        id: tenders.id,
        reference: tenders.reference,
        titleAr: tenders.titleAr,
        titleEn: tenders.titleEn,
        timeZone: tenders.timeZone,
      },
      lot: { number: tenderLots.number, titleAr: tenderLots.titleAr, titleEn: tenderLots.titleEn },
      agency: { nameAr: agency.nameAr, nameEn: agency.nameEn },
      supplier: { nameAr: supplier.nameAr, nameEn: supplier.nameEn },
    })
    .from(contracts)
    .innerJoin(tenders, eq(tenders.id, contracts.tenderId))
    .innerJoin(tenderLots, eq(tenderLots.id, contracts.tenderLotId))
    .innerJoin(agency, eq(agency.id, contracts.agencyId))
    .innerJoin(supplier, eq(supplier.id, contracts.businessId));
}

/** Everything about the given contracts: milestones, invoices, amendments, the ledger's figures, names. */
async function withDetails(
  db: Queryable,
  rows: Awaited<ReturnType<typeof contractsQuery>>,
): Promise<ContractFull[]> {
  const ids = rows.map((r) => r.contract.id);
  if (ids.length === 0) return [];
  const [milestones, invoices, amendments, books] = await Promise.all([
    db
      .select()
      .from(contractMilestones)
      .where(inArray(contractMilestones.contractId, ids))
      .orderBy(asc(contractMilestones.position)),
    db
      .select({
        invoice: contractInvoices,
        document: { id: storedFiles.id, originalName: storedFiles.originalName },
      })
      .from(contractInvoices)
      .leftJoin(storedFiles, eq(storedFiles.id, contractInvoices.documentFileId))
      .where(inArray(contractInvoices.contractId, ids))
      .orderBy(asc(contractInvoices.submittedAt)),
    db
      .select()
      .from(contractAmendments)
      .where(inArray(contractAmendments.contractId, ids))
      .orderBy(desc(contractAmendments.version)),
    contractBooks(db, ids),
  ]);
  const userIds = new Set<string>();
  for (const r of rows)
    for (const id of [r.contract.createdBy, r.contract.acceptedBy, r.contract.signedBy])
      if (id) userIds.add(id);
  for (const m of milestones) if (m.deliveredBy) userIds.add(m.deliveredBy);
  for (const { invoice: i } of invoices)
    for (const id of [i.submittedBy, i.decidedBy, i.paidBy]) if (id) userIds.add(id);
  for (const a of amendments) userIds.add(a.createdBy);
  const names = new Map(
    userIds.size
      ? (
          await db
            .select({ id: users.id, name: users.displayName })
            .from(users)
            .where(inArray(users.id, [...userIds]))
        ).map((u) => [u.id, u.name])
      : [],
  );
  return rows.map((r) => ({
    ...r,
    milestones: milestones.filter((m) => m.contractId === r.contract.id),
    invoices: invoices
      .filter((i) => i.invoice.contractId === r.contract.id)
      .map((i) => ({ ...i.invoice, document: i.document?.id ? i.document : null })),
    amendments: amendments.filter((a) => a.contractId === r.contract.id),
    books: books.get(r.contract.id)!,
    names,
  }));
}

export interface AgencyCapabilities {
  manage: boolean;
  sign: boolean;
  pay: boolean;
  userId: string;
}

/**
 * A tender of the agency with its awards that may lead to a contract (approved,
 * suspended or contracted) and their contracts, for the agency's staff: its
 * procurement officers, signatories and finance officers.
 */
export async function tenderContracts(actor: Actor, tenderId: string, db: Queryable) {
  const reader = contractReader(actor);
  if (reader.side !== "agency") throw new AppError("FORBIDDEN");
  const tender = await db.query.tenders.findFirst({
    where: and(eq(tenders.id, tenderId), eq(tenders.agencyId, reader.who.organisationId)),
  });
  if (!tender) throw new AppError("NOT_FOUND");
  const awardRows = await db
    .select({
      award: awards,
      lot: { number: tenderLots.number, titleAr: tenderLots.titleAr, titleEn: tenderLots.titleEn },
      bidder: { nameAr: organisations.nameAr, nameEn: organisations.nameEn },
      final: sql<boolean>`coalesce(${awards.standstillEndsAt} <= now(), false)`,
    })
    .from(awards)
    .innerJoin(tenderLots, eq(tenderLots.id, awards.tenderLotId))
    .innerJoin(organisations, eq(organisations.id, awards.businessId))
    .where(
      and(eq(awards.tenderId, tender.id), inArray(awards.status, ["approved", "suspended", "contracted"])),
    )
    .orderBy(asc(tenderLots.number));
  const full = await withDetails(db, await contractsQuery(db).where(eq(contracts.tenderId, tender.id)));
  const capabilities: AgencyCapabilities = {
    manage: can(actor, "contract:manage"),
    sign: can(actor, "contract:sign"),
    pay: can(actor, "contract:pay"),
    userId: reader.who.userId,
  };
  return {
    tender,
    capabilities,
    awards: awardRows.map((a) => ({
      ...a,
      contract: full.find((c) => c.contract.awardId === a.award.id) ?? null,
    })),
  };
}

/** The contracts of the actor's organisation — its agency's or its business's — newest first. */
export async function myContracts(actor: Actor, db: Queryable) {
  const reader = contractReader(actor);
  const rows = await contractsQuery(db)
    .where(
      eq(reader.side === "agency" ? contracts.agencyId : contracts.businessId, reader.who.organisationId),
    )
    .orderBy(desc(contracts.createdAt))
    .limit(200);
  const books = await contractBooks(
    db,
    rows.map((r) => r.contract.id),
  );
  return { side: reader.side, rows: rows.map((r) => ({ ...r, books: books.get(r.contract.id)! })) };
}

/** One contract of the supplier, in full, for its members. */
export async function supplierContract(actor: Actor, contractId: string, db: Queryable) {
  const reader = contractReader(actor);
  if (reader.side !== "supplier") throw new AppError("FORBIDDEN");
  const [full] = await withDetails(
    db,
    await contractsQuery(db).where(
      and(eq(contracts.id, contractId), eq(contracts.businessId, reader.who.organisationId)),
    ),
  );
  if (!full) throw new AppError("NOT_FOUND");
  return {
    ...full,
    capabilities: { accept: can(actor, "contract:accept"), invoice: can(actor, "contract:invoice") },
  };
}

/** The document of an invoice, for the supplier's members and the agency's staff only. */
export async function invoiceDocument(actor: Actor, invoiceId: string, db: Queryable): Promise<StoredFile> {
  const reader = contractReader(actor);
  const [row] = await db
    .select({ file: storedFiles })
    .from(contractInvoices)
    .innerJoin(contracts, eq(contracts.id, contractInvoices.contractId))
    .innerJoin(storedFiles, eq(storedFiles.id, contractInvoices.documentFileId))
    .where(
      and(
        eq(contractInvoices.id, invoiceId),
        eq(reader.side === "agency" ? contracts.agencyId : contracts.businessId, reader.who.organisationId),
      ),
    );
  if (!row) throw new AppError("NOT_FOUND");
  return row.file;
}

/**
 * The public summary of a tender's signed contracts: supplier, value, period,
 * when signed and by whom (the agency's signatory), milestones delivered and
 * what was paid to date. Contracts not yet signed are not in force and not shown.
 */
export async function publicContracts(tenderId: string, db: Queryable) {
  const rows = await contractsQuery(db)
    .where(and(eq(contracts.tenderId, tenderId), eq(contracts.status, "signed")))
    .orderBy(asc(tenderLots.number));
  const ids = rows.map((r) => r.contract.id);
  if (ids.length === 0) return [];
  const books = await contractBooks(db, ids);
  const progress = await db
    .select({
      contractId: contractMilestones.contractId,
      total: sql<number>`count(*)::int`,
      delivered: sql<number>`count(${contractMilestones.deliveredAt})::int`,
    })
    .from(contractMilestones)
    .where(inArray(contractMilestones.contractId, ids))
    .groupBy(contractMilestones.contractId);
  const signers = await db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(
      inArray(
        users.id,
        rows.map((r) => r.contract.signedBy!),
      ),
    );
  return rows.map((r) => ({
    ...r,
    books: books.get(r.contract.id)!,
    milestones: progress.find((p) => p.contractId === r.contract.id) ?? { total: 0, delivered: 0 },
    signedByName: signers.find((s) => s.id === r.contract.signedBy)?.name ?? "",
  }));
}
