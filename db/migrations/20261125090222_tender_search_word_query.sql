-- A Latin word whose `english` and `simple` forms are the same lexeme ("road")
-- is asked for once, not twice: a common word's posting list is the costly
-- part of a search, and `'road' | 'road'` read it two times.
CREATE OR REPLACE FUNCTION search_word_query(word text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
  WHEN word ~ '[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]'
    THEN plainto_tsquery('arabic'::regconfig, arabic_search_form(word))
  WHEN numnode(plainto_tsquery('english'::regconfig, normalise_arabic(word))) = 0 THEN ''::tsquery
  WHEN plainto_tsquery('english'::regconfig, normalise_arabic(word))
     = plainto_tsquery('simple'::regconfig, normalise_arabic(word))
    THEN plainto_tsquery('english'::regconfig, normalise_arabic(word))
  ELSE plainto_tsquery('english'::regconfig, normalise_arabic(word))
    || plainto_tsquery('simple'::regconfig, normalise_arabic(word))
END;
