-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS changes_publisher_id_updated ON registry.changes;
CREATE TRIGGER changes_publisher_id_updated AFTER UPDATE ON registry.changes REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION registry.check_references('publisher_id', 'publishers', 'fk_changes_publishers_publisher_id');
