-- Tender search, part 1: SQL functions (see docs/decisions for tender search).
-- The search document and CPV prefixes are computed by these functions, in the
-- database, so every writer (the app, a trigger, the data generator) gets the
-- same result.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint

-- The same folding as normaliseArabic() in app/modules/tenders/arabic-normalise.ts
-- (a property test checks that they agree): NFKC; harakat, Quranic marks,
-- tatweel and invisible direction marks removed; NFKC again; أ إ آ ٱ → ا,
-- ى ی → ي, ک → ك, ة → ه; Arabic-Indic and Persian digits → 0-9. Each step is
-- skipped when a cheap test shows it would change nothing (normalize() and
-- translate() are slow on long text).
CREATE FUNCTION normalise_arabic(t text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  s text := t;
BEGIN
  -- Plain ASCII (most English text) has nothing to fold.
  IF octet_length(s) = char_length(s) THEN RETURN s; END IF;
  IF s IS NOT NFKC NORMALIZED THEN s := normalize(s, NFKC); END IF;
  IF s ~ '[\u064B-\u065F\u0670\u0610-\u061A\u06D6-\u06ED\u0640\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]' THEN
    s := regexp_replace(s, '[\u064B-\u065F\u0670\u0610-\u061A\u06D6-\u06ED\u0640\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]', '', 'g');
    IF s IS NOT NFKC NORMALIZED THEN s := normalize(s, NFKC); END IF;
  END IF;
  IF s ~ '[أإآٱىیکة]' THEN
    s := replace(replace(replace(replace(replace(replace(replace(replace(s,
      'أ', 'ا'), 'إ', 'ا'), 'آ', 'ا'), 'ٱ', 'ا'), 'ى', 'ي'), 'ی', 'ي'), 'ک', 'ك'), 'ة', 'ه');
  END IF;
  IF s ~ '[٠-٩۰-۹]' THEN
    s := translate(s, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹', '01234567890123456789');
  END IF;
  RETURN s;
END $$;
--> statement-breakpoint

-- Normalised Arabic with the article and the conjunctions and prepositions
-- glued to a word taken off (وال بال كال فال لل ال و): PostgreSQL's Arabic
-- stemmer stems «مدرسه» and «المدرسه» differently, and leaves «والمدارس»
-- alone. Applied to the indexed text and to every query word alike, so
-- «مدرسة», «المدرسة» and «للمدرسة» all meet. Words are found after a space or
-- an opening bracket or quote (replace() is far cheaper than a regular expression).
CREATE FUNCTION arabic_search_form(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN replace(replace(replace(replace(replace(replace(replace(
  replace(replace(replace(replace(replace(replace(' ' || normalise_arabic(t),
    E'\n', ' '), E'\t', ' '), '(', '( '), '«', '« '), '"', '" '), '/', '/ '),
    ' وال', ' '), ' بال', ' '), ' كال', ' '), ' فال', ' '), ' لل', ' '), ' ال', ' '), ' و', ' ');
--> statement-breakpoint

-- Normalised and lower-cased: what autocomplete matches titles and names on.
CREATE FUNCTION search_normalise(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lower(normalise_arabic(t));
--> statement-breakpoint

-- The search document of a tender from its texts: Arabic texts through the
-- `arabic` configuration (in their search form), English texts through
-- `english` (normalised: Arabic-Indic digits), the reference as it is
-- (`simple`). Weights: A reference and titles, B descriptions, C lots and items.
CREATE FUNCTION tender_search_document(
  reference text, title_ar text, title_en text, description_ar text, description_en text,
  lots_ar text, lots_en text
) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN setweight(to_tsvector('simple'::regconfig, coalesce(reference, '')), 'A')
    || setweight(to_tsvector('arabic'::regconfig, arabic_search_form(coalesce(title_ar, ''))), 'A')
    || setweight(to_tsvector('english'::regconfig, normalise_arabic(coalesce(title_en, ''))), 'A')
    || setweight(to_tsvector('arabic'::regconfig, arabic_search_form(coalesce(description_ar, ''))), 'B')
    || setweight(to_tsvector('english'::regconfig, normalise_arabic(coalesce(description_en, ''))), 'B')
    || setweight(to_tsvector('arabic'::regconfig, arabic_search_form(coalesce(lots_ar, ''))), 'C')
    || setweight(to_tsvector('english'::regconfig, normalise_arabic(coalesce(lots_en, ''))), 'C');
--> statement-breakpoint

-- A word typed in a search as a tsquery: a word in Arabic script through the
-- Arabic search form and the `arabic` configuration; any other word through
-- `english` or, unstemmed, `simple` (Latin words inside Arabic text are
-- indexed unstemmed). An English stop word gives an empty query, which the
-- tsquery operators drop. The word is data, never tsquery syntax.
CREATE FUNCTION search_word_query(word text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
  WHEN word ~ '[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]'
    THEN plainto_tsquery('arabic'::regconfig, arabic_search_form(word))
  WHEN numnode(plainto_tsquery('english'::regconfig, normalise_arabic(word))) = 0 THEN ''::tsquery
  ELSE plainto_tsquery('english'::regconfig, normalise_arabic(word))
    || plainto_tsquery('simple'::regconfig, normalise_arabic(word))
END;
--> statement-breakpoint

-- The lexemes a word of displayed text stands for, the same way: for
-- highlighting what matched in the original spelling.
CREATE FUNCTION search_word_lexemes(word text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
  WHEN word ~ '[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]'
    THEN tsvector_to_array(to_tsvector('arabic'::regconfig, arabic_search_form(word)))
  ELSE tsvector_to_array(to_tsvector('english'::regconfig, normalise_arabic(word))
    || to_tsvector('simple'::regconfig, normalise_arabic(word)))
END;
--> statement-breakpoint

-- Every prefix (2 to 8 digits) of every CPV code: "45" finds all works,
-- "4523" a class. Stored on tenders as a generated column with a GIN index.
CREATE FUNCTION cpv_prefixes(codes text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(
  SELECT DISTINCT left(c, n) FROM unnest(codes) AS c, generate_series(2, 8) AS n
  WHERE c ~ '^[0-9]{8}' ORDER BY 1
);
--> statement-breakpoint

-- The text of a tender's lots and their items, one string per language, lots
-- in order and items in id order.
CREATE FUNCTION tender_lots_text(tender uuid, OUT lots_ar text, OUT lots_en text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT string_agg(concat_ws(' ', l.title_ar, i.ar), ' ' ORDER BY l.number),
         string_agg(concat_ws(' ', l.title_en, i.en), ' ' ORDER BY l.number)
  FROM tender_lots l
  LEFT JOIN LATERAL (
    SELECT string_agg(description_ar, ' ' ORDER BY id) AS ar, string_agg(description_en, ' ' ORDER BY id) AS en
    FROM tender_items WHERE lot_id = l.id
  ) i ON true
  WHERE l.tender_id = tender
$$;
