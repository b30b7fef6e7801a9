-- Tender search, part 3: the triggers that keep tenders.search_document current.
-- Drafts and tenders awaiting approval have none (nobody may search them); any
-- other tender has one, computed again when its texts or status change
-- (BEFORE trigger) or when its lots or items change (one UPDATE per statement,
-- from the transition table). A bulk loader that computed the documents itself
-- (db/generate/load-tenders.server.ts) sets shafaf.search_document_provided to
-- 'on' in its transaction: the triggers then keep what it wrote.

CREATE FUNCTION tenders_search_document_refresh() RETURNS trigger
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
      NEW.description_ar, NEW.description_en, parts.lots_ar, parts.lots_en);
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER tenders_search_document
  BEFORE INSERT OR UPDATE OF reference, title_ar, title_en, description_ar, description_en, status ON tenders
  FOR EACH ROW EXECUTE FUNCTION tenders_search_document_refresh();
--> statement-breakpoint

CREATE FUNCTION tender_parts_search_document_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('shafaf.search_document_provided', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_TABLE_NAME = 'tender_lots' THEN
    UPDATE tenders t SET search_document = tender_search_document(t.reference, t.title_ar, t.title_en,
        t.description_ar, t.description_en, p.lots_ar, p.lots_en)
      FROM (SELECT DISTINCT tender_id FROM changed_rows) c, LATERAL tender_lots_text(c.tender_id) p
      WHERE t.id = c.tender_id AND t.status NOT IN ('draft', 'awaiting_approval');
  ELSE
    UPDATE tenders t SET search_document = tender_search_document(t.reference, t.title_ar, t.title_en,
        t.description_ar, t.description_en, p.lots_ar, p.lots_en)
      FROM (SELECT DISTINCT l.tender_id FROM changed_rows r JOIN tender_lots l ON l.id = r.lot_id) c,
        LATERAL tender_lots_text(c.tender_id) p
      WHERE t.id = c.tender_id AND t.status NOT IN ('draft', 'awaiting_approval');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A trigger with a transition table serves one event, hence three per table.
CREATE TRIGGER tender_lots_search_document_insert AFTER INSERT ON tender_lots
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tender_parts_search_document_refresh();
--> statement-breakpoint
CREATE TRIGGER tender_lots_search_document_update AFTER UPDATE ON tender_lots
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tender_parts_search_document_refresh();
--> statement-breakpoint
CREATE TRIGGER tender_lots_search_document_delete AFTER DELETE ON tender_lots
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tender_parts_search_document_refresh();
--> statement-breakpoint
CREATE TRIGGER tender_items_search_document_insert AFTER INSERT ON tender_items
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tender_parts_search_document_refresh();
--> statement-breakpoint
CREATE TRIGGER tender_items_search_document_update AFTER UPDATE ON tender_items
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tender_parts_search_document_refresh();
--> statement-breakpoint
CREATE TRIGGER tender_items_search_document_delete AFTER DELETE ON tender_items
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tender_parts_search_document_refresh();
--> statement-breakpoint

-- Documents for the tenders already published.
UPDATE tenders SET status = status WHERE status NOT IN ('draft', 'awaiting_approval');
