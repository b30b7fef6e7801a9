ALTER TABLE "ledger_transactions" ADD COLUMN "created_xid" bigint DEFAULT txid_current() NOT NULL;--> statement-breakpoint
-- Compare with the top-level transaction id, so the check also holds inside savepoints.
CREATE OR REPLACE FUNCTION ledger_check_posting_with_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger_transactions WHERE id = NEW.transaction_id AND created_xid = txid_current()) THEN
    RAISE EXCEPTION 'postings can only be added together with their ledger transaction (%)', NEW.transaction_id
      USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
