-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS changes_publisher_id_truncated ON registry.publishers;
CREATE TRIGGER changes_publisher_id_truncated BEFORE TRUNCATE ON registry.publishers FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('changes', 'publisher_id', 'fk_changes_publishers_publisher_id');
