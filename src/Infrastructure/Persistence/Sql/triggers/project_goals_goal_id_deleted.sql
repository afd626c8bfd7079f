-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS project_goals_goal_id_deleted ON registry.goals;
CREATE TRIGGER project_goals_goal_id_deleted AFTER DELETE ON registry.goals REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('project_goals', 'goal_id', 'fk_project_goals_goals_goal_id');
