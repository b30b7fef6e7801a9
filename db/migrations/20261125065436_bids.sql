CREATE TABLE "bid_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bid_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"sealed" "bytea" NOT NULL,
	"sealed_sha256" char(64) NOT NULL,
	"received_at" timestamp (6) with time zone NOT NULL,
	"received_at_text" text NOT NULL,
	"receipt_statement" text NOT NULL,
	"receipt_signature" text NOT NULL,
	"receipt_key_id" text NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"reconfirm_required" boolean DEFAULT false NOT NULL,
	"submitted_by" uuid NOT NULL,
	CONSTRAINT "bid_versions_version_key" UNIQUE("bid_id","version")
);
--> statement-breakpoint
CREATE TABLE "bids" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"draft_sealed" "bytea",
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bids_tender_business_key" UNIQUE("tender_id","business_id")
);
--> statement-breakpoint
CREATE TABLE "tender_openings" (
	"tender_id" uuid PRIMARY KEY NOT NULL,
	"started_by" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	"record" jsonb,
	CONSTRAINT "tender_openings_two_officers" CHECK ("tender_openings"."confirmed_by" is null or "tender_openings"."confirmed_by" <> "tender_openings"."started_by")
);
--> statement-breakpoint
ALTER TABLE "bid_versions" ADD CONSTRAINT "bid_versions_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_versions" ADD CONSTRAINT "bid_versions_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_business_id_organisations_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_openings" ADD CONSTRAINT "tender_openings_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_openings" ADD CONSTRAINT "tender_openings_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_openings" ADD CONSTRAINT "tender_openings_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bid_versions_one_current_key" ON "bid_versions" USING btree ("bid_id") WHERE "bid_versions"."status" = 'submitted';--> statement-breakpoint
CREATE INDEX "bid_versions_received_idx" ON "bid_versions" USING btree ("received_at");