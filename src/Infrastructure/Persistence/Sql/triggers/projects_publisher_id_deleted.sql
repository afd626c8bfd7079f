-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS projects_publisher_id_deleted ON registry.publishers;
CREATE TRIGGER projects_publisher_id_deleted AFTER DELETE ON registry.publishers REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('projects', 'publisher_id', 'fk_projects_publishers_publisher_id');
