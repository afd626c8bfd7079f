-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS project_partners_partner_id_deleted ON registry.partners;
CREATE TRIGGER project_partners_partner_id_deleted AFTER DELETE ON registry.partners REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('project_partners', 'partner_id', 'fk_project_partners_partners_partner_id');
