CREATE TABLE "ledger_checkpoints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"xid_from" bigint NOT NULL,
	"xid_to" bigint NOT NULL,
	"transaction_count" bigint NOT NULL,
	"root" char(64) NOT NULL,
	"previous_hash" char(64) NOT NULL,
	"hash" char(64) NOT NULL,
	"signature" text NOT NULL,
	"key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
