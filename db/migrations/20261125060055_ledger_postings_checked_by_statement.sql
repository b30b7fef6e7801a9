ALTER TABLE "ledger_postings" DROP CONSTRAINT "ledger_postings_transaction_id_ledger_transactions_id_fk";
--> statement-breakpoint
ALTER TABLE "ledger_postings" DROP CONSTRAINT "ledger_postings_account_currency_fk";
--> statement-breakpoint
-- The ledger's rules, checked once per statement instead of once per row
-- (decision 010): the ledger writer puts many transactions and all their
-- postings in one statement, and a statement-level trigger sees them all in
-- its transition table. Same rules as ledger_invariants, plus the two the
-- foreign keys dropped above used to enforce.

-- Transactions: each one has at least two postings and sums to zero in every
-- currency by the end of the statement that wrote it.
CREATE FUNCTION ledger_check_new_transactions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT t.id, count(p.id) AS n INTO bad
    FROM new_transactions t LEFT JOIN ledger_postings p ON p.transaction_id = t.id
    GROUP BY t.id HAVING count(p.id) < 2 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % has % posting(s); at least two are needed', bad.id, bad.n
      USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_have_postings AFTER INSERT ON ledger_transactions
  REFERENCING NEW TABLE AS new_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_new_transactions();
--> statement-breakpoint
DROP TRIGGER ledger_transactions_balanced ON ledger_transactions;
--> statement-breakpoint
DROP FUNCTION ledger_check_transaction_balanced();
--> statement-breakpoint

-- Postings: each belongs to a ledger transaction written in this same
-- database transaction (by top-level id, so savepoints work), to an existing
-- account of the same currency, and leaves its transaction balanced per
-- currency (so nothing can be added to a transaction afterwards to unbalance it).
-- Then the accounts' balances move: one UPDATE per account, the rows locked in
-- account order so that concurrent writers never deadlock.
CREATE FUNCTION ledger_apply_new_postings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT p.transaction_id INTO bad FROM new_postings p
    LEFT JOIN ledger_transactions t ON t.id = p.transaction_id AND t.created_xid = txid_current()
    WHERE t.id IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'postings can only be added together with their ledger transaction (%)', bad.transaction_id
      USING ERRCODE = '23514';
  END IF;

  SELECT p.account_id, p.currency INTO bad FROM new_postings p
    LEFT JOIN ledger_accounts a ON a.id = p.account_id AND a.currency = p.currency
    WHERE a.id IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'posting to account % in %: no such account in that currency', bad.account_id, bad.currency
      USING ERRCODE = '23503';
  END IF;

  SELECT p.transaction_id, p.currency, sum(p.amount) AS total INTO bad FROM ledger_postings p
    WHERE p.transaction_id IN (SELECT DISTINCT transaction_id FROM new_postings)
    GROUP BY p.transaction_id, p.currency HAVING sum(p.amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: % %', bad.transaction_id, bad.currency, bad.total
      USING ERRCODE = '23514';
  END IF;

  PERFORM 1 FROM ledger_accounts WHERE id IN (SELECT account_id FROM new_postings) ORDER BY id FOR NO KEY UPDATE;
  UPDATE ledger_accounts a SET balance = a.balance + s.total
    FROM (SELECT account_id, sum(amount) AS total FROM new_postings GROUP BY account_id) s
    WHERE a.id = s.account_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_postings_apply_stmt AFTER INSERT ON ledger_postings
  REFERENCING NEW TABLE AS new_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_new_postings();
--> statement-breakpoint
DROP TRIGGER ledger_postings_with_transaction ON ledger_postings;
--> statement-breakpoint
DROP FUNCTION ledger_check_posting_with_transaction();
--> statement-breakpoint
DROP TRIGGER ledger_postings_apply ON ledger_postings;
--> statement-breakpoint
DROP FUNCTION ledger_apply_posting();
--> statement-breakpoint

-- Accounts are permanent and keep their identity and currency: postings
-- point at them without a foreign key.
CREATE FUNCTION ledger_refuse_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger accounts are permanent: % of id or currency refused', TG_OP USING ERRCODE = '42501';
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_permanent BEFORE DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_account_change();
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_identity_fixed BEFORE UPDATE OF id, currency ON ledger_accounts
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.currency IS DISTINCT FROM NEW.currency)
  EXECUTE FUNCTION ledger_refuse_account_change();
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
