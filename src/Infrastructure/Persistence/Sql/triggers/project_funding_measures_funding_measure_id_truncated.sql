-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS project_funding_measures_funding_measure_id_truncated ON registry.funding_measures;
CREATE TRIGGER project_funding_measures_funding_measure_id_truncated BEFORE TRUNCATE ON registry.funding_measures FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('project_funding_measures', 'funding_measure_id', 'fk_project_funding_measures_funding_measures_funding_measure_id');
