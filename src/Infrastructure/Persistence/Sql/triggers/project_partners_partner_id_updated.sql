-- Part of a foreign key checked per statement (see registry.check_references and registry.refuse_referenced_deletes).
DROP TRIGGER IF EXISTS project_partners_partner_id_updated ON registry.project_partners;
CREATE TRIGGER project_partners_partner_id_updated AFTER UPDATE ON registry.project_partners REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION registry.check_references('partner_id', 'partners', 'fk_project_partners_partners_partner_id');
