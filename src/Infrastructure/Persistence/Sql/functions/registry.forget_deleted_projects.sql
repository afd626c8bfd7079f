-- A deleted project's links, derived rows and import fingerprint go with it (statement-level; they have no foreign key).
CREATE OR REPLACE FUNCTION registry.forget_deleted_projects()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    DELETE FROM registry.project_partners l USING deleted d WHERE l.project_id = d.id;
    DELETE FROM registry.project_funding_measures l USING deleted d WHERE l.project_id = d.id;
    DELETE FROM registry.project_goals l USING deleted d WHERE l.project_id = d.id;
    DELETE FROM registry.project_search s USING deleted d WHERE s.id = d.id;
    DELETE FROM registry.project_documents s USING deleted d WHERE s.id = d.id;
    DELETE FROM registry.import_fingerprints f USING deleted d WHERE f.project_id = d.id;
    RETURN NULL;
END $function$;
