-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS projects_publisher_id_inserted ON registry.projects;
CREATE TRIGGER projects_publisher_id_inserted AFTER INSERT ON registry.projects REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION registry.check_references('publisher_id', 'publishers', 'fk_projects_publishers_publisher_id');
