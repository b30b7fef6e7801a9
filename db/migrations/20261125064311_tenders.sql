CREATE TABLE "tender_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"title" text NOT NULL,
	"version" integer NOT NULL,
	"sha256" char(64) NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tender_documents_version_key" UNIQUE("tender_id","title","version")
);
--> statement-breakpoint
CREATE TABLE "tender_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"description_ar" text NOT NULL,
	"description_en" text NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"unit" text NOT NULL,
	CONSTRAINT "tender_items_quantity_positive" CHECK ("tender_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "tender_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title_ar" text NOT NULL,
	"title_en" text NOT NULL,
	"estimated_value" bigint,
	CONSTRAINT "tender_lots_number_key" UNIQUE("tender_id","number")
);
--> statement-breakpoint
CREATE TABLE "tenders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"title_ar" text NOT NULL,
	"title_en" text NOT NULL,
	"description_ar" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"method" text DEFAULT 'open' NOT NULL,
	"category" text NOT NULL,
	"cpv_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"currency" char(3) NOT NULL,
	"estimated_value" bigint,
	"document_fee" bigint DEFAULT 0 NOT NULL,
	"submission_fee" bigint DEFAULT 0 NOT NULL,
	"bid_security" bigint DEFAULT 0 NOT NULL,
	"require_verified" boolean DEFAULT true NOT NULL,
	"required_permit_type" text,
	"criteria" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"time_zone" text NOT NULL,
	"enquiry_deadline" timestamp with time zone,
	"submission_deadline" timestamp with time zone,
	"opening_at" timestamp with time zone,
	"status" text DEFAULT 'draft' NOT NULL,
	"requires_approval" boolean DEFAULT false NOT NULL,
	"created_by" uuid NOT NULL,
	"approved_by" uuid,
	"published_at" timestamp with time zone,
	"data_key_wrapped" text,
	"data_key_master_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenders_agency_reference_key" UNIQUE("agency_id","reference"),
	CONSTRAINT "tenders_fees_non_negative" CHECK ("tenders"."document_fee" >= 0 and "tenders"."submission_fee" >= 0 and "tenders"."bid_security" >= 0),
	CONSTRAINT "tenders_deadline_order" CHECK ("tenders"."status" in ('draft', 'cancelled') or ("tenders"."enquiry_deadline" < "tenders"."submission_deadline" and "tenders"."submission_deadline" <= "tenders"."opening_at")),
	CONSTRAINT "tenders_approver_not_author" CHECK ("tenders"."approved_by" is null or "tenders"."approved_by" <> "tenders"."created_by")
);
--> statement-breakpoint
ALTER TABLE "tender_documents" ADD CONSTRAINT "tender_documents_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_documents" ADD CONSTRAINT "tender_documents_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_documents" ADD CONSTRAINT "tender_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_items" ADD CONSTRAINT "tender_items_lot_id_tender_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tender_lots" ADD CONSTRAINT "tender_lots_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenders" ADD CONSTRAINT "tenders_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenders" ADD CONSTRAINT "tenders_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenders" ADD CONSTRAINT "tenders_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tender_items_lot_idx" ON "tender_items" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "tenders_status_deadline_idx" ON "tenders" USING btree ("status","submission_deadline");