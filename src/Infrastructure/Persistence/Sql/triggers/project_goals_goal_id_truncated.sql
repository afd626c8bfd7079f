-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS project_goals_goal_id_truncated ON registry.goals;
CREATE TRIGGER project_goals_goal_id_truncated BEFORE TRUNCATE ON registry.goals FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('project_goals', 'goal_id', 'fk_project_goals_goals_goal_id');
