-- Complaints and cancellation (decision 017): the rules the database keeps whatever the code does.
--
-- awards_suspension_rules: an award is suspended only from "approved" and while its standstill runs
-- (database clock); a suspended award only goes back to "approved" (and only when no complaint about
-- it is still lodged) or is cancelled, so it can never move into a contract.

CREATE FUNCTION awards_suspension_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'suspended' AND OLD.status <> 'suspended'
     AND NOT (OLD.status = 'approved' AND now() < OLD.standstill_ends_at) THEN
    RAISE EXCEPTION 'an award is suspended only while approved and in its standstill'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_suspend_in_standstill', TABLE = 'awards';
  END IF;
  IF OLD.status = 'suspended' AND NEW.status NOT IN ('suspended', 'approved', 'cancelled') THEN
    RAISE EXCEPTION 'a suspended award goes back to approved or is cancelled'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_suspended_exit', TABLE = 'awards';
  END IF;
  IF OLD.status = 'suspended' AND NEW.status = 'approved' AND EXISTS (
       SELECT 1 FROM complaints c WHERE c.award_id = NEW.id AND c.status = 'lodged') THEN
    RAISE EXCEPTION 'a complaint about this award is still lodged'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_resumed_without_open_complaint', TABLE = 'awards';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER awards_suspension_rules
  BEFORE UPDATE OF status ON awards
  FOR EACH ROW EXECUTE FUNCTION awards_suspension_rules();
--> statement-breakpoint

-- awards_lot_open: no award for a cancelled lot or tender. The tender's row, then the lot's, are read
-- FOR SHARE (the order the cancellations lock them in), so a recommendation made while a cancellation
-- commits waits for it and then sees it.
CREATE FUNCTION awards_lot_open() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  tender_status text;
  lot_cancelled timestamptz;
BEGIN
  SELECT t.status INTO tender_status FROM tenders t WHERE t.id = NEW.tender_id FOR SHARE;
  SELECT l.cancelled_at INTO lot_cancelled FROM tender_lots l WHERE l.id = NEW.tender_lot_id FOR SHARE;
  IF tender_status = 'cancelled' OR lot_cancelled IS NOT NULL THEN
    RAISE EXCEPTION 'the lot or its tender is cancelled'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_lot_open', TABLE = 'awards';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER awards_lot_open
  BEFORE INSERT ON awards
  FOR EACH ROW EXECUTE FUNCTION awards_lot_open();
--> statement-breakpoint

-- complaints_lodged_in_standstill: a complaint is lodged only about an approved (or already
-- suspended) award, before the end of its standstill by the database clock. The award's row is
-- locked, so a complaint and the award's other changes happen one after the other.
CREATE FUNCTION complaints_lodged_in_standstill() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  award record;
BEGIN
  IF NEW.lodged_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.lodged_at IS NULL) THEN
    SELECT a.status, a.standstill_ends_at INTO award FROM awards a WHERE a.id = NEW.award_id FOR UPDATE;
    IF award.status NOT IN ('approved', 'suspended') OR NOT (NEW.lodged_at < award.standstill_ends_at) THEN
      RAISE EXCEPTION 'a complaint is lodged only during the standstill of an approved award'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'complaints_lodged_in_standstill', TABLE = 'complaints';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER complaints_lodged_in_standstill
  BEFORE INSERT OR UPDATE OF lodged_at ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaints_lodged_in_standstill();
