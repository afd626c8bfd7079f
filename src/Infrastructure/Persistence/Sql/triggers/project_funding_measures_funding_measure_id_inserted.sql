-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS project_funding_measures_funding_measure_id_inserted ON registry.project_funding_measures;
CREATE TRIGGER project_funding_measures_funding_measure_id_inserted AFTER INSERT ON registry.project_funding_measures REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION registry.check_references('funding_measure_id', 'funding_measures', 'fk_project_funding_measures_funding_measures_funding_measure_id');
