ALTER TABLE "organisations" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "search_document" "tsvector";--> statement-breakpoint
ALTER TABLE "tenders" ADD COLUMN "cpv_prefixes" text[] GENERATED ALWAYS AS (cpv_prefixes(cpv_codes)) STORED;--> statement-breakpoint
CREATE INDEX "organisations_agency_name_ar_trgm_idx" ON "organisations" USING gin (search_normalise("name_ar") gin_trgm_ops) WHERE "organisations"."kind" = 'agency';--> statement-breakpoint
CREATE INDEX "organisations_agency_name_en_trgm_idx" ON "organisations" USING gin (search_normalise("name_en") gin_trgm_ops) WHERE "organisations"."kind" = 'agency';--> statement-breakpoint
CREATE INDEX "tenders_search_document_idx" ON "tenders" USING gin ("search_document");--> statement-breakpoint
CREATE INDEX "tenders_cpv_prefixes_idx" ON "tenders" USING gin ("cpv_prefixes");--> statement-breakpoint
CREATE INDEX "tenders_published_at_idx" ON "tenders" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tenders_currency_value_idx" ON "tenders" USING btree ("currency","estimated_value" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tenders_title_ar_trgm_idx" ON "tenders" USING gin (search_normalise("title_ar") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tenders_title_en_trgm_idx" ON "tenders" USING gin (search_normalise("title_en") gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_region_format" CHECK ("organisations"."region" ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$');