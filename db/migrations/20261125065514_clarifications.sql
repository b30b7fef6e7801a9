CREATE TABLE "clarifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tender_id" uuid NOT NULL,
	"asked_by" uuid NOT NULL,
	"asking_organisation_id" uuid NOT NULL,
	"question" text NOT NULL,
	"question_lang" text NOT NULL,
	"asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answer" text,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"published" boolean DEFAULT false NOT NULL,
	CONSTRAINT "clarifications_answer_complete" CHECK (("clarifications"."answer" is null and "clarifications"."answered_by" is null and "clarifications"."answered_at" is null and not "clarifications"."published")
        or ("clarifications"."answer" is not null and "clarifications"."answered_by" is not null and "clarifications"."answered_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "clarifications" ADD CONSTRAINT "clarifications_tender_id_tenders_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clarifications" ADD CONSTRAINT "clarifications_asked_by_users_id_fk" FOREIGN KEY ("asked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clarifications" ADD CONSTRAINT "clarifications_asking_organisation_id_organisations_id_fk" FOREIGN KEY ("asking_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clarifications" ADD CONSTRAINT "clarifications_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clarifications_tender_idx" ON "clarifications" USING btree ("tender_id","asked_at");--> statement-breakpoint
CREATE INDEX "clarifications_asker_idx" ON "clarifications" USING btree ("asking_organisation_id","tender_id");