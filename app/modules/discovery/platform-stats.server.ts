import { count, eq } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { organisations } from "#db/schema/index.ts";

/** Headline figures for the home page, all public. */
export async function platformStats(db: Queryable) {
  const rows = await db
    .select({ kind: organisations.kind, n: count() })
    .from(organisations)
    .groupBy(organisations.kind);
  const of = (kind: string) => rows.find((r) => r.kind === kind)?.n ?? 0;
  const agencies = await db
    .select({
      slug: organisations.slug,
      nameAr: organisations.nameAr,
      nameEn: organisations.nameEn,
      country: organisations.country,
    })
    .from(organisations)
    .where(eq(organisations.kind, "agency"))
    .orderBy(organisations.nameEn)
    .limit(6);
  return { agencyCount: of("agency"), businessCount: of("business"), agencies };
}
