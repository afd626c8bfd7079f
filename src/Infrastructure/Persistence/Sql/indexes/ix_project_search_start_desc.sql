-- sort=-startDate: projects without a start date last (an expression index, which the EF model cannot declare).
DROP INDEX IF EXISTS registry.ix_project_search_start_desc;
CREATE INDEX ix_project_search_start_desc ON registry.project_search USING btree (COALESCE(start_lo, '-infinity'::date), id);
