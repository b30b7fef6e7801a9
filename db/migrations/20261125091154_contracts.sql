CREATE TABLE "contract_amendments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"reason" text NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contract_amendments_version_key" UNIQUE("contract_id","version"),
	CONSTRAINT "contract_amendments_reason" CHECK (coalesce(length(btrim("contract_amendments"."reason")), 0) > 0)
);
--> statement-breakpoint
CREATE TABLE "contract_invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"milestone_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"number" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"document_file_id" uuid,
	"status" text DEFAULT 'submitted' NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reject_reason" text,
	"paid_by" uuid,
	"paid_at" timestamp with time zone,
	"payment_reference" text,
	CONSTRAINT "contract_invoices_number_per_supplier" UNIQUE("business_id","number"),
	CONSTRAINT "contract_invoices_status" CHECK ("contract_invoices"."status" in ('submitted', 'approved', 'rejected', 'paid')),
	CONSTRAINT "contract_invoices_amount_positive" CHECK ("contract_invoices"."amount" > 0),
	CONSTRAINT "contract_invoices_number" CHECK (coalesce(length(btrim("contract_invoices"."number")), 0) > 0),
	CONSTRAINT "contract_invoices_decided_complete" CHECK (("contract_invoices"."status" = 'submitted') = ("contract_invoices"."decided_by" is null and "contract_invoices"."decided_at" is null)),
	CONSTRAINT "contract_invoices_rejected_reason" CHECK ("contract_invoices"."status" <> 'rejected' or coalesce(length(btrim("contract_invoices"."reject_reason")), 0) > 0),
	CONSTRAINT "contract_invoices_paid_complete" CHECK (("contract_invoices"."status" = 'paid') = ("contract_invoices"."paid_by" is not null and "contract_invoices"."paid_at" is not null and coalesce(length(btrim("contract_invoices"."payment_reference")), 0) > 0)),
	CONSTRAINT "contract_invoices_segregation" CHECK ("contract_invoices"."paid_by" is null or "contract_invoices"."paid_by" <> "contract_invoices"."decided_by")
);
--> statement-breakpoint
CREATE TABLE "contract_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title_ar" text NOT NULL,
	"title_en" text NOT NULL,
	"due_on" date NOT NULL,
	"amount" bigint NOT NULL,
	"invoiced_amount" bigint DEFAULT 0 NOT NULL,
	"delivered_at" timestamp with time zone,
	"delivered_by" uuid,
	"delivery_note" text,
	CONSTRAINT "contract_milestones_position_key" UNIQUE("contract_id","position"),
	CONSTRAINT "contract_milestones_amount_positive" CHECK ("contract_milestones"."amount" > 0),
	CONSTRAINT "contract_milestones_invoiced_within" CHECK ("contract_milestones"."invoiced_amount" >= 0 and "contract_milestones"."invoiced_amount" <= "contract_milestones"."amount"),
	CONSTRAINT "contract_milestones_titles" CHECK (coalesce(length(btrim("contract_milestones"."title_ar")), 0) > 0 and coalesce(length(btrim("contract_milestones"."title_en")), 0) > 0),
	CONSTRAINT "contract_milestones_delivery_complete" CHECK (("contract_milestones"."delivered_at" is null) = ("contract_milestones"."delivered_by" is null) and ("contract_milestones"."delivered_at" is null or coalesce(length(btrim("contract_milestones"."delivery_note")), 0) > 0))
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"award_id" uuid NOT NULL,
	"tender_id" uuid NOT NULL,
	"tender_lot_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"value" bigint NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"status" text DEFAULT 'awaiting_acceptance' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_by" uuid,
	"accepted_at" timestamp with time zone,
	"signed_by" uuid,
	"signed_at" timestamp with time zone,
	CONSTRAINT "contracts_one_per_award" UNIQUE("award_id"),
	CONSTRAINT "contracts_agency_reference_key" UNIQUE("agency_id","reference"),
	CONSTRAINT "contracts_status" CHECK ("contracts"."status" in ('awaiting_acceptance', 'accepted', 'signed')),
	CONSTRAINT "contracts_value_positive" CHECK ("contracts"."value" > 0),
	CONSTRAINT "contracts_period" CHECK ("contracts"."ends_on" >= "contracts"."starts_on"),
	CONSTRAINT "contracts_accepted_complete" CHECK (("contracts"."status" in ('accepted', 'signed')) = ("contracts"."accepted_by" is not null and "contracts"."accepted_at" is not null)),
	CONSTRAINT "contracts_signed_complete" CHECK (("contracts"."status" = 'signed') = ("contracts"."signed_by" is not null and "contracts"."signed_at" is not null)),
	CONSTRAINT "contracts_signed_after_acceptance" CHECK ("contracts"."signed_at" is null or "contracts"."signed_at" >= "contracts"."accepted_at"),
	CONSTRAINT "contracts_four_eyes" CHECK ("contracts"."signed_by" is null or "contracts"."signed_by" <> "contracts"."created_by")
);
--> statement-breakpoint
ALTER TABLE "awards" DROP CONSTRAINT "awards_status";--> statement-breakpoint
ALTER TABLE "contract_amendments" ADD CONSTRAINT "contract_amendments_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_amendments" ADD CONSTRAINT "contract_amendments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_invoices" ADD CONSTRAINT "contract_invoices_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_invoices" ADD CONSTRAINT "contract_invoices_milestone_id_contract_milestones_id_fk" FOREIGN KEY ("milestone_id") REFERENCES "public"."contract_milestones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_invoices" ADD CONSTRAINT "contract_invoices_business_id_organisations_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_invoices" ADD CONSTRAINT "contract_invoices_document_file_id_stored_files_id_fk" FOREIGN KEY ("document_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_invoices" ADD CONSTRAINT "contract_invoices_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_invoices" ADD CONSTRAINT "contract_invoices_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_invoices" ADD CONSTRAINT "contract_invoices_paid_by_users_id_fk" FOREIGN KEY ("paid_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_milestones" ADD CONSTRAINT "contract_milestones_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_milestones" ADD CONSTRAINT "contract_milestones_delivered_by_users_id_fk" FOREIGN KEY ("delivered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_tender_lot_id_tender_lots_id_fk" FOREIGN KEY ("tender_lot_id") REFERENCES "public"."tender_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_business_id_organisations_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contract_invoices_contract_idx" ON "contract_invoices" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "contracts_tender_idx" ON "contracts" USING btree ("tender_id");--> statement-breakpoint
CREATE INDEX "contracts_business_idx" ON "contracts" USING btree ("business_id");--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_status" CHECK ("awards"."status" in ('recommended', 'sent_back', 'approved', 'suspended', 'cancelled', 'contracted'));