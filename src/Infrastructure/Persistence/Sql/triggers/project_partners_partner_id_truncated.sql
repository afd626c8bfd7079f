-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS project_partners_partner_id_truncated ON registry.partners;
CREATE TRIGGER project_partners_partner_id_truncated BEFORE TRUNCATE ON registry.partners FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('project_partners', 'partner_id', 'fk_project_partners_partners_partner_id');
