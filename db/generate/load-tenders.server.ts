import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import {
  type GeneratedAgency,
  type GeneratedTender,
  generateAgencies,
  generateTender,
  seededRandom,
} from "./tender-corpus.ts";

/**
 * Writes generated tenders (db/generate/tender-corpus.ts) in bulk: batches of
 * tenders, lots and items, each batch one transaction of three multi-row
 * INSERT … SELECT FROM json_to_recordset statements, on several connections at
 * once. The search document is computed by the database's own
 * tender_search_document() and tender_filter_document() in the INSERT, from
 * the same texts the trigger would read (so lots and items are not read
 * back); the transaction sets
 * shafaf.search_document_provided so the triggers keep it (see migration
 * tender_search_functions).
 *
 * With `rebuildIndexes` the secondary indexes of tenders, tender_lots and
 * tender_items are dropped first and built again at the end (much faster for
 * a large load into a fresh database; the constraint indexes stay). Either way
 * the tables are VACUUM ANALYZEd at the end.
 */

export interface LoadTendersOptions {
  tenders: number;
  seed?: number;
  /** Parallel connections (default 2). */
  workers?: number;
  batchSize?: number;
  rebuildIndexes?: boolean;
  now?: Date;
  log?: (line: string) => void;
}

export interface LoadTendersResult {
  agencies: number;
  tenders: number;
  lots: number;
  items: number;
  seconds: number;
}

/**
 * Time-ordered UUIDs (version 7 layout): rows written together sit together
 * in the primary-key index, and items of a lot sort in the order they were
 * generated (the search document lists them in id order).
 */
export function uuidSequence(startMs: number): () => string {
  let counter = 0;
  const tail = randomBytes(8);
  return () => {
    const n = counter++;
    const ms = startMs + Math.floor(n / 4096);
    const hex = ms.toString(16).padStart(12, "0");
    const seq = (n % 4096).toString(16).padStart(3, "0");
    tail.writeUInt32BE(randomBytes(4).readUInt32BE(0), 4);
    const variant = ((tail[0]! & 0x3f) | 0x80).toString(16).padStart(2, "0");
    const rest = tail.subarray(1).toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${seq}-${variant}${rest.slice(0, 2)}-${rest.slice(2, 14)}`;
  };
}

/** The agencies of the generated data set, created when missing (by slug); their ids by slug. */
export async function ensureGeneratedAgencies(
  sql: postgres.Sql,
  agencies: GeneratedAgency[],
): Promise<Map<string, string>> {
  const rows = agencies.map((a) => ({
    slug: a.slug,
    name_ar: a.nameAr,
    name_en: a.nameEn,
    country: a.country,
    region: a.region,
    currency: a.currency,
    time_zone: a.timeZone,
  }));
  await sql`
    insert into organisations (kind, slug, name_ar, name_en, country, region, currency, time_zone)
    select 'agency', x.slug, x.name_ar, x.name_en, x.country, x.region, x.currency, x.time_zone
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(
      slug text, name_ar text, name_en text, country text, region text, currency text, time_zone text)
    on conflict (slug) do nothing`;
  const found = await sql<Array<{ slug: string; id: string }>>`
    select slug, id from organisations where slug = any(${agencies.map((a) => a.slug)}::text[])`;
  return new Map(found.map((r) => [r.slug, r.id]));
}

/** The user recorded as the author of generated tenders. */
async function generatorUser(sql: postgres.Sql): Promise<string> {
  const [row] = await sql<Array<{ id: string }>>`
    insert into users (email, display_name, password_hash, language)
    values ('tender-generator@shafaf.invalid', 'Tender generator', '!', 'en')
    on conflict do nothing returning id`;
  if (row) return row.id;
  const [existing] = await sql<Array<{ id: string }>>`
    select id from users where email = 'tender-generator@shafaf.invalid'`;
  return existing!.id;
}

/** The lots-and-items text of a tender, exactly as tender_lots_text() builds it in SQL. */
export function lotsText(t: GeneratedTender): { ar: string; en: string } {
  const join = (lang: "ar" | "en") =>
    t.lots
      .map((l) =>
        [
          lang === "ar" ? l.titleAr : l.titleEn,
          l.items.map((i) => (lang === "ar" ? i.descriptionAr : i.descriptionEn)).join(" "),
        ]
          .filter((s) => s !== "")
          .join(" "),
      )
      .join(" ");
  return { ar: join("ar"), en: join("en") };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function writeBatch(
  sql: postgres.Sql,
  batch: GeneratedTender[],
  ids: Map<string, string>,
  createdBy: string,
  nextId: () => string,
): Promise<{ lots: number; items: number }> {
  const tenders: object[] = [];
  const lots: object[] = [];
  const items: object[] = [];
  for (const t of batch) {
    const id = nextId();
    const text = lotsText(t);
    tenders.push({
      id,
      agency_id: ids.get(t.agency.slug),
      reference: t.reference,
      title_ar: t.titleAr,
      title_en: t.titleEn,
      description_ar: t.descriptionAr,
      description_en: t.descriptionEn,
      method: t.method,
      category: t.category,
      cpv_codes: t.cpvCodes,
      currency: t.currency,
      estimated_value: t.estimatedValue === null ? null : t.estimatedValue.toString(),
      time_zone: t.agency.timeZone,
      enquiry_deadline: iso(t.enquiryDeadline),
      submission_deadline: iso(t.submissionDeadline),
      opening_at: iso(t.openingAt),
      status: t.status,
      published_at: iso(t.publishedAt),
      created_at: iso(t.createdAt),
      lots_ar: text.ar,
      lots_en: text.en,
    });
    for (const l of t.lots) {
      const lotId = nextId();
      lots.push({ id: lotId, tender_id: id, number: l.number, title_ar: l.titleAr, title_en: l.titleEn });
      for (const i of l.items)
        items.push({
          id: nextId(),
          lot_id: lotId,
          description_ar: i.descriptionAr,
          description_en: i.descriptionEn,
          quantity: i.quantity,
          unit: i.unit,
        });
    }
  }
  await sql.begin(async (tx) => {
    await tx`select set_config('shafaf.search_document_provided', 'on', true)`;
    await tx`
      insert into tenders (id, agency_id, reference, title_ar, title_en, description_ar, description_en,
        method, category, cpv_codes, currency, estimated_value, time_zone, enquiry_deadline,
        submission_deadline, opening_at, status, created_by, published_at, created_at, updated_at,
        search_document)
      select x.id, x.agency_id, x.reference, x.title_ar, x.title_en, x.description_ar, x.description_en,
        x.method, x.category, x.cpv_codes, x.currency, x.estimated_value, x.time_zone, x.enquiry_deadline,
        x.submission_deadline, x.opening_at, x.status, ${createdBy}::uuid, x.published_at, x.created_at,
        coalesce(x.published_at, x.created_at),
        case when x.status not in ('draft', 'awaiting_approval') then tender_search_document(x.reference,
          x.title_ar, x.title_en, x.description_ar, x.description_en, x.lots_ar, x.lots_en)
          || tender_filter_document(x.status, x.category, x.method, x.currency, x.cpv_codes, x.agency_id) end
      from json_to_recordset(${JSON.stringify(tenders)}::json) as x(
        id uuid, agency_id uuid, reference text, title_ar text, title_en text, description_ar text,
        description_en text, method text, category text, cpv_codes text[], currency text,
        estimated_value bigint, time_zone text, enquiry_deadline timestamptz, submission_deadline timestamptz,
        opening_at timestamptz, status text, published_at timestamptz, created_at timestamptz,
        lots_ar text, lots_en text)`;
    await tx`
      insert into tender_lots (id, tender_id, number, title_ar, title_en)
      select x.id, x.tender_id, x.number, x.title_ar, x.title_en
      from json_to_recordset(${JSON.stringify(lots)}::json) as x(
        id uuid, tender_id uuid, number integer, title_ar text, title_en text)`;
    await tx`
      insert into tender_items (id, lot_id, description_ar, description_en, quantity, unit)
      select x.id, x.lot_id, x.description_ar, x.description_en, x.quantity, x.unit
      from json_to_recordset(${JSON.stringify(items)}::json) as x(
        id uuid, lot_id uuid, description_ar text, description_en text, quantity numeric, unit text)`;
  });
  return { lots: lots.length, items: items.length };
}

const TABLES = ["tenders", "tender_lots", "tender_items"];

/** Secondary (non-constraint) indexes of the tender tables, with their definitions. */
async function secondaryIndexes(sql: postgres.Sql) {
  return sql<Array<{ name: string; def: string }>>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class c on c.oid = i.indrelid
    where c.relname = any(${TABLES}::text[]) and c.relnamespace = 'public'::regnamespace
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`;
}

/** Generate and write `options.tenders` tenders (and the agencies they need). */
export async function loadGeneratedTenders(
  sql: postgres.Sql,
  options: LoadTendersOptions,
): Promise<LoadTendersResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 2026;
  const workers = Math.max(1, options.workers ?? 2);
  const batchSize = options.batchSize ?? 1000;
  const now = options.now ?? new Date();
  const agencies = generateAgencies();
  const ids = await ensureGeneratedAgencies(sql, agencies);
  const createdBy = await generatorUser(sql);

  // References stay unique across runs: each agency continues from its count.
  const sequence = new Map<string, number>();
  const counts = await sql<Array<{ agency_id: string; n: number }>>`
    select agency_id, count(*)::int as n from tenders
    where agency_id = any(${[...ids.values()]}::uuid[]) group by agency_id`;
  const bySlug = new Map([...ids].map(([slug, id]) => [id, slug]));
  for (const c of counts) sequence.set(bySlug.get(c.agency_id)!, c.n);

  const dropped: Array<{ name: string; def: string }> = [];
  if (options.rebuildIndexes) {
    dropped.push(...(await secondaryIndexes(sql)));
    log(`dropping ${dropped.length} secondary indexes for the load (rebuilt at the end)`);
    for (const index of dropped) await sql.unsafe(`drop index if exists ${index.name}`);
  }

  let written = 0;
  let lots = 0;
  let items = 0;
  try {
    const batches = Math.ceil(options.tenders / batchSize);
    let nextBatch = 0;
    let lastLog = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const nextId = uuidSequence(Date.now() - 86_400_000 * 365 + w * 86_400_000 * 30);
        while (nextBatch < batches) {
          const b = nextBatch++;
          const size = Math.min(batchSize, options.tenders - b * batchSize);
          // One generator per batch, seeded by its number: the same data whatever the workers.
          const rng = seededRandom(seed * 1_000_003 + b);
          const batch: GeneratedTender[] = [];
          for (let i = 0; i < size; i++) {
            const agency = agencies[Math.floor(rng() * agencies.length)]!;
            const n = (sequence.get(agency.slug) ?? 0) + 1;
            sequence.set(agency.slug, n);
            batch.push(generateTender(rng, agency, n, { now }));
          }
          const done = await writeBatch(sql, batch, ids, createdBy, nextId);
          written += size;
          lots += done.lots;
          items += done.items;
          if (performance.now() - lastLog > 10_000) {
            lastLog = performance.now();
            const rate = written / ((performance.now() - started) / 1000);
            log(`${written.toLocaleString("en")} tenders written (${Math.round(rate)}/s)`);
          }
        }
      }),
    );
  } finally {
    if (dropped.length) {
      log(`building ${dropped.length} indexes`);
      const queue = [...dropped];
      await Promise.all(
        Array.from({ length: workers }, () =>
          sql.reserve().then(async (conn) => {
            try {
              await conn`set maintenance_work_mem = '256MB'`;
              for (let index = queue.shift(); index; index = queue.shift()) await conn.unsafe(index.def);
            } finally {
              conn.release();
            }
          }),
        ),
      );
    }
  }
  log("vacuum analyze");
  await sql.unsafe("vacuum (analyze) organisations, tenders, tender_lots, tender_items");
  return {
    agencies: agencies.length,
    tenders: written,
    lots,
    items,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}
