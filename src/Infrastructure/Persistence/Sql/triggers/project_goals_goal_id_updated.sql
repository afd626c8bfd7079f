-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS project_goals_goal_id_updated ON registry.project_goals;
CREATE TRIGGER project_goals_goal_id_updated AFTER UPDATE ON registry.project_goals REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION registry.check_references('goal_id', 'goals', 'fk_project_goals_goals_goal_id');
