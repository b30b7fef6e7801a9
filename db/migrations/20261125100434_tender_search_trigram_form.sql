-- pg_trgm takes trigrams of letters and digits only, and what a letter is
-- depends on the database's character type: under the C locale the embedded
-- server uses, Arabic letters are not letters and an Arabic title has no
-- trigrams at all (its index answers every row). The trigram form writes
-- normalised, lower-cased text with each Arabic letter as an ASCII letter or
-- digit, so trigrams exist whatever the locale. Different texts can share a
-- form (a Latin letter in an Arabic title, a rare letter and a digit):
-- autocomplete checks each suggestion against the real text.
CREATE FUNCTION search_trigram_form(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN translate(lower(normalise_arabic(t)),
  'اليمونرتبهعدسفكقحجطشصزخضذثغظءئؤ',
  'abcdefghijklmnopqrstuvwxyz56789');
