-- Calls registry.forget_deleted_projects.
DROP TRIGGER IF EXISTS projects_deleted ON registry.projects;
CREATE TRIGGER projects_deleted AFTER DELETE ON registry.projects REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION registry.forget_deleted_projects();
