-- Calls registry.forget_project_search.
DROP TRIGGER IF EXISTS projects_forget_search ON registry.projects;
CREATE TRIGGER projects_forget_search AFTER UPDATE OF deleted_at ON registry.projects FOR EACH ROW WHEN (((new.deleted_at IS NOT NULL) AND (old.deleted_at IS NULL))) EXECUTE FUNCTION registry.forget_project_search();
