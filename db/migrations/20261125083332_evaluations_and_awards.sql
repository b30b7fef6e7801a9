CREATE TABLE "awards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"tender_lot_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"price" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"rank" integer NOT NULL,
	"total" integer NOT NULL,
	"status" text DEFAULT 'recommended' NOT NULL,
	"recommended_by" uuid NOT NULL,
	"recommended_at" timestamp with time zone DEFAULT now() NOT NULL,
	"justification" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"send_back_reason" text,
	"notice_published_at" timestamp with time zone,
	"standstill_ends_at" timestamp with time zone,
	CONSTRAINT "awards_status" CHECK ("awards"."status" in ('recommended', 'sent_back', 'approved')),
	CONSTRAINT "awards_four_eyes" CHECK ("awards"."decided_by" is null or "awards"."decided_by" <> "awards"."recommended_by"),
	CONSTRAINT "awards_approved_complete" CHECK ("awards"."status" <> 'approved' or ("awards"."decided_by" is not null and "awards"."decided_at" is not null and "awards"."notice_published_at" is not null and "awards"."standstill_ends_at" is not null)),
	CONSTRAINT "awards_sent_back_reason" CHECK ("awards"."status" <> 'sent_back' or ("awards"."decided_by" is not null and coalesce(length(btrim("awards"."send_back_reason")), 0) > 0)),
	CONSTRAINT "awards_price_positive" CHECK ("awards"."price" > 0)
);
--> statement-breakpoint
CREATE TABLE "bid_qualifications" (
	"bid_id" uuid PRIMARY KEY NOT NULL,
	"tender_id" uuid NOT NULL,
	"checks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"business_verified" boolean NOT NULL,
	"permit_type" text,
	"permit_id" uuid,
	"permit_valid" boolean,
	"disqualification_reason" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bid_qualifications_permit" CHECK (("bid_qualifications"."permit_type" is null) = ("bid_qualifications"."permit_valid" is null)),
	CONSTRAINT "bid_qualifications_reason" CHECK ("bid_qualifications"."disqualification_reason" is null or coalesce(length(btrim("bid_qualifications"."disqualification_reason")), 0) > 0)
);
--> statement-breakpoint
CREATE TABLE "conflict_declarations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"conflict" boolean NOT NULL,
	"note" text,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conflict_declarations_member_bid_key" UNIQUE("tender_id","user_id","bid_id"),
	CONSTRAINT "conflict_declarations_note" CHECK (not "conflict_declarations"."conflict" or coalesce(length(btrim("conflict_declarations"."note")), 0) > 0)
);
--> statement-breakpoint
CREATE TABLE "consensus_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"criterion_key" text NOT NULL,
	"score" integer NOT NULL,
	"note" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consensus_scores_key" UNIQUE("bid_id","criterion_key"),
	CONSTRAINT "consensus_scores_range" CHECK ("consensus_scores"."score" between 0 and 10000),
	CONSTRAINT "consensus_scores_note" CHECK (coalesce(length(btrim("consensus_scores"."note")), 0) > 0)
);
--> statement-breakpoint
CREATE TABLE "document_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"defect" text NOT NULL,
	"window_hours" integer NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"file_id" uuid,
	"doc_id" uuid,
	"name" text,
	"media_type" text,
	"size" integer,
	"sha256" char(64),
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "document_corrections_defect" CHECK (coalesce(length(btrim("document_corrections"."defect")), 0) > 0),
	CONSTRAINT "document_corrections_window" CHECK ("document_corrections"."window_hours" between 1 and 240),
	CONSTRAINT "document_corrections_answer" CHECK (("document_corrections"."submitted_at" is null) = ("document_corrections"."file_id" is null) and ("document_corrections"."file_id" is null) = ("document_corrections"."doc_id" is null)),
	CONSTRAINT "document_corrections_in_time" CHECK ("document_corrections"."submitted_at" is null or "document_corrections"."submitted_at" <= "document_corrections"."due_at")
);
--> statement-breakpoint
CREATE TABLE "evaluation_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"assigned_by" uuid NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"scores_submitted_at" timestamp with time zone,
	CONSTRAINT "evaluation_members_tender_user_key" UNIQUE("tender_id","user_id"),
	CONSTRAINT "evaluation_members_removed_at" CHECK (("evaluation_members"."status" = 'active') = ("evaluation_members"."removed_at" is null))
);
--> statement-breakpoint
CREATE TABLE "evaluator_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"criterion_key" text NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluator_scores_key" UNIQUE("bid_id","criterion_key","evaluator_id"),
	CONSTRAINT "evaluator_scores_range" CHECK ("evaluator_scores"."score" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "price_justifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"bid_id" uuid NOT NULL,
	"tender_lot_id" uuid NOT NULL,
	"justification" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_justifications_key" UNIQUE("bid_id","tender_lot_id"),
	CONSTRAINT "price_justifications_text" CHECK (coalesce(length(btrim("price_justifications"."justification")), 0) > 0)
);
--> statement-breakpoint
CREATE TABLE "tender_evaluations" (
	"tender_id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"chair_user_id" uuid,
	"financial_formula" text DEFAULT 'lowest_over_price' NOT NULL,
	"abnormally_low_percent" integer DEFAULT 80 NOT NULL,
	"standstill_days" integer DEFAULT 10 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"result" jsonb,
	"result_sha256" char(64),
	CONSTRAINT "tender_evaluations_closed_with_result" CHECK (("tender_evaluations"."status" = 'closed') = ("tender_evaluations"."closed_at" is not null and "tender_evaluations"."closed_by" is not null and "tender_evaluations"."result" is not null and "tender_evaluations"."result_sha256" is not null)),
	CONSTRAINT "tender_evaluations_formula" CHECK ("tender_evaluations"."financial_formula" in ('lowest_over_price', 'linear_from_lowest')),
	CONSTRAINT "tender_evaluations_low_percent" CHECK ("tender_evaluations"."abnormally_low_percent" between 1 and 100),
	CONSTRAINT "tender_evaluations_standstill_days" CHECK ("tender_evaluations"."standstill_days" between 0 and 60)
);
--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_tender_id_tender_evaluations_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender_evaluations"("tender_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_tender_lot_id_tender_lots_id_fk" FOREIGN KEY ("tender_lot_id") REFERENCES "public"."tender_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_business_id_organisations_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_recommended_by_users_id_fk" FOREIGN KEY ("recommended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_qualifications" ADD CONSTRAINT "bid_qualifications_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_qualifications" ADD CONSTRAINT "bid_qualifications_tender_id_tender_evaluations_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender_evaluations"("tender_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_qualifications" ADD CONSTRAINT "bid_qualifications_permit_id_permits_id_fk" FOREIGN KEY ("permit_id") REFERENCES "public"."permits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_qualifications" ADD CONSTRAINT "bid_qualifications_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflict_declarations" ADD CONSTRAINT "conflict_declarations_tender_id_tender_evaluations_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender_evaluations"("tender_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflict_declarations" ADD CONSTRAINT "conflict_declarations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflict_declarations" ADD CONSTRAINT "conflict_declarations_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflict_declarations" ADD CONSTRAINT "conflict_declarations_business_id_organisations_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consensus_scores" ADD CONSTRAINT "consensus_scores_tender_id_tender_evaluations_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender_evaluations"("tender_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consensus_scores" ADD CONSTRAINT "consensus_scores_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consensus_scores" ADD CONSTRAINT "consensus_scores_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_corrections" ADD CONSTRAINT "document_corrections_tender_id_tender_evaluations_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender_evaluations"("tender_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_corrections" ADD CONSTRAINT "document_corrections_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_corrections" ADD CONSTRAINT "document_corrections_business_id_organisations_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_corrections" ADD CONSTRAINT "document_corrections_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_corrections" ADD CONSTRAINT "document_corrections_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_corrections" ADD CONSTRAINT "document_corrections_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_members" ADD CONSTRAINT "evaluation_members_tender_id_tender_evaluations_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender_evaluations"("tender_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_members" ADD CONSTRAINT "evaluation_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_members" ADD CONSTRAINT "evaluation_members_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluator_scores" ADD CONSTRAINT "evaluator_scores_tender_id_tender_evaluations_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender_evaluations"("tender_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluator_scores" ADD CONSTRAINT "evaluator_scores_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluator_scores" ADD CONSTRAINT "evaluator_scores_evaluator_id_users_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_justifications" ADD CONSTRAINT "price_justifications_tender_id_tender_evaluations_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender_evaluations"("tender_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_justifications" ADD CONSTRAINT "price_justifications_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_justifications" ADD CONSTRAINT "price_justifications_tender_lot_id_tender_lots_id_fk" FOREIGN KEY ("tender_lot_id") REFERENCES "public"."tender_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_justifications" ADD CONSTRAINT "price_justifications_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_evaluations" ADD CONSTRAINT "tender_evaluations_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_evaluations" ADD CONSTRAINT "tender_evaluations_chair_user_id_users_id_fk" FOREIGN KEY ("chair_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_evaluations" ADD CONSTRAINT "tender_evaluations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_evaluations" ADD CONSTRAINT "tender_evaluations_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "awards_one_outcome_per_lot" ON "awards" USING btree ("tender_lot_id") WHERE "awards"."status" not in ('sent_back', 'cancelled');--> statement-breakpoint
CREATE INDEX "awards_tender_idx" ON "awards" USING btree ("tender_id");--> statement-breakpoint
CREATE INDEX "awards_status_idx" ON "awards" USING btree ("status");--> statement-breakpoint
CREATE INDEX "bid_qualifications_tender_idx" ON "bid_qualifications" USING btree ("tender_id");--> statement-breakpoint
CREATE INDEX "document_corrections_bid_idx" ON "document_corrections" USING btree ("bid_id");--> statement-breakpoint
CREATE INDEX "evaluation_members_user_idx" ON "evaluation_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "evaluator_scores_tender_idx" ON "evaluator_scores" USING btree ("tender_id","evaluator_id");