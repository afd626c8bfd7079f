-- The text search configuration of documents and queries: words without diacritics, lowercased.
DROP TEXT SEARCH CONFIGURATION IF EXISTS registry.folded;
CREATE TEXT SEARCH CONFIGURATION registry.folded (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION registry.folded
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
    WITH public.unaccent, pg_catalog.simple;
