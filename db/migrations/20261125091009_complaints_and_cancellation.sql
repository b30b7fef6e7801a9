CREATE TABLE "complaint_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"tender_lot_id" uuid NOT NULL,
	"award_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"written_by" uuid NOT NULL,
	"grounds" text NOT NULL,
	"status" text DEFAULT 'awaiting_fee' NOT NULL,
	"fee_amount" bigint,
	"fee_currency" char(3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lodged_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision" text,
	"sent_back" boolean DEFAULT false NOT NULL,
	"fee_refund_id" uuid,
	CONSTRAINT "complaints_status" CHECK ("complaints"."status" in ('awaiting_fee', 'lodged', 'upheld', 'rejected', 'resolved', 'declined')),
	CONSTRAINT "complaints_grounds" CHECK (coalesce(length(btrim("complaints"."grounds")), 0) > 0),
	CONSTRAINT "complaints_fee" CHECK (("complaints"."fee_amount" is null) = ("complaints"."fee_currency" is null) and coalesce("complaints"."fee_amount", 1) > 0),
	CONSTRAINT "complaints_lodged" CHECK (("complaints"."status" = 'awaiting_fee') = ("complaints"."lodged_at" is null)),
	CONSTRAINT "complaints_decided" CHECK (("complaints"."status" in ('upheld', 'rejected', 'resolved', 'declined')) = ("complaints"."decided_at" is not null and "complaints"."decided_by" is not null and coalesce(length(btrim("complaints"."decision")), 0) > 0)),
	CONSTRAINT "complaints_decided_after_lodging" CHECK ("complaints"."decided_at" is null or "complaints"."decided_at" >= "complaints"."lodged_at"),
	CONSTRAINT "complaints_sent_back_upheld" CHECK (not "complaints"."sent_back" or "complaints"."status" = 'upheld'),
	CONSTRAINT "complaints_refund_upheld" CHECK ("complaints"."fee_refund_id" is null or "complaints"."status" = 'upheld')
);
--> statement-breakpoint
ALTER TABLE "awards" DROP CONSTRAINT "awards_status";--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "agency_payment_settings" ADD COLUMN "refund_document_fees_on_cancellation" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "complaint_documents" ADD CONSTRAINT "complaint_documents_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_documents" ADD CONSTRAINT "complaint_documents_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_tender_lot_id_tender_lots_id_fk" FOREIGN KEY ("tender_lot_id") REFERENCES "public"."tender_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_business_id_organisations_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_written_by_users_id_fk" FOREIGN KEY ("written_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_fee_refund_id_refunds_id_fk" FOREIGN KEY ("fee_refund_id") REFERENCES "public"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_documents_complaint_idx" ON "complaint_documents" USING btree ("complaint_id");--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_one_open_per_bidder" ON "complaints" USING btree ("award_id","business_id") WHERE "complaints"."status" in ('awaiting_fee', 'lodged');--> statement-breakpoint
CREATE INDEX "complaints_tender_idx" ON "complaints" USING btree ("tender_id");--> statement-breakpoint
CREATE INDEX "complaints_status_idx" ON "complaints" USING btree ("status","lodged_at");--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD CONSTRAINT "tender_lots_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenders" ADD CONSTRAINT "tenders_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_suspended_complete" CHECK (("awards"."status" = 'suspended') = ("awards"."suspended_at" is not null) and ("awards"."status" <> 'suspended' or "awards"."standstill_ends_at" is not null));--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_cancelled_reason" CHECK (("awards"."status" = 'cancelled') = ("awards"."cancelled_at" is not null) and ("awards"."cancelled_at" is null or coalesce(length(btrim("awards"."cancel_reason")), 0) > 0));--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_status" CHECK ("awards"."status" in ('recommended', 'sent_back', 'approved', 'suspended', 'cancelled'));--> statement-breakpoint
ALTER TABLE "tender_lots" ADD CONSTRAINT "tender_lots_cancellation" CHECK (("tender_lots"."cancelled_at" is null) = ("tender_lots"."cancel_reason" is null) and ("tender_lots"."cancel_reason" is null or length(btrim("tender_lots"."cancel_reason")) > 0));--> statement-breakpoint
ALTER TABLE "tenders" ADD CONSTRAINT "tenders_cancellation" CHECK ("tenders"."cancelled_at" is null or ("tenders"."status" = 'cancelled' and coalesce(length(btrim("tenders"."cancel_reason")), 0) > 0));