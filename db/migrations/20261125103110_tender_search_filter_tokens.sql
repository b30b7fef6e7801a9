-- Filters as tokens of the search document. A search with words and filters
-- ("pipes", closed, services) used to read every tender matching the words
-- and test the filters on each row; with the filters' values in the document
-- as lexemes of their own (~cat.services, ~st.opened, ~ag.<slug>, ~cpv.4523…),
-- the GIN index intersects the posting lists and only tenders matching
-- everything are read. Lexemes start with "~", which no word of a text can
-- (the parsers never keep it), and carry no position: ranking ignores them.
CREATE FUNCTION tender_filter_document(
  status text, category text, method text, currency text, cpv_codes text[], agency uuid
) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
  SELECT array_to_tsvector(array_remove(ARRAY[
      '~st.' || status, '~cat.' || category, '~m.' || method, '~cur.' || lower(currency),
      '~ag.' || o.slug, '~ct.' || lower(o.country), '~rg.' || lower(o.region)
    ] || ARRAY(SELECT '~cpv.' || p FROM unnest(cpv_prefixes(cpv_codes)) AS p), NULL))
  FROM organisations o WHERE o.id = agency
);
--> statement-breakpoint

-- The tsquery of one filter value (the values are checked by the app: letters,
-- digits and hyphens); anything else gives a query that matches nothing.
CREATE FUNCTION search_filter_query(kind text, value text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
  WHEN kind ~ '^[a-z]+$' AND lower(value) ~ '^[a-z0-9-]+$' THEN ('''~' || kind || '.' || lower(value) || '''')::tsquery
  ELSE '''~none'''::tsquery
END;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION tenders_search_document_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parts record;
BEGIN
  IF NEW.status IN ('draft', 'awaiting_approval') THEN
    NEW.search_document := NULL;
  ELSIF NOT (TG_OP = 'INSERT' AND NEW.search_document IS NOT NULL
             AND current_setting('shafaf.search_document_provided', true) = 'on') THEN
    parts := tender_lots_text(NEW.id);
    NEW.search_document := tender_search_document(NEW.reference, NEW.title_ar, NEW.title_en,
        NEW.description_ar, NEW.description_en, parts.lots_ar, parts.lots_en)
      || tender_filter_document(NEW.status, NEW.category, NEW.method, NEW.currency, NEW.cpv_codes, NEW.agency_id);
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION tender_parts_search_document_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('shafaf.search_document_provided', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_TABLE_NAME = 'tender_lots' THEN
    UPDATE tenders t SET search_document = tender_search_document(t.reference, t.title_ar, t.title_en,
        t.description_ar, t.description_en, p.lots_ar, p.lots_en)
        || tender_filter_document(t.status, t.category, t.method, t.currency, t.cpv_codes, t.agency_id)
      FROM (SELECT DISTINCT tender_id FROM changed_rows) c, LATERAL tender_lots_text(c.tender_id) p
      WHERE t.id = c.tender_id AND t.status NOT IN ('draft', 'awaiting_approval');
  ELSE
    UPDATE tenders t SET search_document = tender_search_document(t.reference, t.title_ar, t.title_en,
        t.description_ar, t.description_en, p.lots_ar, p.lots_en)
        || tender_filter_document(t.status, t.category, t.method, t.currency, t.cpv_codes, t.agency_id)
      FROM (SELECT DISTINCT l.tender_id FROM changed_rows r JOIN tender_lots l ON l.id = r.lot_id) c,
        LATERAL tender_lots_text(c.tender_id) p
      WHERE t.id = c.tender_id AND t.status NOT IN ('draft', 'awaiting_approval');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- The document now also follows the filter columns.
DROP TRIGGER tenders_search_document ON tenders;
--> statement-breakpoint
CREATE TRIGGER tenders_search_document
  BEFORE INSERT OR UPDATE OF reference, title_ar, title_en, description_ar, description_en, status,
    category, method, currency, cpv_codes, agency_id ON tenders
  FOR EACH ROW EXECUTE FUNCTION tenders_search_document_refresh();
--> statement-breakpoint

-- An agency's slug or region is in its tenders' documents.
CREATE FUNCTION organisations_search_document_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'agency' AND (NEW.slug, NEW.country, NEW.region) IS DISTINCT FROM (OLD.slug, OLD.country, OLD.region) THEN
    UPDATE tenders SET status = status WHERE agency_id = NEW.id AND status NOT IN ('draft', 'awaiting_approval');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER organisations_search_document
  AFTER UPDATE OF slug, country, region ON organisations
  FOR EACH ROW EXECUTE FUNCTION organisations_search_document_refresh();
--> statement-breakpoint

UPDATE tenders SET status = status WHERE status NOT IN ('draft', 'awaiting_approval');
