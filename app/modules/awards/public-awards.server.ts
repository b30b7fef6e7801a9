import { sql } from "drizzle-orm";

/**
 * The one definition of a public award, shared by every public figure and page
 * (insights, red flags, the award explorer, agency and supplier profiles): the
 * notice is published and the award still stands — not a recommendation, not
 * sent back, not cancelled. A suspended award (a complaint lodged in its
 * standstill) is still public: its notice is out and it may yet stand.
 *
 * A subquery to select from: `select … from (${PUBLIC_AWARDS}) a`. One row per
 * award (per lot), with its tender's facts and the lot's estimate (the tender's
 * estimate when it has a single lot).
 */
export const PUBLIC_AWARDS = sql.raw(`
  select a.id, a.tender_id, a.tender_lot_id, a.business_id, a.price, a.currency, a.decided_at,
         a.status, a.standstill_ends_at, l.number as lot_number,
         t.agency_id, t.category, t.cpv_codes, t.published_at, t.submission_deadline, t.reference,
         t.title_ar, t.title_en,
         coalesce(l.estimated_value,
                  case when (select count(*) from tender_lots x where x.tender_id = t.id) = 1
                       then t.estimated_value end) as estimate
  from awards a
  join tenders t on t.id = a.tender_id
  join tender_lots l on l.id = a.tender_lot_id
  where a.notice_published_at is not null and a.status not in ('recommended', 'sent_back', 'cancelled')`);

/** Bids counted at the opening: only tenders whose opening two officers confirmed. */
export const OPENED_BID_COUNTS = sql.raw(`
  select t.id as tender_id, t.agency_id, count(b.id) filter (where b.status = 'submitted')::int as bids
  from tenders t
  join tender_openings o on o.tender_id = t.id and o.confirmed_at is not null
  left join bids b on b.tender_id = t.id
  group by t.id, t.agency_id`);
