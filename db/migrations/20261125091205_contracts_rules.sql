-- Contracts (decision 018): the rules the database keeps whatever the code does.
--
-- contracts_award_final: a contract is made only from an award that is "approved" (not suspended by a
-- complaint, not cancelled) and whose standstill has ended by the database clock, for the award's own
-- supplier, lot and currency, at the awarded price. The award's row is locked, so a complaint lodged
-- (complaints_lodged_in_standstill locks it too) and a contract made at the same moment happen one
-- after the other.

CREATE FUNCTION contracts_award_final() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  award record;
BEGIN
  SELECT a.status, a.standstill_ends_at, a.tender_id, a.tender_lot_id, a.business_id, a.price, a.currency
    INTO award FROM awards a WHERE a.id = NEW.award_id FOR UPDATE;
  IF award.status IS DISTINCT FROM 'approved' OR award.standstill_ends_at IS NULL
     OR NOT (award.standstill_ends_at <= now()) THEN
    RAISE EXCEPTION 'a contract is made only from an approved award after its standstill'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'contracts_award_final', TABLE = 'contracts';
  END IF;
  IF award.tender_id <> NEW.tender_id OR award.tender_lot_id <> NEW.tender_lot_id
     OR award.business_id <> NEW.business_id OR award.currency <> NEW.currency OR award.price <> NEW.value THEN
    RAISE EXCEPTION 'a contract carries its award''s supplier, lot, currency and price'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'contracts_match_award', TABLE = 'contracts';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER contracts_award_final
  BEFORE INSERT ON contracts
  FOR EACH ROW EXECUTE FUNCTION contracts_award_final();
--> statement-breakpoint

-- awards_contracted_rules: an award becomes "contracted" only from "approved" once its contract exists,
-- and a contracted award never changes state again (neither suspended nor cancelled: its contract
-- carries on).
CREATE FUNCTION awards_contracted_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'contracted' AND NEW.status <> 'contracted' THEN
    RAISE EXCEPTION 'a contracted award keeps its state'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_contracted_final', TABLE = 'awards';
  END IF;
  IF NEW.status = 'contracted' AND OLD.status <> 'contracted' AND (OLD.status <> 'approved'
     OR NOT EXISTS (SELECT 1 FROM contracts c WHERE c.award_id = NEW.id)) THEN
    RAISE EXCEPTION 'an award is contracted only from approved, with its contract'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_contracted_from_approved', TABLE = 'awards';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER awards_contracted_rules
  BEFORE UPDATE OF status ON awards
  FOR EACH ROW EXECUTE FUNCTION awards_contracted_rules();
--> statement-breakpoint

-- contracts_milestones_add_up: when a transaction commits, every contract it touched (its value or
-- its milestones) has milestones whose amounts add up to its value exactly. Deferred, so a contract
-- and its milestones, or an amendment of value and milestones, are written in any order.
CREATE FUNCTION contracts_milestones_add_up() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
  total numeric;
  contract_value bigint;
BEGIN
  IF TG_TABLE_NAME = 'contracts' THEN
    target := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    target := OLD.contract_id;
  ELSE
    target := NEW.contract_id;
  END IF;
  SELECT c.value INTO contract_value FROM contracts c WHERE c.id = target;
  SELECT coalesce(sum(m.amount), 0) INTO total FROM contract_milestones m WHERE m.contract_id = target;
  IF total <> contract_value THEN
    RAISE EXCEPTION 'the milestones of contract % add up to %, not its value %', target, total, contract_value
      USING ERRCODE = 'check_violation', CONSTRAINT = 'contracts_milestones_add_up', TABLE = 'contracts';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER contracts_milestones_add_up
  AFTER INSERT OR UPDATE OF value ON contracts
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION contracts_milestones_add_up();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER contract_milestones_add_up
  AFTER INSERT OR UPDATE OF amount, contract_id OR DELETE ON contract_milestones
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION contracts_milestones_add_up();
--> statement-breakpoint

-- contract_invoices_admissible: an invoice is submitted against a milestone of the same contract, by
-- that contract's supplier, in its currency, and only once the contract is signed.
CREATE FUNCTION contract_invoices_admissible() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  contract record;
BEGIN
  SELECT c.status, c.business_id, c.currency INTO contract FROM contracts c WHERE c.id = NEW.contract_id;
  IF contract.status IS DISTINCT FROM 'signed' OR contract.business_id <> NEW.business_id
     OR contract.currency <> NEW.currency
     OR NOT EXISTS (SELECT 1 FROM contract_milestones m WHERE m.id = NEW.milestone_id AND m.contract_id = NEW.contract_id) THEN
    RAISE EXCEPTION 'an invoice is for a milestone of a signed contract, by its supplier, in its currency'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'contract_invoices_admissible', TABLE = 'contract_invoices';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER contract_invoices_admissible
  BEFORE INSERT ON contract_invoices
  FOR EACH ROW EXECUTE FUNCTION contract_invoices_admissible();
--> statement-breakpoint

-- contract_invoices_fixed: what an invoice claims never changes after it is submitted; only its
-- status (and who decided and paid it, and when) moves on.
CREATE FUNCTION contract_invoices_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.contract_id <> OLD.contract_id OR NEW.milestone_id <> OLD.milestone_id OR NEW.business_id <> OLD.business_id
     OR NEW.number <> OLD.number OR NEW.amount <> OLD.amount OR NEW.currency <> OLD.currency
     OR NEW.document_file_id IS DISTINCT FROM OLD.document_file_id OR NEW.submitted_at <> OLD.submitted_at
     OR (OLD.status = 'rejected' AND NEW.status <> 'rejected') OR (OLD.status = 'paid' AND NEW.status <> 'paid') THEN
    RAISE EXCEPTION 'a submitted invoice keeps its content; rejected and paid are final'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'contract_invoices_fixed', TABLE = 'contract_invoices';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER contract_invoices_fixed
  BEFORE UPDATE ON contract_invoices
  FOR EACH ROW EXECUTE FUNCTION contract_invoices_fixed();
--> statement-breakpoint

-- contract_milestones_invoiced: each milestone's invoiced_amount is the sum of its invoices that are
-- not rejected, moved by every invoice written; the CHECK contract_milestones_invoiced_within then
-- refuses an invoice that passes what is left of the milestone. The UPDATE locks the milestone's row,
-- so two invoices submitted at once against one milestone are counted one after the other.
CREATE FUNCTION contract_milestones_invoiced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  counted_before bigint := 0;
  counted_now bigint := CASE WHEN NEW.status <> 'rejected' THEN NEW.amount ELSE 0 END;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status <> 'rejected' THEN
    counted_before := OLD.amount;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.milestone_id <> NEW.milestone_id THEN
    UPDATE contract_milestones SET invoiced_amount = invoiced_amount - counted_before WHERE id = OLD.milestone_id;
    counted_before := 0;
  END IF;
  IF counted_now <> counted_before THEN
    UPDATE contract_milestones SET invoiced_amount = invoiced_amount + counted_now - counted_before
      WHERE id = NEW.milestone_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contract_milestones_invoiced
  AFTER INSERT OR UPDATE OF status, amount, milestone_id ON contract_invoices
  FOR EACH ROW EXECUTE FUNCTION contract_milestones_invoiced();
