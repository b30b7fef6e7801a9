import { and, asc, count, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { organisations } from "#db/schema/index.ts";

export interface ListAgencies {
  /** Part of the Arabic or English name; empty for all. */
  q: string;
  page: number;
  pageSize?: number;
}

/** `%` and `_` typed by a person are letters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The public directory of agencies: anyone may read it. */
export async function listAgencies({ q, page, pageSize = 20 }: ListAgencies, db: Queryable) {
  const filters: SQL[] = [eq(organisations.kind, "agency")];
  const text = q.trim();
  if (text)
    filters.push(
      or(ilike(organisations.nameAr, likePattern(text)), ilike(organisations.nameEn, likePattern(text)))!,
    );
  const where = and(...filters);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(organisations).where(where);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const rows = await db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      nameAr: organisations.nameAr,
      nameEn: organisations.nameEn,
      country: organisations.country,
      currency: organisations.currency,
      timeZone: organisations.timeZone,
    })
    .from(organisations)
    .where(where)
    .orderBy(asc(organisations.nameEn), asc(organisations.id))
    .limit(pageSize)
    .offset((Math.min(page, pages) - 1) * pageSize);
  return { rows, total, page: Math.min(page, pages), pages };
}
