-- Faster invariant checks, same rules (see ledger_invariants):
-- the balance of a transaction is checked once, when its row commits, and a
-- posting may only be added in the database transaction that created its
-- ledger transaction, so no posting can slip into a transaction checked earlier.
CREATE FUNCTION ledger_check_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n integer;
  unbalanced text;
BEGIN
  SELECT sum(c)::integer, string_agg(CASE WHEN s <> 0 THEN currency || ' ' || s::text END, ', ')
    INTO n, unbalanced
    FROM (SELECT currency, sum(amount) AS s, count(*) AS c FROM ledger_postings
          WHERE transaction_id = NEW.id GROUP BY currency) AS t;
  IF coalesce(n, 0) < 2 THEN
    RAISE EXCEPTION 'ledger transaction % has % posting(s); at least two are needed', NEW.id, coalesce(n, 0)
      USING ERRCODE = '23514';
  END IF;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: %', NEW.id, unbalanced USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_transactions_balanced
  AFTER INSERT ON ledger_transactions DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_transaction_balanced();
--> statement-breakpoint
CREATE FUNCTION ledger_check_posting_with_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM ledger_transactions
    WHERE id = NEW.transaction_id AND xmin::text::bigint = txid_current() % 4294967296
  ) THEN
    RAISE EXCEPTION 'postings can only be added together with their ledger transaction (%)', NEW.transaction_id
      USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_postings_with_transaction BEFORE INSERT ON ledger_postings
  FOR EACH ROW EXECUTE FUNCTION ledger_check_posting_with_transaction();
--> statement-breakpoint
DROP TRIGGER ledger_postings_balanced ON ledger_postings;
--> statement-breakpoint
DROP FUNCTION ledger_check_balanced();
