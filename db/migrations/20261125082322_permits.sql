CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bid_permit_flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bid_id" uuid NOT NULL,
	"permit_id" uuid NOT NULL,
	"permit_status" text NOT NULL,
	"reason" text NOT NULL,
	"flagged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bid_permit_flags_bid_permit_status_key" UNIQUE("bid_id","permit_id","permit_status")
);
--> statement-breakpoint
CREATE TABLE "permit_application_documents" (
	"application_id" uuid NOT NULL,
	"requirement_key" text NOT NULL,
	"file_id" uuid NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "permit_application_documents_application_id_requirement_key_pk" PRIMARY KEY("application_id","requirement_key")
);
--> statement-breakpoint
CREATE TABLE "permit_application_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	"actor_id" uuid,
	"at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "permit_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"permit_type_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"kind" text DEFAULT 'new' NOT NULL,
	"permit_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"checklist" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"clock_stopped_at" timestamp with time zone,
	"assigned_to" uuid,
	"first_approved_by" uuid,
	"approved_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "permit_applications_reference_unique" UNIQUE("reference"),
	CONSTRAINT "permit_applications_two_approvers" CHECK ("permit_applications"."approved_by" is null or "permit_applications"."first_approved_by" is null or "permit_applications"."approved_by" <> "permit_applications"."first_approved_by"),
	CONSTRAINT "permit_applications_permit_for_change" CHECK (("permit_applications"."kind" = 'new') = ("permit_applications"."permit_id" is null))
);
--> statement-breakpoint
CREATE TABLE "permit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"permit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text,
	"caused_by_permit_id" uuid,
	"application_id" uuid,
	"valid_until_before" date,
	"valid_until_after" date,
	"actor_id" uuid,
	"at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "permit_expiry_reminders" (
	"permit_id" uuid NOT NULL,
	"valid_until" date NOT NULL,
	"days_before" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "permit_expiry_reminders_permit_id_valid_until_days_before_pk" PRIMARY KEY("permit_id","valid_until","days_before")
);
--> statement-breakpoint
CREATE TABLE "permit_inspections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"location" text NOT NULL,
	"inspector_id" uuid NOT NULL,
	"scheduled_by" uuid NOT NULL,
	"result" text,
	"findings" text,
	"recorded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "permit_inspections_result_recorded" CHECK (("permit_inspections"."result" is null) = ("permit_inspections"."recorded_at" is null))
);
--> statement-breakpoint
CREATE TABLE "permit_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name_ar" text NOT NULL,
	"name_en" text NOT NULL,
	"description_ar" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"eligible_sectors" text[] DEFAULT '{}'::text[] NOT NULL,
	"require_verified" boolean DEFAULT true NOT NULL,
	"parent_type_id" uuid,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"service_level_days" integer NOT NULL,
	"inspection_required" boolean DEFAULT false NOT NULL,
	"second_approval_required" boolean DEFAULT false NOT NULL,
	"validity_months" integer NOT NULL,
	"renewal_window_days" integer DEFAULT 60 NOT NULL,
	"grace_period_days" integer DEFAULT 30 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "permit_types_code_unique" UNIQUE("code"),
	CONSTRAINT "permit_types_code_format" CHECK ("permit_types"."code" ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
	CONSTRAINT "permit_types_periods_positive" CHECK ("permit_types"."service_level_days" > 0 and "permit_types"."validity_months" > 0 and "permit_types"."renewal_window_days" >= 0 and "permit_types"."grace_period_days" >= 0),
	CONSTRAINT "permit_types_not_own_parent" CHECK ("permit_types"."parent_type_id" is null or "permit_types"."parent_type_id" <> "permit_types"."id")
);
--> statement-breakpoint
CREATE TABLE "permits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"permit_type_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"status" text DEFAULT 'valid' NOT NULL,
	"status_reason" text,
	"parent_permit_id" uuid,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"issued_by" uuid NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "permits_number_unique" UNIQUE("number"),
	CONSTRAINT "permits_validity_order" CHECK ("permits"."valid_from" <= "permits"."valid_until"),
	CONSTRAINT "permits_reason_when_withdrawn" CHECK ("permits"."status" not in ('suspended', 'revoked') or "permits"."status_reason" is not null)
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_permit_flags" ADD CONSTRAINT "bid_permit_flags_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_permit_flags" ADD CONSTRAINT "bid_permit_flags_permit_id_permits_id_fk" FOREIGN KEY ("permit_id") REFERENCES "public"."permits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_application_documents" ADD CONSTRAINT "permit_application_documents_application_id_permit_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."permit_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_application_documents" ADD CONSTRAINT "permit_application_documents_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_application_documents" ADD CONSTRAINT "permit_application_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_application_events" ADD CONSTRAINT "permit_application_events_application_id_permit_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."permit_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_application_events" ADD CONSTRAINT "permit_application_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_applications" ADD CONSTRAINT "permit_applications_permit_type_id_permit_types_id_fk" FOREIGN KEY ("permit_type_id") REFERENCES "public"."permit_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_applications" ADD CONSTRAINT "permit_applications_business_id_organisations_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_applications" ADD CONSTRAINT "permit_applications_permit_id_permits_id_fk" FOREIGN KEY ("permit_id") REFERENCES "public"."permits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_applications" ADD CONSTRAINT "permit_applications_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_applications" ADD CONSTRAINT "permit_applications_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_applications" ADD CONSTRAINT "permit_applications_first_approved_by_users_id_fk" FOREIGN KEY ("first_approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_applications" ADD CONSTRAINT "permit_applications_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_events" ADD CONSTRAINT "permit_events_permit_id_permits_id_fk" FOREIGN KEY ("permit_id") REFERENCES "public"."permits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_events" ADD CONSTRAINT "permit_events_caused_by_permit_id_permits_id_fk" FOREIGN KEY ("caused_by_permit_id") REFERENCES "public"."permits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_events" ADD CONSTRAINT "permit_events_application_id_permit_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."permit_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_events" ADD CONSTRAINT "permit_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_expiry_reminders" ADD CONSTRAINT "permit_expiry_reminders_permit_id_permits_id_fk" FOREIGN KEY ("permit_id") REFERENCES "public"."permits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_inspections" ADD CONSTRAINT "permit_inspections_application_id_permit_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."permit_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_inspections" ADD CONSTRAINT "permit_inspections_inspector_id_users_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_inspections" ADD CONSTRAINT "permit_inspections_scheduled_by_users_id_fk" FOREIGN KEY ("scheduled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_types" ADD CONSTRAINT "permit_types_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permit_types" ADD CONSTRAINT "permit_types_parent_type_id_permit_types_id_fk" FOREIGN KEY ("parent_type_id") REFERENCES "public"."permit_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permits" ADD CONSTRAINT "permits_permit_type_id_permit_types_id_fk" FOREIGN KEY ("permit_type_id") REFERENCES "public"."permit_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permits" ADD CONSTRAINT "permits_holder_id_organisations_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permits" ADD CONSTRAINT "permits_application_id_permit_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."permit_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permits" ADD CONSTRAINT "permits_parent_permit_id_permits_id_fk" FOREIGN KEY ("parent_permit_id") REFERENCES "public"."permits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permits" ADD CONSTRAINT "permits_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_user_unread_idx" ON "notifications" USING btree ("user_id","created_at") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "permit_application_events_application_idx" ON "permit_application_events" USING btree ("application_id","at");--> statement-breakpoint
CREATE INDEX "permit_applications_business_idx" ON "permit_applications" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE INDEX "permit_applications_queue_idx" ON "permit_applications" USING btree ("status","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "permit_applications_one_open_key" ON "permit_applications" USING btree ("business_id","permit_type_id","kind") WHERE "permit_applications"."status" not in ('issued', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE INDEX "permit_events_permit_idx" ON "permit_events" USING btree ("permit_id","at");--> statement-breakpoint
CREATE INDEX "permit_inspections_application_idx" ON "permit_inspections" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "permit_types_agency_idx" ON "permit_types" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "permits_holder_idx" ON "permits" USING btree ("holder_id");--> statement-breakpoint
CREATE INDEX "permits_expiry_idx" ON "permits" USING btree ("expires_at") WHERE "permits"."status" = 'valid';--> statement-breakpoint
CREATE INDEX "permits_parent_idx" ON "permits" USING btree ("parent_permit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "permits_one_live_key" ON "permits" USING btree ("holder_id","permit_type_id") WHERE "permits"."status" in ('valid', 'suspended');