-- Calls registry.forget_deleted_imports.
DROP TRIGGER IF EXISTS imports_deleted ON registry.imports;
CREATE TRIGGER imports_deleted AFTER DELETE ON registry.imports REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION registry.forget_deleted_imports();
