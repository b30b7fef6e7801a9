DROP INDEX "organisations_agency_name_ar_trgm_idx";--> statement-breakpoint
DROP INDEX "organisations_agency_name_en_trgm_idx";--> statement-breakpoint
DROP INDEX "tenders_title_ar_trgm_idx";--> statement-breakpoint
DROP INDEX "tenders_title_en_trgm_idx";--> statement-breakpoint
CREATE INDEX "organisations_agency_name_ar_trigram_idx" ON "organisations" USING gin (search_trigram_form("name_ar") gin_trgm_ops) WHERE "organisations"."kind" = 'agency';--> statement-breakpoint
CREATE INDEX "organisations_agency_name_en_trigram_idx" ON "organisations" USING gin (search_trigram_form("name_en") gin_trgm_ops) WHERE "organisations"."kind" = 'agency';--> statement-breakpoint
CREATE INDEX "tenders_title_ar_trigram_idx" ON "tenders" USING gin (search_trigram_form("title_ar") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tenders_title_en_trigram_idx" ON "tenders" USING gin (search_trigram_form("title_en") gin_trgm_ops);